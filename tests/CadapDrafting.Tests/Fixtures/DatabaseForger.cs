using CadapDrafting.Evidence;
using Npgsql;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>
/// An insider with write access to PostgreSQL and the published algorithms, but not the server's signing key:
/// rewrites or cuts a draft's history and then recomputes everything that can be recomputed without the key
/// (chain hashes, the stream's version, the stored draft's position and head, the log's leaves), and removes the
/// signed heads that would no longer match, since they cannot be signed again.
/// </summary>
public static class DatabaseForger
{
    private const string Schema = "cadap";

    /// <summary>Changes one event's data and recomputes every later hash, the stored head and the leaves.</summary>
    public static async Task RewritesEvent(Guid draftId, long position, string find, string replace)
    {
        await using var connection = await OpenAsync();
        var events = await ReadAsync(connection, draftId);
        var previous = position == 1 ? HashChain.Genesis : HashOf(events[(int)position - 2]);
        for (var i = (int)position - 1; i < events.Count; i++)
        {
            var e = events[i];
            var data = e.Position == position ? e.DataJson.Replace(find, replace) : e.DataJson;
            Assert.True(e.Position != position || data != e.DataJson, $"'{find}' is not in the event at {position}");
            using var headers = JsonDocument.Parse(e.HeadersJson);
            var hash = HashChain.Compute(previous, draftId, e.Position, e.Type, CanonicalJson.From(data),
                HashChain.CanonicalMetadata(headers.RootElement));
            await Run(connection, $"update {Schema}.mt_events set data = $1::jsonb, headers = jsonb_set(headers, '{{hash}}', to_jsonb($2::text)) " +
                                  "where stream_id = $3 and version = $4", data, hash, draftId, e.Position);
            previous = hash;
        }
        await Run(connection, $"update {Schema}.mt_doc_draft set data = jsonb_set(data, '{{lastHash}}', to_jsonb($1::text)) where id = $2", previous,
            draftId);
        await RecomputeLeavesAndDropHeads(connection, draftId, position);
    }

    /// <summary>Deletes the events from <paramref name="firstDropped"/> on and winds back every record of how far the log reached.</summary>
    public static async Task DropsEventsFrom(Guid draftId, long firstDropped)
    {
        await using var connection = await OpenAsync();
        var events = await ReadAsync(connection, draftId);
        var kept = events[(int)firstDropped - 2];
        await Run(connection, $"delete from {Schema}.mt_events where stream_id = $1 and version >= $2", draftId, firstDropped);
        await Run(connection, $"update {Schema}.mt_streams set version = $1 where id = $2", firstDropped - 1, draftId);
        await Run(connection,
            $"update {Schema}.mt_doc_draft set data = jsonb_set(jsonb_set(data, '{{lastHash}}', to_jsonb($1::text)), '{{position}}', " +
            "to_jsonb($2::bigint)) where id = $3",
            HashOf(kept), firstDropped - 1, draftId);
        await RecomputeLeavesAndDropHeads(connection, draftId, firstDropped);
    }

    /// <summary>
    /// Makes a draft look as if it was written before content statements (docs/evidence.md §3.1): every event without its
    /// revision and content hash headers, the chain, stored head and leaves recomputed, the signed heads dropped (the next
    /// head is signed over it as the first head of an older draft is), and the stored draft with no content stated.
    /// </summary>
    public static async Task WritesAsBeforeContentStatements(Guid draftId)
    {
        await using var connection = await OpenAsync();
        var previous = HashChain.Genesis;
        foreach (var e in await ReadAsync(connection, draftId))
        {
            var headers = System.Text.Json.Nodes.JsonNode.Parse(e.HeadersJson)!.AsObject();
            foreach (var name in new[] { ContentStatements.RevisionHeader, ContentStatements.ContentHashHeader, HashChain.HashHeader })
                headers.Remove(name);
            using (var without = JsonDocument.Parse(headers.ToJsonString()))
                previous = HashChain.Compute(previous, draftId, e.Position, e.Type, CanonicalJson.From(e.DataJson),
                    HashChain.CanonicalMetadata(without.RootElement));
            headers[HashChain.HashHeader] = previous;
            await Run(connection, $"update {Schema}.mt_events set headers = $1::jsonb where stream_id = $2 and version = $3", headers.ToJsonString(),
                draftId, e.Position);
        }
        await Run(connection,
            $"update {Schema}.mt_doc_draft set data = jsonb_set(data - 'statedContentRevision', '{{lastHash}}', to_jsonb($1::text)) where id = $2",
            previous, draftId);
        await RecomputeLeavesAndDropHeads(connection, draftId, 1);
    }

