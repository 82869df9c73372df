using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using CadapDrafting.Lifecycle;

namespace CadapDrafting.Comments;

public sealed record ReplyToThread(Guid ThreadId, [TextLimit(CommentRules.MaxTextLength)] string Text) : IDraftCommand
{
    /// <summary>The people the text mentions, as the user directory knows them; filled in at the edge, never from the request.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyDictionary<string, Actor>? MentionedPeople { get; init; }

    public DraftAction Action => DraftAction.Comment;
    string? IDraftCommand.Reason => null;

    public Decision Decide(Draft draft, CommandContext context)
    {
        if (LifecycleRules.CheckOpenForChange(draft, "comment on it") is { } closed) return closed;
        if (!draft.Threads.TryGetValue(ThreadId, out var thread) || !thread.VisibleTo(context.Actor, draft))
            return Problem.NotFound($"Thread {ThreadId}");
        if (!thread.IsOpen)
            return Problem.Conflict("The thread is resolved. Reopen it (POST .../reopen) to continue the discussion.",
                new Dictionary<string, object?> { ["threadStatus"] = thread.Status.ToString() });

        var v = new Validation();
        CommentRules.ValidateText(v, Text);
        if (v.ToProblem() is { } invalid) return invalid;
        var (round, late) = CommentRules.RoundFor(draft, context.Actor, context.Now);
        if (late is not null) return late;

        var commentId = context.NewId("comment");
        var mentions = Mentions.In(Text);
        if (Mentions.Check(draft, mentions, MentionedPeople,
                person => thread.VisibleTo(person, draft) && Audience.Hears(person, draft, round)) is { } unreachable)
            return unreachable;
        // Who is told about the reply is decided here, from the thread as it is, so the inbox needs no state.
        var notify = thread.Participants().Where(p => p != context.Actor.UserId && !mentions.Contains(p)).ToList();
        return Decision.Emit(new CommentResult(ThreadId, commentId),
            new CommentReplied(ThreadId, commentId, Text.Trim(), mentions, notify, round, Audience.IsReviewer(context.Actor, draft)));
    }
}

public sealed record CommentReplied(
    Guid ThreadId,
    Guid CommentId,
    string Text,
    List<string> Mentions,
    List<string> Notify,
    int? Round,
    bool ByReviewer) : IDraftEvent, IThreadEvent
{
    public void ApplyTo(Draft draft, EventContext context) =>
        draft.Threads[ThreadId].Comments.Add(new Comment
        {
            Id = CommentId, Author = context.Actor, At = context.At, Text = Text, Mentions = [.. Mentions], Round = Round,
            ByReviewer = ByReviewer,
        });
}
