using Microsoft.AspNetCore.SignalR;

namespace CadapDrafting.Operations;

/// <summary>Tells the presence heartbeat which connections live on this node, and refreshes a caller's presence on each call.</summary>
public sealed class PresenceTracking(PresenceHeartbeat heartbeat, RedisPresenceStore store) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext context, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var result = await next(context);
        await store.RefreshAsync(context.Context.ConnectionId);
        return result;
    }

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        heartbeat.Connected(context.Context.ConnectionId);
        return next(context);
    }

    public Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        heartbeat.Disconnected(context.Context.ConnectionId);
        return next(context, exception);
    }
}
