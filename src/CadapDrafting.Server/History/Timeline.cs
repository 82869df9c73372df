using System.Text.Json;
using CadapDrafting.Infrastructure;

namespace CadapDrafting.History;

public sealed record TimelineEntry(long Position, string Type, string Actor, string? ActorName, DateTimeOffset At, string? Reason,
    string? CommandId, JsonElement Data);

public sealed record TimelinePage(List<TimelineEntry> Entries, long? NextAfter);

public sealed record TimelineFilter(Guid? NodeId, string? Actor, string? Type, DateTimeOffset? From, DateTimeOffset? To)
{
    public bool Matches(TimelineEntry e) =>
        (Actor is null || string.Equals(e.Actor, Actor, StringComparison.OrdinalIgnoreCase)) &&
        (Type is null || string.Equals(e.Type, Type, StringComparison.OrdinalIgnoreCase)) &&
        (From is null || e.At >= From) && (To is null || e.At < To);
}

/// <summary>
/// Every event of a draft with who, when and why, oldest first, filtered and paged by position. The node
/// filter knows no event types: an event concerns a node when its data names the node (as itself or as a parent)
/// or something already attached to it (a proposal, a comment thread, ...), and the ids of what it names besides
/// places become attached.
/// </summary>
public sealed class Timeline(EventRows rows)
{
    /// <summary>Ids in event data that say where something is, not what it is about.</summary>
    private static readonly HashSet<string> PlaceFields = new(StringComparer.OrdinalIgnoreCase) { "nodeId", "parentId", "afterNodeId", "draftId" };

    /// <summary>Being the sibling something was placed after does not make an event about that sibling.</summary>
    private static readonly HashSet<string> NeighbourFields = new(StringComparer.OrdinalIgnoreCase) { "afterNodeId" };

    public async Task<TimelinePage> PageAsync(Guid draftId, TimelineFilter filter, long after, int limit, CancellationToken ct)
    {
        var entries = new List<TimelineEntry>();
        // One more than asked for tells whether there is a next page.
        var source = filter.NodeId is { } node
            ? AboutNodeAsync(draftId, node, after, ct)
            : rows.PageAsync(draftId, after, filter.Type, filter.Actor, filter.From, filter.To, limit + 1, ct);
        await foreach (var row in source)
        {
            using var data = JsonDocument.Parse(row.DataJson);
            var entry = EntryOf(row, data.RootElement);
            if (!filter.Matches(entry)) continue;
            if (entries.Count == limit) return new TimelinePage(entries, entries[^1].Position);
            entries.Add(entry);
        }
        return new TimelinePage(entries, null);
    }

    /// <summary>The events about a node after a position; what is attached to the node is learnt from the first event on.</summary>
    private async IAsyncEnumerable<ChainEvent> AboutNodeAsync(Guid draftId, Guid nodeId, long after,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var related = new HashSet<string> { nodeId.ToString("D") };
        await foreach (var row in rows.ReadAsync(draftId, ct: ct))
        {
            using var data = JsonDocument.Parse(row.DataJson);
            if (Concerns(data.RootElement, related) && row.Position > after) yield return row;
        }
    }

    /// <summary>Events whose data names any of the given ids, by id: what was said and decided about each.</summary>
    public async Task<Dictionary<Guid, List<TimelineEntry>>> MentionsAsync(Guid draftId, IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var wanted = ids.ToDictionary(id => id.ToString("D"), id => id);
        var found = ids.ToDictionary(id => id, _ => new List<TimelineEntry>());
        if (wanted.Count == 0) return found;
        await foreach (var row in rows.ReadAsync(draftId, ct: ct))
        {
            var named = wanted.Where(w => row.DataJson.Contains(w.Key, StringComparison.OrdinalIgnoreCase)).ToList();
            if (named.Count == 0) continue;
            using var data = JsonDocument.Parse(row.DataJson);
            var entry = EntryOf(row, data.RootElement);
            foreach (var (_, id) in named) found[id].Add(entry);
        }
        return found;
    }

    public static TimelineEntry EntryOf(ChainEvent row, JsonElement data)
    {
        using var headers = JsonDocument.Parse(row.HeadersJson);
        string? Header(string name) => headers.RootElement.ValueKind == JsonValueKind.Object &&
                                       headers.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;
        var at = DateTimeOffset.TryParse(Header(EventMetadata.At), System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : default;
        return new TimelineEntry(row.Position, row.Type, Header(EventMetadata.Actor) ?? "system", Header(EventMetadata.ActorName), at,
            Header(EventMetadata.Reason), Header(EventMetadata.CommandId), data.Clone());
    }

    private static bool Concerns(JsonElement data, HashSet<string> related)
    {
        var ids = new List<(string Field, string Id)>();
        Collect(data, null, ids);
        if (!ids.Any(i => related.Contains(i.Id) && !NeighbourFields.Contains(i.Field))) return false;
        foreach (var (field, id) in ids)
            if (!PlaceFields.Contains(field)) related.Add(id);
        return true;
    }

    private static void Collect(JsonElement e, string? field, List<(string, string)> ids)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject()) Collect(p.Value, p.Name, ids);
                break;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray()) Collect(item, field, ids);
                break;
            case JsonValueKind.String when e.TryGetGuid(out var id):
                ids.Add((field ?? "", id.ToString("D")));
                break;
        }
    }
}
