using Wolverine;
using Wolverine.ErrorHandling;

namespace CadapDrafting.Drafts.Writing;

/// <summary>
/// A command that a Wolverine message sends to a draft's writer (a deadline, a citation's back-link) has no person waiting
/// to send it again. A refusal is its answer; a change the writer could not store (PostgreSQL unreachable, an upgrade in
/// progress) is thrown as <see cref="DraftNotWrittenYetException"/>, and the message is tried again later.
/// </summary>
public static class BackgroundCommands
{
    public static async Task<CommandOutcome> SendOrRetryLaterAsync(this DraftWriter writer, Guid draftId, CommandEnvelope envelope,
        CancellationToken ct)
    {
        var outcome = await writer.SendAsync(draftId, envelope, ct);
        if (outcome.Problem is { Status: >= 500 } problem)
            throw new DraftNotWrittenYetException($"{envelope.Command.GetType().Name} on draft {draftId} was not stored: {problem.Detail}");
        return outcome;
    }

    /// <summary>
    /// Under Wolverine's default a message that failed is moved to the dead letters at once (seen in the round-deadline
    /// story): a database restart of a few seconds would lose a round's close or a notification for good. A failure to
    /// store is tried again with growing pauses over several hours instead; anything else keeps the default.
    /// </summary>
    public static void RetryLaterWhenNotStored(WolverineOptions opts) =>
        opts.Policies.OnException(IsStorageFailure, "the database could not store it yet")
            .RetryWithCooldown(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3))
            .Then.ScheduleRetry(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5),
                TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeSpan.FromHours(6));

    public static bool IsStorageFailure(Exception ex) => ex is DraftNotWrittenYetException || WorkingState.IsTransient(ex);
}

public sealed class DraftNotWrittenYetException(string message) : Exception(message);
