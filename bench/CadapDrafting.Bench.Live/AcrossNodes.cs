using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CadapDrafting.Live.Client;
using CadapDrafting.Proof;
using Microsoft.AspNetCore.Http.Connections;

namespace CadapDrafting.Bench.Live;

/// <summary>
/// Three server processes on one PostgreSQL with the Redis backplane. For each N: the same command → client latency
/// with the N clients on the writer's node only (single node), then spread over the three nodes (the clients on the
/// two other nodes are the cross-node figure). Then failover behind the shipped nginx: viewers and a writer go
/// through the balancer, the node the viewers are on is killed (SIGKILL), and the time from the kill until every
/// viewer has applied a change committed after it (so is live again on another node) is measured.
/// </summary>
public static class AcrossNodes
{
    private const string Schema = "bench_nodes";

    public static async Task<string> RunAsync(BenchOptions options, string connectionString)
    {
        await using var redis = await LocalProcess.StartRedisAsync();
        var nodes = new List<ServerProcess>();
        try
        {
            for (var i = 1; i <= 3; i++)
                nodes.Add(await ServerProcess.StartAsync(connectionString, Schema, settings: new Dictionary<string, string>
                {
                    ["ConnectionStrings__Redis"] = $"127.0.0.1:{redis.Port}",
                    ["Redis__ChannelPrefix"] = Schema,
                    ["Node__Name"] = $"server-{i}",
                }));
            var addresses = nodes.Select(n => n.Address).ToList();
            Console.WriteLine($"Three nodes on {string.Join(", ", addresses)} with redis-server on {redis.Port}");
            var api = new Api(addresses[0]);
            if (options.WarmupSeconds > 0)
            {
                Console.WriteLine($"Warm-up: {options.WarmupSeconds} s of the same writes with 10 viewers over the three nodes (not counted)");
                await FullPath.RunAsync(api, addresses, 10, options with { Seconds = options.WarmupSeconds, SettleSeconds = 0 });
            }

            var s = new StringBuilder("# Live updates across nodes\n\n");
            s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores: three server processes (Development, Redis " +
                    $"backplane) and every client on this machine; {options.WritesPerSecond} writes/s, {options.SettleSeconds} s settling (not " +
                    $"counted) then {options.Seconds} s measured per row, commands sent to node A, after a warm-up of {options.WarmupSeconds} s."));
            s.AppendLine();
            s.AppendLine("| N viewers | where | p50 ms | p95 ms | p99 ms | max ms | lost | gaps fetched |");
            s.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|");
            foreach (var n in options.ClientCounts)
            {
                var single = await FullPath.RunAsync(api, [addresses[0]], n, options);
                Console.WriteLine($"N={n,4}  all on node A: {single}");
                var spread = await FullPath.RunAsync(api, addresses, n, options);
                Console.WriteLine($"        spread over A, B, C: {spread}");
                Console.WriteLine($"        on B and C only (cross-node): {spread.CrossNode}");
                s.AppendLine(Row(n, "all on node A (single node)", single, single));
                s.AppendLine(Row(n, "spread over three nodes, all", spread, spread));
                s.AppendLine(Row(n, "spread, viewers on B and C (command on A → viewer on B)", spread.CrossNode!, spread));
            }

            var failover = await FailoverAsync(nodes, options);
            s.AppendLine();
            s.AppendLine(failover);
            return s.ToString();
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

    /// <summary>Viewers and a writer behind nginx; the viewers' node dies; how long until all of them are live again.</summary>
    private static async Task<string> FailoverAsync(List<ServerProcess> nodes, BenchOptions options)
    {
        await using var nginx = await LocalProcess.StartNginxAsync(BenchRepository.Root, nodes.Select(n => n.Address.Port).ToList());
        var api = new Api(nginx.Address);
        var viewerCount = options.ClientCounts.Min() < 100 ? options.ClientCounts.Max() : 100;
        var editor = await api.ClientFor("kg-editor");
        var created = await Api.CommandAsync(editor, "/api/drafts",
            new { country = "KG", kind = "ActionPlan", title = new { en = "Failover plan" }, periodStart = 2026, periodEnd = 2030 });
        var draftId = created.GetProperty("result").GetProperty("draftId").GetGuid();
        var position = (await editor.GetFromJsonAsync<JsonElement>($"/api/drafts/{draftId}")).GetProperty("position").GetInt64();
        var viewers = await Task.WhenAll(Enumerable.Range(0, viewerCount).Select(c => LiveDraftClient.ConnectAsync(nginx.Address, draftId,
            async () => await api.TokenFor("kg-approver-1"), position,
            new LiveClientOptions { Transports = HttpTransportType.WebSockets, ReconnectDelay = TimeSpan.FromMilliseconds(100) })));
        // Every client here comes from 127.0.0.1, so the balancer keeps them all on one node: that node dies.
        var auditor = await api.ClientFor("auditor");
        var victim = (await auditor.GetFromJsonAsync<JsonElement>("/api/ops/status")).GetProperty("node").GetString()!;
        var victimProcess = nodes[int.Parse(victim["server-".Length..]) - 1];

        using var stop = new CancellationTokenSource();
        long firstAfterKill = 0;
        var killedAt = 0L;
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var sentAt = Stopwatch.GetTimestamp();
                var id = Guid.NewGuid();
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/drafts/{draftId}/proposals")
                        {
                            Content = JsonContent.Create(new {
                                kind = "Insert", nodeKind = "Action", text = new { en = $"Failover action {i}" }, rationale = "Benchmark",
                                acceptNow = true,
                            }, options: Api.Json),
                        };
                        request.Headers.Add("Idempotency-Key", id.ToString());
                        var response = await editor.SendAsync(request);
                        if (response.IsSuccessStatusCode)
                        {
                            var committed = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("position").GetInt64();
                            if (Volatile.Read(ref killedAt) != 0 && sentAt > killedAt && Interlocked.Read(ref firstAfterKill) == 0)
                                Interlocked.Exchange(ref firstAfterKill, committed);
                            break;
                        }
                    }
                    catch (HttpRequestException) { }
                    // Not answered: the same command again, with its id.
                    await Task.Delay(50);
                }
                await Task.Delay(1000 / Math.Max(1, options.WritesPerSecond));
            }
        });

        await Task.Delay(TimeSpan.FromSeconds(3));
        Volatile.Write(ref killedAt, Stopwatch.GetTimestamp());
        victimProcess.Kill();
        var caughtUp = TimeSpan.Zero;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var target = Interlocked.Read(ref firstAfterKill);
            if (target > 0 && viewers.All(v => v.Position >= target))
            {
                caughtUp = Stopwatch.GetElapsedTime(killedAt);
                break;
            }
            await Task.Delay(5);
        }
        stop.Cancel();
        await writer;
        var behind = viewers.Count(v => v.Position < Interlocked.Read(ref firstAfterKill));
        foreach (var v in viewers) await v.DisposeAsync();
        var line = caughtUp > TimeSpan.Zero
            ? string.Create(CultureInfo.InvariantCulture,
                $"Failover behind nginx: {viewerCount} viewers (WebSockets) on {victim}, killed (SIGKILL) while a writer sent " +
                    $"{options.WritesPerSecond} commands/s through nginx; every viewer had applied a change committed after the kill " +
                    $"{caughtUp.TotalSeconds:0.00} s after it.")
            : $"Failover behind nginx: {behind} of {viewerCount} viewers had not caught up within 60 s of killing {victim}.";
        Console.WriteLine(line);
        return line;
    }

    private static string Row(int n, string where, Measurement m, Measurement run) => string.Create(CultureInfo.InvariantCulture,
        $"| {n} | {where} | {m.P(0.5):0.0} | {m.P(0.95):0.0} | {m.P(0.99):0.0} | {m.Max:0.0} | {run.Lost} / {run.Expected} | {run.GapsFetched} |");
}
