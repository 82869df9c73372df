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
/// The leaf hashes of every draft's log, one row per event, kept so proofs need not re-read and re-hash the
/// events. Nothing here is trusted: a proof built from a changed row fails against the signed root.
/// </summary>
public sealed class LogLeafTable(IDocumentStore store)
{
    public const string TableName = "cadap_log_leaves";

    private string Qualified => $"{store.Options.DatabaseSchemaName}.{TableName}";

    public static Weasel.Postgresql.Tables.Table Definition(string schema)
    {
        var table = new Weasel.Postgresql.Tables.Table(new Weasel.Postgresql.PostgresqlObjectName(schema, TableName,
            Weasel.Postgresql.SchemaUtils.IdentifierUsage.General));
        table.AddColumn<Guid>("draft_id").AsPrimaryKey();
        table.AddColumn<long>("position").AsPrimaryKey();
        table.AddColumn("hash", "bytea").NotNull();
        return table;
    }

    public NpgsqlConnection Connect() => (NpgsqlConnection)store.Storage.Database.CreateConnection();

    /// <summary>Records the leaves from <paramref name="firstPosition"/> on; a leaf recorded already is kept as it is.</summary>
    public async Task AppendAsync(NpgsqlConnection connection, Guid draftId, long firstPosition, IReadOnlyList<byte[]> hashes, CancellationToken ct)
    {
        if (hashes.Count == 0) return;
        await using var command = new NpgsqlCommand(
            $"insert into {Qualified} (draft_id, position, hash) select $1, $2 + i - 1, h from unnest($3::bytea[]) with ordinality as t(h, i) " +
            "on conflict do nothing", connection)
        {
            Parameters =
            {
                new() { Value = draftId }, new() { Value = firstPosition },
                new() { Value = hashes.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea },
            },
        };
        await command.ExecuteNonQueryAsync(ct);
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
