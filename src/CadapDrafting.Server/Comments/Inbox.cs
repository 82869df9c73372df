using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace CadapDrafting.Comments;

public enum InboxReason { Mention, Reply, RoundEndingSoon }

/// <summary>
/// One notification for one person. Each is a document of its own, written in the transaction of the
/// event that caused it (a comment, or a round's reminder), so commands on different drafts never write the same document.
/// </summary>
public sealed class InboxItem
{
    /// <summary>The comment and the recipient: a replayed event writes the same item again, never a second one.</summary>
    public string Id { get; set; } = "";
    public string Recipient { get; set; } = "";
    public InboxReason Reason { get; set; }
    public Guid DraftId { get; set; }
    public Guid? ThreadId { get; set; }
    public Guid? CommentId { get; set; }
    /// <summary>The consultation round a reminder is about.</summary>
    public int? Round { get; set; }
    public string From { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public string Excerpt { get; set; } = "";

    public static string IdFor(Guid commentId, string recipient) => $"{commentId:N}:{recipient}";

    public static string IdForReminder(Guid draftId, int round, string recipient) => $"{draftId:N}:round-{round}:{recipient}";
}

/// <summary>Writes inbox items from comment events and round reminders, inline with the draft's commit.</summary>
public sealed partial class InboxProjection : EventProjection
{
    public const int ExcerptLength = 280;

    public InboxProjection()
    {
        IncludeType<CommentThreadStarted>();
        IncludeType<CommentReplied>();
        IncludeType<Consultation.ConsultationRoundEndingSoon>();
    }

    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        var context = EventMetadata.ContextOf(e, 0);
        var items = e.Data switch
        {
            CommentThreadStarted s => Items(e.StreamId, s.ThreadId, s.CommentId, s.Text, s.Mentions, [], context),
            CommentReplied r => Items(e.StreamId, r.ThreadId, r.CommentId, r.Text, r.Mentions, r.Notify, context),
            Consultation.ConsultationRoundEndingSoon soon => Reminders(e.StreamId, soon, context),
            _ => [],
        };
        foreach (var item in items) operations.Store(item);
        return ValueTask.CompletedTask;
    }

    private static List<InboxItem> Reminders(Guid draftId, Consultation.ConsultationRoundEndingSoon soon, EventContext context) =>
        soon.Reviewers.Select(reviewer => new InboxItem
        {
            Id = InboxItem.IdForReminder(draftId, soon.Number, reviewer), Recipient = reviewer, Reason = InboxReason.RoundEndingSoon,
            DraftId = draftId, Round = soon.Number, From = context.Actor, At = context.At,
            Excerpt = $"Consultation round {soon.Number} ends on {soon.EndsAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC.",
        }).ToList();

    private static List<InboxItem> Items(Guid draftId, Guid threadId, Guid commentId, string text, List<string> mentions,
        List<string> repliesTo, EventContext context)
    {
        var excerpt = text.Length <= ExcerptLength ? text : text[..ExcerptLength] + "…";
        InboxItem Item(string recipient, InboxReason reason) => new()
        {
            Id = InboxItem.IdFor(commentId, recipient), Recipient = recipient, Reason = reason, DraftId = draftId, ThreadId = threadId,
            CommentId = commentId, From = context.Actor, At = context.At, Excerpt = excerpt,
        };
        return mentions.Where(m => m != context.Actor).Select(m => Item(m, InboxReason.Mention))
            .Concat(repliesTo.Where(p => p != context.Actor && !mentions.Contains(p)).Select(p => Item(p, InboxReason.Reply)))
            .ToList();
    }
}

/// <summary>One notification as its recipient reads it: a comment (thread and comment set) or a round's reminder (round set).</summary>
public sealed record InboxEntry(InboxReason Reason, Guid DraftId, Dictionary<string, string> DraftTitle, Guid? ThreadId, Guid? NodeId,
    string? NodeNumber, Guid? ProposalId, Guid? CommentId, string From, DateTimeOffset At, string Excerpt, int? Round = null);

public static class Inbox
{
    /// <summary>
    /// The signed-in person's items, newest first. Whether they may still see each is decided now, from the
    /// draft as it is: a draft no longer shared, a thread or comment they cannot see, drops out. Items are filtered
    /// before the page is cut, so items they cannot see (however many) never push visible ones off the page.
    /// </summary>
    public static async Task<List<InboxEntry>> ForAsync(IQuerySession session, Actor actor, int limit, CancellationToken ct)
    {
        var entries = new List<InboxEntry>();
        var drafts = new Dictionary<Guid, Draft?>();
        var numbers = new Dictionary<Guid, IReadOnlyDictionary<Guid, string>>();
        var batchSize = Math.Max(limit * 2, 50);
        DateTimeOffset? until = null;
        var seen = new HashSet<string>();
        while (entries.Count < limit)
        {
            var query = session.Query<InboxItem>().Where(i => i.Recipient == actor.UserId);
            if (until is { } at) query = query.Where(i => i.At <= at);
            // Items of the same moment may straddle two pages: the later page starts at that moment and skips what was seen.
            var page = await query.OrderByDescending(i => i.At).ThenByDescending(i => i.Id).Take(batchSize).ToListAsync(ct);
            var items = page.Where(i => seen.Add(i.Id)).ToList();
            if (items.Count == 0) break;
            var missing = items.Select(i => i.DraftId).Distinct().Where(d => !drafts.ContainsKey(d)).ToArray();
            foreach (var draft in await DraftStore.LoadManyAsync(session, missing, ct)) drafts[draft.Id] = draft;
            foreach (var draftId in missing) drafts.TryAdd(draftId, null);

            foreach (var item in items)
            {
                if (drafts[item.DraftId] is not { } draft || !AccessPolicy.Allows(actor, DraftAction.Read, draft)) continue;
                if (item.Round is { } round)
                {
                    entries.Add(new InboxEntry(item.Reason, draft.Id, draft.Title, null, null, null, null, null, item.From, item.At,
                        item.Excerpt, round));
                    if (entries.Count == limit) break;
                    continue;
                }
                if (item.ThreadId is not { } threadId || !draft.Threads.TryGetValue(threadId, out var thread) || !thread.VisibleTo(actor, draft))
                    continue;
                if (thread.Comments.FirstOrDefault(c => c.Id == item.CommentId) is not { } comment || !Audience.SeesComment(actor, draft, comment))
                    continue;
                if (!numbers.TryGetValue(draft.Id, out var n)) numbers[draft.Id] = n = Numbering.Of(draft);
                entries.Add(new InboxEntry(item.Reason, draft.Id, draft.Title, thread.Id, thread.NodeId,
                    thread.NodeId is { } nodeId ? n.GetValueOrDefault(nodeId) : null, thread.ProposalId, item.CommentId, item.From, item.At,
                    item.Excerpt));
                if (entries.Count == limit) break;
            }
            if (page.Count < batchSize) break;
            until = page[^1].At;
        }
        return entries;
    }
}
