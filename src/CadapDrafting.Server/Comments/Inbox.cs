using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using Marten;

namespace CadapDrafting.Comments;

public enum InboxReason { Mention, Reply, RoundEndingSoon, RoundOpened, RoundClosed, Decision, SignOffRequested }

/// <summary>
/// One notification for one person: a projection (<see cref="Notifications.InboxProjection"/>) of the events on the
/// person's inbox stream, <see cref="Notifications.NotificationDelivered"/> appended by the handler that reacts to the
/// committed event which caused it (<see cref="Notifications.DraftEventsCommittedHandler"/>) and
/// <see cref="Notifications.NotificationsRead"/> appended when the person marks it read. Never written by hand.
/// </summary>
public sealed class InboxItem
{
    /// <summary>What caused it and the recipient: a redelivered event writes the same item again, never a second one.</summary>
    public string Id { get; set; } = "";
    public string Recipient { get; set; } = "";
    public InboxReason Reason { get; set; }
    public Guid DraftId { get; set; }
    public Guid? ThreadId { get; set; }
    public Guid? CommentId { get; set; }
    /// <summary>The proposal a decision is about, and its node.</summary>
    public Guid? ProposalId { get; set; }
    public Guid? NodeId { get; set; }
    /// <summary>The consultation round a round's notice is about.</summary>
    public int? Round { get; set; }
    public string From { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public string Excerpt { get; set; } = "";
    /// <summary>When the recipient marked it read; null while unread.</summary>
    public DateTimeOffset? ReadAt { get; set; }
}

/// <summary>
/// One notification as its recipient reads it: a comment (thread and comment set) or a round's reminder (round set). Who it
/// is from by name (<c>FromName</c>, and <c>FromNameRu</c> for the Russian interface) besides the user id.
/// </summary>
public sealed record InboxEntry(InboxReason Reason, Guid DraftId, Dictionary<string, string> DraftTitle, Guid? ThreadId, Guid? NodeId,
    string? NodeNumber, Guid? ProposalId, Guid? CommentId, string From, DateTimeOffset At, string Excerpt, int? Round = null, string Id = "",
    bool Read = false, string? FromName = null, string? FromNameRu = null)
{
    /// <summary>The entry with the sender's names from the directory (the user id alone when they are not in it).</summary>
    public InboxEntry Named(DemoUsers users) => users.Find(From) is { } user ? this with { FromName = user.Name, FromNameRu = user.NameRu } : this;
}

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
                if (!numbers.TryGetValue(draft.Id, out var n)) numbers[draft.Id] = n = Numbering.Of(draft);
                var read = item.ReadAt is not null;
                if (item.ThreadId is { } threadId)
                {
                    if (!draft.Threads.TryGetValue(threadId, out var thread) || !thread.VisibleTo(actor, draft)) continue;
                    if (thread.Comments.FirstOrDefault(c => c.Id == item.CommentId) is not { } comment
                        || !Audience.SeesComment(actor, draft, comment))
                        continue;
                    entries.Add(new InboxEntry(item.Reason, draft.Id, draft.Title, thread.Id, thread.NodeId,
                        thread.NodeId is { } nodeId ? n.GetValueOrDefault(nodeId) : null, thread.ProposalId, item.CommentId, item.From, item.At,
                        item.Excerpt, null, item.Id, read));
                }
                else if (item.ProposalId is { } proposalId)
                {
                    if (!draft.Proposals.TryGetValue(proposalId, out var proposal)) continue;
                    Guid? nodeId = draft.Nodes.ContainsKey(proposal.NodeId) ? proposal.NodeId : null;
                    entries.Add(new InboxEntry(item.Reason, draft.Id, draft.Title, null, nodeId, nodeId is { } id ? n.GetValueOrDefault(id) : null,
                        proposal.Id, null, item.From, item.At, item.Excerpt, null, item.Id, read));
                }
                else
                {
                    entries.Add(new InboxEntry(item.Reason, draft.Id, draft.Title, null, null, null, null, null, item.From, item.At,
                        item.Excerpt, item.Round, item.Id, read));
                }
                if (entries.Count == limit) break;
            }
            if (page.Count < batchSize) break;
            until = page[^1].At;
        }
        return entries;
    }

    /// <summary>How many of the person's notifications they may see are unread (counted among the newest 500).</summary>
    public static async Task<int> UnreadAsync(IQuerySession session, Actor actor, CancellationToken ct) =>
        (await ForAsync(session, actor, MaxCounted, ct)).Count(e => !e.Read);

    public const int MaxCounted = 500;
}
