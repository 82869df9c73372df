using System.Collections.Concurrent;
using CadapDrafting.Drafts;
using CadapDrafting.Evidence;
using CadapDrafting.History;
using CadapDrafting.Infrastructure;
using JasperFx.Events;
using Marten;
using Npgsql;
using Wolverine;

namespace CadapDrafting.Transparency;

/// <summary>Sign a head of the draft's log covering at least <paramref name="Position"/>.</summary>
public sealed record SignDraftHead(Guid DraftId, long Position);

public static class SignDraftHeadHandler
{
    // Up to the draft's last event, not only to the message's position: later commits found this message waiting
    // and asked for no other (HeadSigner.ShouldAsk).
    public static async Task Handle(SignDraftHead message, HeadSigner signer, CancellationToken ct) =>
        await signer.SignAsync(message.DraftId, ct: ct);
}

/// <summary>
/// Signs heads of drafts' logs. A new head extends the latest stored one, which is trusted only when its
/// signature is this server's and its stored peaks fold to its signed root, and only the events after it are
/// read and hashed: so events rewritten in the database below a signed head never get signed. This process
/// also remembers the last head it signed per draft and refuses to sign over a log that lost it.
/// </summary>
public sealed class HeadSigner(IDocumentStore store, EventRows rows, LogLeafTable leaves, LogKeys keys, TimestampClient timestamps,
    TimeProvider clock, ILogger<HeadSigner> logger)
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _gates = new();
    private readonly ConcurrentDictionary<Guid, (long Size, string Root)> _signed = new();
    /// <summary>Drafts with a signing asked for that has not started yet, and since when (<see cref="Environment.TickCount64"/>).</summary>
    private readonly ConcurrentDictionary<Guid, long> _asked = new();
    /// <summary>When this process last started signing each draft (<see cref="Environment.TickCount64"/>).</summary>
    private readonly ConcurrentDictionary<Guid, long> _started = new();
    private const long AskAgainAfterMilliseconds = 30_000;

    /// <summary>
    /// Whether a commit should ask for a signing: not while one asked for is still waiting, since it signs up to the
    /// draft's last event when it starts. So a busy draft is signed as often as signing keeps up, never with a queue of
    /// signings behind it. One asked for long ago and never started (its message lost) no longer holds later commits back.
    /// </summary>
    public bool ShouldAsk(Guid draftId)
    {
        var now = Environment.TickCount64;
        while (true)
        {
            if (_asked.TryAdd(draftId, now)) return true;
            if (!_asked.TryGetValue(draftId, out var since)) continue;
            if (now - since < AskAgainAfterMilliseconds) return false;
            if (_asked.TryUpdate(draftId, now, since)) return true;
        }
    }

    /// <summary>How long a signing asked for now should wait so that the draft's heads are at least <paramref name="between"/> apart.</summary>
    public TimeSpan WaitBeforeSigning(Guid draftId, TimeSpan between) =>
        _started.TryGetValue(draftId, out var last) && TimeSpan.FromMilliseconds(Environment.TickCount64 - last) is var since && since < between
            ? between - since
            : TimeSpan.Zero;

    /// <summary>Signs a head up to the draft's last committed event, unless one covering <paramref name="atLeast"/> exists; returns the latest
    /// head.</summary>
    public async Task<SignedTreeHead?> SignAsync(Guid draftId, long atLeast = long.MaxValue, CancellationToken ct = default)
    {
        if (_signed.TryGetValue(draftId, out var known) && known.Size >= atLeast) return null;
        var gate = _gates.GetOrAdd(draftId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            // Whatever commits from now on ask again; whatever committed before is read below.
            _asked.TryRemove(draftId, out _);
            _started[draftId] = Environment.TickCount64;
            await using var connection = leaves.Connect();
            await connection.OpenAsync(ct);
            // One signer per draft across server nodes.
            await Advisory(connection, "pg_advisory_lock", draftId, ct);
            try { return await SignLockedAsync(connection, draftId, ct); }
            finally { await Advisory(connection, "pg_advisory_unlock", draftId, CancellationToken.None); }
        }
        finally { gate.Release(); }
    }

    private async Task<SignedTreeHead?> SignLockedAsync(NpgsqlConnection connection, Guid draftId, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var last = await session.Query<SignedHeadRecord>().Where(h => h.DraftId == draftId).OrderByDescending(h => h.Size).FirstOrDefaultAsync(ct);
        var frontier = new TreeFrontier();
        SignedTreeHead? lastSigned = null;
        if (last is not null)
        {
            lastSigned = last.ToSigned();
            if (!keys.Holds(lastSigned))
                return Refuse(draftId, $"its latest stored head (size {last.Size}) does not carry a signature of a key this server trusts");
            frontier = TreeFrontier.Of(last.Size, last.Peaks.Select(Convert.FromHexString).ToList());
            if (!frontier.Root().AsSpan().SequenceEqual(lastSigned.Head.Root))
                return Refuse(draftId, $"the stored peaks of its head at size {last.Size} do not fold to the signed root");
        }
        if (_signed.TryGetValue(draftId, out var mine) && (last is null || mine.Size > last.Size || mine.Size == last.Size && mine.Root != last.Root))
            return Refuse(draftId, $"this server signed a head at size {mine.Size} that the database no longer holds");

        var first = frontier.Size + 1;
        var added = new List<byte[]>();
        var tiles = new List<Subtree>();
        await foreach (var e in rows.ReadAsync(connection, draftId, after: frontier.Size, ct: ct))
        {
            if (e.Position != frontier.Size + 1)
                return Refuse(draftId, $"position {frontier.Size + 1} is missing from its events");
            var leaf = LogLeaf.Hash(e);
            frontier.Append(leaf, tiles, LogLeafTable.TileHeight);
            added.Add(leaf);
        }
        if (added.Count == 0)
        {
            if (lastSigned is not null) _signed[draftId] = (lastSigned.Head.Size, lastSigned.Head.RootHex);
            return lastSigned;
        }

        var time = EvidenceTime.Truncate(clock.GetUtcNow());
        if (lastSigned is not null && time < lastSigned.Head.Time) time = lastSigned.Head.Time;
        var head = new TreeHead(draftId, frontier.Size, frontier.Root(), time);
        var signed = keys.Current.SignHead(head);
        if (await timestamps.StampAsync(head.SignedMessage(), ct) is { } token) signed = signed with { Timestamp = token };
        await leaves.AppendAsync(connection, draftId, first, added, tiles, ct);
        session.Store(SignedHeadRecord.Of(signed, frontier.Peaks));
        await session.SaveChangesAsync(ct);
        _signed[draftId] = (head.Size, head.RootHex);
        return signed;
    }

    /// <summary>
    /// Writes the draft's stored leaves and tiles again from its events, up to its latest signed head, under the signer's lock (the
    /// <c>rebuild</c> command). Returns the size rebuilt and whether the events still fold to that head's signed root (when they do not,
    /// the events were changed: proofs at that head stay refused and verify names the position).
    /// </summary>
    public async Task<(long Size, bool MatchesSignedRoot)> RebuildStoredLogAsync(Guid draftId, CancellationToken ct)
    {
        await using var connection = leaves.Connect();
        await connection.OpenAsync(ct);
        await Advisory(connection, "pg_advisory_lock", draftId, ct);
        try
        {
            await using var session = store.QuerySession();
            var last = await session.Query<SignedHeadRecord>().Where(h => h.DraftId == draftId).OrderByDescending(h => h.Size)
                .FirstOrDefaultAsync(ct);
            var size = last?.Size ?? 0;
            var frontier = new TreeFrontier();
            var hashes = new List<byte[]>();
            var tiles = new List<Subtree>();
            await foreach (var e in rows.ReadAsync(connection, draftId, upTo: size, ct: ct))
            {
                if (e.Position != frontier.Size + 1) break;
                byte[] leaf;
                // An event with no canonical form (changed in the database) ends what can be rebuilt; verify names it.
                try { leaf = LogLeaf.Hash(e); }
                catch (FormatException) { break; }
                frontier.Append(leaf, tiles, LogLeafTable.TileHeight);
                hashes.Add(leaf);
            }
            await leaves.ReplaceAsync(connection, draftId, hashes, tiles, ct);
            return (frontier.Size,
                last is not null && frontier.Size == size && frontier.Root().AsSpan().SequenceEqual(Convert.FromHexString(last.Root)));
        }
        finally { await Advisory(connection, "pg_advisory_unlock", draftId, CancellationToken.None); }
    }

    private SignedTreeHead? Refuse(Guid draftId, string why)
    {
        logger.LogCritical("Not signing the log of draft {DraftId}: {Reason}. The database was changed behind the server's back; check it with " +
            "verify",
            draftId, why);
        return null;
    }

    private static async Task Advisory(NpgsqlConnection connection, string function, Guid draftId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select {function}(hashtextextended($1, 0))", connection)
        {
            Parameters = { new() { Value = $"cadap-log:{draftId:D}" } },
        };
        await command.ExecuteScalarAsync(ct);
    }
}

