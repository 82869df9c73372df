using System.Text;
using System.Text.Json;

namespace CadapDrafting.Evidence;

/// <summary>
/// An event as a leaf of its draft's log: the canonical form (version 2) of the object
/// {"data", "headers", "position", "streamId", "type"} — exactly an event line of a bundle — with every header,
/// the chain hash included. Its leaf hash is RFC 9162's SHA-256(0x00 || leaf).
/// </summary>
public static class LogLeaf
{
    public static string Canonical(ChainEvent e)
    {
        using var data = StrictObject.Parse(e.DataJson, $"the data of the event at position {e.Position}");
        using var headers = StrictObject.Parse(e.HeadersJson, $"the headers of the event at position {e.Position}");
        var sb = new StringBuilder("{\"data\":").Append(CanonicalForm.From(data.RootElement))
            .Append(",\"headers\":").Append(CanonicalForm.From(headers.RootElement))
            .Append(",\"position\":").Append(e.Position.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Append(",\"streamId\":\"").Append(e.StreamId.ToString("D")).Append("\",\"type\":");
        CanonicalForm.WriteString(e.Type, sb);
        return sb.Append('}').ToString();
    }

    public static byte[] Hash(ChainEvent e) => Rfc9162.LeafHash(Encoding.UTF8.GetBytes(Canonical(e)));

    /// <summary>The leaf hash of each event in order; throws <see cref="FormatException"/> for an event with no canonical form.</summary>
    public static List<byte[]> Hashes(IEnumerable<ChainEvent> events) => events.Select(Hash).ToList();

    /// <summary>The leaf hash from a JSON text of the event line, as an independent reader would compute it.</summary>
    public static byte[] HashOfLine(JsonElement line) => Rfc9162.LeafHash(CanonicalForm.Bytes(line));
}
