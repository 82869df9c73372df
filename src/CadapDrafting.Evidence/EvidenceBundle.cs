using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CadapDrafting.Evidence;

/// <summary>The manifest of an export bundle: what was exported, the chain head and (from format 2) the log's root.</summary>
public sealed record BundleManifest(
    [property: JsonPropertyName("formatVersion")] int FormatVersion,
    [property: JsonPropertyName("draftId")] Guid DraftId,
    [property: JsonPropertyName("count")] long Count,
    [property: JsonPropertyName("headHash")] string HeadHash,
    [property: JsonPropertyName("exportedAt")] DateTimeOffset ExportedAt,
    [property: JsonPropertyName("hashAlgorithm")] string HashAlgorithm = "SHA-256");

/// <summary>What a bundle carries besides the events: the signed heads of the log (with cosignatures and timestamps) and the public keys.</summary>
public sealed record BundleEvidence(IReadOnlyList<SignedTreeHead> Heads, IReadOnlyList<PublishedKey> Keys)
{
    public static readonly BundleEvidence None = new([], []);
}

/// <summary>
/// What the auditor brings from outside the bundle: heads held from earlier (a previous bundle, a sign-off, a
/// witness), a chain head (format 1), the public keys of the server and witnesses and the timestamp authorities the
/// auditor trusts, and optionally the stamp of an exported file to confirm against the log.
/// </summary>
public sealed record BundleTrust
{
    public string? ExpectedChainHead { get; init; }
    public IReadOnlyList<TreeHead> HeldHeads { get; init; } = [];
    /// <summary>
    /// Signed heads held from elsewhere (a witness's file, an earlier bundle): each is taken only once its server signature holds, and
    /// counts as a witness's only when a cosignature holds (docs/evidence.md §7); one that does not hold refuses the run.
    /// </summary>
    public IReadOnlyList<SignedTreeHead> HeldSignedHeads { get; init; } = [];
    public IReadOnlyList<byte[]> ServerKeys { get; init; } = [];
    public IReadOnlyList<byte[]> WitnessKeys { get; init; } = [];
    /// <summary>The RFC 3161 timestamp authorities the auditor trusts: their certificates, or their CAs'.</summary>
    public IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> TimestampAuthorities { get; init; } = [];
    /// <summary>An exported file's stamp, to be confirmed as a revision of the verified log.</summary>
    public ExportClaim? Export { get; init; }

    public static readonly BundleTrust Nothing = new();
}

