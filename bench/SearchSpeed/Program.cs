// Search benchmark: builds drafts of 75 actions (Russian and English text) through the real DraftWriter on a throwaway
// PostgreSQL, warms up, then times cross-draft and within-draft searches as a Kyrgyz editor and as an auditor (who reads
// every draft) and prints p50 / p95 / max.
//   dotnet run -c Release --project bench/SearchSpeed [-- drafts searches]
using System.Diagnostics;
using CadapDrafting.Drafts;
using CadapDrafting.Drafts.Writing;
using CadapDrafting.Hosting;
using CadapDrafting.Identity;
using CadapDrafting.Proposals;
using CadapDrafting.Search;
using Marten;

var draftCount = args.Length > 0 ? int.Parse(args[0]) : 50;
var searches = args.Length > 1 ? int.Parse(args[1]) : 200;
const int ActionsPerDraft = 75;
var countries = new[] { "KZ", "KG", "TJ", "TM", "UZ" };
string[] topics = ["профилактика наркомании в школах", "лечение наркотической зависимости", "снижение вреда в тюрьмах",
    "контроль прекурсоров на границе", "реабилитация и ресоциализация", "исследования в наркологии"];
string[] english = ["prevention in schools", "treatment of drug dependence", "harm reduction in prisons", "precursor control at the border",
    "rehabilitation and reintegration", "research in narcology"];

// A throwaway PostgreSQL and the server in this process, both gone when the benchmark ends.
await using (var server = await InProcessServer.StartAsync("search"))
{
    var app = server.App;
    var writer = app.Services.GetRequiredService<DraftWriter>();
    var store = app.Services.GetRequiredService<IDocumentStore>();

    var build = Stopwatch.StartNew();
    var drafts = new List<Guid>();
    for (var d = 0; d < draftCount; d++)
    {
        var country = countries[d % countries.Length];
        var editor = new Actor($"{country.ToLowerInvariant()}-editor", "Editor", country, new HashSet<Role> { Role.Drafter, Role.Editor });
        var draftId = Guid.NewGuid();
        drafts.Add(draftId);
        var sent = new List<Task<CommandOutcome>>
        {
            writer.SendAsync(draftId, new(Guid.NewGuid(), editor, null, new CreateDraft(country, DraftKind.ActionPlan,
                new() { ["ru"] = $"Программа противодействия наркотикам {d}", ["en"] = $"Anti-drug programme {d}" }, 2026, 2030, "ru"))),
        };
        Guid? previous = null;
        for (var a = 0; a < ActionsPerDraft; a++)
        {
            var commandId = Guid.NewGuid();
            sent.Add(writer.SendAsync(draftId, new(commandId, editor, null, new SubmitProposal(ProposalKind.Insert, null, null, "Structure",
                new()
                {
                    ["ru"] = $"Мероприятие {a + 1}: {topics[(a + d) % topics.Length]} в области {a % 14}",
                    ["en"] = $"Action {a + 1}: {english[(a + d) % english.Length]} in region {a % 14}"
                },
                NodeKind: NodeKind.Action, AfterNodeId: previous, AcceptNow: true))));
            previous = Idempotency.NewIdOf(commandId, editor.UserId, "node");
        }
        foreach (var outcome in await Task.WhenAll(sent))
            if (!outcome.Succeeded) throw new InvalidOperationException(outcome.Problem!.Detail);
    }
    Console.WriteLine($"Built {draftCount} drafts of {ActionsPerDraft} actions in {build.Elapsed.TotalSeconds:F1} s");

    var kgEditor = new Actor("kg-editor", "Editor", "KG", new HashSet<Role> { Role.Drafter, Role.Editor });
    var auditor = new Actor("auditor", "Auditor", null, new HashSet<Role> { Role.Auditor });
    string[] queries = ["наркотики", "тюрьма", "лечение зависимости", "prisons", "border control", "реабилитации"];
    Console.WriteLine($"{"search",-34} {"hits",5} {"p50 ms",8} {"p95 ms",8} {"max ms",8}");
    foreach (var (name, reader, draftId) in new (string, Actor, Guid?)[]
             {
                 ("across drafts, auditor", auditor, null), ("across drafts, Kyrgyz editor", kgEditor, null),
                 ("within one draft, auditor", auditor, drafts[0]),
             })
    {
        async Task<int> Once(int i)
        {
            await using var session = store.QuerySession();
            return (await SearchDrafts.FindAsync(store, session, reader, queries[i % queries.Length], draftId, CancellationToken.None)).Count;
        }
        for (var i = 0; i < 30; i++) await Once(i); // warm up: tiered compilation, connection pool, PostgreSQL caches
        var times = new List<double>();
        var hits = 0;
        for (var i = 0; i < searches; i++)
        {
            var watch = Stopwatch.StartNew();
            hits = Math.Max(hits, await Once(i));
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        double At(double q) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(q * times.Count) - 1)];
        Console.WriteLine($"{name,-34} {hits,5} {At(0.50),8:F1} {At(0.95),8:F1} {times[^1],8:F1}");
    }
}
