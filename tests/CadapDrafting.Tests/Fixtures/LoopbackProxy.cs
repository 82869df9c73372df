using System.Net.Sockets;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>
/// A TCP relay in front of the server that can cut the network: every open connection is dropped and
/// new ones are refused until it is restored. Clients see a real connection loss, not a polite close.
/// </summary>
public sealed class LoopbackProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _target;
    private readonly List<TcpClient> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _down;

    public Uri Address { get; }

    public LoopbackProxy(Uri target)
    {
        _target = target;
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _ = AcceptAsync();
    }

    public void Cut()
    {
        _down = true;
        lock (_open)
        {
            foreach (var socket in _open) socket.Client?.Close(0);
            _open.Clear();
        }
    }

    public void Restore() => _down = false;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try { inbound = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            if (_down) { inbound.Client.Close(0); continue; }
            _ = RelayAsync(inbound);
        }
    }

    private async Task RelayAsync(TcpClient inbound)
    {
        var outbound = new TcpClient();
        try
        {
            await outbound.ConnectAsync(_target.Host, _target.Port);
            lock (_open) { _open.Add(inbound); _open.Add(outbound); }
            var a = inbound.GetStream().CopyToAsync(outbound.GetStream(), _stop.Token);
            var b = outbound.GetStream().CopyToAsync(inbound.GetStream(), _stop.Token);
            await Task.WhenAny(a, b);
        }
        catch (Exception) { }
        finally
        {
            lock (_open) { _open.Remove(inbound); _open.Remove(outbound); }
            inbound.Dispose();
            outbound.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        Cut();
        return ValueTask.CompletedTask;
    }
}
