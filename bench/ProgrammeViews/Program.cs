// The programme's views: how long deriving them from a draft takes as drafts grow (in memory), how long the
// endpoints take on the five demo drafts, and how long after a citing commit the cited draft shows the
// back-link (outbox → handler → draft writer). Real HTTP pipeline, Marten, Wolverine and a private
// PostgreSQL cluster (fsync on) started for this run.
//
//   dotnet run -c Release --project bench/ProgrammeViews [-- citations]
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Alba;
using CadapDrafting.Drafts;
using CadapDrafting.Hosting;
using CadapDrafting.Infrastructure;
using CadapDrafting.Programme;
using CadapDrafting.Proposals;
using CadapDrafting.Seeding;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

internal static class ProgrammeViewsBench
{
    public static async Task Main(string[] args)
    {
        var citations = args.Length > 0 && int.TryParse(args[0], out var c) ? c : 20;

        Console.WriteLine($"{"actions",8} {"view µs",9} {"JSON kB",8}");
        foreach (var actions in new[] { 75, 500, 2_000 })
        {
            var draft = InMemory(actions);
            for (var i = 0; i < 50; i++) ProgrammeViews.Of(draft); // past tiered compilation
            const int runs = 200;
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < runs; i++) ProgrammeViews.Of(draft);
            var size = JsonSerializer.SerializeToUtf8Bytes(ProgrammeViews.Of(draft), JsonSerializerOptions.Web).Length;
            Console.WriteLine($"{actions,8} {watch.Elapsed.TotalMicroseconds / runs,9:F0} {size / 1024.0,8:F1}");
        }

        if (args.Contains("views")) return;
        var directory = Path.Combine(Path.GetTempPath(), $"cadap-bench-{Environment.ProcessId}");
        using var pg = EmbeddedPostgres.Start(directory, durable: true, log: _ => { });
        try
        {
            await using var host = await BenchHttp.StartServerAsync(pg);
            var drafts = await host.Services.GetRequiredService<DemoSeeder>().SeedAsync(CancellationToken.None);
            var auditor = await BenchHttp.ClientFor(host, "auditor");
            var expert = await BenchHttp.ClientFor(host, "eu-expert-1");
            foreach (var (label, client, url) in new[]
                     {
                         ("GET one draft's programme view", auditor, $"/api/drafts/{drafts[0]}/programme"),
                         ("GET comparison of 5 drafts", auditor, "/api/programme/comparison"),
                         ("GET good-practice library search", expert, "/api/good-practice?q=prevention"),
                     })
                Console.WriteLine($"{label,-36} {await MeanMs(client, url),7:F1} ms per request");

            // Citations: a Tajik action marked as good practice, cited by Kyrgyz proposals one after the other.
            var tajikEditor = await BenchHttp.ClientFor(host, "tj-editor");
            var kyrgyzEditor = await BenchHttp.ClientFor(host, "kg-editor");
            var tajik = drafts.Single(d => Country(auditor, d) == "TJ");
            var kyrgyz = drafts.Single(d => Country(auditor, d) == "KG");
            var practice = JsonDocument.Parse(await auditor.GetStringAsync($"/api/drafts/{tajik}/programme"))
                .RootElement.GetProperty("quality").EnumerateArray().Select(q => q.GetProperty("nodeId").GetGuid()).FirstOrDefault();
            if (practice == Guid.Empty) practice = FirstAction(auditor, tajik);
            (await BenchHttp.Post(tajikEditor, $"/api/drafts/{tajik}/good-practice",
                new { nodeId = practice, reason = "Bench" })).EnsureSuccessStatusCode();

            var delays = new List<double>();
            for (var i = 0; i < citations; i++)
            {
                var cited = Stopwatch.StartNew();
                (await BenchHttp.Post(kyrgyzEditor, $"/api/drafts/{kyrgyz}/proposals", new {
                    kind = "Insert", nodeKind = "Action", text = new { en = $"Adapted action {i}" }, rationale = "Bench",
                    adaptedFrom = new { draftId = tajik, nodeId = practice },
                })).EnsureSuccessStatusCode();
                var committed = cited.Elapsed.TotalMilliseconds;
                while (Citations(auditor, tajik) <= i) await Task.Delay(2);
                delays.Add(cited.Elapsed.TotalMilliseconds - committed);
            }
            delays.Sort();
            double P(double q) => delays[Math.Min(delays.Count - 1, (int)Math.Ceiling(q * delays.Count) - 1)];
            Console.WriteLine($"back-link visible after the citing commit ({citations} citations): p50 {P(0.5):F1} ms, p95 {P(0.95):F1} ms, max " +
                $"{delays[^1]:F1} ms");
        }
        finally
        {
            pg.Destroy();
        }
    }

    private static Draft InMemory(int actions)
    {
        var draft = new Draft { Id = Guid.NewGuid(), Country = "KG", Languages = ["ru", "en", "ky"] };
        var pillars = Enum.GetValues<Pillar>();
        for (var i = 0; i < actions; i++)
        {
            var id = Guid.NewGuid();
            var attributes = new ActionAttributes
            {
                Pillar = pillars[i % pillars.Length], SdgTargets = i % 3 == 0 ? ["3.5"] : ["3.5", "16.4"],
                Commitments = ["UNGASS 2016"], Indicators = i % 4 == 0 ? [] : [new Indicator("Reached", "0", "100", "Registry", true)],
                ResponsibleBodies = ["Ministry of Health"], UseResponse = i % 5 == 0 ? null : UseResponse.Both,
            };
            var proposal = Guid.NewGuid();
            var at = new EventContext(draft.Position + 1, "kg-editor", DateTimeOffset.UtcNow);
            draft.Record(new ProposalSubmitted(proposal, ProposalKind.Insert, id, NodeKind.Action, null, null, 0, new(),
                new() { ["ru"] = $"Мера {i}", ["en"] = $"Action {i}" }, attributes, "bench"), at);
            draft.Record(new ProposalAccepted(proposal, id, ProposalKind.Insert, 1, draft.Revision + 1, null),
                at with { Position = draft.Position + 1 });
        }
        return draft;
    }

    private static async Task<double> MeanMs(HttpClient client, string url)
    {
        (await client.GetAsync(url)).EnsureSuccessStatusCode();
        const int reads = 50;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < reads; i++) (await client.GetAsync(url)).EnsureSuccessStatusCode();
        return watch.Elapsed.TotalMilliseconds / reads;
    }

    private static string Country(HttpClient client, Guid draft) =>
        JsonDocument.Parse(client.GetStringAsync($"/api/drafts/{draft}").Result).RootElement.GetProperty("country").GetString()!;

    private static Guid FirstAction(HttpClient client, Guid draft)
    {
        var root = JsonDocument.Parse(client.GetStringAsync($"/api/drafts/{draft}").Result).RootElement;
        IEnumerable<JsonElement> Walk(JsonElement nodes) =>
            nodes.EnumerateArray().SelectMany(n => new[] { n }.Concat(Walk(n.GetProperty("children"))));
        return Walk(root.GetProperty("nodes")).First(n => n.GetProperty("kind").GetString() == "Action").GetProperty("id").GetGuid();
    }

    private static int Citations(HttpClient client, Guid draft) =>
        JsonDocument.Parse(client.GetStringAsync($"/api/drafts/{draft}/good-practice").Result).RootElement
            .GetProperty("offered").EnumerateArray().Sum(e => e.GetProperty("citedBy").GetArrayLength());
}
