using System.Text.Json;

namespace CadapDrafting.Evidence;

/// <summary>
/// Reading evidence as a suspicious reader reads it: an object must have exactly the fields the format names,
/// no field twice, each of the right kind. Any deviation is a <see cref="FormatException"/> saying what is wrong.
/// </summary>
public readonly struct StrictObject
{
    private readonly Dictionary<string, JsonElement> _fields;
    private readonly string _what;

    private StrictObject(Dictionary<string, JsonElement> fields, string what)
    {
        _fields = fields;
        _what = what;
    }

    public static StrictObject Of(JsonElement element, string what, string[] required, string[]? optional = null)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new FormatException($"{what} is not a JSON object");
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in element.EnumerateObject())
        {
            if (!fields.TryAdd(p.Name, p.Value)) throw new FormatException($"{what} repeats the field \"{p.Name}\"");
            if (!required.Contains(p.Name) && optional?.Contains(p.Name) != true)
                throw new FormatException($"{what} has a field outside its format: \"{p.Name}\"");
        }
        foreach (var name in required)
            if (!fields.ContainsKey(name)) throw new FormatException($"{what} lacks the field \"{name}\"");
        return new StrictObject(fields, what);
    }

    public static JsonDocument Parse(string json, string what)
    {
        try { return JsonDocument.Parse(json); }
        catch (JsonException ex) { throw new FormatException($"{what} is not JSON ({ex.Message})", ex); }
    }

    public bool Has(string name) => _fields.ContainsKey(name);

    public JsonElement Element(string name) => _fields[name];

    public string String(string name)
    {
        var e = _fields[name];
        if (e.ValueKind != JsonValueKind.String) throw new FormatException($"{_what}: \"{name}\" is not a string");
        try { return e.GetString()!; }
        catch (InvalidOperationException) { throw new FormatException($"{_what}: \"{name}\" holds an unpaired surrogate"); }
    }

    public long Integer(string name)
    {
        var e = _fields[name];
        if (e.ValueKind != JsonValueKind.Number || !e.GetRawText().All(c => char.IsAsciiDigit(c) || c == '-') || !e.TryGetInt64(out var value))
            throw new FormatException($"{_what}: \"{name}\" is not a whole number");
        return value;
    }

    public Guid Id(string name)
    {
        var text = String(name);
        if (!Guid.TryParseExact(text, "D", out var id) || id.ToString("D") != text)
            throw new FormatException($"{_what}: \"{name}\" is not a lower-case UUID");
        return id;
    }

    public byte[] Hex(string name, int length)
    {
        var text = String(name);
        if (text.Length != length * 2 || text.Any(c => !(char.IsAsciiDigit(c) || c is >= 'a' and <= 'f')))
            throw new FormatException($"{_what}: \"{name}\" is not {length} bytes of lower-case hex");
        return Convert.FromHexString(text);
    }

    public byte[] Base64(string name)
    {
        var text = String(name);
        try { return Convert.FromBase64String(text); }
        catch (FormatException) { throw new FormatException($"{_what}: \"{name}\" is not base64"); }
    }

    public DateTimeOffset Time(string name)
    {
        var text = String(name);
        if (!DateTimeOffset.TryParseExact(text, EvidenceTime.Format, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var at))
            throw new FormatException($"{_what}: \"{name}\" is not a UTC time of the form 2026-01-31T12:00:00.000000Z");
        return at;
    }

    public JsonElement Array(string name)
    {
        var e = _fields[name];
        if (e.ValueKind != JsonValueKind.Array) throw new FormatException($"{_what}: \"{name}\" is not an array");
        return e;
    }
}

/// <summary>The one form times take in evidence: UTC with microseconds, fixed width, so text order is time order.</summary>
public static class EvidenceTime
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static string Of(DateTimeOffset at) => at.UtcDateTime.ToString(Format, System.Globalization.CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.ParseExact(text, Format, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal);

    /// <summary>The time a head carries: truncated to the microsecond, so it survives writing and reading.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);
}
