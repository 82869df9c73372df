using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using CadapDrafting.Live.Client;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace CadapDrafting.Bench.Live;

/// <summary>The floor: a hub with nothing behind it, broadcasting the same update to a group of N clients at the same rate.</summary>
public sealed class BareBroadcast : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Uri _address;

    private BareBroadcast(WebApplication app, Uri address)
    {
        _app = app;
        _address = address;
    }

    public static async Task<BareBroadcast> StartAsync()
    {
        var port = CadapDrafting.Hosting.EmbeddedPostgres.FreePort();
        var builder = WebApplication.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        builder.Services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        var app = builder.Build();
        app.MapHub<BareHub>("/hubs/bare");
        await app.StartAsync();
        return new BareBroadcast(app, new Uri($"http://127.0.0.1:{port}/"));
    }

    public async Task<Measurement> RunAsync(int n, BenchOptions options, JsonElement payload)
    {
        var template = payload.Deserialize<LiveUpdate>(Api.Json)!;
        var total = options.WritesPerRun;
        var received = new long[n][];
        var connections = new HubConnection[n];
        using var gate = new SemaphoreSlim(25);
        await Task.WhenAll(Enumerable.Range(0, n).Select(async c =>
        {
            await gate.WaitAsync();
            try
            {
                var stamps = received[c] = new long[total + 1];
                var connection = connections[c] = new HubConnectionBuilder()
                    .WithUrl(new Uri(_address, "/hubs/bare"), o => o.Transports = HttpTransportType.WebSockets)
                    .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
                    .Build();
                connection.On<LiveUpdate[]>("updates", updates =>
                {
                    foreach (var u in updates)
                        if (u.Position > 0 && u.Position <= total) stamps[u.Position] = Stopwatch.GetTimestamp();
                });
                await connection.StartAsync();
                await connection.InvokeAsync("Join", template.DraftId);
            }
            finally { gate.Release(); }
        }));

        var hub = _app.Services.GetRequiredService<IHubContext<BareHub>>();
        var group = BareHub.GroupOf(template.DraftId);
        var sent = new long[total + 1];
        var start = Stopwatch.GetTimestamp();
        var interval = Stopwatch.Frequency / (double)options.WritesPerSecond;
        for (var k = 1; k <= total; k++)
        {
            var due = start + (long)((k - 1) * interval);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            sent[k] = Stopwatch.GetTimestamp();
            await hub.Clients.Group(group).SendAsync("updates", new[] { template with { Position = k } });
        }
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        await LiveDraftClient.WaitUntilAsync(() => received.All(r => r[total] != 0), TimeSpan.FromSeconds(30), () =>
            "every client received the last broadcast")
            .ContinueWith(t => { if (t.IsFaulted) Console.WriteLine($"  {t.Exception!.InnerException!.Message}"); });

        var latencies = new List<double>();
        long expected = 0, delivered = 0;
        for (var k = options.FirstMeasuredWrite; k <= total; k++)
            foreach (var stamps in received)
            {
                expected++;
                if (stamps[k] == 0) continue;
                delivered++;
                latencies.Add(Stopwatch.GetElapsedTime(sent[k], stamps[k]).TotalMilliseconds);
            }
        await Task.WhenAll(connections.Select(c => c.DisposeAsync().AsTask()));
        return new Measurement(latencies, expected, delivered, 0, 0, total / elapsed);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

public sealed class BareHub : Hub
{
    public static string GroupOf(Guid draftId) => $"draft:{draftId:N}";

    public Task Join(Guid draftId) => Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(draftId));
}
