using CadapDrafting.Drafts;
using CadapDrafting.Evidence;
using CadapDrafting.Infrastructure;
using Marten;
using Npgsql;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>
/// An insider with write access to PostgreSQL, the published algorithms and the server's own code, but not the server's
/// signing key: rewrites or cuts a draft's history and then recomputes everything that can be recomputed without the key:
/// the events' content statements (the <c>revision</c> and <c>contentHash</c> headers, by replaying the draft with the
/// server's own evolve step and content hash), the chain hashes, the stream's version, the log's leaves and tiles, and
/// every read model (the draft's document, parts and search rows, by the server's own <c>rebuild</c> command, run as an
/// operator runs it); and removes the signed heads that would no longer match, since they cannot be signed again.
/// </summary>
public static class DatabaseForger
{
    private const string Schema = "cadap";

    /// <summary>Changes one event's data and recomputes every later content statement and hash, the leaves and the read models.</summary>
    public static async Task RewritesEvent(IDocumentStore store, Guid draftId, long position, string find, string replace)
    {
        await using var connection = await OpenAsync();
        var events = await ReadAsync(connection, draftId);
        var e = events[(int)position - 1];
        var data = e.DataJson.Replace(find, replace);
        Assert.True(data != e.DataJson, $"'{find}' is not in the event at {position}");
        await Run(connection, $"update {Schema}.mt_events set data = $1::jsonb where stream_id = $2 and version = $3", data, draftId, position);
        await RestatesContentAndChains(store, connection, draftId, position);
        await RecomputeLeavesAndDropHeads(connection, draftId, position);
        await RebuildsReadModels(draftId);
    }

    /// <summary>Deletes the events from <paramref name="firstDropped"/> on and winds back every record of how far the log reached.</summary>
    public static async Task DropsEventsFrom(Guid draftId, long firstDropped)
    {
        await using var connection = await OpenAsync();
        await Run(connection, $"delete from {Schema}.mt_events where stream_id = $1 and version >= $2", draftId, firstDropped);
        await Run(connection, $"update {Schema}.mt_streams set version = $1 where id = $2", firstDropped - 1, draftId);
        await RecomputeLeavesAndDropHeads(connection, draftId, firstDropped);
        await RebuildsReadModels(draftId);
    }

    /// <summary>
    /// Replays the draft from its first event with the server's own evolve step and states, from <paramref name="from"/> on, what the
    /// writer's seal would have stated (docs/evidence.md §3.1): the revision after each event, and the content hash — the server's own
    /// <see cref="ContentHash"/> of the replayed state — on each event that reaches a revision the log has not stated yet; then chains
    /// every event from there again. A forger needs no key for any of it: the content hash is a hash of the state, and the state is the
    /// events'.
    /// </summary>
    private static async Task RestatesContentAndChains(IDocumentStore store, NpgsqlConnection connection, Guid draftId, long from)
    {
        var rows = await ReadAsync(connection, draftId);
        // The state after each event, as its revision and (from the changed event on) its content hash.
        var replayed = new List<(int Revision, string? Content)>();
        await using (var session = store.LightweightSession())
        {
            Draft? draft = null;
            await foreach (var e in StoredEvents.ReadAsync(session, [draftId], CancellationToken.None))
            {
                draft = EventMetadata.Evolve(draft, draftId, e);
                replayed.Add((draft.Revision, draft.Position >= from ? ContentHash.Of(draft) : null));
            }
        }
        Assert.Equal(rows.Count, replayed.Count);
        int? stated = null;
        var previous = HashChain.Genesis;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var headers = System.Text.Json.Nodes.JsonNode.Parse(row.HeadersJson)!.AsObject();
            if (row.Position < from)
            {
                using var kept = JsonDocument.Parse(row.HeadersJson);
                if (ContentStatements.Of(kept.RootElement) is { Revision: { } keptRevision, ContentHash: not null }) stated = (int)keptRevision;
                previous = HashOf(row);
                continue;
            }
            if (headers.ContainsKey(ContentStatements.RevisionHeader))
            {
                var (revision, content) = replayed[i];
                headers[ContentStatements.RevisionHeader] = revision;
                headers.Remove(ContentStatements.ContentHashHeader);
                if (stated != revision)
                {
                    headers[ContentStatements.ContentHashHeader] = content;
                    stated = revision;
                }
            }
            previous = await RechainsAsync(connection, row, headers, previous);
        }
    }

    /// <summary>Stores <paramref name="headers"/> as the event's, with the chain hash the published algorithm gives after
    /// <paramref name="previous"/>.</summary>
    private static async Task<string> RechainsAsync(NpgsqlConnection connection, ChainEvent e, System.Text.Json.Nodes.JsonObject headers,
        string previous)
    {
        headers.Remove(HashChain.HashHeader);
        using (var without = JsonDocument.Parse(headers.ToJsonString()))
            previous = HashChain.Compute(previous, e.StreamId, e.Position, e.Type, CanonicalJson.From(e.DataJson),
                HashChain.CanonicalMetadata(without.RootElement));
        headers[HashChain.HashHeader] = previous;
        await Run(connection, $"update {Schema}.mt_events set headers = $1::jsonb where stream_id = $2 and version = $3", headers.ToJsonString(),
            e.StreamId, e.Position);
        return previous;
    }

    /// <summary>The draft's document, parts and search rows written again from its (forged) events by the server's own rebuild command.</summary>
    private static async Task RebuildsReadModels(Guid draftId)
    {
        var (exit, output) = await ServerCommand.RunAsync("rebuild", "--draft", draftId.ToString());
        Assert.True(exit == 0 && output.Contains($"{draftId}: rebuilt at position"), output);
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
            headers.Remove(ContentStatements.RevisionHeader);
            headers.Remove(ContentStatements.ContentHashHeader);
            previous = await RechainsAsync(connection, e, headers, previous);
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

    /// <summary>Adds <paramref name="cosignature"/> to those stored with the signed head at <paramref name="size"/>.</summary>
    public static async Task AddsCosignature(Guid draftId, long size, Cosignature cosignature)
    {
        await using var connection = await OpenAsync();
        var record = System.Text.Json.JsonSerializer.Serialize(new {
            witness = cosignature.Witness, keyId = cosignature.KeyId, time = EvidenceTime.Of(cosignature.Time),
            signature = Convert.ToBase64String(cosignature.Signature),
        });
        await Run(connection, $"update {Schema}.mt_doc_signedheadrecord set data = jsonb_set(data, '{{cosignatures}}', " +
                              "coalesce(data->'cosignatures', '[]'::jsonb) || jsonb_build_array($1::jsonb)) " +
                              "where data->>'draftId' = $2 and (data->>'size')::bigint = $3", record, draftId.ToString("D"), size);
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
