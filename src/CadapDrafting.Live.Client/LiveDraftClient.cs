using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CadapDrafting.Live.Client;

public sealed class LiveClientOptions
{
    /// <summary>WebSockets first, then Server-Sent Events, then long polling, as negotiated with the server.</summary>
    public HttpTransportType Transports { get; init; } =
        HttpTransportType.WebSockets | HttpTransportType.ServerSentEvents | HttpTransportType.LongPolling;
    /// <summary>Keep every applied update in <see cref="LiveDraftClient.History"/> (for inspection; off for long-running clients).</summary>
    public bool KeepHistory { get; init; }
    /// <summary>How long to wait between attempts to reconnect; it keeps trying until disposed.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Further settings of the underlying connection (proxies, handlers, headers), applied last.</summary>
    public Action<Microsoft.AspNetCore.Http.Connections.Client.HttpConnectionOptions>? Connection { get; init; }
}

/// <summary>
/// Follows one draft live, applying its changes strictly in position order: position last + 1 is applied,
/// anything at or below last is a duplicate and dropped, anything further ahead waits while the gap is
/// fetched. On reconnecting it joins again with its last position, so it ends with every change exactly once.
/// </summary>
public sealed class LiveDraftClient : IAsyncDisposable
{
    public const string HubPath = "/hubs/drafts";

    private readonly HubConnection _connection;
    private readonly Guid _draftId;
    private readonly bool _keepHistory;
    private readonly object _gate = new();
    private readonly SortedDictionary<long, LiveUpdate> _ahead = new();
    private readonly List<LiveUpdate> _history = [];
    private IReadOnlyList<LiveViewer> _viewers = [];
    private long _position;
    private bool _fetching;
    /// <summary>Positions beyond <see cref="_position"/> are known to exist (a catch-up page said more, or Head was ahead).</summary>
    private long _knownHead;
    private readonly TimeSpan _reconnectDelay;
    private volatile bool _stopping;

    /// <summary>Raised for each update applied, in position order, while the client's lock is held: keep it short.</summary>
    public event Action<LiveUpdate>? Applied;
    public event Action<IReadOnlyList<LiveViewer>>? PresenceChanged;
    /// <summary>Raised when the client is too far behind to catch up by replay: reload the document, which is at this position.</summary>
    public event Action<long>? ReloadNeeded;

    public Guid DraftId => _draftId;
    public long Position { get { lock (_gate) return _position; } }
    public IReadOnlyList<LiveUpdate> History { get { lock (_gate) return _history.ToList(); } }
    public IReadOnlyList<LiveViewer> Viewers { get { lock (_gate) return _viewers; } }
    /// <summary>Updates dropped because they were already applied.</summary>
    public int Duplicates { get; private set; }
    /// <summary>Times a gap was noticed and fetched.</summary>
    public int GapsFetched { get; private set; }
    public HubConnectionState State => _connection.State;
    /// <summary>Why the connection closed for good (null while it is open or reconnecting, or after a clean stop).</summary>
    public Exception? ClosedBecause { get; private set; }
    public string? ConnectionId => _connection.ConnectionId;

    private LiveDraftClient(HubConnection connection, Guid draftId, long lastPosition, bool keepHistory, TimeSpan reconnectDelay)
    {
        _reconnectDelay = reconnectDelay;
        _connection = connection;
        _draftId = draftId;
        _position = lastPosition;
        _keepHistory = keepHistory;
        _connection.On<LiveUpdate[]>("updates", Receive);
        _connection.On<LivePresence>("presence", p => { if (p.DraftId == _draftId) SetViewers(p.Viewers); });
        _connection.Reconnected += _ => JoinAsync();
        _connection.Closed += error =>
        {
            ClosedBecause = error;
            if (error is null && !_stopping) _ = StartAgainAsync();
            return Task.CompletedTask;
        };
    }

    public static async Task<LiveDraftClient> ConnectAsync(Uri server, Guid draftId, Func<Task<string?>> accessToken,
        long lastPosition = 0, LiveClientOptions? options = null, CancellationToken ct = default)
    {
        options ??= new LiveClientOptions();
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server, HubPath), o =>
            {
                o.AccessTokenProvider = accessToken;
                o.Transports = options.Transports;
                options.Connection?.Invoke(o);
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .WithAutomaticReconnect(new KeepTrying(options.ReconnectDelay))
            .Build();
        connection.KeepAliveInterval = options.KeepAliveInterval;
        connection.ServerTimeout = options.KeepAliveInterval * 6;
        var client = new LiveDraftClient(connection, draftId, lastPosition, options.KeepHistory, options.ReconnectDelay);
        await connection.StartAsync(ct);
        await client.JoinAsync();
        return client;
    }

