using System.Diagnostics;
using CadapDrafting.Live;
using JasperFx.OpenTelemetry;
using Marten;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using StackExchange.Redis;
using JasperFx.Events.Projections;

namespace CadapDrafting.Operations;

/// <summary>
/// Running several nodes on one database: the SignalR backplane and shared presence (when Redis is
/// configured), the async daemon's leader election, telemetry, and logs that carry the correlation id.
/// </summary>
public static class OperationsSetup
{
    public static void AddCadapOperations(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        var node = NodeIdentity.From(configuration);
        services.AddSingleton(node);
        services.AddSingleton<ProjectionStatus>();
        services.AddHostedService<ProjectionLagMonitor>();

        if (configuration.GetConnectionString("Redis") is { Length: > 0 } redisConnection)
        {
            var redis = ConnectionMultiplexer.Connect(redisConnection);
            services.AddSingleton<IConnectionMultiplexer>(redis);
            services.AddSignalR().AddStackExchangeRedis(o =>
            {
                o.Configuration.ChannelPrefix = RedisChannel.Literal(configuration["Redis:ChannelPrefix"] ?? "cadap");
                o.ConnectionFactory = _ => Task.FromResult<IConnectionMultiplexer>(redis);
            });
            services.AddSingleton<RedisPresenceStore>();
            services.Replace(ServiceDescriptor.Singleton<IPresenceStore>(sp => sp.GetRequiredService<RedisPresenceStore>()));
            services.AddSingleton<PresenceHeartbeat>();
            services.AddHostedService(sp => sp.GetRequiredService<PresenceHeartbeat>());
            services.Configure<HubOptions>(hub => hub.AddFilter<PresenceTracking>());
        }

        AddTelemetry(builder, node);
    }

    /// <summary>The async projections, and the daemon's leader election: one node at a time runs them.</summary>
    public static void ConfigureMarten(StoreOptions opts, IConfiguration configuration)
    {
        opts.Projections.Add(new AuditIndexProjection(), ProjectionLifecycle.Async);
        // The leader's advisory lock is database-wide: stores in other schemas of the same database elect their own leader.
        opts.Projections.DaemonLockId = DaemonLockIdFor(opts.DatabaseSchemaName);
        opts.Projections.LeadershipPollingTime = configuration.GetValue("Operations:LeadershipPollingMilliseconds", 2000);
        // An older node leading the daemon during an upgrade must not skip an event type it does not know (the index
        // would lack it for good): its projection stops there instead, and the next leader, a newer node, goes on from it.
        opts.Projections.Errors.SkipUnknownEvents = false;
        opts.OpenTelemetry.TrackConnections = TrackLevel.Normal;
        opts.OpenTelemetry.TrackEventCounters();
    }

    /// <summary>Stable across processes and runs (string.GetHashCode is not): FNV-1a of the schema name.</summary>
    private static int DaemonLockIdFor(string schema)
    {
        var hash = 2166136261u;
        foreach (var c in "cadap-daemon:" + schema)
            hash = (hash ^ c) * 16777619u;
        return (int)(hash & 0x7FFFFFFF);
    }

    private static void AddTelemetry(WebApplicationBuilder builder, NodeIdentity node)
    {
        var configuration = builder.Configuration;
        var otlp = configuration["OpenTelemetry:OtlpEndpoint"];
        var console = builder.Environment.IsDevelopment() && configuration.GetValue("OpenTelemetry:Console", false);

        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        if (!builder.Environment.IsDevelopment())
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
            });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("CadapDrafting", serviceInstanceId: node.Name))
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddSource("Microsoft.AspNetCore.SignalR.Server")
                    .AddSource("Marten")
                    .AddSource("Wolverine")
                    .AddNpgsql();
                if (console) tracing.AddConsoleExporter();
                if (!string.IsNullOrEmpty(otlp)) tracing.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
            })
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter("Microsoft.AspNetCore.SignalR.Server", "Microsoft.AspNetCore.Http.Connections")
                    .AddMeter("Marten", "Wolverine", "Npgsql")
                    .AddMeter(ProjectionStatus.MeterName);
                if (console) metrics.AddConsoleExporter();
                if (!string.IsNullOrEmpty(otlp)) metrics.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
            });
    }

    /// <summary>Every log line written while serving a request names the correlation id stored in the event headers, the caller and the
    /// node.</summary>
    public static IApplicationBuilder UseCorrelatedLogging(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("CadapDrafting.Requests");
        var correlation = Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
        http.Response.Headers["X-Correlation-Id"] = correlation;
        using (logger.BeginScope(new Dictionary<string, object?>
        {
            ["CorrelationId"] = correlation,
            ["User"] = http.User.FindFirst("sub")?.Value,
            ["Node"] = http.RequestServices.GetRequiredService<NodeIdentity>().Name,
        }))
            await next(http);
    });
}
