using System.Collections.Concurrent;
using System.Text.Json;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using CadapDrafting.Operations.Upgrades;
using Marten;

namespace CadapDrafting.Drafts.Writing;

public sealed record CommandEnvelope(Guid CommandId, Actor Actor, string? CorrelationId, object Command);

public sealed record CommandOutcome(int Status, JsonElement? Result, long Position, Problem? Problem, bool Replayed)
{
    public bool Succeeded => Problem is null;

    public static CommandOutcome Failed(Problem problem, long position = 0) => new(problem.Status, null, position, problem, false);
}

/// <summary>
/// The one path by which anything is written to a draft: the queue and the batch loop. Commands for one draft queue in
/// this process and are decided one after the other against the draft's current state, several to a transaction, under
/// the stream's row lock (which also orders writers on other nodes). So independent commands never fail on each other,
/// a real conflict is decided by the domain, positions are contiguous and the hash chain is linear.
/// <para>
/// A batch passes the named steps of this folder in order: <see cref="WorkingState"/> (lock and state),
/// <see cref="CommandAccess"/>, <see cref="Idempotency"/> (recall, replay, record), <see cref="Deciding"/> (decide and
/// evolve), <see cref="EventStamp"/> (who, when, why, the content stated and the hash chain), <see cref="DraftStore.Store"/> (the parts),
/// and <see cref="DraftCommitObservers"/> (the one extension point: what slices add before and after the commit).
/// </para>
/// </summary>
public sealed class DraftWriter : IDisposable
{
    public const int MaxBatch = 64;

    /// <summary>How long a draft's queue and working state are kept after its last command.</summary>
    public static readonly TimeSpan IdleAfter = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<Guid, DraftQueue> _queues = new();
    private readonly IDocumentStore _store;
    private readonly DraftCommitObservers _observers;
    private readonly EventStamp _stamp;
    private readonly TimeProvider _clock;
    private readonly ILogger<DraftWriter> _logger;
    private readonly ITimer _idleSweep;
    private readonly ClusterSchema _cluster;

    public DraftWriter(IDocumentStore store, DraftCommitObservers observers, TimeProvider clock, ILogger<DraftWriter> logger,
        ClusterSchema cluster)
    {
        _store = store;
        _cluster = cluster;
        _observers = observers;
        _stamp = new EventStamp(store);
        _clock = clock;
        _logger = logger;
        _idleSweep = clock.CreateTimer(_ => ReleaseIdle(IdleAfter), null, IdleAfter, IdleAfter);
    }

    /// <summary>Drafts whose queue and working state this process holds now.</summary>
    public int HeldDrafts => _queues.Count;

    // --- Node drain (Operations/NodeDrain): a stopping node waits until every command it took is answered. ---
    private int _unanswered;

    /// <summary>No command is queued or being written in this process.</summary>
    public bool IsIdle => Volatile.Read(ref _unanswered) == 0;
    // --- end node drain ---

