using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CadapDrafting.Evidence;

/// <summary>
/// One byte-exact form of a JSON value: object keys sorted by ordinal, no insignificant whitespace,
/// strings escaped minimally, numbers in shortest invariant form. PostgreSQL's jsonb reorders keys
/// and rewrites numbers, so hashes are taken over this form, which is the same before and after storage.
/// </summary>
public static class CanonicalJson
{
    public static string From(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return From(doc.RootElement);
    }

    public static string From(JsonElement element)
    {
        var sb = new StringBuilder();
        Write(element, sb);
        return sb.ToString();
    }

    private static void Write(JsonElement e, StringBuilder sb)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                sb.Append('{');
                var first = true;
                foreach (var p in e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (!first) sb.Append(',');
                    first = false;
                    WriteString(p.Name, sb);
                    sb.Append(':');
                    Write(p.Value, sb);
                }
                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                var firstItem = true;
                foreach (var item in e.EnumerateArray())
                {
                    if (!firstItem) sb.Append(',');
                    firstItem = false;
                    Write(item, sb);
                }
                sb.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(e.GetString()!, sb);
                break;
            case JsonValueKind.Number:
                sb.Append(CanonicalNumber(e.GetRawText()));
                break;
            case JsonValueKind.True: sb.Append("true"); break;
            case JsonValueKind.False: sb.Append("false"); break;
            default: sb.Append("null"); break;
        }
    }

    private static string CanonicalNumber(string raw)
    {
        if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            return l.ToString(CultureInfo.InvariantCulture);
        if (decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            // Dividing by 1.000… drops trailing zeros, so 1.50 and 1.5 agree.
            var normal = d / 1.0000000000000000000000000000m;
            return normal.ToString(CultureInfo.InvariantCulture);
        }
        return double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
    }

    // Strings are escaped as in canonical form 2: the two forms differ only in numbers.
    private static void WriteString(string s, StringBuilder sb) => CanonicalForm.WriteString(s, sb);
}
