using CadapDrafting.Infrastructure;
using Marten;
using Npgsql;

namespace CadapDrafting.Drafts;

public static partial class DraftStore
{
    /// <summary>
    /// How much one rebuild transaction takes on: short streams are replayed and written many to a transaction (a lock, a
    /// read and a write per draft were the cost), a long stream alone.
    /// </summary>
    private const int RebuildBatchDrafts = 200;
    private const long RebuildBatchEvents = 5_000;
    private const int RebuildTransactionsAtOnce = 2;

    /// <summary>
    /// Writes a draft's documents again from its events (after a change to what they hold, or to repair them).
    /// Returns the position replayed to, or null when the draft has no events.
    /// </summary>
    public static async Task<long?> RebuildAsync(IDocumentStore store, Guid draftId, CancellationToken ct)
    {
        var rebuilt = await RebuildBatchAsync(store, [draftId], ct);
        return rebuilt.TryGetValue(draftId, out var position) ? position : null;
    }

    /// <summary>Rebuilds every draft's documents, many drafts to a transaction, reporting each.</summary>
    public static async Task<int> RebuildAllAsync(IDocumentStore store, Action<int, int, Guid, long> progress, CancellationToken ct)
    {
        IReadOnlyList<Guid> drafts;
        await using (var session = store.QuerySession())
            drafts = await session.AdvancedSql.QueryAsync<Guid>(
                $"select s.id from {store.Options.Events.DatabaseSchemaName}.mt_streams s " +
                $"where {Notifications.PersonInboxes.NotAnInbox("s")} order by s.created", ct);
        await RebuildAsync(store, drafts, progress, ct);
        return drafts.Count;
    }

    /// <summary>
    /// Rebuilds the given drafts' documents, many to a transaction, reporting each (done, total, draft, position). Two
    /// transactions run at once on different drafts: while one replays and prepares its writes here, PostgreSQL stores the
    /// other's.
    /// </summary>
    public static async Task RebuildAsync(IDocumentStore store, IReadOnlyList<Guid> drafts, Action<int, int, Guid, long> progress,
        CancellationToken ct)
    {
        var lengths = await StreamLengthsAsync(store, drafts, ct);
        var batches = new List<List<Guid>>();
        var batch = new List<Guid>();
        long events = 0;
        foreach (var id in drafts)
        {
            var length = lengths.GetValueOrDefault(id);
            if (batch.Count > 0 && (batch.Count >= RebuildBatchDrafts || events + length > RebuildBatchEvents))
            {
                batches.Add(batch);
                batch = [];
                events = 0;
            }
            batch.Add(id);
            events += length;
        }
        if (batch.Count > 0) batches.Add(batch);

        var done = 0;
        var reporting = new object();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = RebuildTransactionsAtOnce, CancellationToken = ct },
            async (ids, token) =>
            {
                var rebuilt = await RebuildBatchAsync(store, ids, token);
                lock (reporting)
                    foreach (var id in ids) progress(++done, drafts.Count, id, rebuilt.GetValueOrDefault(id));
            });
    }

    /// <summary>
    /// One transaction: locks the drafts (so no commit slips in between the replay and the write), reads all their events
    /// in one query, replays each with the one evolve step and stores every draft whole.
    /// </summary>
    private static async Task<IReadOnlyDictionary<Guid, long>> RebuildBatchAsync(IDocumentStore store, IReadOnlyCollection<Guid> drafts,
        CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var versions = await DraftStreamLock.AcquireManyAsync(session, drafts, ct);
        var existing = versions.Where(v => v.Value > 0).Select(v => v.Key).ToArray();
        if (existing.Length == 0) return new Dictionary<Guid, long>();
        var replayed = new Dictionary<Guid, Draft>();
        await foreach (var e in StoredEvents.ReadAsync(session, existing, ct))
            replayed[e.StreamId] = EventMetadata.Evolve(replayed.GetValueOrDefault(e.StreamId), e.StreamId, e);
        StoreAll(session, replayed.Values);
        await session.SaveChangesAsync(ct);
        return replayed.ToDictionary(d => d.Key, d => d.Value.Position);
    }

    private static async Task<IReadOnlyDictionary<Guid, long>> StreamLengthsAsync(IDocumentStore store, IReadOnlyList<Guid> drafts,
        CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select id, version from {store.Options.Events.DatabaseSchemaName}.mt_streams where id = any($1)", connection)
        { Parameters = { new() { Value = drafts.ToArray() } } };
        await using var reader = await command.ExecuteReaderAsync(ct);
        var lengths = new Dictionary<Guid, long>();
        while (await reader.ReadAsync(ct)) lengths[reader.GetGuid(0)] = reader.GetInt64(1);
        return lengths;
    }
}