    public Task<CommandOutcome> SendAsync(Guid draftId, CommandEnvelope envelope, CancellationToken ct = default)
    {
        var pending = new Pending(envelope, new TaskCompletionSource<CommandOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        Interlocked.Increment(ref _unanswered);
        pending.Completion.Task.ContinueWith(_ => Interlocked.Decrement(ref _unanswered), TaskContinuationOptions.ExecuteSynchronously);
        var queue = _queues.GetOrAdd(draftId, id => new DraftQueue(id));
        queue.LastUsed = _clock.GetTimestamp();
        queue.Items.Enqueue(pending);
        if (Interlocked.CompareExchange(ref queue.Draining, 1, 0) == 0)
            _ = Task.Run(() => DrainAsync(queue), CancellationToken.None);
        return pending.Completion.Task.WaitAsync(ct);
    }

    /// <summary>
    /// Forgets the queue and working state of every draft without a command for <paramref name="idleFor"/>. A sender that
    /// took the queue just before still has it drained (the loop never needs the dictionary), and the next command builds
    /// a new queue that locks and reads the draft from storage.
    /// </summary>
    public int ReleaseIdle(TimeSpan idleFor)
    {
        var released = 0;
        foreach (var (draftId, queue) in _queues)
        {
            if (Volatile.Read(ref queue.Draining) != 0 || !queue.Items.IsEmpty) continue;
            if (_clock.GetElapsedTime(queue.LastUsed) < idleFor) continue;
            if (_queues.TryRemove(new KeyValuePair<Guid, DraftQueue>(draftId, queue))) released++;
        }
        return released;
    }

    private async Task DrainAsync(DraftQueue queue)
    {
        while (true)
        {
            var batch = new List<Pending>();
            while (batch.Count < MaxBatch && queue.Items.TryDequeue(out var next)) batch.Add(next);
            if (batch.Count > 0)
            {
                try { await WriteBatchAsync(queue, batch); }
                catch (NewerSchemaException newer)
                {
                    // Written by a newer build during an upgrade: refused (503, the balancer tries another node), never misread.
                    _logger.LogWarning("Refused {Count} commands: {Message}", batch.Count, newer.Message);
                    queue.Working = null;
                    Complete(batch, batch.Select(_ => CommandOutcome.Failed(NewerSchemaRefusal.OlderNode(newer.DraftSchema))).ToArray());
                }
                catch (Exception ex)
                {
                    _logger.LogError(ex, "Writing a batch of {Count} commands to draft {DraftId} failed", batch.Count, queue.DraftId);
                    queue.Working = null;
                    Complete(batch, batch.Select(_ => CommandOutcome.Failed(NotStored)).ToArray());
                }
                continue;
            }

            Volatile.Write(ref queue.Draining, 0);
            // A command enqueued after the last TryDequeue but before Draining went to 0 found the flag set: take it now.
            if (queue.Items.IsEmpty || Interlocked.CompareExchange(ref queue.Draining, 1, 0) != 0) return;
        }
    }

    private static readonly Problem NotStored =
        Problem.Unavailable("The change could not be stored just now. Send it again with the same command id.");

    private async Task WriteBatchAsync(DraftQueue queue, List<Pending> batch)
    {
        var timing = new DraftWriterMetrics.Timing();
        await using var session = _store.LightweightSession();
        var state = await WorkingState.LockAndLoadAsync(session, queue.DraftId, queue.Working);
        queue.Working = null;
        timing.Fetched();

        var remembered = await Idempotency.RecallAsync(session, batch.Select(p => p.Envelope));
        var outcomes = new CommandOutcome[batch.Count];
        for (var i = 0; i < batch.Count; i++) outcomes[i] = Apply(session, state, remembered, batch[i].Envelope);
        timing.Decided();

        if (state.HasChanges)
        {
            try
            {
                state.StoreParts(session);
                await using var outbox = await _observers.EnrollAsync(session, state);
                await session.SaveChangesAsync();
                timing.Saved(batch.Count, state.Appended.Count);
            }
            catch (Exception ex) when (WorkingState.IsTransient(ex))
            {
                _logger.LogWarning(ex, "Storing {Count} events on draft {DraftId} failed", state.Appended.Count, state.DraftId);
                for (var i = 0; i < batch.Count; i++)
                    if (outcomes[i] is { Problem: null, Replayed: false }) outcomes[i] = CommandOutcome.Failed(NotStored);
                Complete(batch, outcomes);
                return;
            }
        }

        queue.Working = state.Draft;
        Complete(batch, outcomes);
        await _observers.CommittedAsync(state, _logger);
    }

    /// <summary>One command of the batch: access, then replay or decide, then its events and record join the transaction.</summary>
    private CommandOutcome Apply(IDocumentSession session, WorkingState state, RememberedCommands remembered, CommandEnvelope envelope)
    {
        var record = remembered.Find(envelope);
        if (CommandAccess.Check(envelope, record, state.Draft, _logger) is { } denied) return CommandOutcome.Failed(denied, state.Position);

        var fingerprint = Idempotency.Fingerprint(envelope.Command);
        if (record is not null) return Idempotency.Replay(record, state.DraftId, fingerprint);

        var context = new CommandContext(envelope.Actor, _clock.GetUtcNow(), Idempotency.RecordIdOf(envelope.CommandId, envelope.Actor.UserId));
        var (decision, reason) = Deciding.Decide(state, envelope, context, _logger);
        if (decision.Refusal is { } refusal)
        {
            if (refusal.Status == 403)
                AccessLog.Denied(_logger, envelope.Actor, envelope.Command.GetType().Name, state.DraftId, envelope.Command.GetType().Name, 403);
            return CommandOutcome.Failed(refusal, state.Position);
        }
        // During a rolling upgrade an event type is written only once every live node reads it (Operations/Upgrades).
        if (EventSchema.VersionOf(decision.Events) is var needed && !_cluster.Allows(needed))
            return CommandOutcome.Failed(NewerSchemaRefusal.NotYetEveryNode(needed, _cluster.Minimum), state.Position);

        var first = state.Position + 1;
        foreach (var change in decision.Events)
        {
            var appended = state.Append(session, change);
            _stamp.Stamp(appended, envelope, reason, context.Now);
            state.Evolve(appended, _stamp, _observers);
        }

        var stored = Idempotency.Record(session, remembered, envelope, state.DraftId, fingerprint, decision.Result, first, state.Position,
            context.Now);
        return new CommandOutcome(stored.Status, Idempotency.Parse(stored.ResultJson), state.Position, null, Replayed: false);
    }

    private static void Complete(List<Pending> batch, CommandOutcome[] outcomes)
    {
        for (var i = 0; i < batch.Count; i++) batch[i].Completion.TrySetResult(outcomes[i]);
    }

    public void Dispose() => _idleSweep.Dispose();

    private sealed record Pending(CommandEnvelope Envelope, TaskCompletionSource<CommandOutcome> Completion);

    private sealed class DraftQueue(Guid draftId)
    {
        public Guid DraftId { get; } = draftId;
        public ConcurrentQueue<Pending> Items { get; } = new();
        public int Draining;
        public long LastUsed;
        /// <summary>The state after this process's last commit; only the draining task touches it.</summary>
        public Draft? Working;
    }
}

/// <summary>
/// Where a committed batch's time goes: lock and load, deciding (with hashing and the working copy), and storing
/// (projection, serialisation, commit). Costs nothing while nobody listens; the proof benchmark listens.
/// </summary>
public static class DraftWriterMetrics
{
    public const string MeterName = "CadapDrafting.DraftWriter";
    private static readonly System.Diagnostics.Metrics.Meter Meter = new(MeterName);
    private static readonly System.Diagnostics.Metrics.Histogram<double> Fetch = Meter.CreateHistogram<double>("draft_writer.fetch", "ms");
    private static readonly System.Diagnostics.Metrics.Histogram<double> Decide = Meter.CreateHistogram<double>("draft_writer.decide", "ms");
    private static readonly System.Diagnostics.Metrics.Histogram<double> Save = Meter.CreateHistogram<double>("draft_writer.save", "ms");
    private static readonly System.Diagnostics.Metrics.Histogram<int> Commands = Meter.CreateHistogram<int>("draft_writer.batch_commands");
    private static readonly System.Diagnostics.Metrics.Histogram<int> Events = Meter.CreateHistogram<int>("draft_writer.batch_events");

    /// <summary>The moments of one batch: started, state fetched, commands decided, transaction saved.</summary>
    internal sealed class Timing
    {
        private readonly long _started = System.Diagnostics.Stopwatch.GetTimestamp();
        private long _fetched;
        private long _decided;

        public void Fetched() => _fetched = System.Diagnostics.Stopwatch.GetTimestamp();
        public void Decided() => _decided = System.Diagnostics.Stopwatch.GetTimestamp();

        public void Saved(int commands, int events)
        {
            if (!Fetch.Enabled) return;
            var saved = System.Diagnostics.Stopwatch.GetTimestamp();
            Fetch.Record(System.Diagnostics.Stopwatch.GetElapsedTime(_started, _fetched).TotalMilliseconds);
            Decide.Record(System.Diagnostics.Stopwatch.GetElapsedTime(_fetched, _decided).TotalMilliseconds);
            Save.Record(System.Diagnostics.Stopwatch.GetElapsedTime(_decided, saved).TotalMilliseconds);
            Commands.Record(commands);
            Events.Record(events);
        }
    }
}
