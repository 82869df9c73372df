using System.Collections.Concurrent;
using CadapDrafting.Drafts.Writing;
using CadapDrafting.Infrastructure;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.SignalR;

namespace CadapDrafting.Operations;

/// <summary>
/// A node asked to stop (SIGTERM, `docker stop`, a rolling restart) leaves without losing anything: it stops
/// taking new work (readiness and new requests answer 503, so the load balancer resends them to another node:
/// every command carries its id, so a resend is stored once), lets the writer finish the batches it holds,
/// then closes its live connections with SignalR's "reconnect" hint; the clients reconnect through the load
/// balancer to another node and join again from their last position. Only then does the host stop.
/// </summary>
public sealed class NodeDrain(DraftWriter writer, IConfiguration configuration, ILogger<NodeDrain> logger)
    : IHostedLifecycleService, IHubFilter
{
    private readonly ConcurrentDictionary<string, HubCallerContext> _connections = new();
    private volatile bool _draining;

    public bool IsDraining => _draining;

    private TimeSpan Bound => TimeSpan.FromSeconds(configuration.GetValue("Operations:DrainSeconds", 20));

    /// <summary>Runs before the host's own shutdown (which would drop every connection without a hint).</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        var started = DateTime.UtcNow;
        logger.LogInformation("Draining: no new work is taken; {Connections} live connections", _connections.Count);

        // The batches already queued or being written finish and answer their senders.
        while (!writer.IsIdle && DateTime.UtcNow - started < Bound) await Task.Delay(20, CancellationToken.None);

        foreach (var connection in _connections.Values)
        {
            if (connection.Features.Get<IConnectionLifetimeNotificationFeature>() is { } lifetime) lifetime.RequestClose();
            else connection.Abort();
        }
        while (!_connections.IsEmpty && DateTime.UtcNow - started < Bound) await Task.Delay(20, CancellationToken.None);
        logger.LogInformation("Drained in {Ms} ms; {Left} connections left to the host's shutdown",
            (int)(DateTime.UtcNow - started).TotalMilliseconds, _connections.Count);
    }

    /// <summary>New work is refused while draining; what keeps an existing live connection going (its polls) is not.</summary>
    public bool Refuses(HttpRequest request) =>
        _draining && !(request.Path.StartsWithSegments("/hubs") && request.Query.ContainsKey("id")) &&
            !request.Path.StartsWithSegments("/health/live");

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        _connections[context.Context.ConnectionId] = context.Context;
        return next(context);
    }

    public Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        _connections.TryRemove(context.Context.ConnectionId, out _);
        return next(context, exception);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class NodeDrainSetup
{
    public static void AddNodeDrain(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<NodeDrain>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NodeDrain>());
        builder.Services.Configure<HubOptions>(hub => hub.AddFilter<NodeDrain>());
    }

    /// <summary>
    /// While draining, new requests get 503 with <c>Connection: close</c>: the load balancer sends them to another
    /// node (nginx's <c>proxy_next_upstream http_503 non_idempotent</c>), a direct client retries.
    /// </summary>
    public static void UseNodeDrain(this WebApplication app)
    {
        var drain = app.Services.GetRequiredService<NodeDrain>();
        app.Use(async (http, next) =>
        {
            if (!drain.Refuses(http.Request))
            {
                await next(http);
                return;
            }
            http.Response.Headers.Connection = "close";
            http.Response.Headers.RetryAfter = "1";
            await HttpCommands.ToResult(http, new Problem(503, "Node is stopping",
                "This server node is stopping; nothing of this request was done. Send it again (with the same command id): another node takes it."))
                .ExecuteAsync(http);
        });
    }
}