/// <summary>
/// The offline evidence of a draft's history, a zip (docs/evidence.md is its specification):
/// events.jsonl (one event per line), hashes.txt (the per-event chain hashes), heads.jsonl (signed heads of the
/// Merkle log with cosignatures), keys.json (the public keys that made them) and manifest.json. Format 1
/// bundles (no log) still verify by their chain. Writing and verifying live together so the verifier reads
/// exactly what the server writes.
/// </summary>
public static class EvidenceBundle
{
    public const int FormatVersion = 2;
    public const string EventsEntry = "events.jsonl";
    public const string HashesEntry = "hashes.txt";
    public const string ManifestEntry = "manifest.json";
    public const string HeadsEntry = "heads.jsonl";
    public const string KeysEntry = "keys.json";
    public const string LogScheme = "rfc9162-sha256";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// Writes a bundle, streaming: events are written as they are read. The chain and the log's root are computed
    /// on the way and the manifest records both; the heads given (at most the events' count) go into heads.jsonl.
    /// </summary>
    public static async Task<ChainVerdict> WriteAsync(Stream output, Guid draftId, IAsyncEnumerable<ChainEvent> events,
        DateTimeOffset exportedAt, BundleEvidence evidence, CancellationToken ct = default)
    {
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        var chain = new ChainVerifier(draftId);
        var frontier = new TreeFrontier();
        var hashes = new StringBuilder();
        var entry = zip.CreateEntry(EventsEntry, CompressionLevel.Fastest);
        await using (var stream = entry.Open())
        await using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            await foreach (var e in events.WithCancellation(ct))
            {
                chain.Add(e);
                frontier.Append(LogLeaf.Hash(e));
                await writer.WriteAsync(EventLine(e));
                await writer.WriteAsync('\n');
                hashes.Append(e.Position).Append(' ').Append(HashOf(e.HeadersJson)).Append('\n');
            }
        }
        var verdict = chain.Finish();
        await WriteEntryAsync(zip, HashesEntry, hashes.ToString());
        var heads = new StringBuilder();
        foreach (var head in evidence.Heads.Where(h => h.Head.Size <= frontier.Size).OrderBy(h => h.Head.Size))
            heads.Append(head.ToJsonLine()).Append('\n');
        await WriteEntryAsync(zip, HeadsEntry, heads.ToString());
        await WriteEntryAsync(zip, KeysEntry, JsonSerializer.Serialize(
            new Dictionary<string, object> { ["keys"] = evidence.Keys.DistinctBy(k => k.KeyId).Select(k => k.ToJson()).ToList() }, Indented));
        var manifest = new Dictionary<string, object>
        {
            ["formatVersion"] = FormatVersion,
            ["draftId"] = draftId.ToString("D"),
            ["count"] = chain.Count,
            ["root"] = Convert.ToHexStringLower(frontier.Root()),
            ["headHash"] = chain.HeadHash,
            ["exportedAt"] = EvidenceTime.Of(exportedAt),
            ["hashAlgorithm"] = "SHA-256",
            ["canonicalForm"] = CanonicalForm.Version,
            ["log"] = LogScheme,
        };
        await WriteEntryAsync(zip, ManifestEntry, JsonSerializer.Serialize(manifest, Indented));
        return verdict with { Root = Convert.ToHexStringLower(frontier.Root()) };
    }

    /// <summary>Format 1's check with a chain head held from elsewhere.</summary>
    public static ChainVerdict Verify(Stream bundle, string? expectedHead = null) =>
        Verify(bundle, new BundleTrust { ExpectedChainHead = expectedHead });

    /// <summary>
    /// Verifies a bundle with nothing but its bytes and what the auditor holds: strict reading of every entry,
    /// every event re-hashed into the chain and the log, every signed head's root, signature, cosignatures and
    /// time checked, and every held head checked to be a prefix of this log. Names the first position that does
    /// not hold, and lists what was and was not proven. Never throws on bad input.
    /// </summary>
    public static ChainVerdict Verify(Stream bundle, BundleTrust trust)
    {
        try { return BundleVerification.Run(bundle, trust); }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or JsonException or IOException or DecoderFallbackException)
        {
            return ChainVerdict.Broken(null, $"the bundle cannot be read: {ex.Message}");
        }
    }

    public static string EventLine(ChainEvent e)
    {
        using var data = JsonDocument.Parse(e.DataJson);
        using var headers = JsonDocument.Parse(e.HeadersJson);
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["streamId"] = e.StreamId,
            ["position"] = e.Position,
            ["type"] = e.Type,
            ["data"] = data.RootElement,
            ["headers"] = headers.RootElement,
        });
    }

    /// <summary>Reads one event line strictly: exactly the five fields of the hashed form, each of its kind, none twice.</summary>
    public static bool TryParseLine(string line, out ChainEvent? e, out string? problem)
    {
        e = null;
        problem = null;
        try
        {
            using var doc = StrictObject.Parse(line, "the event line");
            var o = StrictObject.Of(doc.RootElement, "the event line", ["streamId", "position", "type", "data", "headers"]);
            if (o.Element("headers").ValueKind != JsonValueKind.Object) throw new FormatException("the event's headers are not an object");
            e = new ChainEvent(o.Id("streamId"), o.Integer("position"), o.String("type"), o.Element("data").GetRawText(),
                o.Element("headers").GetRawText());
            return true;
        }
        catch (FormatException ex)
        {
            problem = ex.Message;
            return false;
        }
    }

    internal static string HashOf(string headersJson)
    {
        using var doc = JsonDocument.Parse(headersJson);
        return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(HashChain.HashHeader, out var h) &&
               h.ValueKind == JsonValueKind.String
            ? h.GetString() ?? ""
            : "";
    }

    private static async Task WriteEntryAsync(ZipArchive zip, string name, string content)
    {
        await using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(content));
    }
}
