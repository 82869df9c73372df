using System.Collections;
using System.Reflection;
using System.Text.Json;

namespace CadapDrafting.Infrastructure;

/// <summary>The most characters a free-text field of a command may hold; a command's text without it may hold <see
/// cref="TextSafety.DefaultLimit"/>.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class TextLimitAttribute(int characters) : Attribute
{
    public int Characters { get; } = characters;
}

/// <summary>
/// Checks every text anywhere in a command before it is decided: text PostgreSQL's jsonb cannot store (NUL, unpaired
/// surrogates) and text longer than its field allows are refused as bad input, naming the field, instead of failing
/// at commit or filling the record with megabytes.
/// </summary>
public static class TextSafety
{
    /// <summary>Titles, names, reasons and every other free text that declares no limit of its own.</summary>
    public const int DefaultLimit = 4_000;

    public static string? FindUnsafe(object? value) =>
        Texts(value, "", DefaultLimit).Where(t => !t.Safe).Select(t => t.Path).FirstOrDefault();

    /// <summary>The first text longer than its field allows, with the limit.</summary>
    public static (string Field, int Limit)? FindTooLong(object? value) =>
        Texts(value, "", DefaultLimit).Where(t => t.Length > t.Limit).Select(t => ((string, int)?)(t.Path, t.Limit)).FirstOrDefault();

    private readonly record struct Text(string Path, int Length, int Limit, bool Safe);

    private static IEnumerable<Text> Texts(object? value, string path, int limit)
    {
        switch (value)
        {
            case null: yield break;
            case string s:
                yield return Of(path, s, limit);
                yield break;
            case JsonElement json:
                foreach (var text in Texts(json, path, limit)) yield return text;
                yield break;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (entry.Key is string key && !IsSafe(key)) yield return new Text(Join(path, key), key.Length, int.MaxValue, false);
                    foreach (var text in Texts(entry.Value, Join(path, entry.Key.ToString()!), limit)) yield return text;
                }
                yield break;
            case IEnumerable items:
                var i = 0;
                foreach (var item in items)
                    foreach (var text in Texts(item, $"{path}[{i++}]", limit))
                        yield return text;
                yield break;
        }
        var type = value.GetType();
        if (type.IsPrimitive || type.IsEnum || value is Guid or decimal or DateTime or DateTimeOffset or DateOnly) yield break;
        var parameters = type.GetConstructors().SelectMany(c => c.GetParameters()).ToLookup(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.IsDefined(typeof(System.Text.Json.Serialization.JsonIgnoreAttribute))) continue;
            var declared = property.GetCustomAttribute<TextLimitAttribute>()
                           ?? parameters[property.Name].Select(p => p.GetCustomAttribute<TextLimitAttribute>()).FirstOrDefault(a => a is not null);
            var name = char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
            foreach (var text in Texts(property.GetValue(value), Join(path, name), declared?.Characters ?? limit)) yield return text;
        }
    }

    private static IEnumerable<Text> Texts(JsonElement json, string path, int limit)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.String:
                string? s;
                try { s = json.GetString(); }
                catch (InvalidOperationException) { s = null; } // an escaped lone surrogate cannot even be read as text
                yield return s is null ? new Text(path, 0, limit, false) : Of(path, s, limit);
                break;
            case JsonValueKind.Object:
                foreach (var property in json.EnumerateObject())
                {
                    if (!IsSafe(property.Name)) yield return new Text(Join(path, property.Name), 0, limit, false);
                    foreach (var text in Texts(property.Value, Join(path, property.Name), limit)) yield return text;
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in json.EnumerateArray())
                    foreach (var text in Texts(item, $"{path}[{i++}]", limit))
                        yield return text;
                break;
        }
    }

    private static Text Of(string path, string s, int limit) => new(path, s.Length, limit, IsSafe(s));

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    public static bool IsSafe(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\0') return false;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1])) return false;
                i++;
            }
            else if (char.IsLowSurrogate(c)) return false;
        }
        return true;
    }
}
