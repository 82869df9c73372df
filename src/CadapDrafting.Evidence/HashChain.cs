using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CadapDrafting.Evidence;

/// <summary>
/// The tamper-evident chain over a draft's events. Each event's hash covers the previous hash,
/// the stream id, the position, the event type, the canonical data and the canonical metadata
/// (actor, time, reason, command). Altering, removing, inserting or reordering any event breaks
/// the chain at that event. The same function is used when appending and when verifying offline.
/// </summary>
public static class HashChain
{
    public const string HashHeader = "hash";
    public const string Genesis = "genesis";

    public static string Compute(string previousHash, Guid streamId, long position, string eventType,
        string canonicalData, string canonicalMetadata)
    {
        var material = string.Join('\n', previousHash, streamId.ToString("D"), position.ToString(System.Globalization.CultureInfo.InvariantCulture),
            eventType, canonicalData, canonicalMetadata);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)));
    }

    /// <summary>The metadata part of the hash: every header but the hash itself, canonical.</summary>
    public static string CanonicalMetadata(IReadOnlyDictionary<string, object?> headers)
    {
        var without = headers.Where(h => h.Key != HashHeader).ToDictionary(h => h.Key, h => h.Value);
        return CanonicalJson.From(JsonSerializer.Serialize(without));
    }

    public static string CanonicalMetadata(JsonElement headers)
    {
        var without = headers.EnumerateObject().Where(p => p.Name != HashHeader)
            .ToDictionary(p => p.Name, p => p.Value);
        return CanonicalJson.From(JsonSerializer.Serialize(without));
    }
}
