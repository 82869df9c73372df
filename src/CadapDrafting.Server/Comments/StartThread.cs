using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using CadapDrafting.Lifecycle;

namespace CadapDrafting.Comments;

/// <summary>Opens a comment thread on a node (optionally on a quoted span of its text) or on a proposal.</summary>
public sealed record StartThread(
    [TextLimit(CommentRules.MaxTextLength)] string Text,
    Guid? NodeId = null,
    Guid? ProposalId = null,
    QuotedSpan? Quote = null,
    ThreadVisibility? Visibility = null) : IDraftCommand
{
    /// <summary>The people the text mentions, as the user directory knows them; filled in at the edge, never from the request.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyDictionary<string, Actor>? MentionedPeople { get; init; }

    public DraftAction Action => DraftAction.Comment;
    string? IDraftCommand.Reason => null;

    public Decision Decide(Draft draft, CommandContext context)
    {
        if (LifecycleRules.CheckOpenForChange(draft, "comment on it") is { } closed) return closed;

        var v = new Validation();
        CommentRules.ValidateText(v, Text);
        if (NodeId is null == ProposalId is null)
            v.Add("nodeId", "Anchor the thread to exactly one node or one proposal.");
        if (Quote is not null && NodeId is null)
            v.Add("quote", "Only a thread on a node can quote its text.");
        if (!v.IsValid) return v.ToProblem()!;

        if (NodeId is { } nodeId)
        {
            if (!draft.Nodes.TryGetValue(nodeId, out var node)) return Problem.NotFound($"Node {nodeId}");
            if (Quote is not null) ValidateQuote(v, draft, node, Quote);
        }
        if (ProposalId is { } proposalId && !draft.Proposals.ContainsKey(proposalId)) return Problem.NotFound($"Proposal {proposalId}");

        var byReviewer = Audience.IsReviewer(context.Actor, draft);
        if (byReviewer && Visibility == ThreadVisibility.Internal)
            v.Add("visibility", "Threads started by reviewers are shared with reviewers; they cannot be internal.");
        if (!v.IsValid) return v.ToProblem()!;

        var (round, late) = CommentRules.RoundFor(draft, context.Actor, context.Now);
        if (late is not null) return late;

        var visibility = byReviewer ? ThreadVisibility.SharedWithReviewers : Visibility ?? ThreadVisibility.Internal;
        var mentions = Mentions.In(Text);
        if (Mentions.Check(draft, mentions, MentionedPeople,
                person => CommentThread.VisibleTo(visibility, person, draft) && Audience.Hears(person, draft, round)) is { } unreachable)
            return unreachable;

        var threadId = context.NewId("thread");
        var commentId = context.NewId("comment");
        return Decision.Emit(new CommentResult(threadId, commentId),
            new CommentThreadStarted(threadId, commentId, NodeId, ProposalId, Quote, visibility, Text.Trim(),
                mentions, round, byReviewer));
    }

    private static void ValidateQuote(Validation v, Draft draft, DraftNode node, QuotedSpan quote)
    {
        if (!draft.Languages.Contains(quote.Language))
        {
            v.Add("quote.language", $"'{quote.Language}' is not one of this draft's languages ({string.Join(", ", draft.Languages)}).");
            return;
        }
        if (string.IsNullOrEmpty(quote.Text)) v.Add("quote.text", "Quote at least one character.");
        if (quote.Start < 0 || quote.End - quote.Start != (quote.Text ?? "").Length)
            v.Add("quote.end", "The span [start, end) must be as long as the quoted text.");
        if (quote.NodeRevision < 1 || quote.NodeRevision > node.Revision)
            v.Add("quote.nodeRevision", $"The node's revisions run from 1 to {node.Revision}.");
        if (!v.IsValid) return;
        // A quote of an older revision is taken as written (comments never conflict with edits); one of the
        // current revision must match the text it points at.
        if (quote.NodeRevision == node.Revision && quote.Locate(node) != (quote.Start, quote.End))
            v.Add("quote.text", "The quoted text is not at that place in the node's current text.");
    }
}

public sealed record CommentThreadStarted(
    Guid ThreadId,
    Guid CommentId,
    Guid? NodeId,
    Guid? ProposalId,
    QuotedSpan? Quote,
    ThreadVisibility Visibility,
    string Text,
    List<string> Mentions,
    int? Round,
    bool ByReviewer) : IDraftEvent, IThreadEvent
{
    public void ApplyTo(Draft draft, EventContext context)
    {
        draft.Threads[ThreadId] = new CommentThread
        {
            Id = ThreadId,
            NodeId = NodeId,
            ProposalId = ProposalId,
            Quote = Quote,
            Visibility = Visibility,
            Author = context.Actor,
            StartedAt = context.At,
            Comments =
            [
                new Comment
                {
                    Id = CommentId, Author = context.Actor, At = context.At, Text = Text, Mentions = [.. Mentions],
                    Round = Round, ByReviewer = ByReviewer,
                },
            ],
        };
    }
}

/// <summary>The answer to a command on a thread: the thread, and the comment it added if any.</summary>
public sealed record CommentResult(Guid ThreadId, Guid? CommentId = null);
