using System.Net.Sockets;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>
/// A TCP relay in front of the server that can cut the network: every open connection is dropped and
/// new ones are refused until it is restored. Clients see a real connection loss, not a polite close.
/// It can also stall: connections stay open but nothing moves either way until it is resumed, as with a
/// client whose network hangs or whose tab is frozen.
/// </summary>
public sealed class LoopbackProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _target;
    private readonly List<TcpClient> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _down;
    private volatile TaskCompletionSource _flowing = Flowing();

    private static TaskCompletionSource Flowing()
    {
        var flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        flowing.SetResult();
        return flowing;
    }

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

    /// <summary>Nothing is relayed any more, in either direction, on open connections or new ones; nothing is closed.</summary>
    public void Stall() => _flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Resume() => _flowing.TrySetResult();

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
            var a = CopyAsync(inbound.GetStream(), outbound.GetStream());
            var b = CopyAsync(outbound.GetStream(), inbound.GetStream());
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

    private async Task CopyAsync(Stream from, Stream to)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            await _flowing.Task.WaitAsync(_stop.Token);
            var read = await from.ReadAsync(buffer, _stop.Token);
            if (read == 0) return;
            // Data read just before a stall waits with the rest.
            await _flowing.Task.WaitAsync(_stop.Token);
            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        Resume();
        _listener.Stop();
        Cut();
        return ValueTask.CompletedTask;
    }
}
