using System.Collections.Concurrent;
using CadapDrafting.Identity;

namespace CadapDrafting.Live;

/// <summary>
/// The hub connections of this node: whose they are, until when their sign-in holds, and which drafts they
/// follow in which group. What the per-person connection cap counts, and what is re-checked when a commit
/// changes who may follow a draft.
/// </summary>
public sealed class LiveConnections
{
    public sealed class Connection(string id, Actor actor, DateTimeOffset? expires, Action abort)
    {
        public string Id { get; } = id;
        public Actor Actor { get; } = actor;
        /// <summary>When the connection's token expires (null: it does not say).</summary>
        public DateTimeOffset? Expires { get; } = expires;
        /// <summary>Drafts followed, and the group each is pushed through.</summary>
        public ConcurrentDictionary<Guid, string> Following { get; } = new();
        public void Abort() => abort();
    }

    private readonly ConcurrentDictionary<string, Connection> _byId = new();
    private readonly ConcurrentDictionary<string, int> _perUser = new();
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<string, Connection>> _byDraft = new();

    /// <summary>False when the person already holds <paramref name="limit"/> connections.</summary>
    public bool TryAdd(Connection connection, int limit)
    {
        var userId = connection.Actor.UserId;
        while (true)
        {
            var held = _perUser.GetValueOrDefault(userId);
            if (held >= limit) return false;
            if (held == 0 ? _perUser.TryAdd(userId, 1) : _perUser.TryUpdate(userId, held + 1, held)) break;
        }
        _byId[connection.Id] = connection;
        return true;
    }

    public void Remove(string connectionId)
    {
        if (!_byId.TryRemove(connectionId, out var connection)) return;
        foreach (var draftId in connection.Following.Keys) Unfollow(connection, draftId);
        _perUser.AddOrUpdate(connection.Actor.UserId, 0, (_, held) => held - 1);
        _perUser.TryRemove(new KeyValuePair<string, int>(connection.Actor.UserId, 0));
    }

    public Connection? Find(string connectionId) => _byId.GetValueOrDefault(connectionId);

    public int HeldBy(string userId) => _perUser.GetValueOrDefault(userId);

    public void Follow(Connection connection, Guid draftId, string group)
    {
        connection.Following[draftId] = group;
        _byDraft.GetOrAdd(draftId, _ => new())[connection.Id] = connection;
    }

    public void Unfollow(Connection connection, Guid draftId)
    {
        connection.Following.TryRemove(draftId, out _);
        if (_byDraft.TryGetValue(draftId, out var followers)) followers.TryRemove(connection.Id, out _);
    }

    /// <summary>The connections of this node following the draft.</summary>
    public IEnumerable<Connection> FollowersOf(Guid draftId) =>
        _byDraft.TryGetValue(draftId, out var followers) ? followers.Values : [];
}
