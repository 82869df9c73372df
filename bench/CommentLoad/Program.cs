// Comments on one node of one draft by many people at once: how many are stored per second, how long
// each waits, and whether any fails. Everything is real: the HTTP pipeline, the draft writer, Marten and
// a private PostgreSQL cluster (fsync on) started for this run.
//
//   dotnet run -c Release --project bench/CommentLoad [-- rounds]
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Alba;
using CadapDrafting.Hosting;
using Microsoft.AspNetCore.Hosting;

internal static class CommentLoadBench
{
    public static async Task Main(string[] args)
    {
        var rounds = args.Length > 0 && int.TryParse(args[0], out var r) ? r : 5;
        var directory = Path.Combine(Path.GetTempPath(), $"cadap-bench-{Environment.ProcessId}");
        using var pg = EmbeddedPostgres.Start(directory, durable: true, log: _ => { });
        try
        {
            // A few people send thousands of comments here: the per-user request limit would measure itself.
            await using var host = await BenchHttp.StartServerAsync(pg, ("Hardening:RequestsPerWindow", "10000000"));

            var editor = await BenchHttp.ClientFor(host, "kg-editor");
            var (draft, node) = await CreateDraftWithOneNode(editor);
            await BenchHttp.Post(editor, $"/api/drafts/{draft}/rounds", new { endsAt = DateTimeOffset.UtcNow.AddDays(30), isPublic = true });
            string[] people = ["kg-editor", "kg-drafter", "eu-expert-1", "eu-expert-2", "cso-1"];
            var clients = new Dictionary<string, HttpClient>();
            foreach (var id in people) clients[id] = await BenchHttp.ClientFor(host, id);

            Console.WriteLine($"{"commenters",10} {"comments",9} {"per s",8} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"failed",7}");
            foreach (var commenters in new[] { 1, 10, 50, 200 })
            {
                var latencies = new List<double>();
                var failed = 0;
                var total = Stopwatch.StartNew();
                for (var round = 0; round < rounds; round++)
                {
                    var results = await Task.WhenAll(Enumerable.Range(0, commenters).Select(async i =>
                    {
                        var started = Stopwatch.GetTimestamp();
                        var response = await BenchHttp.Post(clients[people[i % people.Length]], $"/api/drafts/{draft}/threads",
                            new { nodeId = node, text = $"Remark {round}.{i} on the regional coverage" });
                        return (response.IsSuccessStatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }));
                    latencies.AddRange(results.Select(x => x.TotalMilliseconds));
                    failed += results.Count(x => !x.IsSuccessStatusCode);
                }
                total.Stop();
                latencies.Sort();
                double P(double q) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
                Console.WriteLine($"{commenters,10} {latencies.Count,9} {latencies.Count / total.Elapsed.TotalSeconds,8:F0} {P(0.5),8:F1} " +
                    $"{P(0.95),8:F1} {P(0.99),8:F1} {failed,7}");
            }

            var read = Stopwatch.StartNew();
            const int reads = 50;
            for (var i = 0; i < reads; i++)
                (await editor.GetAsync($"/api/drafts/{draft}/threads?nodeId={node}")).EnsureSuccessStatusCode();
            var threads = JsonDocument.Parse(await editor.GetStringAsync($"/api/drafts/{draft}/threads/counts")).RootElement[0];
            Console.WriteLine($"threads on the node: {threads.GetProperty("open").GetInt32()}; reading them all: " +
                $"{read.Elapsed.TotalMilliseconds / reads:F1} ms per request");
        }
        finally
        {
            pg.Destroy();
        }
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
