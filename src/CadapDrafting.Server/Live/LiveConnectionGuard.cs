using System.Globalization;
using System.IO.Pipelines;
using System.Threading.RateLimiting;
using CadapDrafting.Identity;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.SignalR;

namespace CadapDrafting.Live;

/// <summary>
/// Holds every hub connection to the hub's own rules: at most so many connections and calls per person, no
/// call and no push after the connection's token expired, and no viewer who stops reading holding up the
/// others (see <see cref="StallGuardedTransport"/>).
/// </summary>
public sealed class LiveConnectionGuard(LiveConnections connections, LiveLimits limits, TimeProvider clock, ILoggerFactory loggers)
    : IHubFilter, IDisposable
{
    private readonly ILogger _log = loggers.CreateLogger<LiveConnectionGuard>();
    private readonly PartitionedRateLimiter<string> _calls = PartitionedRateLimiter.Create<string, string>(userId =>
        RateLimitPartition.GetFixedWindowLimiter(userId, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limits.CallsFor(userId),
            Window = TimeSpan.FromSeconds(limits.CallsWindowSeconds),
            QueueLimit = 0,
        }));

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        var caller = context.Context;
        var actor = Actor.FromPrincipal(caller.User!);
        var expires = ExpiryOf(caller);
        if (expires <= clock.GetUtcNow()) throw new HubException("401 Unauthorized: your sign-in has expired. Sign in again.");
        var connection = new LiveConnections.Connection(caller.ConnectionId, actor, expires, () => Drop(caller));
        var limit = limits.ConnectionsFor(actor.UserId);
        if (!connections.TryAdd(connection, limit))
            throw new HubException($"429 Too many connections: you already hold {limit} live connections, the most one person may. Close a tab or " +
                "window you no longer use.");

        if (caller.Features.Get<IConnectionTransportFeature>() is { } transport)
            transport.Transport = new StallGuardedTransport(transport.Transport, TimeSpan.FromSeconds(limits.StalledViewerSeconds), () =>
            {
                _log.LogWarning("Dropped live connection {ConnectionId} of {UserId}: more than {Kilobytes} KB unread for {Seconds} s",
                    caller.ConnectionId, actor.UserId, limits.ViewerBufferKilobytes, limits.StalledViewerSeconds);
                Drop(caller);
            });
        if (expires is { } at) CloseAt(caller, at);
        await next(context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        try { await next(context, exception); }
        finally { connections.Remove(context.Context.ConnectionId); }
    }

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var caller = invocation.Context;
        if (connections.Find(caller.ConnectionId) is not { } connection) throw new HubException("401 Unauthorized: this connection is closing.");
        if (connection.Expires <= clock.GetUtcNow())
        {
            Drop(caller);
            throw new HubException("401 Unauthorized: your sign-in has expired. Sign in again and reconnect.");
        }
        using var lease = _calls.AttemptAcquire(connection.Actor.UserId);
        if (!lease.IsAcquired)
        {
            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                ? (int)Math.Ceiling(wait.TotalSeconds) : limits.CallsWindowSeconds;
            throw new HubException(string.Create(CultureInfo.InvariantCulture,
                $"429 Too many requests: you have made more than {limits.CallsFor(connection.Actor.UserId)} hub calls in " +
                    $"{limits.CallsWindowSeconds} s. Try again in {retryAfter} s."));
        }
        return await next(invocation);
    }

    /// <summary>
    /// Ends the connection as a network loss would: its client reconnects (with a fresh token) and joins again with
    /// its last position. (Aborting the hub connection itself would tell the client never to reconnect.)
    /// </summary>
    private static void Drop(HubCallerContext caller)
    {
        if (caller.Features.Get<IConnectionLifetimeFeature>() is { } lifetime) lifetime.Abort();
        else caller.Abort();
    }

    /// <summary>The token's expiry ("exp", seconds since 1970), which the bearer handler has already checked.</summary>
    private static DateTimeOffset? ExpiryOf(HubCallerContext caller) =>
        long.TryParse(caller.User?.FindFirst("exp")?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    /// <summary>The connection closes when its token expires; the client reconnects with a fresh one (or not at all).</summary>
    private void CloseAt(HubCallerContext caller, DateTimeOffset expires)
    {
        var timer = clock.CreateTimer(_ => Drop(caller), null, expires - clock.GetUtcNow(), Timeout.InfiniteTimeSpan);
        caller.ConnectionAborted.Register(() => timer.Dispose());
    }

    public void Dispose() => _calls.Dispose();
}

/// <summary>
/// The connection's transport with one rule added: a write that cannot be buffered (the client has more than
/// the transport's buffer unread, <see cref="LiveLimits.ViewerBufferKilobytes"/>) may wait for the client at
/// most <c>grace</c>; then the connection is dropped. The client catches up when it reconnects, and nothing that
/// writes to this connection waits longer than that.
/// </summary>
public sealed class StallGuardedTransport(IDuplexPipe inner, TimeSpan grace, Action drop) : IDuplexPipe
{
    public PipeReader Input => inner.Input;
    public PipeWriter Output { get; } = new GuardedWriter(inner.Output, grace, drop);

    private sealed class GuardedWriter(PipeWriter inner, TimeSpan grace, Action drop) : PipeWriter
    {
        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            var flush = inner.FlushAsync(cancellationToken);
            return flush.IsCompleted ? flush : WithinGraceAsync(flush.AsTask());
        }

        private async ValueTask<FlushResult> WithinGraceAsync(Task<FlushResult> flush)
        {
            if (await Task.WhenAny(flush, Task.Delay(grace)) == flush) return await flush;
            drop();
            return new FlushResult(isCanceled: false, isCompleted: true);
        }

        public override void Advance(int bytes) => inner.Advance(bytes);
        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);
        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);
        public override void CancelPendingFlush() => inner.CancelPendingFlush();
        public override void Complete(Exception? exception = null) => inner.Complete(exception);
        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;
        public override long UnflushedBytes => inner.UnflushedBytes;
    }
}
