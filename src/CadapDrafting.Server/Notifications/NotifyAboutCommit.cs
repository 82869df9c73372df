using CadapDrafting.Comments;
using CadapDrafting.Consultation;
using CadapDrafting.Drafts;
using CadapDrafting.Drafts.Writing;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using CadapDrafting.Proposals;
using JasperFx.Events;
using Marten;
using Wolverine;

namespace CadapDrafting.Notifications;

/// <summary>A draft's commit of positions <paramref name="From"/> to <paramref name="To"/> holds events someone is told about.</summary>
public sealed record DraftEventsCommitted(Guid DraftId, long From, long To);

/// <summary>
/// Enrolls a <see cref="DraftEventsCommitted"/> in the outbox of a commit that holds events people are told about: it is
/// stored with the events and handled once they are committed, never for a commit that failed.
/// </summary>
public sealed class NotificationObserver : IDraftCommitObserver
{
    public IEnumerable<object> OutboxMessages(Draft draftAfter, IReadOnlyList<IEvent> appended) =>
        appended.Any(e => Notifications.Notifies(e.Data))
            ? [new DraftEventsCommitted(draftAfter.Id, draftAfter.Position - appended.Count + 1, draftAfter.Position)]
            : [];
}

/// <summary>
/// Reacts to committed events: reads them back from the draft's stream, decides who is told (<see cref="Notifications.For"/>),
/// appends a <see cref="NotificationDelivered"/> to each recipient's inbox stream (<see cref="PersonInboxes"/>; the inbox
/// items are its projection) and pushes the recipients' unread counts. A redelivered message finds its notifications
/// delivered already and appends nothing.
/// </summary>
public static class DraftEventsCommittedHandler
{
    /// <summary>The actor of a delivery: the notifications themselves, acting on a committed event someone else caused.</summary>
    public const string Deliverer = "notifications";

    public static async Task Handle(DraftEventsCommitted message, IDocumentStore store, DemoUsers users, InboxPush push,
        CancellationToken ct)
    {
        List<InboxItem> items;
        await using (var session = store.QuerySession())
        {
            var events = await session.Events.FetchStreamAsync(message.DraftId, version: message.To, fromVersion: message.From, token: ct);
            var draft = await DraftStore.LoadAsync(session, message.DraftId, ct);
            if (draft is null) return;
            items = Notifications.For(draft, events, users.All.Select(u => u.ToActor()).ToList());
        }
        if (items.Count == 0) return;
        var reason = $"Draft {message.DraftId} positions {message.From}-{message.To} concern its recipient";
        var told = new List<string>();
        foreach (var forOne in items.GroupBy(i => i.Recipient))
        {
            var delivered = await PersonInboxes.AppendAsync<bool>(store, forOne.Key, Deliverer, TimeProvider.System.GetUtcNow(), reason,
                async session =>
                {
                    var ids = forOne.Select(i => i.Id).Distinct().ToArray();
                    var stored = (await session.LoadManyAsync<InboxItem>(ct, ids)).Select(i => i.Id).ToHashSet();
                    var fresh = forOne.Where(i => !stored.Contains(i.Id)).DistinctBy(i => i.Id).Select(NotificationDelivered.Of).ToList<object>();
                    return (fresh, fresh.Count > 0);
                }, ct);
            if (delivered) told.Add(forOne.Key);
        }
        await push.UnreadChangedAsync(told, ct);
    }
}

/// <summary>Who is told about which committed event: pure, from the events and the draft as it is now.</summary>
public static class Notifications
{
    public const int ExcerptLength = 280;

    public static bool Notifies(object data) => data is CommentThreadStarted or CommentReplied or ConsultationRoundEndingSoon
        or ConsultationRoundOpened or ConsultationRoundClosed or ProposalAccepted or ProposalRejected or Lifecycle.ReviewStarted;