/// <summary>
/// After each commit, asks for a head covering the batch (unless a signing asked for earlier is still waiting, which will
/// cover it): a message, so signing never runs inside the writer's transaction; scheduled a little later when the draft's
/// last head was started less than <see cref="LogSettings.MinSecondsBetweenHeads"/> ago.
/// </summary>
public sealed class HeadSigningTrigger(IServiceScopeFactory scopes, LogSettings settings, HeadSigner signer, ILogger<HeadSigningTrigger> logger)
    : IDraftCommitObserver
{
    private sealed record HeadDue(long Position);

    public object? Capture(Draft draftAfter, IEvent appended, long position) => settings.Signing ? new HeadDue(position) : null;

    public async Task CommittedAsync(Guid draftId, IReadOnlyList<object> captured, CancellationToken ct)
    {
        var upTo = captured.OfType<HeadDue>().Select(d => d.Position).DefaultIfEmpty().Max();
        if (upTo == 0 || !signer.ShouldAsk(draftId)) return;
        var wait = signer.WaitBeforeSigning(draftId, TimeSpan.FromSeconds(settings.MinSecondsBetweenHeads));
        // Held here rather than scheduled through the bus, whose in-process scheduling fired well before the delay. A
        // message lost with a stopping process is signed by the sweep (HeadSigningSweep).
        if (wait > TimeSpan.Zero) _ = AskLaterAsync(new SignDraftHead(draftId, upTo), wait);
        else await AskAsync(new SignDraftHead(draftId, upTo));
    }

    private async Task AskAsync(SignDraftHead message)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IMessageBus>().PublishAsync(message);
    }

    private async Task AskLaterAsync(SignDraftHead message, TimeSpan wait)
    {
        try
        {
            await Task.Delay(wait);
            await AskAsync(message);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Asking for a head of draft {DraftId} failed; the sweep signs it", message.DraftId);
        }
    }
}

