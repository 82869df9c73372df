using System.Runtime.CompilerServices;
using CadapDrafting.Evidence;
using Marten;
using Npgsql;
using NpgsqlTypes;

namespace CadapDrafting.Transparency;

/// <summary>A witness's cosignature as stored beside the head it cosigned.</summary>
public sealed class CosignatureRecord
{
    public string Witness { get; set; } = "";
    public string KeyId { get; set; } = "";
    public string Time { get; set; } = "";
    public string Signature { get; set; } = "";

    public Cosignature ToCosignature() =>
        new(Witness, KeyId, EvidenceTime.Parse(Time), Convert.FromBase64String(Signature));

    public static CosignatureRecord Of(Cosignature c) => new()
    {
        Witness = c.Witness, KeyId = c.KeyId, Time = EvidenceTime.Of(c.Time), Signature = Convert.ToBase64String(c.Signature),
    };
}

/// <summary>
/// One signed head of a draft's log, as stored: the head, the signature, its timestamp token, the cosignatures
/// it received, and the tree's peaks at its size (so the next head extends it without reading old events; the
/// peaks are trusted only after they fold to this signed root).
/// </summary>
public sealed class SignedHeadRecord
{
    public string Id { get; set; } = "";
    public Guid DraftId { get; set; }
    public long Size { get; set; }
    public string Root { get; set; } = "";
    public string Time { get; set; } = "";
    public string KeyId { get; set; } = "";
    public string Signature { get; set; } = "";
    public string? Timestamp { get; set; }
    public List<string> Peaks { get; set; } = [];
    public List<CosignatureRecord> Cosignatures { get; set; } = [];

    public static string IdOf(Guid draftId, long size) => $"{draftId:D}:{size:D19}";

    public TreeHead Head => new(DraftId, Size, Convert.FromHexString(Root),
        EvidenceTime.Parse(Time));

    public SignedTreeHead ToSigned() => new(Head, KeyId, Convert.FromBase64String(Signature),
        Timestamp is null ? null : Convert.FromBase64String(Timestamp), Cosignatures.Select(c => c.ToCosignature()).ToList());

    public static SignedHeadRecord Of(SignedTreeHead signed, IReadOnlyList<byte[]> peaks) => new()
    {
        Id = IdOf(signed.Head.DraftId, signed.Head.Size), DraftId = signed.Head.DraftId, Size = signed.Head.Size, Root = signed.Head.RootHex,
        Time = EvidenceTime.Of(signed.Head.Time), KeyId = signed.KeyId, Signature = Convert.ToBase64String(signed.Signature),
        Timestamp = signed.Timestamp is null ? null : Convert.ToBase64String(signed.Timestamp),
        Peaks = peaks.Select(Convert.ToHexStringLower).ToList(),
    };
}

/// <summary>
/// The leaf hashes of every draft's log, one row per event, and its tiles: the hash of every complete aligned subtree
/// of at least <see cref="TileLeaves"/> leaves (heights 8, 9, … up to the log's largest), written by the head signer in the
/// statement that writes the leaves they complete. So a proof reads at most two blocks of 256 leaves and one stored
/// hash per level instead of the whole log. Both are derived from the events only (the <c>rebuild</c> command writes
/// them again from the events); nothing here is trusted: a proof is checked against the signed root before it is served,
/// and the verify check compares every stored row with what the events give.
/// </summary>
public sealed class LogLeafTable(IDocumentStore store)
{
    public const string TableName = "cadap_log_leaves";
    public const string TilesTableName = "cadap_log_tiles";

    /// <summary>The height of the smallest stored subtree: 2^8 = 256 leaves.</summary>
    public const int TileHeight = 8;

    public const int TileLeaves = 1 << TileHeight;

    private string Qualified => $"{store.Options.DatabaseSchemaName}.{TableName}";
    private string Tiles => $"{store.Options.DatabaseSchemaName}.{TilesTableName}";

    public static Weasel.Postgresql.Tables.Table Definition(string schema)
    {
        var table = new Weasel.Postgresql.Tables.Table(new Weasel.Postgresql.PostgresqlObjectName(schema, TableName,
            Weasel.Postgresql.SchemaUtils.IdentifierUsage.General));
        table.AddColumn<Guid>("draft_id").AsPrimaryKey();
        table.AddColumn<long>("position").AsPrimaryKey();
        table.AddColumn("hash", "bytea").NotNull();
        return table;
    }

    public static Weasel.Postgresql.Tables.Table TilesDefinition(string schema)
    {
        var table = new Weasel.Postgresql.Tables.Table(new Weasel.Postgresql.PostgresqlObjectName(schema, TilesTableName,
            Weasel.Postgresql.SchemaUtils.IdentifierUsage.General));
        table.AddColumn<Guid>("draft_id").AsPrimaryKey();
        table.AddColumn<int>("height").AsPrimaryKey();
        table.AddColumn<long>("index").AsPrimaryKey();
        table.AddColumn("hash", "bytea").NotNull();
        return table;
    }

    public NpgsqlConnection Connect() => (NpgsqlConnection)store.Storage.Database.CreateConnection();

