using Marten;
using Npgsql;

namespace CadapDrafting.Operations.Upgrades;

/// <summary>A node as the registry holds it: its build's schema version and when it was last heard of.</summary>
public sealed record RegisteredNode(string Name, int SchemaVersion, string Build, DateTimeOffset StartedAt, DateTimeOffset HeartbeatAt);

/// <summary>
/// The lowest schema version among the live nodes, as this node last read it from the registry: the newest event types
/// any node may write now. Until the first read, and whenever the registry cannot be read for longer than a node's
/// expiry, it falls back to the released version, so a node never writes what another might not read.
/// </summary>
public sealed class ClusterSchema
{
    private volatile int _minimum = Math.Min(EventSchema.Released, EventSchema.Current);
    private volatile IReadOnlyList<RegisteredNode> _live = [];

    public int Minimum => _minimum;

    public IReadOnlyList<RegisteredNode> LiveNodes => _live;

    public bool Allows(int version) => version <= _minimum;

    internal void Update(int minimum, IReadOnlyList<RegisteredNode> live)
    {
        _live = live;
        _minimum = Math.Min(minimum, EventSchema.Current);
    }

    internal void Forget() => _minimum = Math.Min(EventSchema.Released, EventSchema.Current);
}

/// <summary>
/// Every node records itself in PostgreSQL (<c>cadap_nodes</c> in the store's schema) with the schema version its build
/// reads, and refreshes the record every <c>Operations:NodeHeartbeatSeconds</c> (2 s). A node is live while its record
/// is younger than <c>Operations:NodeExpirySeconds</c> (10 s); a node that stops (after its drain) removes its record, a
/// node that dies drops out when the record expires. With each heartbeat the node reads the lowest version among the
/// live nodes (<see cref="ClusterSchema"/>): the draft writer emits an event type only once every live node reads it,
/// so during a rolling upgrade the new events appear only after the last old node has left.
/// </summary>
public sealed class NodeRegistry(IDocumentStore store, ClusterSchema cluster, NodeIdentity node, IConfiguration configuration,
    ILogger<NodeRegistry> logger) : IHostedLifecycleService, IDisposable
{
    private readonly Guid _instance = Guid.NewGuid();
    private readonly CancellationTokenSource _stopping = new();
    private Task _heartbeats = Task.CompletedTask;
    private DateTime _lastRead = DateTime.UtcNow;
    private int _disposed;

    private string Table => $"{store.Options.DatabaseSchemaName}.cadap_nodes";
    private TimeSpan Interval => TimeSpan.FromSeconds(configuration.GetValue("Operations:NodeHeartbeatSeconds", 2.0));
    private TimeSpan Expiry => TimeSpan.FromSeconds(configuration.GetValue("Operations:NodeExpirySeconds", 10.0));

    /// <summary>The build's own name for operators: the informational version of the server assembly.</summary>
    public static string Build { get; } =
        (typeof(NodeRegistry).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown")
        + $" (schema {EventSchema.Current})";

    public async Task StartedAsync(CancellationToken ct)
    {
        await EnsureTableAsync(ct);
        await BeatAsync(ct);
        logger.LogInformation("Registered as {Node}, schema version {Schema}; the cluster's lowest is {Minimum} ({Live} live nodes)",
            node.Name, EventSchema.Current, cluster.Minimum, cluster.LiveNodes.Count);
        _heartbeats = Task.Run(() => BeatForeverAsync(_stopping.Token), CancellationToken.None);
    }

    private async Task BeatForeverAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try { await BeatAsync(stop); }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException or (InvalidOperationException and not ObjectDisposedException))
                {
                    logger.LogWarning("Node registry heartbeat failed: {Message}", ex.Message);
                    // Not knowing who is live for longer than a node's expiry: write only what every version reads.
                    if (DateTime.UtcNow - _lastRead > Expiry) cluster.Forget();
                }
            }
        }
        catch (OperationCanceledException) { }
        // A host disposed without being stopped has let go of the store: the node has gone, so does its heartbeat.
        catch (ObjectDisposedException) { }
    }

    /// <summary>Refreshes this node's record and reads the live nodes.</summary>
    private async Task BeatAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using (var refresh = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"insert into {Table} (instance, name, schema_version, build, started_at, heartbeat_at) " +
                    "values ($1, $2, $3, $4, now(), now()) on conflict (instance) do update set heartbeat_at = now()")
                {
                    Parameters =
                    {
                        new() { Value = _instance }, new() { Value = node.Name }, new() { Value = EventSchema.Current }, new() { Value = Build },
                    },
                },
                new NpgsqlBatchCommand($"delete from {Table} where heartbeat_at < now() - interval '1 day'"),
            },
        })
            await refresh.ExecuteNonQueryAsync(ct);
        await using var select = new NpgsqlCommand($"select name, schema_version, build, started_at, heartbeat_at from {Table} " +
            "where heartbeat_at > now() - make_interval(secs => $1) order by started_at", connection)
        {
            Parameters = { new() { Value = Expiry.TotalSeconds } },
        };
        await using var reader = await select.ExecuteReaderAsync(ct);
        var live = new List<RegisteredNode>();
        while (await reader.ReadAsync(ct))
            live.Add(new RegisteredNode(reader.GetString(0), reader.GetInt32(1), reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4)));
        // Not even this node's own record read back: something is wrong, so only what every version reads.
        var minimum = live.Select(n => n.SchemaVersion).DefaultIfEmpty(EventSchema.Released).Min();
        if (minimum != cluster.Minimum)
            logger.LogInformation("The cluster's lowest schema version is now {Minimum} ({Nodes})", minimum,
                string.Join(", ", live.Select(n => $"{n.Name}: {n.SchemaVersion}")));
        cluster.Update(minimum, live);
        _lastRead = DateTime.UtcNow;
    }

    /// <summary>After the drain: the node leaves the registry, so the others need not wait for its record to expire.</summary>
    public async Task StoppedAsync(CancellationToken ct)
    {
        try
        {
            await _stopping.CancelAsync();
            await _heartbeats;
            await using var connection = await OpenAsync(ct);
            await using var command = new NpgsqlCommand($"delete from {Table} where instance = $1", connection)
            {
                Parameters = { new() { Value = _instance } },
            };
            await command.ExecuteNonQueryAsync(ct);
            logger.LogInformation("Left the node registry");
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            // ObjectDisposedException: a host disposed without being stopped first has already let go of the store.
            logger.LogWarning("Could not leave the node registry ({Message}); the record expires in {Seconds} s", ex.Message, Expiry.TotalSeconds);
        }
    }

    private async Task EnsureTableAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        // Nodes starting together may race to create it: an advisory lock for the transaction orders them.
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("select pg_advisory_xact_lock(hashtextextended('cadap_nodes:' || $1, 0))")
                    { Parameters = { new() { Value = store.Options.DatabaseSchemaName } } },
                new NpgsqlBatchCommand($"create table if not exists {Table} (instance uuid primary key, name text not null, " +
                    "schema_version int not null, build text not null, started_at timestamptz not null, heartbeat_at timestamptz not null)"),
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        return connection;
    }

    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StartingAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>Registered both as itself and as a hosted service, so disposed twice: the heartbeat is cancelled once.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stopping.Cancel();
        _stopping.Dispose();
    }
}