/// <summary>
/// Every few seconds, asks for heads of drafts with events no head covers: a head missed because a process
/// stopped between commit and signing, and drafts written before the log existed (their first signed head
/// anchors everything before it).
/// </summary>
public sealed class HeadSigningSweep(IDocumentStore store, IServiceScopeFactory scopes, LogSettings settings, ILogger<HeadSigningSweep> logger)
    : BackgroundService
{
    /// <summary>A host disposed without being stopped first cancels the timer's wait from its own disposal: that is a stop too.</summary>
    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try { return await timer.WaitForNextTickAsync(stoppingToken); }
        catch (OperationCanceledException) { return false; }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(0.2, settings.SignEverySeconds)));
        while (await NextTickAsync(timer, stoppingToken))
        {
            // Read at every tick: signing switched off while the server runs stops the sweep as it stops the commits' signing.
            if (!settings.Signing) continue;
            try
            {
                var lagging = await LaggingAsync(stoppingToken);
                if (lagging.Count == 0) continue;
                await using var scope = scopes.CreateAsyncScope();
                var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
                foreach (var (draftId, version) in lagging) await bus.PublishAsync(new SignDraftHead(draftId, version));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Looking for drafts with unsigned events failed");
            }
        }
    }

    private async Task<List<(Guid, long)>> LaggingAsync(CancellationToken ct)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        var heads = store.Options.FindOrResolveDocumentType(typeof(SignedHeadRecord)).TableName.QualifiedName;
        await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select s.id, s.version from {schema}.mt_streams s left join (select (data->>'draftId')::uuid as draft_id, " +
                "max((data->>'size')::bigint) as size " +
            $"from {heads} group by 1) h on h.draft_id = s.id where s.version > coalesce(h.size, 0) " +
            $"and {Notifications.PersonInboxes.NotAnInbox("s")} limit 1000", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var lagging = new List<(Guid, long)>();
        while (await reader.ReadAsync(ct)) lagging.Add((reader.GetGuid(0), reader.GetInt64(1)));
        return lagging;
    }
}
