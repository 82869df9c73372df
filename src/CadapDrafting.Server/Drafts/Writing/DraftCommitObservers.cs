using JasperFx.Events;
using Marten;

namespace CadapDrafting.Drafts.Writing;

/// <summary>
/// The write path's one extension point: what a slice adds to every commit of a draft. Each member has a default that
/// does nothing, so a slice implements only what it needs, and registers with
/// <c>services.AddDraftCommitObserver&lt;MyObserver&gt;()</c> in its own setup.
/// </summary>
public interface IDraftCommitObserver
{
    /// <summary>
    /// Sees every event as it is appended, with the draft's state just after it (the writer evolves the same instance on:
    /// copy what must outlive the call). What it returns is handed back to <see cref="CommittedAsync"/> after the commit.
    /// </summary>
    object? Capture(Draft draftAfter, IEvent appended, long position) => null;

    /// <summary>
    /// Messages that must follow the commit whatever happens to this process (e.g. a good-practice citation): enrolled in
    /// the outbox of the batch's transaction, stored with its events and delivered to their Wolverine handlers after it.
    /// A <see cref="ScheduledMessage"/> is delivered at its time instead (a deadline), kept durable until then.
    /// </summary>
    IEnumerable<object> OutboxMessages(Draft draftAfter, IReadOnlyList<IEvent> appended) => [];

    /// <summary>
    /// Runs once the batch is durable, on the draft's writer loop (commits of one draft arrive in order): quick work only,
    /// never awaiting slow peers. A failure is logged and loses nothing stored.
    /// </summary>
    Task CommittedAsync(Guid draftId, IReadOnlyList<object> captured, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>An outbox message to be handled at <paramref name="At"/> rather than right after the commit (at once if that is past).</summary>
public sealed record ScheduledMessage(object Message, DateTimeOffset At);

public static class DraftCommitObserverRegistration
{
    /// <summary>Adds <typeparamref name="T"/> (a singleton, also resolvable as itself) to every draft commit.</summary>
    public static IServiceCollection AddDraftCommitObserver<T>(this IServiceCollection services) where T : class, IDraftCommitObserver
    {
        services.AddSingleton<T>();
        return services.AddSingleton<IDraftCommitObserver>(sp => sp.GetRequiredService<T>());
    }
}

/// <summary>The registered observers, called by the writer at the three moments of a batch.</summary>
public sealed class DraftCommitObservers(IEnumerable<IDraftCommitObserver> observers, IServiceProvider services)
{
    private readonly IDraftCommitObserver[] _observers = observers.ToArray();

    public void Capture(Draft draftAfter, IEvent appended, long position, List<object> captured)
    {
        foreach (var observer in _observers)
            if (observer.Capture(draftAfter, appended, position) is { } item) captured.Add(item);
    }

    /// <summary>Enrolls the batch's transaction in Wolverine's outbox when an observer has messages for it.</summary>
    public async Task<IAsyncDisposable?> EnrollAsync(IDocumentSession session, WorkingState state)
    {
        if (state.Appended.Count == 0) return null;
        var messages = _observers.SelectMany(o => o.OutboxMessages(state.Draft!, state.Appended)).ToList();
        if (messages.Count == 0) return null;
        var scope = services.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<Wolverine.Marten.IMartenOutbox>();
        outbox.Enroll(session);
        foreach (var message in messages)
        {
            if (message is ScheduledMessage scheduled) await Wolverine.MessageBusExtensions.ScheduleAsync(outbox, scheduled.Message, scheduled.At);
            else await outbox.PublishAsync(message);
        }
        return scope;
    }

    public async Task CommittedAsync(WorkingState state, ILogger logger)
    {
        if (state.Captured.Count == 0) return;
        foreach (var observer in _observers)
        {
            try { await observer.CommittedAsync(state.DraftId, state.Captured, CancellationToken.None); }
            catch (Exception ex) { logger.LogWarning(ex, "After-commit work for draft {DraftId} failed", state.DraftId); }
        }
    }
}
