using System.Text.Json;
using CadapDrafting.Live;
using StackExchange.Redis;

namespace CadapDrafting.Operations;

/// <summary>
/// Presence shared by every node. Each viewer is a field of the draft's hash with its own expiry stamp; the
/// stamp is pushed forward while the connection lives (see <see cref="PresenceHeartbeat"/>), so the viewers
/// of a node that died without saying goodbye drop out within <see cref="Lifetime"/>.
/// </summary>
public sealed class RedisPresenceStore(IConnectionMultiplexer redis, TimeProvider clock) : IPresenceStore
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(15);

    private sealed record Entry(string UserId, string Name, Guid? NodeId, long Sequence, long ExpiresAt);

    private IDatabase Db => redis.GetDatabase();
    private static RedisKey DraftKey(Guid draftId) => $"cadap:presence:draft:{draftId:N}";
    private static RedisKey ConnectionKey(string connectionId) => $"cadap:presence:connection:{connectionId}";
    private const string SequenceKey = "cadap:presence:sequence";

    // Every change is reported as a change: another node may change the list between any two reads here, and a
    // change wrongly judged "none" would leave the viewers with that node's list instead of the current one.
    public async Task<PresenceChange> JoinAsync(Guid draftId, string connectionId, string userId, string name)
    {
        var existing = await ReadAsync(draftId, connectionId);
        await WriteAsync(draftId, connectionId, new Entry(userId, name, existing?.NodeId, await NextSequenceAsync(), ExpiresAt()));
        await Db.SetAddAsync(ConnectionKey(connectionId), draftId.ToString("N"));
        await Db.KeyExpireAsync(ConnectionKey(connectionId), Lifetime * 4);
        return new PresenceChange(await ViewersAsync(draftId), Changed: true);
    }

    public async Task<PresenceChange?> SetNodeAsync(Guid draftId, string connectionId, Guid? nodeId)
    {
        if (await ReadAsync(draftId, connectionId) is not { } entry) return null;
        await WriteAsync(draftId, connectionId, entry with { NodeId = nodeId, Sequence = await NextSequenceAsync(), ExpiresAt = ExpiresAt() });
        return new PresenceChange(await ViewersAsync(draftId), Changed: true);
    }

    public async Task<PresenceChange?> LeaveAsync(Guid draftId, string connectionId)
    {
        await Db.SetRemoveAsync(ConnectionKey(connectionId), draftId.ToString("N"));
        if (!await Db.HashDeleteAsync(DraftKey(draftId), connectionId)) return null;
        return new PresenceChange(await ViewersAsync(draftId), Changed: true);
    }

    public async Task<IReadOnlyList<Guid>> DraftsOfAsync(string connectionId) =>
        (await Db.SetMembersAsync(ConnectionKey(connectionId))).Select(v => Guid.ParseExact(v.ToString(), "N")).ToList();

    public async Task<IReadOnlyList<Viewer>> ViewersAsync(Guid draftId)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var live = new List<Entry>();
        foreach (var field in await Db.HashGetAllAsync(DraftKey(draftId)))
        {
            var entry = JsonSerializer.Deserialize<Entry>(field.Value.ToString())!;
            if (entry.ExpiresAt > now) live.Add(entry);
            // A dead node's viewers are removed by whoever reads them next.
            else await Db.HashDeleteAsync(DraftKey(draftId), field.Name);
        }
        return live.GroupBy(e => e.UserId)
            .Select(g => g.MaxBy(e => e.Sequence)!)
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .Select(e => new Viewer(e.UserId, e.Name, e.NodeId))
            .ToList();
    }

    /// <summary>Keeps the connection's entries alive; called on every keep-alive of a live connection.</summary>
    public async Task RefreshAsync(string connectionId)
    {
        foreach (var draftId in await DraftsOfAsync(connectionId))
            if (await ReadAsync(draftId, connectionId) is { } entry)
                await WriteAsync(draftId, connectionId, entry with { ExpiresAt = ExpiresAt() });
        await Db.KeyExpireAsync(ConnectionKey(connectionId), Lifetime * 4);
    }

    private async Task<Entry?> ReadAsync(Guid draftId, string connectionId)
    {
        var value = await Db.HashGetAsync(DraftKey(draftId), connectionId);
        return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<Entry>(value.ToString());
    }

    private async Task WriteAsync(Guid draftId, string connectionId, Entry entry)
    {
        await Db.HashSetAsync(DraftKey(draftId), connectionId, JsonSerializer.Serialize(entry));
        await Db.KeyExpireAsync(DraftKey(draftId), Lifetime * 4);
    }

    private async Task<long> NextSequenceAsync() => await Db.StringIncrementAsync(SequenceKey);

    private long ExpiresAt() => clock.GetUtcNow().Add(Lifetime).ToUnixTimeMilliseconds();
}

/// <summary>
/// Refreshes the presence of this node's live connections: a hub filter sees every call, and a background
/// loop covers connections that are only listening (their keep-alive pings do not reach hub code).
/// </summary>
public sealed class PresenceHeartbeat(RedisPresenceStore store, ILogger<PresenceHeartbeat> logger) : BackgroundService
{
    private readonly HashSet<string> _connections = new();
    private readonly object _gate = new();

    public void Connected(string connectionId) { lock (_gate) _connections.Add(connectionId); }
    public void Disconnected(string connectionId) { lock (_gate) _connections.Remove(connectionId); }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RedisPresenceStore.Lifetime / 3);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            string[] connections;
            lock (_gate) connections = _connections.ToArray();
            foreach (var connectionId in connections)
            {
                try
                {
                    await store.RefreshAsync(connectionId);
                }
                catch (RedisException ex)
                {
                    logger.LogWarning(ex, "Refreshing presence of connection {ConnectionId} failed", connectionId);
                }
            }
        }
    }
}