    /// <summary>Replaces the RFC 3161 timestamp token stored with the signed head at <paramref name="size"/> by what <paramref name="alter"/>
    /// makes of it.</summary>
    public static async Task AltersTimestampToken(Guid draftId, long size, Func<byte[], byte[]> alter)
    {
        await using var connection = await OpenAsync();
        await using var read = new NpgsqlCommand(
            $"select data->>'timestamp' from {Schema}.mt_doc_signedheadrecord where data->>'draftId' = $1 and (data->>'size')::bigint = $2",
            connection)
        { Parameters = { new() { Value = draftId.ToString("D") }, new() { Value = size } } };
        var stored = await read.ExecuteScalarAsync() as string;
        Assert.True(stored is not null, $"the head at size {size} has no stored timestamp token");
        var altered = Convert.ToBase64String(alter(Convert.FromBase64String(stored)));
        await Run(connection, $"update {Schema}.mt_doc_signedheadrecord set data = jsonb_set(data, '{{timestamp}}', to_jsonb($1::text)) " +
                              "where data->>'draftId' = $2 and (data->>'size')::bigint = $3", altered, draftId.ToString("D"), size);
    }

    private static async Task RecomputeLeavesAndDropHeads(NpgsqlConnection connection, Guid draftId, long from)
    {
        await Run(connection, $"delete from {Schema}.cadap_log_leaves where draft_id = $1 and position >= $2", draftId, from);
        foreach (var e in (await ReadAsync(connection, draftId)).Where(e => e.Position >= from))
            await Run(connection, $"insert into {Schema}.cadap_log_leaves (draft_id, position, hash) values ($1, $2, $3)", draftId, e.Position,
                LogLeaf.Hash(e));
        await Run(connection, $"delete from {Schema}.mt_doc_signedheadrecord where data->>'draftId' = $1 and (data->>'size')::bigint >= $2",
            draftId.ToString("D"), from);
        // The log's tiles (hashes of complete subtrees of 256 leaves and more) covering the changed positions, recomputed the same way.
        await Run(connection, $"delete from {Schema}.cadap_log_tiles where draft_id = $1 and (index + 1) * (1::bigint << height) >= $2",
            draftId, from);
        var tree = new MerkleTree(LogLeaf.Hashes(await ReadAsync(connection, draftId)));
        foreach (var tile in tree.Subtrees(8).Where(t => t.LastPosition >= from))
            await Run(connection, $"insert into {Schema}.cadap_log_tiles (draft_id, height, index, hash) values ($1, $2, $3, $4)", draftId,
                tile.Height, tile.Index, tile.Hash);
    }

    /// <summary>Replaces the stored hash of one tile of the draft's log (a complete subtree of 2^height leaves) by what
    /// <paramref name="alter"/> makes of it.</summary>
    public static async Task AltersTile(Guid draftId, int height, long index, Func<byte[], byte[]> alter)
    {
        await using var connection = await OpenAsync();
        await using var read = new NpgsqlCommand($"select hash from {Schema}.cadap_log_tiles where draft_id = $1 and height = $2 and index = $3",
            connection)
        { Parameters = { new() { Value = draftId }, new() { Value = height }, new() { Value = index } } };
        var stored = await read.ExecuteScalarAsync() as byte[];
        Assert.True(stored is not null, $"the log of draft {draftId} has no stored tile of height {height} at index {index}");
        await Run(connection, $"update {Schema}.cadap_log_tiles set hash = $1 where draft_id = $2 and height = $3 and index = $4", alter(stored),
            draftId, height, index);
    }

    /// <summary>Deletes every stored tile of the draft's log, as for a draft signed before tiles were kept.</summary>
    public static async Task ForgetsTiles(Guid draftId)
    {
        await using var connection = await OpenAsync();
        await Run(connection, $"delete from {Schema}.cadap_log_tiles where draft_id = $1", draftId);
    }

    private static string HashOf(ChainEvent e)
    {
        using var headers = JsonDocument.Parse(e.HeadersJson);
        return headers.RootElement.GetProperty(HashChain.HashHeader).GetString()!;
    }

    private static async Task<List<ChainEvent>> ReadAsync(NpgsqlConnection connection, Guid draftId)
    {
        await using var command = new NpgsqlCommand(
            $"select stream_id, version, type, data::text, headers::text from {Schema}.mt_events where stream_id = $1 order by version", connection)
        {
            Parameters = { new() { Value = draftId } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<ChainEvent>();
        while (await reader.ReadAsync())
            events.Add(new ChainEvent(reader.GetGuid(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        return events;
    }

    private static async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(TestDatabase.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task Run(NpgsqlConnection connection, string sql, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        await command.ExecuteNonQueryAsync();
    }
}
