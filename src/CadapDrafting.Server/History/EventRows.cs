using System.Runtime.CompilerServices;
using Marten;
using Npgsql;

namespace CadapDrafting.History;

/// <summary>
/// A draft's events exactly as stored (data and headers as raw JSON), read straight from the event table:
/// the chain is checked, exported and filtered over what is in the database, not over what Marten makes of it.
/// </summary>
public sealed class EventRows(IDocumentStore store)
{
    private string Schema => store.Options.Events.DatabaseSchemaName;

    public NpgsqlConnection Connect() => (NpgsqlConnection)store.Storage.Database.CreateConnection();

    /// <summary>The events in position order, from <paramref name="after"/> (exclusive) to <paramref name="upTo"/> (inclusive).</summary>
    public async IAsyncEnumerable<ChainEvent> ReadAsync(Guid draftId, long after = 0, long upTo = long.MaxValue,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var connection = Connect();
        await connection.OpenAsync(ct);
        await foreach (var e in ReadAsync(connection, draftId, after, upTo, ct)) yield return e;
    }

    public async IAsyncEnumerable<ChainEvent> ReadAsync(NpgsqlConnection connection, Guid draftId, long after = 0, long upTo = long.MaxValue,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var command = new NpgsqlCommand(
            $"select stream_id, version, type, data::text, coalesce(headers::text, '{{}}') from {Schema}.mt_events " +
            "where stream_id = $1 and version > $2 and version <= $3 order by version, seq_id", connection)
        {
            Parameters = { new() { Value = draftId }, new() { Value = after }, new() { Value = upTo } },
        };
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            yield return new ChainEvent(reader.GetGuid(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4));
    }

    /// <summary>
    /// One page of events matching the filters the database can apply itself (type, actor, period), with a limit, so a
    /// page near the start of a long stream does not read the rest of it.
    /// </summary>
    public async IAsyncEnumerable<ChainEvent> PageAsync(Guid draftId, long after, string? type, string? actor, DateTimeOffset? from,
        DateTimeOffset? to, int limit, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var connection = Connect();
        await connection.OpenAsync(ct);
        // The "at" header has one fixed-width UTC form, so comparing the text compares the times.
        await using var command = new NpgsqlCommand(
            $"select stream_id, version, type, data::text, coalesce(headers::text, '{{}}') from {Schema}.mt_events " +
            "where stream_id = $1 and version > $2 and ($3::text is null or lower(type) = lower($3)) " +
            "and ($4::text is null or lower(headers->>'actor') = lower($4)) " +
            "and ($5::text is null or headers->>'at' >= $5) and ($6::text is null or headers->>'at' < $6) " +
            "order by version limit $7", connection)
        {
            Parameters =
            {
                new() { Value = draftId }, new() { Value = after },
                new() { Value = (object?)type ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                new() { Value = (object?)actor ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                new() { Value = from is { } f ? Infrastructure.EventMetadata.FormatTime(f) : DBNull.Value,
                    NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                new() { Value = to is { } t ? Infrastructure.EventMetadata.FormatTime(t) : DBNull.Value,
                    NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                new() { Value = limit },
            },
        };
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            yield return new ChainEvent(reader.GetGuid(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4));
    }

    /// <summary>The version the stream's own record says it has reached; null when the stream does not exist.</summary>
    public async Task<long?> RecordedVersionAsync(NpgsqlConnection connection, Guid draftId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select version from {Schema}.mt_streams where id = $1", connection)
        {
            Parameters = { new() { Value = draftId } },
        };
        return await command.ExecuteScalarAsync(ct) is long version ? version : null;
    }

    /// <summary>Where the stored draft document says its chain reached: its position and the hash of its last event.</summary>
    public async Task<(long Position, string Head)> StoredDraftHeadAsync(NpgsqlConnection connection, Guid draftId, CancellationToken ct)
    {
        var table = store.Options.FindOrResolveDocumentType(typeof(Drafts.Draft)).TableName.QualifiedName;
        await using var command = new NpgsqlCommand($"select (data->>'position')::bigint, data->>'lastHash' from {table} where id = $1", connection)
        {
            Parameters = { new() { Value = draftId } },
        };
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.IsDBNull(1) ? "" : reader.GetString(1)) : (0, "");
    }

    /// <summary>The position of the last event recorded at or before a moment (0 when none).</summary>
    public async Task<long> PositionAtAsync(Guid draftId, DateTimeOffset moment, CancellationToken ct)
    {
        await using var connection = Connect();
        await connection.OpenAsync(ct);
        // The "at" header is written in one fixed-width UTC form, so comparing the text compares the times.
        await using var command = new NpgsqlCommand(
            $"select coalesce(max(version), 0) from {Schema}.mt_events where stream_id = $1 and headers->>'at' <= $2", connection)
        {
            Parameters = { new() { Value = draftId }, new() { Value = Infrastructure.EventMetadata.FormatTime(moment) } },
        };
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
