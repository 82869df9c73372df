using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CadapDrafting.Evidence;

/// <summary>The manifest of an export bundle: what was exported and the head the chain must reach.</summary>
public sealed record BundleManifest(
    [property: JsonPropertyName("formatVersion")] int FormatVersion,
    [property: JsonPropertyName("draftId")] Guid DraftId,
    [property: JsonPropertyName("count")] long Count,
    [property: JsonPropertyName("headHash")] string HeadHash,
    [property: JsonPropertyName("exportedAt")] DateTimeOffset ExportedAt,
    [property: JsonPropertyName("hashAlgorithm")] string HashAlgorithm = "SHA-256");

/// <summary>
/// The offline evidence of a draft's history: a zip with events.jsonl (one event per line: stream id,
/// position, type, data, headers including the hash), hashes.txt (position and hash per line) and
/// manifest.json. Writing and verifying live together so the verifier reads exactly what the server writes.
/// </summary>
public static class EvidenceBundle
{
    public const int FormatVersion = 1;
    public const string EventsEntry = "events.jsonl";
    public const string HashesEntry = "hashes.txt";
    public const string ManifestEntry = "manifest.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes a bundle, streaming: events are written as they are read. The chain is checked on the way and the manifest records its head.</summary>
    public static async Task<ChainVerdict> WriteAsync(Stream output, Guid draftId, IAsyncEnumerable<ChainEvent> events,
        DateTimeOffset exportedAt, CancellationToken ct = default)
    {
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        var chain = new ChainVerifier(draftId);
        var hashes = new StringBuilder();
        var entry = zip.CreateEntry(EventsEntry, CompressionLevel.Fastest);
        await using (var stream = entry.Open())
        await using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            await foreach (var e in events.WithCancellation(ct))
            {
                chain.Add(e);
                await writer.WriteAsync(EventLine(e));
                await writer.WriteAsync('\n');
                hashes.Append(e.Position).Append(' ').Append(HashOf(e.HeadersJson)).Append('\n');
            }
        }
        var verdict = chain.Finish();
        await WriteEntryAsync(zip, HashesEntry, hashes.ToString());
        var manifest = new BundleManifest(FormatVersion, draftId, verdict.Intact ? verdict.Count : chain.Count,
            verdict.Intact ? verdict.HeadHash : chain.HeadHash, exportedAt);
        await WriteEntryAsync(zip, ManifestEntry, JsonSerializer.Serialize(manifest, Indented));
        return verdict;
    }

    /// <summary>
    /// Verifies a bundle with nothing but its bytes: every line re-hashed in order, the listed hashes and the
    /// manifest's count and head compared with the chain. <paramref name="expectedHead"/> is a head hash the
    /// auditor holds from elsewhere (a sign-off, an earlier check): with it, a bundle whose chain was recomputed
    /// after forging does not verify either.
    /// </summary>
    public static ChainVerdict Verify(Stream bundle, string? expectedHead = null)
    {
        ZipArchive zip;
        try { zip = new ZipArchive(bundle, ZipArchiveMode.Read, leaveOpen: true); }
        catch (InvalidDataException ex) { return ChainVerdict.Broken(null, $"not a bundle: {ex.Message}"); }
        using (zip)
        {
            var manifestEntry = zip.GetEntry(ManifestEntry);
            var eventsEntry = zip.GetEntry(EventsEntry);
            if (manifestEntry is null || eventsEntry is null)
                return ChainVerdict.Broken(null, $"the bundle lacks {(manifestEntry is null ? ManifestEntry : EventsEntry)}");

            BundleManifest? manifest;
            try
            {
                using var manifestStream = manifestEntry.Open();
                manifest = JsonSerializer.Deserialize<BundleManifest>(manifestStream);
            }
            catch (JsonException ex) { return ChainVerdict.Broken(null, $"the manifest is not readable: {ex.Message}"); }
            if (manifest is null || manifest.FormatVersion != FormatVersion)
                return ChainVerdict.Broken(null, $"unknown bundle format {manifest?.FormatVersion}");

            var chain = new ChainVerifier(manifest.DraftId);
            var listed = new Dictionary<long, string>();
            using var eventsReader = new StreamReader(eventsEntry.Open(), Encoding.UTF8);
            var lineNumber = 0;
            while (eventsReader.ReadLine() is { } line)
            {
                lineNumber++;
                if (line.Length == 0) continue;
                if (!TryParseLine(line, out var e, out var problem))
                    return ChainVerdict.Broken(chain.Count + 1, $"line {lineNumber}: {problem}", chain.Count);
                if (!chain.Add(e!)) break;
                listed[e!.Position] = HashOf(e.HeadersJson);
            }

            var verdict = chain.Finish(manifest.Count, manifest.HeadHash);
            if (!verdict.Intact) return verdict;
            if (zip.GetEntry(HashesEntry) is { } hashesEntry)
            {
                using var hashesReader = new StreamReader(hashesEntry.Open(), Encoding.UTF8);
                var seen = 0L;
                while (hashesReader.ReadLine() is { } line)
                {
                    if (line.Length == 0) continue;
                    seen++;
                    var parts = line.Split(' ');
                    if (parts.Length != 2 || !long.TryParse(parts[0], out var position) ||
                        !listed.TryGetValue(position, out var hash) || hash != parts[1])
                        return ChainVerdict.Broken(parts.Length > 0 && long.TryParse(parts[0], out var p) ? p : null,
                            $"{HashesEntry} line {seen} does not match the events", verdict.Count);
                }
                if (seen != verdict.Count) return ChainVerdict.Broken(null, $"{HashesEntry} lists {seen} hashes for {verdict.Count} events", verdict.Count);
            }
            if (expectedHead is not null && !string.Equals(expectedHead, verdict.HeadHash, StringComparison.OrdinalIgnoreCase))
                return ChainVerdict.Broken(verdict.Count, $"the chain's head {verdict.HeadHash} is not the expected head {expectedHead}", verdict.Count);
            return verdict;
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

    public static bool TryParseLine(string line, out ChainEvent? e, out string? problem)
    {
        e = null;
        problem = null;
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("streamId", out var streamId) || !streamId.TryGetGuid(out var id) ||
                !root.TryGetProperty("position", out var position) || !position.TryGetInt64(out var pos) ||
                !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String ||
                !root.TryGetProperty("data", out var data) || !root.TryGetProperty("headers", out var headers))
            {
                problem = "an event line needs streamId, position, type, data and headers";
                return false;
            }
            e = new ChainEvent(id, pos, type.GetString()!, data.GetRawText(), headers.GetRawText());
            return true;
        }
        catch (JsonException ex)
        {
            problem = $"not JSON ({ex.Message})";
            return false;
        }
    }

    private static string HashOf(string headersJson)
    {
        using var doc = JsonDocument.Parse(headersJson);
        return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(HashChain.HashHeader, out var h)
            ? h.GetString() ?? ""
            : "";
    }

    private static async Task WriteEntryAsync(ZipArchive zip, string name, string content)
    {
        await using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(content));
    }
}
