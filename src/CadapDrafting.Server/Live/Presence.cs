using Microsoft.AspNetCore.SignalR;

namespace CadapDrafting.Live;

/// <summary>Someone viewing a draft, and the node they are working on (null: just reading).</summary>
public sealed record Viewer(string UserId, string Name, Guid? NodeId);

public sealed record PresenceChanged(Guid DraftId, IReadOnlyList<Viewer> Viewers);

/// <summary>
/// The viewers after a join, a move or a leave, and whether the list others see changed: it is one line per person, so a
/// second tab of someone already viewing changes nothing, and telling every viewer about it would make a draft that
/// hundreds open at once send each of them hundreds of identical lists.
/// </summary>
public sealed record PresenceChange(IReadOnlyList<Viewer> Viewers, bool Changed);

public static class PresenceBroadcast
{
    /// <summary>Everyone following the draft receives the list, when it changed.</summary>
    public static Task TellViewersAsync(this IHubClients<IClientProxy> clients, Guid draftId, PresenceChange? change) =>
        change is { Changed: true }
            ? clients.Groups(LivePush.GroupsOf(draftId)).SendAsync(DraftHub.PresenceMethod, new PresenceChanged(draftId, change.Viewers))
            : Task.CompletedTask;
}

/// <summary>
/// Who views which draft, per connection. One node keeps it in memory; with several nodes it moves to a
/// shared store (Redis), which is why every call is asynchronous.
/// </summary>
public interface IPresenceStore
{
    Task<PresenceChange> JoinAsync(Guid draftId, string connectionId, string userId, string name);
    /// <summary>Null when the connection has not joined the draft.</summary>
    Task<PresenceChange?> SetNodeAsync(Guid draftId, string connectionId, Guid? nodeId);
    /// <summary>Null when the connection had not joined the draft.</summary>
    Task<PresenceChange?> LeaveAsync(Guid draftId, string connectionId);
    Task<IReadOnlyList<Guid>> DraftsOfAsync(string connectionId);
    Task<IReadOnlyList<Viewer>> ViewersAsync(Guid draftId);
}

public sealed class InMemoryPresenceStore : IPresenceStore
{
    private sealed record Entry(string UserId, string Name, Guid? NodeId, long Sequence);

    private readonly Dictionary<Guid, Dictionary<string, Entry>> _byDraft = new();
    private readonly object _gate = new();
    private long _sequence;

    public Task<PresenceChange> JoinAsync(Guid draftId, string connectionId, string userId, string name)
    {
        lock (_gate)
        {
            if (!_byDraft.TryGetValue(draftId, out var connections)) _byDraft[draftId] = connections = new();
            var before = ViewersOf(connections);
            var node = connections.GetValueOrDefault(connectionId)?.NodeId;
            connections[connectionId] = new Entry(userId, name, node, ++_sequence);
            return Task.FromResult(ChangeFrom(before, connections));
        }
    }

    public Task<PresenceChange?> SetNodeAsync(Guid draftId, string connectionId, Guid? nodeId)
    {
        lock (_gate)
        {
            if (!_byDraft.TryGetValue(draftId, out var connections) || !connections.TryGetValue(connectionId, out var entry))
                return Task.FromResult<PresenceChange?>(null);
            var before = ViewersOf(connections);
            connections[connectionId] = entry with { NodeId = nodeId, Sequence = ++_sequence };
            return Task.FromResult<PresenceChange?>(ChangeFrom(before, connections));
        }
    }

    public Task<PresenceChange?> LeaveAsync(Guid draftId, string connectionId)
    {
        lock (_gate)
        {
            if (!_byDraft.TryGetValue(draftId, out var connections) || !connections.ContainsKey(connectionId))
                return Task.FromResult<PresenceChange?>(null);
            var before = ViewersOf(connections);
            connections.Remove(connectionId);
            if (connections.Count == 0) _byDraft.Remove(draftId);
            return Task.FromResult<PresenceChange?>(ChangeFrom(before, connections));
        }
    }

    /// <summary>Judged under the same lock as the change itself, so no other change falls between the two lists.</summary>
    private static PresenceChange ChangeFrom(IReadOnlyList<Viewer> before, Dictionary<string, Entry> connections)
    {
        var after = ViewersOf(connections);
        return new PresenceChange(after, !after.SequenceEqual(before));
    }

    public Task<IReadOnlyList<Guid>> DraftsOfAsync(string connectionId)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<Guid>>(_byDraft.Where(d => d.Value.ContainsKey(connectionId)).Select(d => d.Key).ToList());
    }

    public Task<IReadOnlyList<Viewer>> ViewersAsync(Guid draftId)
    {
        lock (_gate)
            return Task.FromResult(_byDraft.TryGetValue(draftId, out var connections) ? ViewersOf(connections) : (IReadOnlyList<Viewer>)[]);
    }

    /// <summary>One line per person, however many tabs they have open: the node of their latest move.</summary>
    private static IReadOnlyList<Viewer> ViewersOf(Dictionary<string, Entry> connections) =>
        connections.Values.GroupBy(e => e.UserId)
            .Select(g => g.MaxBy(e => e.Sequence)!)
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .Select(e => new Viewer(e.UserId, e.Name, e.NodeId))
            .ToList();
}
