using System.Text.Json;
using CadapDrafting.Drafts;

namespace CadapDrafting.History;

public enum NodeChange { Inserted, Deleted, Changed }

public sealed record AttributeChange(string Attribute, JsonElement? Before, JsonElement? After);

/// <summary>How one node differs between two states of a draft. Nodes are matched by their stable id.</summary>
public sealed record NodeDiff(
    Guid NodeId,
    NodeKind Kind,
    NodeChange Change,
    string? NumberBefore,
    string? NumberAfter,
    bool Moved,
    bool Renumbered,
    Guid? ParentBefore,
    Guid? ParentAfter,
    Dictionary<string, IReadOnlyList<DiffSegment>> Text,
    List<AttributeChange> Attributes)
{
    public bool TextChanged => Text.Values.Any(WordDiff.Changes);
}

public sealed record DraftDiff(Guid DraftId, int FromRevision, int ToRevision, long FromPosition, long ToPosition, List<NodeDiff> Nodes);

/// <summary>
/// The difference between two states of a draft, node by node: inserted and deleted nodes, nodes moved to
/// another parent or out of their order among the siblings that stayed, renumbered nodes, word-level text
/// changes per language and changed action attributes.
/// </summary>
public static class RevisionDiff
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static List<NodeDiff> Between(Draft before, Draft after)
    {
        var numbersBefore = Numbering.Of(before);
        var numbersAfter = Numbering.Of(after);
        var reordered = Reordered(before, after);
        var result = new List<NodeDiff>();

        foreach (var node in after.InDocumentOrder())
        {
            if (!before.Nodes.TryGetValue(node.Id, out var old))
            {
                result.Add(new NodeDiff(node.Id, node.Kind, NodeChange.Inserted, null, numbersAfter[node.Id], false, false, null,
                    node.ParentId, WordDiff.Between(null, node.Text), AttributeChanges(null, node.Attributes)));
                continue;
            }
            var moved = old.ParentId != node.ParentId || reordered.Contains(node.Id);
            var renumbered = numbersBefore[node.Id] != numbersAfter[node.Id];
            var text = WordDiff.Between(old.Text, node.Text);
            var attributes = AttributeChanges(old.Attributes, node.Attributes);
            if (!moved && !renumbered && !text.Values.Any(WordDiff.Changes) && attributes.Count == 0) continue;
            result.Add(new NodeDiff(node.Id, node.Kind, NodeChange.Changed, numbersBefore[node.Id], numbersAfter[node.Id], moved,
                renumbered, old.ParentId, node.ParentId, text, attributes));
        }

        foreach (var old in before.InDocumentOrder().Where(n => !after.Nodes.ContainsKey(n.Id)))
            result.Add(new NodeDiff(old.Id, old.Kind, NodeChange.Deleted, numbersBefore[old.Id], null, false, false, old.ParentId, null,
                WordDiff.Between(old.Text, null), AttributeChanges(old.Attributes, null)));
        return result;
    }

    /// <summary>
    /// Nodes that changed their order among siblings present under the same parent on both sides: those outside
    /// the longest common order. An insert before a node shifts it but does not move it.
    /// </summary>
    private static HashSet<Guid> Reordered(Draft before, Draft after)
    {
        var moved = new HashSet<Guid>();
        var parents = new List<Guid?> { null };
        parents.AddRange(after.Nodes.Keys.Where(before.Nodes.ContainsKey).Select(id => (Guid?)id));
        foreach (var parent in parents)
        {
            var a = before.ChildrenOf(parent).Where(id => after.Nodes.TryGetValue(id, out var n) && n.ParentId == parent).ToList();
            var b = after.ChildrenOf(parent).Where(id => before.Nodes.TryGetValue(id, out var n) && n.ParentId == parent).ToList();
            if (a.SequenceEqual(b)) continue;
            var kept = LongestCommonOrder(a, b);
            moved.UnionWith(b.Where(id => !kept.Contains(id)));
        }
        return moved;
    }

    private static HashSet<Guid> LongestCommonOrder(List<Guid> a, List<Guid> b)
    {
        var lengths = new int[a.Count + 1, b.Count + 1];
        for (var i = a.Count - 1; i >= 0; i--)
            for (var j = b.Count - 1; j >= 0; j--)
                lengths[i, j] = a[i] == b[j] ? lengths[i + 1, j + 1] + 1 : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
        var kept = new HashSet<Guid>();
        for (int i = 0, j = 0; i < a.Count && j < b.Count;)
        {
            if (a[i] == b[j]) { kept.Add(a[i]); i++; j++; }
            else if (lengths[i + 1, j] >= lengths[i, j + 1]) i++;
            else j++;
        }
        return kept;
    }

    private static List<AttributeChange> AttributeChanges(ActionAttributes? before, ActionAttributes? after)
    {
        if (before is null && after is null) return [];
        var a = Properties(before);
        var b = Properties(after);
        return a.Keys.Union(b.Keys).Order(StringComparer.Ordinal)
            .Select(name => (name, old: a.GetValueOrDefault(name), @new: b.GetValueOrDefault(name)))
            .Where(x => !SameValue(x.old, x.@new))
            .Select(x => new AttributeChange(x.name, x.old, x.@new))
            .ToList();
    }

    private static Dictionary<string, JsonElement?> Properties(ActionAttributes? attributes)
    {
        if (attributes is null) return new();
        var element = JsonSerializer.SerializeToElement(attributes, Json);
        return element.EnumerateObject().ToDictionary(p => p.Name, p => (JsonElement?)p.Value.Clone());
    }

    private static bool SameValue(JsonElement? a, JsonElement? b)
    {
        static bool Empty(JsonElement? e) => e is null || e.Value.ValueKind is JsonValueKind.Null ||
                                              e.Value.ValueKind == JsonValueKind.Array && e.Value.GetArrayLength() == 0 ||
                                              e.Value.ValueKind == JsonValueKind.False;
        if (Empty(a) && Empty(b)) return true;
        if (a is null || b is null) return false;
        return CanonicalJson.From(a.Value) == CanonicalJson.From(b.Value);
    }
}
