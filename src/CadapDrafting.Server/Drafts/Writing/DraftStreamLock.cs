using Marten;
using Npgsql;

namespace CadapDrafting.Drafts.Writing;

/// <summary>
/// The lock that orders every writer of one draft across nodes, taken without loading anything: the writer usually
/// holds the draft's state already and only needs to know nobody wrote since.
/// </summary>
public static class DraftStreamLock
{
    /// <summary>
    /// Begins the session's transaction, locks the draft until it ends, and returns its stream's version (0: no stream
    /// yet). A transaction-scoped advisory lock on the draft's id covers a draft not created yet, which has no row to
    /// lock; the stream's row is locked as well, against any append that does not come through here.
    /// </summary>
    public static async Task<long> AcquireAsync(IDocumentSession session, Guid draftId, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        await using var batch = new NpgsqlBatch(session.Connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("select pg_advisory_xact_lock(hashtextextended($1::text, 0))") { Parameters = { new() { Value = draftId } } },
                new NpgsqlBatchCommand($"select version from {schema}.mt_streams where id = $1 for update")
                    { Parameters = { new() { Value = draftId } } },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.NextResultAsync(ct);
        return await reader.ReadAsync(ct) ? reader.GetInt64(0) : 0;
    }

    /// <summary>
    /// Locks several drafts for the session's transaction in one round trip, in id order (so two such batches never wait
    /// on each other crosswise), and returns each existing stream's version.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, long>> AcquireManyAsync(IDocumentSession session, IReadOnlyCollection<Guid> draftIds,
        CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        var ids = draftIds.Order().ToArray();
        await using var batch = new NpgsqlBatch(session.Connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("select count(pg_advisory_xact_lock(hashtextextended(id::text, 0))) from " +
                    "(select id from unnest($1::uuid[]) as t(id) order by id) as ordered") { Parameters = { new() { Value = ids } } },
                new NpgsqlBatchCommand($"select id, version from {schema}.mt_streams where id = any($1) order by id for update")
                    { Parameters = { new() { Value = ids } } },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.NextResultAsync(ct);
        var versions = new Dictionary<Guid, long>();
        while (await reader.ReadAsync(ct)) versions[reader.GetGuid(0)] = reader.GetInt64(1);
        return versions;
    }
}
