using System.Reflection;
using System.Text.Json;

namespace CadapDrafting.Infrastructure;

/// <summary>
/// What a field of a request accepts, in words a client developer can act on ("one of Open, Accepted, …", "a UUID"),
/// so a refusal names the field and its allowed values and never a .NET type name.
/// </summary>
public static class ExpectedValues
{
    public static string Of(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum) return $"one of {string.Join(", ", Enum.GetNames(type))}";
        if (type == typeof(string)) return "text";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(int) || type == typeof(long) || type == typeof(short)) return "a whole number";
        if (type == typeof(decimal) || type == typeof(double) || type == typeof(float)) return "a number";
        if (type == typeof(Guid)) return "a UUID";
        if (type == typeof(DateOnly)) return "a date (yyyy-mm-dd)";
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime)) return "a date and time in ISO 8601 (e.g. 2026-12-31T18:00:00Z)";
        if (type == typeof(JsonElement)) return "any JSON value";
        if (ElementOf(type) is { } element) return $"a list of {Plural(Of(element))}";
        if (ValueOf(type) is { } value) return $"an object whose values are {Plural(Of(value))}";
        var members = Members(type).Select(p => p.Name).ToList();
        return members.Count == 0 ? "an object" : $"an object with {string.Join(", ", members)}";
    }

    /// <summary>The type of the value at a JSON path (<c>$.attributes.budget.amount</c>, <c>$.items[0]</c>) of a request body.</summary>
    public static Type? AtPath(Type root, string? path)
    {
        var type = root;
        foreach (var segment in (path ?? "$").TrimStart('$').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = segment;
            var bracket = name.IndexOf('[');
            var indexes = bracket < 0 ? 0 : name.Count(c => c == '[');
            if (bracket >= 0) name = name[..bracket];
            if (name.Length > 0)
            {
                type = Nullable.GetUnderlyingType(type) ?? type;
                type = ValueOf(type) ?? Members(type).FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Type;
                if (type is null) return null;
            }
            for (var i = 0; i < indexes; i++)
                if ((type = ElementOf(type!)) is null) return null;
        }
        return type;
    }

    /// <summary>The path as the client wrote it, without the leading <c>$.</c>; "body" for the whole body.</summary>
    public static string FieldName(string? path)
    {
        var field = (path ?? "$").TrimStart('$').TrimStart('.');
        return field.Length == 0 ? "body" : field;
    }

    private static IEnumerable<(string Name, Type Type)> Members(Type type) =>
        type.IsPrimitive || type == typeof(string)
            ? []
            : type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetIndexParameters().Length == 0 && p.SetMethod is not null || IsConstructorParameter(type, p.Name))
                .Where(p => !p.IsDefined(typeof(System.Text.Json.Serialization.JsonIgnoreAttribute)))
                .Select(p => (JsonNamingPolicy.CamelCase.ConvertName(p.Name), p.PropertyType));

    private static bool IsConstructorParameter(Type type, string name) =>
        type.GetConstructors().Any(c => c.GetParameters().Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)));

    private static Type? ElementOf(Type type) =>
        type == typeof(string) ? null
        : type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)) is { } e &&
          ValueOf(type) is null
            ? e.GetGenericArguments()[0]
            : null;

    private static Type? ValueOf(Type type) =>
        type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>)) is { } d
            ? d.GetGenericArguments()[1]
            : null;

    /// <summary>"a UUID" → "UUIDs", "an object with name" → "objects with name", "one of A, B" → "values, each one of A, B".</summary>
    private static string Plural(string description)
    {
        if (description == "text") return "texts";
        if (description == "a whole number") return "whole numbers";
        if (description.StartsWith("one of", StringComparison.Ordinal)) return "values, each " + description;
        var article = description.StartsWith("an ", StringComparison.Ordinal) ? 3 : description.StartsWith("a ", StringComparison.Ordinal) ? 2 : 0;
        if (article == 0) return description;
        var rest = description[article..];
        var space = rest.IndexOf(' ');
        return space < 0 ? rest + "s" : rest[..space] + "s" + rest[space..];
    }
}
