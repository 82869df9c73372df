using System.Net;
using System.Net.Sockets;

namespace CadapDrafting.Bench.Live;

/// <summary>
/// A TCP relay in front of the server whose connections can stall: they stay open but nothing moves either
/// way, as with a viewer whose network hangs or whose tab is frozen.
/// </summary>
public sealed class StallingRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stalling;

    public Uri Address { get; }

    public StallingRelay(Uri target)
    {
        _target = target;
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _ = AcceptAsync();
    }

    /// <summary>From now on nothing is relayed, until the relay is disposed.</summary>
    public void Stall() => _stalling = true;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try { inbound = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = RelayAsync(inbound);
        }
    }

    private async Task RelayAsync(TcpClient inbound)
    {
        using var client = inbound;
        using var outbound = new TcpClient();
        try
        {
            await outbound.ConnectAsync(_target.Host, _target.Port, _stop.Token);
            await Task.WhenAny(CopyAsync(inbound.GetStream(), outbound.GetStream()), CopyAsync(outbound.GetStream(), inbound.GetStream()));
        }
        catch (Exception) { }
    }

    private async Task CopyAsync(Stream from, Stream to)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await from.ReadAsync(buffer, _stop.Token);
            if (read == 0) return;
            if (_stalling) await _stalled.Task.WaitAsync(_stop.Token);
            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        return ValueTask.CompletedTask;
    }
}
