using CadapDrafting.Drafts;
using CadapDrafting.Drafts.Writing;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using JasperFx.Events;
using Wolverine;

namespace CadapDrafting.Consultation;

/// <summary>Due at a round's end date: the round closes itself unless the editor closed it first.</summary>
public sealed record RoundEndDateReached(Guid DraftId, int Round, DateTimeOffset EndsAt);

/// <summary>Due a day before a round's end date (at once when less is left): its reviewers are reminded.</summary>
public sealed record RoundEndingSoon(Guid DraftId, int Round, DateTimeOffset EndsAt);

/// <summary>
/// Opening a round schedules its reminder and its close in the round's own transaction, as durable scheduled messages:
/// they are stored with the opening events, survive a restart, and run on one node of a cluster.
/// </summary>
public sealed class RoundDeadlineObserver : IDraftCommitObserver
{
    public static readonly TimeSpan RemindBefore = TimeSpan.FromDays(1);

    public IEnumerable<object> OutboxMessages(Draft draftAfter, IReadOnlyList<IEvent> appended) =>
        appended.Select(e => e.Data).OfType<ConsultationRoundOpened>().SelectMany(opened => new[]
        {
            new ScheduledMessage(new RoundEndingSoon(draftAfter.Id, opened.Number, opened.EndsAt), opened.EndsAt - RemindBefore),
            new ScheduledMessage(new RoundEndDateReached(draftAfter.Id, opened.Number, opened.EndsAt), opened.EndsAt),
        });
}

public static class RoundDeadlineHandler
{
    /// <summary>
    /// The consultation calendar acts for nobody in particular: it may read every draft and these commands are its only
    /// writes; no endpoint sends them.
    /// </summary>
    public static readonly Actor Calendar = new("consultation-calendar", "Consultation calendar", null, new HashSet<Role> { Role.Auditor });

    public static Task Handle(RoundEndDateReached message, DraftWriter writer, CancellationToken ct) =>
        SendAsync(writer, message.DraftId, message.Round, "close", new CloseRoundAtEndDate(message.Round, message.EndsAt), ct);

    public static Task Handle(RoundEndingSoon message, DraftWriter writer, DemoUsers users, CancellationToken ct) =>
        SendAsync(writer, message.DraftId, message.Round, "remind",
            new RemindRoundReviewers(message.Round, message.EndsAt, users.All.Select(u => u.ToActor()).ToList()), ct);

    private static async Task SendAsync(DraftWriter writer, Guid draftId, int round, string purpose, IDraftCommand command, CancellationToken ct)
    {
        // One command id per draft, round and purpose: a redelivered message is answered from the first outcome.
        var commandId = DeterministicGuid.Create(draftId, $"round-{round}-{purpose}");
        await writer.SendOrRetryLaterAsync(draftId, new CommandEnvelope(commandId, Calendar, null, command), ct);
    }
}

/// <summary>Closes the round when its end date has come; a round already closed (by hand, or earlier) stays as it is.</summary>
public sealed record CloseRoundAtEndDate(int Round, DateTimeOffset EndsAt) : IDraftCommand
{
    // The calendar reads every draft; see RoundDeadlineHandler.Calendar.
    public DraftAction Action => DraftAction.Read;
    public string? Reason => $"The end date of consultation round {Round} ({EndsAt:yyyy-MM-dd HH:mm} UTC) has passed.";

    public Decision Decide(Draft draft, CommandContext context) =>
        draft.Status == DraftStatus.Consultation && draft.CurrentRound() is { } open && open.Number == Round
            ? Decision.Emit(new { closed = true }, new ConsultationRoundClosed(Round))
            : Decision.Emit(new { closed = false });
}

/// <summary>
/// Tells the round's reviewers (EU experts, and CSOs when public: whoever may comment in it) that it ends soon. The
/// people are handed in, so the decision stays pure; nothing is sent for a round that is closed already.
/// </summary>
public sealed record RemindRoundReviewers(int Round, DateTimeOffset EndsAt, List<Actor> People) : IDraftCommand
{
    public DraftAction Action => DraftAction.Read;
    public string? Reason => $"Consultation round {Round} ends on {EndsAt:yyyy-MM-dd HH:mm} UTC.";

    public Decision Decide(Draft draft, CommandContext context)
    {
        if (draft.Status != DraftStatus.Consultation || draft.CurrentRound() is not { } open || open.Number != Round)
            return Decision.Emit(new { reminded = 0 });
        var reviewers = People
            .Where(p => (p.Has(Role.EuExpert) || p.Has(Role.Cso)) && AccessPolicy.Allows(p, DraftAction.Comment, draft))
            .Select(p => p.UserId).Order(StringComparer.Ordinal).ToList();
        return reviewers.Count == 0
            ? Decision.Emit(new { reminded = 0 })
            : Decision.Emit(new { reminded = reviewers.Count }, new ConsultationRoundEndingSoon(Round, EndsAt, reviewers));
    }
}

public sealed record ConsultationRoundEndingSoon(int Number, DateTimeOffset EndsAt, List<string> Reviewers) : IDraftEvent
{
    // A notice to people, recorded so the reminder has an actor, a time and a reason; the draft itself is unchanged.
    public void ApplyTo(Draft draft, EventContext context) { }
}

public static class ConsultationSetup
{
    public const string DeadlineQueue = "consultation-deadlines";

    public static IServiceCollection AddConsultation(this IServiceCollection services) =>
        services.AddDraftCommitObserver<RoundDeadlineObserver>();

    public static void ConfigureWolverine(WolverineOptions opts)
    {
        // Durable: a scheduled close or reminder is stored until due, so a restart loses none and one node runs each.
        opts.PublishMessage<RoundEndDateReached>().ToLocalQueue(DeadlineQueue).UseDurableInbox();
        opts.PublishMessage<RoundEndingSoon>().ToLocalQueue(DeadlineQueue).UseDurableInbox();
    }
}
