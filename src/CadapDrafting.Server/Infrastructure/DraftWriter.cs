using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using JasperFx.Events;
using Marten;
using Npgsql;

namespace CadapDrafting.Infrastructure;

public sealed record CommandEnvelope(Guid CommandId, Actor Actor, string? CorrelationId, object Command);

public sealed record CommandOutcome(int Status, JsonElement? Result, long Position, Problem? Problem, bool Replayed)
{
    public bool Succeeded => Problem is null;
}

/// <summary>
/// Sees every event as it is appended (with the draft's state just after it) and every commit once it is
/// durable. Live push and other after-commit work plug in here.
/// </summary>
public interface IDraftCommitObserver
{
    object? Capture(Draft draftAfter, IEvent appended, long position);
    Task CommittedAsync(Guid draftId, IReadOnlyList<object> captured, CancellationToken ct);
}

/// <summary>
/// The one path by which anything is written to a draft. Commands for one draft queue in this process
/// and are decided one after the other against the draft's current state, several to a transaction,
/// under the stream's row lock (which also orders writers on other nodes). So independent commands
/// never fail on each other, a real conflict is decided by the domain, positions are contiguous and
/// the hash chain is linear. Each applied command's outcome is stored with its events under its id.
/// </summary>
public sealed class DraftWriter(IDocumentStore store, IEnumerable<IDraftCommitObserver> observers, TimeProvider clock,
    IServiceProvider services, ILogger<DraftWriter> logger)
{
    public const int MaxBatch = 64;

    private readonly ConcurrentDictionary<Guid, DraftQueue> _queues = new();
    private readonly IDraftCommitObserver[] _observers = observers.ToArray();
    private static readonly JsonSerializerOptions ResultJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

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
        queue.Items.Enqueue(pending);
        if (Interlocked.CompareExchange(ref queue.Draining, 1, 0) == 0)
            _ = Task.Run(() => DrainAsync(queue), CancellationToken.None);
        return pending.Completion.Task.WaitAsync(ct);
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
                catch (Exception ex)
                {
                    logger.LogError(ex, "Writing a batch of {Count} commands to draft {DraftId} failed", batch.Count, queue.DraftId);
                    foreach (var p in batch)
                        p.Completion.TrySetResult(Failed(Problem.Unavailable(
                            "The change could not be stored just now. Send it again with the same command id.")));
                }
                continue;
            }

            Volatile.Write(ref queue.Draining, 0);
            // A command enqueued after the last TryDequeue but before Draining went to 0 found the flag set: take it now.
            if (queue.Items.IsEmpty || Interlocked.CompareExchange(ref queue.Draining, 1, 0) != 0) return;
        }
    }

    private async Task WriteBatchAsync(DraftQueue queue, List<Pending> batch)
    {
        var draftId = queue.DraftId;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var session = store.LightweightSession();
        var position = await DraftStreamLock.AcquireAsync(session, draftId, CancellationToken.None);
        // The state this process left after its last commit, when nobody else wrote since; else read back from storage.
        Draft? draft = null;
        var storeAllParts = false;
        if (queue.Working is { } working && working.Position == position) draft = working;
        else if (position > 0) (draft, storeAllParts) = await DraftStore.LoadForWritingAsync(session, draftId, position, CancellationToken.None);
        queue.Working = null;
        var fetched = System.Diagnostics.Stopwatch.GetTimestamp();
        var appended = new List<IEvent>();

        var ids = batch.Select(p => p.Envelope.CommandId).Distinct().ToArray();
        var remembered = (await session.LoadManyAsync<CommandRecord>(ids)).ToDictionary(r => r.Id);
        var outcomes = new CommandOutcome?[batch.Count];
        var captured = new List<object>();

        for (var i = 0; i < batch.Count; i++)
        {
            var envelope = batch[i].Envelope;
            // Access before replay, so a command id tells nobody else anything. Its own sender's retry needs only
            // read access: a comment stored just before its round closed is still reported as stored.
            var isRetry = remembered.TryGetValue(envelope.CommandId, out var record);
            if (envelope.Command is IDraftCommand guarded && draft is not null)
            {
                var action = isRetry && record!.Actor == envelope.Actor.UserId ? DraftAction.Read : guarded.Action;
                if (AccessPolicy.Check(envelope.Actor, action, draft) is { } denied)
                {
                    AccessLog.Denied(logger, envelope.Actor, action.ToString(), draftId, envelope.Command.GetType().Name, denied.Status);
                    outcomes[i] = Failed(denied, position);
                    continue;
                }
            }

            var fingerprint = Fingerprint(envelope.Command);
            if (isRetry)
            {
                outcomes[i] = Replay(record!, draftId, fingerprint, envelope.Actor);
                continue;
            }

            var context = new CommandContext(envelope.Actor, clock.GetUtcNow(), envelope.CommandId);
            Decision decision;
            string? reason;
            try
            {
                (decision, reason) = Decide(draftId, draft, envelope, context);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Deciding {Command} on draft {DraftId} failed", envelope.Command.GetType().Name, draftId);
                decision = Decision.Refuse(new Problem(422, "Command could not be decided", "The command could not be applied to this draft."));
                reason = null;
            }

            if (decision.Refusal is { } refusal)
            {
                if (refusal.Status == 403)
                    AccessLog.Denied(logger, envelope.Actor, envelope.Command.GetType().Name, draftId, envelope.Command.GetType().Name, 403);
                outcomes[i] = Failed(refusal, position);
                continue;
            }

            var first = position + 1;
            foreach (var change in decision.Events)
            {
                position++;
                var e = (draft is null ? session.Events.StartStream<Draft>(draftId, change) : session.Events.Append(draftId, change)).Events[^1];
                Stamp(e, draftId, position, envelope, reason, context.Now, draft?.LastHash ?? HashChain.Genesis);
                draft = EventMetadata.Evolve(draft, draftId, e);
                appended.Add(e);
                foreach (var observer in _observers)
                    if (observer.Capture(draft, e, position) is { } item) captured.Add(item);
            }

            record = new CommandRecord
            {
                Id = envelope.CommandId, DraftId = draftId, CommandType = envelope.Command.GetType().Name,
                Fingerprint = fingerprint, Actor = envelope.Actor.UserId, Status = envelope.Command is IDraftCreation ? 201 : 200,
                ResultJson = JsonSerializer.Serialize(decision.Result, ResultJson),
                FirstPosition = first, LastPosition = position, RecordedAt = context.Now,
            };
            session.Insert(record);
            remembered[record.Id] = record;
            outcomes[i] = new CommandOutcome(record.Status, Parse(record.ResultJson), position, null, Replayed: false);
        }

        var decided = System.Diagnostics.Stopwatch.GetTimestamp();
        if (appended.Count > 0 || storeAllParts)
        {
            try
            {
                if (storeAllParts) DraftProjection.StoreAll(session, draft!);
                else DraftProjection.Store(session, draft!, appended);
                await using var outbox = await PublishSideEffectsAsync(session, draft!, appended);
                await session.SaveChangesAsync();
                DraftWriterMetrics.Record(batch.Count, appended.Count, started, fetched, decided, System.Diagnostics.Stopwatch.GetTimestamp());
            }
            catch (Exception ex) when (IsTransient(ex))
            {
                logger.LogWarning(ex, "Storing {Count} events on draft {DraftId} failed", appended.Count, draftId);
                var unavailable = Problem.Unavailable("The change could not be stored just now. Send it again with the same command id.");
                for (var i = 0; i < batch.Count; i++)
                    if (outcomes[i] is { Problem: null, Replayed: false }) outcomes[i] = Failed(unavailable);
                Complete(batch, outcomes);
                return;
            }
        }

        queue.Working = draft;
        Complete(batch, outcomes);
        if (captured.Count > 0)
            foreach (var observer in _observers)
            {
                try { await observer.CommittedAsync(draftId, captured, CancellationToken.None); }
                catch (Exception ex) { logger.LogWarning(ex, "After-commit work for draft {DraftId} failed", draftId); }
            }
    }

    /// <summary>
    /// Messages that must follow the commit, whatever happens to this process: enrolled in the outbox of this
    /// transaction, so they are stored with the events and sent after commit.
    /// </summary>
    private async Task<IAsyncDisposable?> PublishSideEffectsAsync(IDocumentSession session, Draft draft, List<IEvent> appended)
    {
        var messages = Programme.GoodPracticeCitedHandler.From(draft.Id, draft.Country, appended).ToList();
        if (messages.Count == 0) return null;
        var scope = services.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<Wolverine.Marten.IMartenOutbox>();
        outbox.Enroll(session);
        foreach (var message in messages) await outbox.PublishAsync(message);
        return scope;
    }

    private static (Decision, string?) Decide(Guid draftId, Draft? draft, CommandEnvelope envelope, CommandContext context)
    {
        switch (envelope.Command)
        {
            case IDraftCreation creation when draft is null:
                return (creation.Decide(draftId, context), creation.Reason);
            case IDraftCreation:
                return (Problem.Conflict("A draft with this id exists already."), null);
            case IDraftCommand when draft is null:
                return (Problem.NotFound("The draft"), null);
            case IDraftCommand command:
                return (command.Decide(draft, context), command.Reason);
            default:
                throw new InvalidOperationException($"{envelope.Command.GetType().Name} is not a draft command");
        }
    }

    private void Stamp(IEvent e, Guid draftId, long position, CommandEnvelope envelope, string? reason, DateTimeOffset at,
        string previousHash)
    {
        var headers = new Dictionary<string, object?>
        {
            [EventMetadata.Actor] = envelope.Actor.UserId,
            [EventMetadata.ActorName] = envelope.Actor.DisplayName,
            [EventMetadata.At] = EventMetadata.FormatTime(at),
            [EventMetadata.CommandId] = envelope.CommandId.ToString("D"),
            [EventMetadata.CorrelationId] = envelope.CorrelationId ?? envelope.CommandId.ToString("D"),
        };
        if (!string.IsNullOrWhiteSpace(reason)) headers[EventMetadata.Reason] = reason;
        foreach (var (key, value) in headers) e.SetHeader(key, value!);
        e.UserName = envelope.Actor.UserId;
        e.CorrelationId = headers[EventMetadata.CorrelationId] as string;
        e.CausationId = envelope.CommandId.ToString("D");

        var data = CanonicalJson.From(store.Options.Serializer().ToJson(e.Data));
        var hash = HashChain.Compute(previousHash, draftId, position, e.EventTypeName, data, HashChain.CanonicalMetadata(headers));
        e.SetHeader(HashChain.HashHeader, hash);
    }

    private static CommandOutcome Replay(CommandRecord record, Guid draftId, string fingerprint, Actor actor)
    {
        if (record.DraftId != draftId || record.Fingerprint != fingerprint || record.Actor != actor.UserId)
            return Failed(Problem.Invalid("commandId",
                "This command id was already used for a different command. Use a new id for a new command."));
        return new CommandOutcome(record.Status, Parse(record.ResultJson), record.LastPosition, null, Replayed: true);
    }

    private static CommandOutcome Failed(Problem problem, long position = 0) => new(problem.Status, null, position, problem, false);

    private static void Complete(List<Pending> batch, CommandOutcome?[] outcomes)
    {
        for (var i = 0; i < batch.Count; i++) batch[i].Completion.TrySetResult(outcomes[i]!);
    }

    private static JsonElement? Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static string Fingerprint(object command) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            command.GetType().FullName + JsonSerializer.Serialize(command, command.GetType(), ResultJson))));

    private static bool IsTransient(Exception ex) =>
        ex is NpgsqlException or TimeoutException or Marten.Exceptions.MartenCommandException
            or JasperFx.ConcurrencyException or InvalidOperationException { InnerException: NpgsqlException };

    private sealed record Pending(CommandEnvelope Envelope, TaskCompletionSource<CommandOutcome> Completion);

    private sealed class DraftQueue(Guid draftId)
    {
        public Guid DraftId { get; } = draftId;
        public ConcurrentQueue<Pending> Items { get; } = new();
        public int Draining;
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

    internal static void Record(int commands, int events, long started, long fetched, long decided, long saved)
    {
        if (!Fetch.Enabled) return;
        Fetch.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started, fetched).TotalMilliseconds);
        Decide.Record(System.Diagnostics.Stopwatch.GetElapsedTime(fetched, decided).TotalMilliseconds);
        Save.Record(System.Diagnostics.Stopwatch.GetElapsedTime(decided, saved).TotalMilliseconds);
        Commands.Record(commands);
        Events.Record(events);
    }
}
