using Marten;
using Npgsql;

namespace CadapDrafting.Infrastructure;

/// <summary>
/// The row lock on a draft's stream, which orders every writer of that draft across nodes. Taken without loading
/// anything: the writer usually holds the draft's state already and only needs to know nobody wrote since.
/// </summary>
public static class DraftStreamLock
{
    /// <summary>Begins the session's transaction, locks the stream's row until it ends, and returns its version (0: no stream yet).</summary>
    public static async Task<long> AcquireAsync(IDocumentSession session, Guid draftId, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        await using var command = new NpgsqlCommand($"select version from {schema}.mt_streams where id = $1 for update", session.Connection)
        {
            Parameters = { new NpgsqlParameter { Value = draftId } },
        };
        return await command.ExecuteScalarAsync(ct) is long version ? version : 0;
    }
}
