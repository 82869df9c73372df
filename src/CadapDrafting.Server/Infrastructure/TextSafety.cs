using System.Collections;
using System.Reflection;

namespace CadapDrafting.Infrastructure;

/// <summary>
/// Finds text PostgreSQL's jsonb cannot store (NUL, unpaired surrogates) anywhere in a command, so it is
/// refused as bad input instead of failing at commit.
/// </summary>
public static class TextSafety
{
    public static string? FindUnsafe(object? value, string path = "")
    {
        switch (value)
        {
            case null: return null;
            case string s: return IsSafe(s) ? null : path.TrimStart('.');
            case System.Text.Json.JsonElement json: return FindUnsafe(json, path);
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (entry.Key is string key && !IsSafe(key)) return $"{path}.{key}".TrimStart('.');
                    if (FindUnsafe(entry.Value, $"{path}.{entry.Key}") is { } found) return found;
                }
                return null;
            case IEnumerable items:
                var i = 0;
                foreach (var item in items)
                    if (FindUnsafe(item, $"{path}[{i++}]") is { } found) return found;
                return null;
        }
        var type = value.GetType();
        if (type.IsPrimitive || type.IsEnum || value is Guid or decimal or DateTime or DateTimeOffset or DateOnly) return null;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0) continue;
            var name = char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
            if (FindUnsafe(property.GetValue(value), $"{path}.{name}") is { } found) return found;
        }
        return null;
    }

    private static string? FindUnsafe(System.Text.Json.JsonElement json, string path) => json.ValueKind switch
    {
        System.Text.Json.JsonValueKind.String => IsSafeString(json) ? null : path.TrimStart('.'),
        System.Text.Json.JsonValueKind.Object => json.EnumerateObject()
            .Select(p => IsSafe(p.Name) ? FindUnsafe(p.Value, $"{path}.{p.Name}") : $"{path}.{p.Name}".TrimStart('.'))
            .FirstOrDefault(found => found is not null),
        System.Text.Json.JsonValueKind.Array => json.EnumerateArray().Select((item, i) => FindUnsafe(item, $"{path}[{i}]"))
            .FirstOrDefault(found => found is not null),
        _ => null,
    };

    private static bool IsSafeString(System.Text.Json.JsonElement json)
    {
        try { return IsSafe(json.GetString()!); }
        catch (InvalidOperationException) { return false; } // an escaped lone surrogate cannot even be read as text
    }

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
