using System.Diagnostics;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using CadapDrafting.Hosting;
using Microsoft.AspNetCore.Http.Connections.Client;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>
/// nginx with the shipped <c>deploy/nginx/nginx.conf</c> in front of a cluster's nodes. Only addresses change: it
/// listens on a loopback port of its own and <c>server-N:8080</c> becomes the Nth node's loopback port, since the
/// containers' names do not resolve here. Everything else (hashing, retries, headers, timeouts) is as shipped.
/// </summary>
public sealed partial class LoadBalancer : IAsyncDisposable
{
    private readonly Process _nginx;
    private readonly string _folder;

    public Uri Address { get; }

    private LoadBalancer(Process nginx, string folder, Uri address) => (_nginx, _folder, Address) = (nginx, folder, address);

    public static async Task<LoadBalancer> StartAsync(IReadOnlyList<ServerNode> nodes)
    {
        var shipped = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "deploy", "nginx", "nginx.conf"));
        var port = EmbeddedPostgres.FreePort();
        var config = UpstreamServer().Replace(shipped, m => $"server 127.0.0.1:{nodes[int.Parse(m.Groups[1].Value) - 1].Port}");
        config = Listen().Replace(config, $"listen 127.0.0.1:{port};");
        Assert.DoesNotMatch(UpstreamServer(), config);

        var folder = Path.Combine(Path.GetTempPath(), $"cadap-nginx-{Guid.NewGuid():N}"[..24]);
        Directory.CreateDirectory(Path.Combine(folder, "logs"));
        await File.WriteAllTextAsync(Path.Combine(folder, "nginx.conf"), config);
        var nginx = Process.Start(new ProcessStartInfo(NginxBinary(),
            ["-p", folder, "-c", Path.Combine(folder, "nginx.conf"), "-e", Path.Combine(folder, "logs", "error.log"),
             "-g", $"daemon off; pid {Path.Combine(folder, "nginx.pid")};"])
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        nginx.OutputDataReceived += (_, _) => { };
        nginx.ErrorDataReceived += (_, _) => { };
        nginx.BeginOutputReadLine();
        nginx.BeginErrorReadLine();
        var balancer = new LoadBalancer(nginx, folder, new Uri($"http://127.0.0.1:{port}/"));
        var until = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (nginx.HasExited)
                throw new InvalidOperationException($"nginx exited: {await File.ReadAllTextAsync(Path.Combine(folder, "logs", "error.log"))}");
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port);
                return balancer;
            }
            catch (SocketException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(50);
            }
        }
    }

    private static string NginxBinary() =>
        new[] { "/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx" }.FirstOrDefault(File.Exists) ?? "nginx";

    /// <summary>
    /// An HTTP client whose connections come from <paramref name="from"/> (any 127.x.y.z is this machine), so the
    /// balancer, which keeps each client address on one node, spreads the test's clients as it spreads people.
    /// </summary>
    public static SocketsHttpHandler From(IPAddress from) => new()
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(from, 0));
                await socket.ConnectAsync(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
        PooledConnectionLifetime = TimeSpan.FromSeconds(30),
    };

    /// <summary>Every request of a SignalR client (negotiate, polls, SSE, the WebSocket) from one client address.</summary>
    public static Action<HttpConnectionOptions> ConnectFrom(IPAddress from) => options =>
    {
        options.HttpMessageHandlerFactory = _ => From(from);
        options.WebSocketFactory = async (context, ct) =>
        {
            var socket = new ClientWebSocket();
            var uri = context.Uri;
            // Browsers cannot send headers on a WebSocket either: the hub takes the token from the query string.
            if (context.Options.AccessTokenProvider is { } provider && await provider() is { Length: > 0 } token)
                uri = new Uri(uri + (uri.Query.Length > 0 ? "&" : "?") + "access_token=" + Uri.EscapeDataString(token));
            await socket.ConnectAsync(uri, new HttpMessageInvoker(From(from)), ct);
            return socket;
        };
    };

    public ValueTask DisposeAsync()
    {
        try
        {
            if (!_nginx.HasExited) _nginx.Kill(entireProcessTree: true);
            _nginx.WaitForExit(5000);
        }
        catch (InvalidOperationException) { }
        _nginx.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }

    [GeneratedRegex(@"server server-(\d+):8080")]
    private static partial Regex UpstreamServer();

    [GeneratedRegex(@"listen 80;")]
    private static partial Regex Listen();
}
