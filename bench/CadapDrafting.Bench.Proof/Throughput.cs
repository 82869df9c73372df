using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace CadapDrafting.Proof;

/// <summary>
/// HTTP commands per second (comments, proposals) at 1, 8 and 32 concurrent clients, spread over many drafts and all
/// on one draft, each beside raw Npgsql single-row INSERTs of the same JSON payload at the same concurrency in the
/// same run on the same PostgreSQL: the ratio says how much of the machine's write capacity the product keeps.
/// </summary>
public static class Throughput
{
    public const string Schema = "proof_bench";
    private static readonly int[] Concurrency = [1, 8, 32];

    public static async Task<string> RunAsync(string connectionString, int seconds)
    {
        await using var server = await ServerProcess.StartAsync(connectionString, Schema);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await new NpgsqlCommand("create schema if not exists proof_raw; create table if not exists proof_raw.inserts(id bigserial primary key, " +
                "draft uuid not null, payload jsonb not null)", connection).ExecuteNonQueryAsync();
        }
        var editor = await ProofClient.SignInAsync(server.Address, "kg-editor");
        var report = new StringBuilder("## HTTP command throughput vs raw single-row INSERT (same payload, same concurrency, same run)\n\n");
        report.Append(string.Create(CultureInfo.InvariantCulture,
            $"Each cell: {seconds} s of closed-loop clients; durable PostgreSQL (fsync on); server as its own process on loopback.\n\n"));
        report.Append("| command | clients | drafts | HTTP commands/s | p50 ms | p99 ms | raw INSERT/s | HTTP ÷ raw | server CPU ms/command | " +
            "errors |\n|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var kind in new[] { "comment", "proposal" })
            foreach (var clients in Concurrency)
                foreach (var spread in new[] { true, false })
                {
                    var drafts = new List<(Guid Draft, Guid Node)>();
                    for (var d = 0; d < (spread ? Math.Max(clients, 8) : 1); d++) drafts.Add(await CreateDraftAsync(editor));
                    var cpuBefore = server.CpuSeconds();
                    var http = await HttpRunAsync(editor, kind, drafts, clients, seconds);
                    var cpuPerCommand = (server.CpuSeconds() - cpuBefore) * 1000 / Math.Max(1, http.PerSecond * seconds);
                    var raw = await RawRunAsync(connectionString, Payload(kind, drafts[0].Node), clients, seconds);
                    var row = string.Create(CultureInfo.InvariantCulture,
                        $"| {kind} | {clients} | {(spread ? $"spread ({drafts.Count})" : "one")} | {http.PerSecond:N0} | {http.P50:0.0} | " +
                            $"{http.P99:0.0} | {raw:N0} | {http.PerSecond / raw:0.00} | {cpuPerCommand:0.0} | {http.Errors} |\n");
                    Console.Write(row);
                    report.Append(row);
                }
        report.Append("\nTargets: spread ≥ 0.5 × raw at equal concurrency; one draft ≥ 500 commands/s.\n\n");
        return report.ToString();
    }

    private static object Payload(string kind, Guid node) => kind == "comment"
        ? new { nodeId = node, text = "Remark on the regional coverage of opioid agonist therapy" }
        : new {
            kind = "Amend", nodeId = node, baseRevision = 1, text = new { en = "Opioid agonist therapy in every region by 2028" },
            rationale = "Clearer target"
        };

    private static async Task<(Guid, Guid)> CreateDraftAsync(ProofClient editor)
    {
        var created = await editor.SendAsync("/api/drafts", new {
            country = "KG", kind = "ActionPlan", title = new { en = "Throughput plan" },
            periodStart = 2026, periodEnd = 2030
        }, Guid.NewGuid());
        var draft = created.Result.GetProperty("draftId").GetGuid();
        var inserted = await editor.SendAsync($"/api/drafts/{draft}/proposals",
            new {
                kind = "Insert", nodeKind = "Action", text = new { en = "Opioid agonist therapy in every region" }, rationale = "Start",
                acceptNow = true
            }, Guid.NewGuid());
        return (draft, inserted.Result.GetProperty("nodeId").GetGuid());
    }

    private sealed record HttpFigures(double PerSecond, double P50, double P99, int Errors);

    private static async Task<HttpFigures> HttpRunAsync(ProofClient client, string kind, List<(Guid Draft, Guid Node)> drafts, int clients,
        int seconds)
    {
        var latencies = new List<double>[clients];
        var errors = 0;
        var ok = 0;
        var until = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(w => Task.Run(async () =>
        {
            latencies[w] = [];
            var (draft, node) = drafts[w % drafts.Count];
            var url = kind == "comment" ? $"/api/drafts/{draft}/threads" : $"/api/drafts/{draft}/proposals";
            var body = Payload(kind, node);
            while (Stopwatch.GetTimestamp() < until)
            {
                var started = Stopwatch.GetTimestamp();
                var answer = await client.SendAsync(url, body, Guid.NewGuid());
                latencies[w].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (answer.Acknowledged) Interlocked.Increment(ref ok);
                else Interlocked.Increment(ref errors);
            }
        })));
        var all = latencies.SelectMany(l => l).Order().ToList();
        double P(double q) => all.Count == 0 ? double.NaN : all[Math.Clamp((int)Math.Ceiling(q * all.Count) - 1, 0, all.Count - 1)];
        return new HttpFigures(ok / clock.Elapsed.TotalSeconds, P(0.5), P(0.99), errors);
    }

    private static async Task<double> RawRunAsync(string connectionString, object payload, int clients, int seconds)
    {
        var json = JsonSerializer.Serialize(payload, ProofClient.Json);
        var count = 0;
        var until = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand("insert into proof_raw.inserts(draft, payload) values (@d, @p::jsonb)", connection);
            insert.Parameters.AddWithValue("d", Guid.NewGuid());
            insert.Parameters.AddWithValue("p", json);
            while (Stopwatch.GetTimestamp() < until)
            {
                await insert.ExecuteNonQueryAsync();
                Interlocked.Increment(ref count);
            }
        })));
        return count / clock.Elapsed.TotalSeconds;
    }
}
