// The same comment command on two write paths, on one PostgreSQL (fsync on), both through an in-process test server:
// the draft's writer (queue per draft, several commands to a transaction) and the Critter Stack's idiomatic path (a
// Wolverine HTTP endpoint with the aggregate handler workflow and an exclusive stream lock, a transaction per command).
// 1 / 8 / 32 clients, all on one draft and each on a draft of its own.
//
//   dotnet run -c Release --project bench/WolverineComparison [-- seconds-per-case]
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CadapDrafting.Bench.Wolverine;
using CadapDrafting.Hosting;

internal static class WolverineComparisonBench
{
    public static async Task Main(string[] args)
    {
        var seconds = args.Length > 0 && double.TryParse(args[0], CultureInfo.InvariantCulture, out var s) ? s : 10;
        var directory = Path.Combine(Path.GetTempPath(), $"cadap-wolverine-bench-{Environment.ProcessId}");
        using var pg = EmbeddedPostgres.Start(directory, durable: true, log: _ => { });
        var rows = new List<string>();
        int[] clientCounts = [1, 8, 32];
        try
        {
            await using (var host = await BenchHttp.StartServerAsync(pg, ("Hardening:RequestsPerWindow", "100000000")))
            {
                var editor = await BenchHttp.ClientFor(host, "kg-editor");
                var drafts = new List<(Guid Draft, Guid Node)>();
                for (var i = 0; i < clientCounts.Max(); i++) drafts.Add(await CreateDraftWithOneNode(editor));
                foreach (var clients in clientCounts)
                    foreach (var spread in new[] { false, true })
                        rows.Add(await Measure("draft writer", clients, spread, seconds, async (client, n) =>
                        {
                            var (draft, node) = drafts[spread ? client : 0];
                            return await BenchHttp.Post(editor, $"/api/drafts/{draft}/threads", new { nodeId = node, text = $"Remark {client}.{n}" });
                        }));
            }

            await using (var host = await IdiomaticPath.StartAsync(pg.ConnectionString))
            {
                using var http = host.Server.CreateClient();
                var drafts = new List<Guid>();
                for (var i = 0; i < clientCounts.Max(); i++) drafts.Add(await IdiomaticPath.StartDraftAsync(host));
                foreach (var clients in clientCounts)
                    foreach (var spread in new[] { false, true })
                        rows.Add(await Measure("Wolverine endpoint, exclusive lock", clients, spread, seconds, (client, n) =>
                            http.PostAsJsonAsync($"/minimal-drafts/{drafts[spread ? client : 0]}/comments", new { text = $"Remark {client}.{n}" })));
            }
        }
        finally
        {
            pg.Destroy();
        }

        var report = new StringBuilder("# Write paths compared: one comment command\n\n")
            .Append(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, ")
            .Append(CultureInfo.InvariantCulture, $"{seconds} s per case after a warm-up\n\n")
            .Append("| path | clients | drafts | commits/s | p50 ms | p95 ms | p99 ms | failed |\n|---|---:|---|---:|---:|---:|---:|---:|\n");
        foreach (var row in rows) report.AppendLine(row);
        Console.WriteLine(report);
        var results = Path.Combine(BenchRepository.Root, "bench", "results", "wolverine-comparison.md");
        File.WriteAllText(results, report.ToString());
        Console.WriteLine($"Written to {results}");
    }

    private static async Task<string> Measure(string path, int clients, bool spread, double seconds, Func<int, int, Task<HttpResponseMessage>> send)
    {
        async Task<(List<double> Latencies, int Failed)> Run(double forSeconds)
        {
            var stopAt = Stopwatch.GetTimestamp() + (long)(forSeconds * Stopwatch.Frequency);
            var perClient = await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
            {
                var latencies = new List<double>();
                var failed = 0;
                for (var n = 0; Stopwatch.GetTimestamp() < stopAt; n++)
                {
                    var started = Stopwatch.GetTimestamp();
                    using var response = await send(client, n);
                    if (response.IsSuccessStatusCode) latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    else failed++;
                }
                return (latencies, failed);
            })));
            return (perClient.SelectMany(c => c.latencies).Order().ToList(), perClient.Sum(c => c.failed));
        }

        await Run(Math.Min(1, seconds / 2)); // warm-up
        var clock = Stopwatch.StartNew();
        var (latencies, failed) = await Run(seconds);
        var took = clock.Elapsed.TotalSeconds;
        double P(double q) =>
            latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
        var row = string.Create(CultureInfo.InvariantCulture,
            $"| {path} | {clients} | {(spread ? "one each" : "one")} | {latencies.Count / took:N0} | " +
            $"{P(0.5):0.0} | {P(0.95):0.0} | {P(0.99):0.0} | {failed} |");
        Console.WriteLine(row);
        return row;
    }

    private static async Task<(Guid Draft, Guid Node)> CreateDraftWithOneNode(HttpClient editor)
    {
        var created = await BenchHttp.Post(editor, "/api/drafts",
            new { country = "KG", kind = "ActionPlan", title = new { en = "Bench plan" }, periodStart = 2025, periodEnd = 2030 });
        created.EnsureSuccessStatusCode();
        var draft = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result").GetProperty("draftId").GetGuid();
        var inserted = await BenchHttp.Post(editor, $"/api/drafts/{draft}/proposals",
            new {
                kind = "Insert", nodeKind = "Action", text = new { en = "Opioid agonist therapy in every region" }, rationale = "Bench",
                acceptNow = true
            });
        inserted.EnsureSuccessStatusCode();
        return (draft, (await inserted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result").GetProperty("nodeId").GetGuid());
    }
}
