using System.Diagnostics.Metrics;
using JasperFx.Events.Daemon;
using Marten;

namespace CadapDrafting.Operations;

public sealed record ProjectionProgress(string Name, long Sequence, long Lag);

/// <summary>What one node reports about the cluster's async projections.</summary>
/// <param name="SchemaVersion">The schema version this node's build reads and writes (Operations/Upgrades).</param>
/// <param name="ClusterSchemaVersion">The lowest among the live nodes: the newest event types any node writes now.</param>
/// <param name="Nodes">The live nodes of the registry, with their builds.</param>
public sealed record ClusterNodeStatus(string Node, int ProcessId, bool RunsAsyncProjections, long HighestEventSequence,
    IReadOnlyList<ProjectionProgress> Projections, int SchemaVersion, int ClusterSchemaVersion,
    IReadOnlyList<Upgrades.RegisteredNode> Nodes);

/// <summary>
/// Projection lag: events stored but not yet taken into an async projection (the store's highest event
/// sequence minus the projection's progression). Read from the database, so every node reports the same
/// figures whichever node runs the daemon.
/// </summary>
public sealed class ProjectionStatus(IDocumentStore store, IProjectionCoordinator coordinator, NodeIdentity node,
    Upgrades.ClusterSchema cluster)
{
    public const string MeterName = "CadapDrafting";

    /// <summary>The async projections this server runs (the daemon's own high-water mark is not one).</summary>
    public static readonly IReadOnlyList<string> AsyncProjections = [AuditIndexProjection.ProjectionName];

    public async Task<ClusterNodeStatus> ReadAsync(CancellationToken ct)
    {
        var statistics = await store.Advanced.FetchEventStoreStatistics(token: ct);
        var progress = await store.Advanced.AllProjectionProgress(token: ct);
        var highest = statistics.EventSequenceNumber;
        var projections = AsyncProjections.Select(name =>
        {
            var sequence = progress.Where(p => p.ShardName.StartsWith(name + ":", StringComparison.Ordinal) || p.ShardName == name)
                .Select(p => p.Sequence).DefaultIfEmpty(0).Min();
            return new ProjectionProgress(name, sequence, Math.Max(0, highest - sequence));
        }).ToList();
        return new ClusterNodeStatus(node.Name, Environment.ProcessId, RunsAsyncProjections(), highest, projections,
            Upgrades.EventSchema.Current, cluster.Minimum, cluster.LiveNodes);
    }

    /// <summary>Whether this node holds the daemon's leadership: only the leader has projection agents running.</summary>
    public bool RunsAsyncProjections()
    {
        try
        {
            return coordinator.DaemonForMainDatabase().CurrentAgents().Count > 0;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}

/// <summary>The name this node reports in operations output and logs (<c>Node:Name</c>, else host and process).</summary>
public sealed record NodeIdentity(string Name)
{
    public static NodeIdentity From(IConfiguration configuration) =>
        new(configuration["Node:Name"] is { Length: > 0 } name ? name : $"{Environment.MachineName}:{Environment.ProcessId}");
}

/// <summary>Publishes projection lag as a gauge, refreshed in the background so metric collection never queries the database.</summary>
public sealed class ProjectionLagMonitor(ProjectionStatus status, IConfiguration configuration, ILogger<ProjectionLagMonitor> logger)
    : BackgroundService
{
    private static readonly Meter Meter = new(ProjectionStatus.MeterName);
    private volatile IReadOnlyList<ProjectionProgress> _latest = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Meter.CreateObservableGauge("cadap.projection.lag",
            () => _latest.Select(p => new Measurement<long>(p.Lag, new KeyValuePair<string, object?>("projection", p.Name))),
            unit: "{event}", description: "Events stored but not yet applied to the async projection");
        var interval = TimeSpan.FromSeconds(configuration.GetValue("Operations:LagPollSeconds", 5));
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                try
                {
                    _latest = (await status.ReadAsync(stoppingToken)).Projections;
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Reading projection progress failed");
                }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the lag is no longer watched.
        }
    }
}
