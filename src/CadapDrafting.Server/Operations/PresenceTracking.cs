using Microsoft.AspNetCore.SignalR;

namespace CadapDrafting.Operations;

/// <summary>
/// Tells the presence heartbeat which connections live on this node; the heartbeat keeps their presence alive
/// (every third of its lifetime), so a hub call costs no Redis round trips of its own.
/// </summary>
public sealed class PresenceTracking(PresenceHeartbeat heartbeat) : IHubFilter
{
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
