using System.Security.Cryptography;
using System.Text;
using CadapDrafting.Comments;
using CadapDrafting.Infrastructure;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace CadapDrafting.Notifications;

/// <summary>A notification reached its recipient: the first event of an <see cref="InboxItem"/>, on the recipient's inbox stream.</summary>
public sealed record NotificationDelivered(string Id, string Recipient, InboxReason Reason, Guid DraftId, Guid? ThreadId, Guid? CommentId,
    Guid? ProposalId, Guid? NodeId, int? Round, string From, DateTimeOffset At, string Excerpt)
{
    public static NotificationDelivered Of(InboxItem item) => new(item.Id, item.Recipient, item.Reason, item.DraftId, item.ThreadId,
        item.CommentId, item.ProposalId, item.NodeId, item.Round, item.From, item.At, item.Excerpt);
}

/// <summary>The recipient marked these notifications read: who (always the recipient), when and why.</summary>
public sealed record NotificationsRead(string Recipient, List<string> Ids, string Actor, DateTimeOffset At, string Reason);

/// <summary>
/// The stream type of a person's inbox (<c>mt_streams.type</c>). A person's notifications and what they marked read are
/// events on a stream of their own, beside the drafts' streams; whatever walks every stream of the event store as a
/// draft (rebuild, signing, proofs) leaves these out with <see cref="PersonInboxes.NotAnInbox"/>.
/// </summary>
public sealed class PersonInbox
{
    public Guid Id { get; set; }
}

public static class PersonInboxes
{
    /// <summary>Marten's name for <see cref="PersonInbox"/> streams in <c>mt_streams.type</c>.</summary>
    public const string StreamType = "person_inbox";

    /// <summary>A SQL condition on <c>mt_streams</c> (under <paramref name="alias"/>) that keeps drafts' streams only.</summary>
    public static string NotAnInbox(string alias) => $"{alias}.type is distinct from '{StreamType}'";

    /// <summary>The stream id of a person's inbox: derived from their user id, the same on every node and run.</summary>
    public static Guid StreamOf(string userId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("cadap-inbox:" + userId));
        return new Guid(hash.AsSpan(0, 16));
    }

    /// <summary>
    /// Appends what <paramref name="decide"/> returns to the person's inbox stream, with actor, time and reason in the headers
    /// (as every draft event carries them); the inline <see cref="InboxProjection"/> writes the inbox items in the same
    /// transaction. <paramref name="decide"/> reads the person's items under the stream's lock (the lock a draft's writers
    /// take, which also covers a stream not created yet), so two appends to one inbox — a delivery and a "mark read", or
    /// the same delivery twice — are decided one after the other, each on what the other wrote.
    /// </summary>
    public static async Task<T> AppendAsync<T>(IDocumentStore store, string userId, string actor, DateTimeOffset at, string reason,
        Func<IDocumentSession, Task<(IReadOnlyList<object> Events, T Result)>> decide, CancellationToken ct)
    {
        var streamId = StreamOf(userId);
        await using var session = store.LightweightSession();
        var version = await Drafts.Writing.DraftStreamLock.AcquireAsync(session, streamId, ct);
        var (events, result) = await decide(session);
        if (events.Count == 0) return result;
        session.SetHeader(EventMetadata.Actor, actor);
        session.SetHeader(EventMetadata.At, EventMetadata.FormatTime(at));
        session.SetHeader(EventMetadata.Reason, reason);
        if (version == 0) session.Events.StartStream<PersonInbox>(streamId, events.ToArray());
        else session.Events.Append(streamId, events.ToArray());
        await session.SaveChangesAsync(ct);
        return result;
    }
}

/// <summary>
/// The inbox read model, projected from the inbox streams' events in the transaction that appends them (inline): one
/// <see cref="InboxItem"/> per notification, read when a <see cref="NotificationsRead"/> names it. Never written by hand;
/// Marten's projection rebuild writes them all again from the events.
/// </summary>
public sealed class InboxProjection : MultiStreamProjection<InboxItem, string>
{
    public InboxProjection()
    {
        Identity<NotificationDelivered>(e => e.Id);
        Identities<NotificationsRead>(e => e.Ids);
    }

    public override InboxItem? Evolve(InboxItem? item, string id, IEvent e)
    {
        switch (e.Data)
        {
            case NotificationDelivered d:
                return item ?? new InboxItem
                {
                    Id = d.Id, Recipient = d.Recipient, Reason = d.Reason, DraftId = d.DraftId, ThreadId = d.ThreadId, CommentId = d.CommentId,
                    ProposalId = d.ProposalId, NodeId = d.NodeId, Round = d.Round, From = d.From, At = d.At, Excerpt = d.Excerpt,
                };
            case NotificationsRead read when item is not null && item.Recipient == read.Recipient:
                item.ReadAt ??= read.At;
                return item;
            default:
                return item;
        }
    }
}