    public static List<InboxItem> For(Draft draft, IReadOnlyList<IEvent> events, IReadOnlyList<Actor> people)
    {
        var items = new List<InboxItem>();
        foreach (var e in events)
        {
            var context = EventMetadata.ContextOf(e, e.Version);
            InboxItem Item(string id, string recipient, InboxReason reason, string excerpt) => new()
            {
                Id = $"{id}:{recipient}", Recipient = recipient, Reason = reason, DraftId = draft.Id, From = context.Actor, At = context.At,
                Excerpt = excerpt.Length <= ExcerptLength ? excerpt : excerpt[..ExcerptLength] + "…",
            };
            switch (e.Data)
            {
                case CommentThreadStarted s:
                    items.AddRange(Comment(s.ThreadId, s.CommentId, s.Text, s.Mentions, [], context, Item));
                    break;
                case CommentReplied r:
                    items.AddRange(Comment(r.ThreadId, r.CommentId, r.Text, r.Mentions, r.Notify, context, Item));
                    break;
                case ConsultationRoundEndingSoon soon:
                    items.AddRange(soon.Reviewers.Select(reviewer =>
                        Item($"{draft.Id:N}:round-{soon.Number}", reviewer, InboxReason.RoundEndingSoon,
                            $"Consultation round {soon.Number} ends on {soon.EndsAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC.").WithRound(soon.Number)));
                    break;
                case ConsultationRoundOpened opened:
                    items.AddRange(Reviewers(draft, opened.IsPublic, people, context.Actor).Select(reviewer =>
                        Item($"{draft.Id:N}:round-{opened.Number}-opened", reviewer, InboxReason.RoundOpened,
                            $"Consultation round {opened.Number} is open until {opened.EndsAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC.")
                            .WithRound(opened.Number)));
                    break;
                case ConsultationRoundClosed closed:
                    var isPublic = draft.Rounds.FirstOrDefault(r => r.Number == closed.Number)?.IsPublic ?? false;
                    items.AddRange(Reviewers(draft, isPublic, people, context.Actor).Select(reviewer =>
                        Item($"{draft.Id:N}:round-{closed.Number}-closed", reviewer, InboxReason.RoundClosed,
                            $"Consultation round {closed.Number} is closed.").WithRound(closed.Number)));
                    break;
                case ProposalAccepted or ProposalRejected when e.Data is IProposalEvent decided
                                                              && draft.Proposals.TryGetValue(decided.ProposalId, out var proposal)
                                                              && proposal.Author != context.Actor:
                    var reason = e.Data is ProposalRejected rejected ? rejected.Reason : ((ProposalAccepted)e.Data).Reason;
                    var verdict = e.Data is ProposalRejected ? "rejected" : "accepted";
                    var item = Item($"{draft.Id:N}:{proposal.Id:N}:decided", proposal.Author, InboxReason.Decision,
                        string.IsNullOrWhiteSpace(reason) ? $"Your proposal was {verdict}." : $"Your proposal was {verdict}: {reason}");
                    item.ProposalId = proposal.Id;
                    item.NodeId = proposal.NodeId;
                    items.Add(item);
                    break;
                case Lifecycle.ReviewStarted review:
                    items.AddRange((draft.ApprovalPolicy?.Approvers ?? []).Where(a => a != context.Actor).Select(approver =>
                        Item($"{draft.Id:N}:review-{draft.Edition}-{review.Revision}", approver, InboxReason.SignOffRequested,
                            $"Revision {review.Revision} is in review and awaits your sign-off.")));
                    break;
            }
        }
        return items;
    }

    private static IEnumerable<InboxItem> Comment(Guid threadId, Guid commentId, string text, List<string> mentions, List<string> repliesTo,
        EventContext context, Func<string, string, InboxReason, string, InboxItem> item)
    {
        InboxItem Of(string recipient, InboxReason reason)
        {
            var i = item($"{commentId:N}", recipient, reason, text);
            i.ThreadId = threadId;
            i.CommentId = commentId;
            return i;
        }
        return mentions.Where(m => m != context.Actor).Select(m => Of(m, InboxReason.Mention))
            .Concat(repliesTo.Where(p => p != context.Actor && !mentions.Contains(p)).Select(p => Of(p, InboxReason.Reply)));
    }

    /// <summary>The people who may comment in a round of this draft (EU experts, and CSOs when public), except who acted.</summary>
    private static IEnumerable<string> Reviewers(Draft draft, bool isPublic, IReadOnlyList<Actor> people, string actor)
    {
        var duringRound = new AccessPolicy.DraftScope(draft.Country, true, isPublic || draft.SharedWithPublic, true, isPublic);
        return people.Where(p => (p.Has(Role.EuExpert) || p.Has(Role.Cso)) && p.UserId != actor
                                 && AccessPolicy.Allows(p, DraftAction.Comment, duringRound))
            .Select(p => p.UserId).Order(StringComparer.Ordinal);
    }

    private static InboxItem WithRound(this InboxItem item, int round)
    {
        item.Round = round;
        return item;
    }
}

public static class NotificationSetup
{
    public const string NotificationQueue = "notifications";

    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddSingleton<InboxPush>();
        return services.AddDraftCommitObserver<NotificationObserver>();
    }

    public static void ConfigureWolverine(WolverineOptions opts) =>
        // Durable: a commit's notifications are stored with its events, so a restart in between loses none.
        opts.PublishMessage<DraftEventsCommitted>().ToLocalQueue(NotificationQueue).UseDurableInbox();
}
