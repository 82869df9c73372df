using CadapDrafting.Consultation;
using CadapDrafting.Drafts;
using CadapDrafting.Identity;

namespace CadapDrafting.Comments;

/// <summary>A thread as a reader sees it, with the quote's standing against the current text.</summary>
public sealed record ThreadView(
    Guid Id,
    Guid? NodeId,
    string? NodeNumber,
    Guid? ProposalId,
    QuoteView? Quote,
    ThreadVisibility Visibility,
    ThreadStatus Status,
    string Author,
    DateTimeOffset StartedAt,
    string? ResolvedBy,
    DateTimeOffset? ResolvedAt,
    List<CommentView> Comments)
{
    public static ThreadView Of(Draft draft, CommentThread t, IReadOnlyDictionary<Guid, string> numbers) =>
        new(t.Id, t.NodeId, t.NodeId is { } n ? numbers.GetValueOrDefault(n) : null, t.ProposalId,
            t.Quote is { } q ? QuoteView.Of(q, t.NodeId is { } id ? draft.Nodes.GetValueOrDefault(id) : null) : null,
            t.Visibility, t.Status, t.Author, t.StartedAt, t.ResolvedBy, t.ResolvedAt,
            t.Comments.Select(CommentView.Of).ToList());
}

/// <summary>
/// The quote as written (text, span and the node revision it was written against) and whether it still
/// stands in the current text: outdated when the quoted words are gone, shifted when they moved.
/// </summary>
public sealed record QuoteView(string Language, string Text, int Start, int End, int NodeRevision, bool Outdated, int? CurrentStart,
    int? CurrentEnd, int? CurrentNodeRevision)
{
    public static QuoteView Of(QuotedSpan q, DraftNode? node)
    {
        var at = q.Locate(node);
        return new QuoteView(q.Language, q.Text, q.Start, q.End, q.NodeRevision, at is null, at?.Start, at?.End, node?.Revision);
    }
}

public sealed record CommentView(Guid Id, string Author, DateTimeOffset At, string Text, List<string> Mentions, int? Round,
    bool ByReviewer, DispositionView? Disposition)
{
    public static CommentView Of(Comment c) =>
        new(c.Id, c.Author, c.At, c.Text, c.Mentions, c.Round, c.ByReviewer, c.Disposition is { } d ? DispositionView.Of(d) : null);
}

public sealed record DispositionView(DispositionKind Disposition, string? Reason, string By, DateTimeOffset At)
{
    public static DispositionView Of(CommentDisposition d) => new(d.Kind, d.Reason, d.By, d.At);
}

/// <summary>The threads on one anchor (or the whole draft) that the reader may see, with their counts.</summary>
public sealed record ThreadList(int Open, int Resolved, List<ThreadView> Threads);

public sealed record AnchorCounts(Guid? NodeId, string? NodeNumber, Guid? ProposalId, int Open, int Resolved);

public static class ThreadQueries
{
    public static IEnumerable<CommentThread> VisibleThreads(Draft draft, Actor actor) =>
        draft.Threads.Values.Where(t => t.VisibleTo(actor, draft)).OrderBy(t => t.StartedAt);

    public static ThreadList List(Draft draft, Actor actor, Guid? nodeId, Guid? proposalId, ThreadStatus? status)
    {
        var numbers = Numbering.Of(draft);
        var onAnchor = VisibleThreads(draft, actor)
            .Where(t => (nodeId is null || t.NodeId == nodeId) && (proposalId is null || t.ProposalId == proposalId))
            .ToList();
        return new ThreadList(onAnchor.Count(t => t.IsOpen), onAnchor.Count(t => !t.IsOpen),
            onAnchor.Where(t => status is null || t.Status == status).Select(t => ThreadView.Of(draft, t, numbers)).ToList());
    }

    /// <summary>Open and resolved counts per node and per proposal, nodes in document order.</summary>
    public static List<AnchorCounts> Counts(Draft draft, Actor actor)
    {
        var numbers = Numbering.Of(draft);
        var visible = VisibleThreads(draft, actor).ToList();
        var order = draft.InDocumentOrder().Select((n, i) => (n.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var byNode = visible.Where(t => t.NodeId is not null).GroupBy(t => t.NodeId!.Value)
            .OrderBy(g => order.GetValueOrDefault(g.Key, int.MaxValue))
            .Select(g => new AnchorCounts(g.Key, numbers.GetValueOrDefault(g.Key), null, g.Count(t => t.IsOpen), g.Count(t => !t.IsOpen)));
        var byProposal = visible.Where(t => t.ProposalId is not null).GroupBy(t => t.ProposalId!.Value)
            .Select(g => new AnchorCounts(null, null, g.Key, g.Count(t => t.IsOpen), g.Count(t => !t.IsOpen)));
        return byNode.Concat(byProposal).ToList();
    }
}
