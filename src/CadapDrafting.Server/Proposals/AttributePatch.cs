using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CadapDrafting.Drafts;
using CadapDrafting.Infrastructure;

namespace CadapDrafting.Proposals;

/// <summary>One field of an action's record as a proposal changes it: the value now and the value after acceptance (null = absent).</summary>
public sealed record FieldChange(string Field, JsonElement? Before, JsonElement? After);

/// <summary>
/// A proposal's change to an action's record is a JSON merge patch (RFC 7386) over the record: it changes exactly
/// the fields it names, an explicit null removes a field, an object value is merged into the object it replaces,
/// and every other field stays as it is. Proposals recorded before field-level changes existed carry a whole record
/// instead (<see cref="Proposal.Attributes"/>) and keep replacing the whole record when replayed.
/// </summary>
public static class AttributePatch
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly Dictionary<string, PropertyInfo> Fields = typeof(ActionAttributes)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .ToDictionary(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name), StringComparer.Ordinal);

    /// <summary>A patch naming every field of a record: what an insert, or a whole record sent by an older client, amounts to.</summary>
    public static Dictionary<string, JsonElement> Whole(ActionAttributes attributes)
    {
        var element = JsonSerializer.SerializeToElement(attributes, Json);
        return element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }

    /// <summary>
    /// Checks a patch against the record it would change, naming every bad field under <paramref name="prefix"/>;
    /// returns the record as it would be after acceptance, or null when the patch is refused.
    /// </summary>
    public static ActionAttributes? Validate(Validation v, ActionAttributes? current, IReadOnlyDictionary<string, JsonElement> changes,
        string prefix)
    {
        var merged = Merge(current, changes);
        var valid = v.IsValid;
        foreach (var field in changes.Keys)
        {
            if (!Fields.TryGetValue(field, out var property))
            {
                v.Add($"{prefix}.{field}", $"'{field}' is not an attribute of an action; the attributes are {string.Join(", ", Fields.Keys)}.");
                valid = false;
                continue;
            }
            if (merged[field] is not { } value) continue;
            try
            {
                if (value.Deserialize(property.PropertyType, Json) is Enum named && !Enum.IsDefined(named.GetType(), named))
                    throw new JsonException();
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                v.Add($"{prefix}.{field}", $"'{field}' is {ExpectedValues.Of(property.PropertyType)}.");
                valid = false;
            }
        }
        if (!valid) return null;
        var after = merged.Deserialize<ActionAttributes>(Json)!;
        after.Validate(v, prefix);
        return after;
    }

    /// <summary>The record after the patch. Assumes a patch already validated; fields it does not know are ignored.</summary>
    public static ActionAttributes Apply(ActionAttributes? current, IReadOnlyDictionary<string, JsonElement> changes) =>
        Merge(current, changes.Where(c => Fields.ContainsKey(c.Key)).ToDictionary()).Deserialize<ActionAttributes>(Json)!;

    /// <summary>Each field the change names, before and after; for a whole record, each field it changes.</summary>
    public static List<FieldChange> Changes(ActionAttributes? before, ActionAttributes? after, IEnumerable<string>? named)
    {
        var was = before is null ? new JsonObject() : JsonSerializer.SerializeToNode(before, Json)!.AsObject();
        var will = after is null ? new JsonObject() : JsonSerializer.SerializeToNode(after, Json)!.AsObject();
        var fields = named?.Where(Fields.ContainsKey).ToList()
                     ?? Fields.Keys.Where(f => !JsonNode.DeepEquals(was[f], will[f])).ToList();
        return fields.Select(f => new FieldChange(f, ToElement(was[f]), ToElement(will[f]))).ToList();
    }

    private static JsonObject Merge(ActionAttributes? current, IReadOnlyDictionary<string, JsonElement> changes)
    {
        var record = current is null ? new JsonObject() : JsonSerializer.SerializeToNode(current, Json)!.AsObject();
        foreach (var (field, value) in changes) Set(record, field, value);
        return record;
    }

    private static void Set(JsonObject target, string name, JsonElement patch)
    {
        if (patch.ValueKind == JsonValueKind.Null) { target.Remove(name); return; }
        var existing = target[name];
        target.Remove(name);
        target[name] = MergeValue(existing, patch);
    }

    private static JsonNode? MergeValue(JsonNode? target, JsonElement patch)
    {
        if (patch.ValueKind != JsonValueKind.Object) return JsonNode.Parse(patch.GetRawText());
        var merged = target as JsonObject ?? new JsonObject();
        foreach (var property in patch.EnumerateObject()) Set(merged, property.Name, property.Value);
        return merged;
    }

    private static JsonElement? ToElement(JsonNode? node) =>
        node is null || node.GetValueKind() == JsonValueKind.Null ? null : JsonSerializer.SerializeToElement(node, Json);
}