    /// <summary>Says which node this person works on (null: none).</summary>
    public Task SetPresenceAsync(Guid? nodeId) => _connection.InvokeAsync("SetPresence", _draftId, nodeId);

    public Task LeaveAsync() => _connection.InvokeAsync("LeaveDraft", _draftId);

    /// <summary>Waits until the client has applied <paramref name="position"/> (or more).</summary>
    public Task WaitForPositionAsync(long position, TimeSpan timeout) => WaitUntilAsync(() => Position >= position, timeout,
        () => $"the client reached position {Position}, not {position}");

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Gave up after {timeout.TotalSeconds:0.#} s: {describe()}");
            await Task.Delay(10);
        }
    }

    private async Task JoinAsync()
    {
        long from;
        lock (_gate)
        {
            _fetching = true;
            from = _position;
        }
        try
        {
            var joined = await _connection.InvokeAsync<LiveJoined>("JoinDraft", _draftId, from);
            SetViewers(joined.Viewers);
            Absorb(joined.Reload, joined.Position, joined.Updates, joined.More);
        }
        finally
        {
            lock (_gate) _fetching = false;
        }
        FetchIfBehind();
    }

    private void Receive(LiveUpdate[] updates)
    {
        lock (_gate)
            foreach (var update in updates)
                Offer(update);
        FetchIfBehind();
    }

    /// <summary>Something is waiting beyond a gap and nobody is fetching it yet: fetch the gap.</summary>
    private void FetchIfBehind()
    {
        long from;
        lock (_gate)
        {
            if (_fetching || (_ahead.Count == 0 && _knownHead <= _position)) return;
            _fetching = true;
            from = _position;
            GapsFetched++;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                var missed = await _connection.InvokeAsync<LiveUpdatesSince>("UpdatesSince", _draftId, from);
                Absorb(missed.Reload, missed.Position, missed.Updates, missed.More);
            }
            catch (Exception)
            {
                // Fetched again at the next update received, or by joining again after reconnecting.
                return;
            }
            finally
            {
                lock (_gate) _fetching = false;
            }
            FetchIfBehind();
        });
    }

    /// <summary>
    /// Asks the server for the draft's last position and fetches what is missing: the one way to notice that the
    /// last update was lost, since no later one arrives to reveal the gap.
    /// </summary>
    public async Task CheckHeadAsync()
    {
        var head = await _connection.InvokeAsync<LiveHead>("Head", _draftId);
        lock (_gate) _knownHead = Math.Max(_knownHead, head.Position);
        FetchIfBehind();
    }

    private void Absorb(bool reload, long position, IEnumerable<LiveUpdate> updates, bool more)
    {
        Action<long>? reloadNeeded = null;
        lock (_gate)
        {
            // A page of a longer catch-up: the rest is fetched from where this page ends.
            if (more) _knownHead = Math.Max(_knownHead, position + 1);
            if (reload && position > _position)
            {
                // The caller reloads the document at this position; changes after it continue from here.
                _position = position;
                foreach (var stale in _ahead.Keys.Where(p => p <= position).ToList()) _ahead.Remove(stale);
                reloadNeeded = ReloadNeeded;
            }
            foreach (var update in updates) Offer(update);
        }
        reloadNeeded?.Invoke(position);
    }

    private void Offer(LiveUpdate update)
    {
        if (update.DraftId != _draftId) return;
        if (update.Position <= _position) { Duplicates++; return; }
        if (update.Position > _position + 1) { _ahead[update.Position] = update; return; }
        Apply(update);
        while (_ahead.Remove(_position + 1, out var next)) Apply(next);
    }

    private void Apply(LiveUpdate update)
    {
        _position = update.Position;
        if (_keepHistory) _history.Add(update);
        Applied?.Invoke(update);
    }

    private void SetViewers(IReadOnlyList<LiveViewer> viewers)
    {
        lock (_gate) _viewers = viewers;
        PresenceChanged?.Invoke(viewers);
    }

    /// <summary>
    /// The server ended the connection without an error, which the automatic reconnect does not cover: a long-polling
    /// connection the server dropped (a viewer too far behind) ends that way. Start again and join with the last position.
    /// </summary>
    private async Task StartAgainAsync()
    {
        while (!_stopping)
        {
            await Task.Delay(_reconnectDelay);
            try
            {
                await _connection.StartAsync();
                await JoinAsync();
                return;
            }
            catch (Exception) when (!_stopping && _connection.State == HubConnectionState.Disconnected)
            {
                // Not reachable yet: try again.
            }
            catch (Exception)
            {
                return;
            }
        }
    }

    public Task StopAsync()
    {
        _stopping = true;
        return _connection.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        await _connection.DisposeAsync();
    }

    private sealed class KeepTrying(TimeSpan delay) : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext retryContext) => retryContext.PreviousRetryCount == 0 ? TimeSpan.Zero : delay;
    }
}
