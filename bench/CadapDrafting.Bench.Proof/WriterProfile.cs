using System.Diagnostics;
using System.Globalization;
using System.Text;
using CadapDrafting.Bench;
using CadapDrafting.Hosting;
using CadapDrafting.Infrastructure;

namespace CadapDrafting.Proof;

/// <summary>
/// Where one draft's write time goes under sustained load: the server in this process (so its meter can be read)
/// with 32 clients proposing on one draft; per committed batch the time to lock and load the stored draft, to decide,
/// and to store (projection, serialisation, commit), as the draft grows.
/// </summary>
public static class WriterProfile
{
    public static async Task<string> RunAsync(string connectionString, int seconds, int clients = 32)
    {
        var (app, address) = await LoopbackServer.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Marten:Schema"] = Throughput.Schema + "_profile",
            ["Seeds:OnStartup"] = "false",
            ["Seeds:Directory"] = Path.Combine(ServerProcess.RepositoryRoot(), "seeds"),
            ["Hardening:RequestsPerWindow"] = "100000000",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        using var meter = new WriterMeter();
        try
        {
            var editor = await ProofClient.SignInAsync(address, "kg-editor");
            var created = await editor.SendAsync("/api/drafts", new {
                country = "KG", kind = "ActionPlan", title = new { en = "Profile plan" },
                periodStart = 2026, periodEnd = 2030
            }, Guid.NewGuid());
            var draft = created.Result.GetProperty("draftId").GetGuid();
            var node = (await editor.SendAsync($"/api/drafts/{draft}/proposals",
                new {
                    kind = "Insert", nodeKind = "Action", text = new { en = "Opioid agonist therapy in every region" }, rationale = "Start",
                    acceptNow = true
                }, Guid.NewGuid()))
                .Result.GetProperty("nodeId").GetGuid();
            var report =
                new StringBuilder($"## Profile of one draft's writer ({clients} clients proposing on one draft, server in process, meter per " +
                "committed batch)\n\n");
            report.Append("| interval | commands/s | batches/s | commands per batch | lock + load ms | decide ms | store + commit ms | position at " +
                "end |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
            var stopAt = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
            long done = 0;
            var writers = Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
            {
                var body = new {
                    kind = "Amend", nodeId = node, baseRevision = 1,
                    text = new { en = "Opioid agonist therapy in every region by 2028" }, rationale = "Clearer target"
                };
                while (Stopwatch.GetTimestamp() < stopAt)
                    if ((await editor.SendAsync($"/api/drafts/{draft}/proposals", body, Guid.NewGuid())).Acknowledged)
                        Interlocked.Increment(ref done);
            })));
            var interval = Math.Max(1, seconds / 4);
            for (var slice = 1; !writers.IsCompleted; slice++)
            {
                meter.Reset();
                var before = Interlocked.Read(ref done);
                var clock = Stopwatch.StartNew();
                await Task.WhenAny(writers, Task.Delay(TimeSpan.FromSeconds(interval)));
                var took = clock.Elapsed.TotalSeconds;
                double Mean(string name) => meter.Mean(name);
                var batches = meter.Batches;
                // Creation and the first node are two events; every proposal since is one.
                var position = Interlocked.Read(ref done) + 2;
                report.Append(string.Create(CultureInfo.InvariantCulture,
                    $"| {slice} | {(Interlocked.Read(ref done) - before) / took:N0} | {batches / took:0.0} | " +
                        $"{Mean("draft_writer.batch_commands"):0.0} | {Mean("draft_writer.fetch"):0.0} | {Mean("draft_writer.decide"):0.0} | " +
                        $"{Mean("draft_writer.save"):0.0} | {position:N0} |\n"));
            }
            await writers;
            report.Append('\n');
            Console.WriteLine(report);
            return report.ToString();
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
