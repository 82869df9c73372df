using System.Text;
using System.Text.Json;

namespace CadapDrafting.Evidence;

/// <summary>
/// Canonical form version 2 ("cadap-canonical/2"), the form log leaves and signed heads are hashed in.
/// RFC 8785's rules for structure and strings (keys sorted by UTF-16 code units, no insignificant whitespace,
/// minimal string escapes), but numbers are exact: a number is written as its exact decimal value in plain
/// notation (no exponent, no leading zeros, no trailing fractional zeros, "-0" is "0"), so 0 and 1e-30, or
/// 2^53 and 2^53 + 1, never hash alike, and PostgreSQL's jsonb (which keeps numbers as exact decimals) cannot
/// change the form. An object with a repeated key has no canonical form. Version 1 (<see cref="CanonicalJson"/>)
/// stays as it was for the per-event hash chain already stored.
/// </summary>
public static class CanonicalForm
{
    public const string Version = "cadap-canonical/2";

    /// <summary>A number's canonical form may be at most this long; longer ones (1e100000) are refused, not expanded.</summary>
    public const int MaxNumberLength = 1000;

    /// <summary>The canonical form of a JSON text; throws <see cref="FormatException"/> when it has none.</summary>
    public static string From(string json)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 }); }
        catch (JsonException ex) { throw new FormatException($"not JSON ({ex.Message})", ex); }
        using (doc) return From(doc.RootElement);
    }

    public static string From(JsonElement element)
    {
        var sb = new StringBuilder();
        Write(element, sb);
        return sb.ToString();
    }

    public static byte[] Bytes(JsonElement element) => Encoding.UTF8.GetBytes(From(element));

    private static void Write(JsonElement e, StringBuilder sb)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = e.EnumerateObject().ToList();
                properties.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                for (var i = 1; i < properties.Count; i++)
                    if (properties[i].Name == properties[i - 1].Name)
                        throw new FormatException($"the key \"{properties[i].Name}\" is repeated in one object");
                sb.Append('{');
                for (var i = 0; i < properties.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    WriteString(properties[i].Name, sb);
                    sb.Append(':');
                    Write(properties[i].Value, sb);
                }
                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                var first = true;
                foreach (var item in e.EnumerateArray())
                {
                    if (!first) sb.Append(',');
                    first = false;
                    Write(item, sb);
                }
                sb.Append(']');
                break;
            case JsonValueKind.String:
                string text;
                try { text = e.GetString()!; }
                catch (InvalidOperationException) { throw new FormatException("a string holds an unpaired surrogate"); }
                WriteString(text, sb);
                break;
            case JsonValueKind.Number:
                sb.Append(Number(e.GetRawText()));
                break;
            case JsonValueKind.True: sb.Append("true"); break;
            case JsonValueKind.False: sb.Append("false"); break;
            case JsonValueKind.Null: sb.Append("null"); break;
            default: throw new FormatException($"no canonical form for {e.ValueKind}");
        }
    }

    /// <summary>The exact decimal value of a JSON number literal in plain notation.</summary>
    public static string Number(string literal)
    {
        var i = 0;
        var negative = literal.Length > 0 && literal[0] == '-';
        if (negative) i++;
        var digits = new StringBuilder();
        var fractionDigits = 0;
        while (i < literal.Length && char.IsAsciiDigit(literal[i])) digits.Append(literal[i++]);
        if (i < literal.Length && literal[i] == '.')
        {
            i++;
            while (i < literal.Length && char.IsAsciiDigit(literal[i])) { digits.Append(literal[i++]); fractionDigits++; }
        }
        long exponent = 0;
        if (i < literal.Length && (literal[i] == 'e' || literal[i] == 'E'))
        {
            i++;
            var exponentText = literal[i..];
            if (!long.TryParse(exponentText, System.Globalization.NumberStyles.AllowLeadingSign,
                    System.Globalization.CultureInfo.InvariantCulture, out exponent) || Math.Abs(exponent) > 100_000)
                throw new FormatException($"the number {Shorten(literal)} is out of range");
            i = literal.Length;
        }
        if (i != literal.Length || digits.Length == 0) throw new FormatException($"\"{Shorten(literal)}\" is not a JSON number");

        // value = digits × 10^(exponent − fractionDigits), with digits an integer.
        var significant = digits.ToString().TrimStart('0');
        var scale = exponent - fractionDigits;
        if (significant.Length == 0) return "0";
        var trimmed = significant.TrimEnd('0');
        scale += significant.Length - trimmed.Length;
        significant = trimmed;

        var length = scale >= 0 ? significant.Length + scale : Math.Max(significant.Length, -scale + 1) + 1;
        if (length > MaxNumberLength) throw new FormatException($"the number {Shorten(literal)} is too long to write exactly");

        var sb = new StringBuilder();
        if (negative) sb.Append('-');
        if (scale >= 0)
        {
            sb.Append(significant).Append('0', (int)scale);
        }
        else
        {
            var pointAt = significant.Length + (int)scale; // digits before the point
            if (pointAt > 0) sb.Append(significant, 0, pointAt).Append('.').Append(significant, pointAt, significant.Length - pointAt);
            else sb.Append("0.").Append('0', -pointAt).Append(significant);
        }
        return sb.ToString();
    }

    private static string Shorten(string s) => s.Length > 40 ? s[..40] + "…" : s;

    /// <summary>RFC 8785 string escaping: only the quote, the backslash and control characters are escaped.</summary>
    internal static void WriteString(string s, StringBuilder sb)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4"));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
