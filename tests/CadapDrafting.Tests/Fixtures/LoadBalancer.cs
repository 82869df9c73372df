using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Connections.Client;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>nginx with the shipped <c>deploy/nginx/nginx.conf</c> in front of a cluster's nodes (see <see
/// cref="CadapDrafting.Bench.LocalProcess.StartNginxAsync"/>).</summary>
public sealed class LoadBalancer : IAsyncDisposable
{
    private readonly CadapDrafting.Bench.LocalProcess _nginx;

    public Uri Address => _nginx.Address;

    private LoadBalancer(CadapDrafting.Bench.LocalProcess nginx) => _nginx = nginx;

    public static async Task<LoadBalancer> StartAsync(IReadOnlyList<ServerNode> nodes) =>
        new(await CadapDrafting.Bench.LocalProcess.StartNginxAsync(Repository.Root, nodes.Select(n => n.Port).ToList()));

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

    public ValueTask DisposeAsync() => _nginx.DisposeAsync();
}