    /// <summary>
    /// Records the leaves from <paramref name="firstPosition"/> on and the tiles they complete (<see cref="TreeFrontier.Append"/> with
    /// <see cref="TileHeight"/> gives them), in one statement; a row recorded already is kept as it is.
    /// </summary>
    public async Task AppendAsync(NpgsqlConnection connection, Guid draftId, long firstPosition, IReadOnlyList<byte[]> hashes,
        IReadOnlyCollection<Subtree> tiles, CancellationToken ct)
    {
        if (hashes.Count == 0 && tiles.Count == 0) return;
        await using var command = new NpgsqlCommand(
            $"with leaves as (insert into {Qualified} (draft_id, position, hash) " +
            "select $1, $2 + i - 1, h from unnest($3::bytea[]) with ordinality as t(h, i) on conflict do nothing) " +
            $"insert into {Tiles} (draft_id, height, index, hash) select $1, t.height, t.index, t.hash " +
            "from unnest($4::int[], $5::bigint[], $6::bytea[]) as t(height, index, hash) on conflict do nothing", connection)
        {
            Parameters =
            {
                new() { Value = draftId }, new() { Value = firstPosition },
                new() { Value = hashes.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea },
                new() { Value = tiles.Select(t => t.Height).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer },
                new() { Value = tiles.Select(t => t.Index).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
                new() { Value = tiles.Select(t => t.Hash).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea },
            },
        };
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Replaces a draft's leaves and tiles by the given ones (the rebuild from its events), in one transaction.</summary>
    public async Task ReplaceAsync(NpgsqlConnection connection, Guid draftId, IReadOnlyList<byte[]> hashes, IReadOnlyCollection<Subtree> tiles,
        CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        foreach (var table in new[] { Qualified, Tiles })
        {
            await using var delete = new NpgsqlCommand($"delete from {table} where draft_id = $1", connection, transaction)
            {
                Parameters = { new() { Value = draftId } },
            };
            await delete.ExecuteNonQueryAsync(ct);
        }
        const int chunk = 50_000;
        for (var from = 0; from < Math.Max(hashes.Count, 1); from += chunk)
            await AppendAsync(connection, draftId, from + 1, hashes.Skip(from).Take(chunk).ToList(), from == 0 ? tiles : [], ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>The leaf hashes of positions 1..<paramref name="size"/>, in order; fewer when rows are missing.</summary>
    public async Task<List<byte[]>> ReadAsync(Guid draftId, long size, CancellationToken ct)
    {
        await using var connection = Connect();
        await connection.OpenAsync(ct);
        var hashes = new List<byte[]>((int)Math.Min(size, 1 << 20));
        await foreach (var (position, hash) in ReadRowsAsync(connection, draftId, size, ct))
        {
            if (position != hashes.Count + 1) break;
            hashes.Add(hash);
        }
        return hashes;
    }

    /// <summary>The stored leaf hashes of the given positions (a few hundred at most), by position: one index probe each.</summary>
    public async Task<Dictionary<long, byte[]>> ReadPositionsAsync(NpgsqlConnection connection, Guid draftId, IReadOnlyCollection<long> positions,
        CancellationToken ct)
    {
        var found = new Dictionary<long, byte[]>();
        if (positions.Count == 0) return found;
        await using var command = new NpgsqlCommand(
            $"select position, hash from {Qualified} where draft_id = $1 and position = any($2::bigint[])", connection)
        {
            Parameters = { new() { Value = draftId }, new() { Value = positions.ToArray() } },
        };
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) found[reader.GetInt64(0)] = (byte[])reader.GetValue(1);
        return found;
    }

    /// <summary>The stored tiles among <paramref name="wanted"/> (height, index).</summary>
    public async Task<Dictionary<(int Height, long Index), byte[]>> ReadTilesAsync(NpgsqlConnection connection, Guid draftId,
        IReadOnlyCollection<(int Height, long Index)> wanted, CancellationToken ct)
    {
        var found = new Dictionary<(int, long), byte[]>();
        if (wanted.Count == 0) return found;
        await using var command = new NpgsqlCommand(
            // Lateral, so each wanted tile is one probe of the primary key whatever the planner thinks of the draft's other tiles.
            $"select w.height, w.index, t.hash from unnest($2::int[], $3::bigint[]) as w(height, index) cross join lateral " +
            $"(select hash from {Tiles} where draft_id = $1 and height = w.height and index = w.index) t", connection)
        {
            Parameters =
            {
                new() { Value = draftId }, new() { Value = wanted.Select(w => w.Height).ToArray() },
                new() { Value = wanted.Select(w => w.Index).ToArray() },
            },
        };
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) found[(reader.GetInt32(0), reader.GetInt64(1))] = (byte[])reader.GetValue(2);
        return found;
    }

    /// <summary>Every stored tile of the draft, lowest first (for the verify check, in its snapshot).</summary>
    public async Task<List<Subtree>> AllTilesAsync(NpgsqlConnection connection, Guid draftId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select height, index, hash from {Tiles} where draft_id = $1 order by height, index", connection)
        {
            Parameters = { new() { Value = draftId } },
        };
        await using var reader = await command.ExecuteReaderAsync(ct);
        var tiles = new List<Subtree>();
        while (await reader.ReadAsync(ct)) tiles.Add(new Subtree(reader.GetInt32(0), reader.GetInt64(1), (byte[])reader.GetValue(2)));
        return tiles;
    }

    /// <summary>The stored leaf hashes of the draft in position order (for the verify check, in its snapshot).</summary>
    public IAsyncEnumerable<(long Position, byte[] Hash)> AllLeavesAsync(NpgsqlConnection connection, Guid draftId, CancellationToken ct) =>
        ReadRowsAsync(connection, draftId, long.MaxValue, ct);

    private async IAsyncEnumerable<(long, byte[])> ReadRowsAsync(NpgsqlConnection connection, Guid draftId, long size,
        [EnumeratorCancellation] CancellationToken ct)
    {
        await using var command =
            new NpgsqlCommand($"select position, hash from {Qualified} where draft_id = $1 and position <= $2 order by position", connection)
            {
                Parameters = { new() { Value = draftId }, new() { Value = size } },
            };
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) yield return (reader.GetInt64(0), (byte[])reader.GetValue(1));
    }
}
