using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CadapDrafting.Drafts;
using CadapDrafting.Drafts.Writing;
using CadapDrafting.History;
using CadapDrafting.History.Exports;
using CadapDrafting.Hosting;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using CadapDrafting.Proposals;
using Marten;

// History benchmark: builds drafts of 1k, 10k and 100k events through the real DraftWriter on a throwaway
// PostgreSQL with fsync on, then times as-of reads (cold and warm) and exports at each size.
//   dotnet run -c Release --project bench/CadapDrafting.Bench.History [-- 1000 10000 100000]
var sizes = args.Length > 0 ? args.Select(long.Parse).ToArray() : [1_000L, 10_000L, 100_000L];
// A throwaway PostgreSQL and the server in this process, both gone when the benchmark ends.
await using (var server = await InProcessServer.StartAsync("history"))
{
    var app = server.App;

    var writer = app.Services.GetRequiredService<DraftWriter>();
    var history = app.Services.GetRequiredService<DraftHistory>();
    var rows = app.Services.GetRequiredService<EventRows>();
    var store = app.Services.GetRequiredService<IDocumentStore>();
    var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    var report = new StringBuilder();
    report.AppendLine("# History benchmark");
    report.AppendLine();
    report.AppendLine($"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores; PostgreSQL with fsync on; " +
                      $"checkpoint every {DraftCheckpoint.Interval} positions. Drafts built through the DraftWriter: 10 chapters × 20 actions, " +
                          "then " +
                      "cycles of submit proposal → 3 rebases → accept (or reject, every third), so one proposal per 5 events.");
    report.AppendLine();
    report.AppendLine("| events | build s | events/s | state JSON MB | as-of cold p50 / max ms | as-of warm p50 / max ms | plain replay (no " +
        "checkpoints) ms | DOCX ms | HTML ms | Markdown ms | AKN ms | bundle ms (MB) |");
    report.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");

    var breakdown = new StringBuilder();
    breakdown.AppendLine("| events | load checkpoint p50 ms | write state as JSON p50 ms |");
    breakdown.AppendLine("|---|---|---|");
    foreach (var size in sizes)
    {
        var build = Stopwatch.StartNew();
        var draftId = await Workload.BuildAsync(writer, size);
        build.Stop();
        await using var session = store.QuerySession();
        var current = (await DraftStore.LoadAsync(session, draftId))!;
        var stateMb = Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(current, json)) / 1e6;

        var random = new Random(42);
        var positions = Enumerable.Range(0, 15).Select(_ => (long)random.NextInt64(1, current.Position)).ToList();
        async Task<double> AsOf(long position)
        {
            var watch = Stopwatch.StartNew();
            var state = (await history.StateAtAsync(draftId, position))!;
            // The answer as the endpoint gives it: the numbered document and the whole state, serialised.
            await JsonSerializer.SerializeAsync(Stream.Null, new AsOfView(draftId, state.Position, state.Revision, state.LastChangedAt,
                DraftDocument.Of(state), state), json);
            return watch.Elapsed.TotalMilliseconds;
        }
        var cold = new List<double>();
        foreach (var p in positions) cold.Add(await AsOf(p));
        var warm = new List<double>();
        foreach (var p in positions) warm.Add(await AsOf(p));

        var plain = new List<double>();
        foreach (var p in positions.Take(3))
        {
            var watch = Stopwatch.StartNew();
            await DraftReplay.StateAtAsync(session, draftId, p);
            plain.Add(watch.Elapsed.TotalMilliseconds);
        }

        // Where an as-of's time goes: loading the checkpoint (the whole state), and writing the whole state as the answer.
        var loads = new List<double>();
        var writes = new List<double>();
        foreach (var p in positions.Where(p => p >= DraftCheckpoint.Interval).Take(5))
        {
            var watch = Stopwatch.StartNew();
            var checkpoint = await session.LoadAsync<DraftCheckpoint>(DraftCheckpoint.IdOf(draftId,
                p / DraftCheckpoint.Interval * DraftCheckpoint.Interval));
            loads.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            await JsonSerializer.SerializeAsync(Stream.Null, checkpoint!.State, json);
            writes.Add(watch.Elapsed.TotalMilliseconds);
        }
        breakdown.AppendLine($"| {current.Position:N0} | {(loads.Count > 0 ? P50(loads) : 0):F0} | {(writes.Count > 0 ? P50(writes) : 0):F0} |");

        var doc = ExportDocument.Of(current, "en");
        var docx = Time(() => { using var s = new MemoryStream(); DocxExport.Write(doc, s); });
        var html = await TimeAsync(() => TextExports.WriteHtmlAsync(doc, Stream.Null, default));
        var md = await TimeAsync(() => TextExports.WriteMarkdownAsync(doc, Stream.Null, default));
        var akn = await TimeAsync(() => AknExport.WriteAsync(doc, Stream.Null, default));
        var bundleBytes = 0L;
        var bundle = await TimeAsync(async () =>
        {
            using var s = new MemoryStream();
            var verdict = await CadapDrafting.Evidence.EvidenceBundle.WriteAsync(s, draftId, rows.ReadAsync(draftId), DateTimeOffset.UtcNow,
                CadapDrafting.Evidence.BundleEvidence.None);
            if (!verdict.Intact) throw new InvalidOperationException(verdict.Problem);
            bundleBytes = s.Length;
        });

        var line =
            $"| {current.Position:N0} | {build.Elapsed.TotalSeconds:F1} | {current.Position / build.Elapsed.TotalSeconds:N0} | {stateMb:F1} | " +
                   $"{P50(cold):F0} / {cold.Max():F0} | {P50(warm):F0} / {warm.Max():F0} | {P50(plain):F0} | {docx:F0} | {html:F0} | {md:F0} | " +
                       $"{akn:F0} | " +
                   $"{bundle:F0} ({bundleBytes / 1e6:F1}) |";
        report.AppendLine(line);
        Console.WriteLine(line);
    }

    report.AppendLine();
    report.AppendLine("As-of = nearest checkpoint at or before the position + replay of the rest + DraftDocument + JSON of the whole answer; " +
                      "15 random positions per size, cold = first ask, warm = same positions again. Exports are of the head revision " +
                      "(200 actions with attributes); the bundle holds every event.");
    report.AppendLine();
    report.AppendLine(breakdown.ToString());
    Console.WriteLine(breakdown);
    var results = Path.Combine(BenchRepository.Root, "bench", "results", "history.md");
    await File.WriteAllTextAsync(results, report.ToString());
    Console.WriteLine($"Written to {results}");
}

static double P50(List<double> values) => values.Order().ElementAt(values.Count / 2);

static double Time(Action action)
{
    var watch = Stopwatch.StartNew();
    action();
    return watch.Elapsed.TotalMilliseconds;
}

static async Task<double> TimeAsync(Func<Task> action)
{
    var watch = Stopwatch.StartNew();
    await action();
    return watch.Elapsed.TotalMilliseconds;
}


/// <summary>Builds one draft of about the given number of events through the DraftWriter, many commands in flight.</summary>
static class Workload
{
    private static readonly Actor Editor = new("kg-editor", "Bench editor", "KG", new HashSet<Role> { Role.Drafter, Role.Editor });
    private static readonly Actor Drafter = new("kg-drafter", "Bench drafter", "KG", new HashSet<Role> { Role.Drafter });
    private const int InFlight = 512;

    public static async Task<Guid> BuildAsync(DraftWriter writer, long events)
    {
        var draftId = Guid.NewGuid();
        var pending = new Queue<Task<CommandOutcome>>();
        var refused = new List<string>();
        // Commands for one draft are decided in the order they are sent, so later ones may rely on earlier ones.
        async Task Send(Actor actor, object command, Guid? commandId = null)
        {
            pending.Enqueue(writer.SendAsync(draftId, new CommandEnvelope(commandId ?? Guid.NewGuid(), actor, null, command)));
            while (pending.Count >= InFlight) Check(await pending.Dequeue());
        }
        void Check(CommandOutcome outcome)
        {
            if (!outcome.Succeeded) refused.Add(outcome.Problem!.Detail);
        }

        await Send(Editor, new CreateDraft("KG", DraftKind.ActionPlan, new() { ["en"] = "Anti-Drug Programme 2022-2026" }, 2022, 2026, "en"));
        var nodes = new List<Guid>();
        Guid? previousChapter = null;
        for (var c = 0; c < 10; c++)
        {
            var chapterCommand = Guid.NewGuid();
            var chapter = Idempotency.NewIdOf(chapterCommand, Editor.UserId, "node");
            await Send(Editor, new SubmitProposal(ProposalKind.Insert, null, null, "Structure", new() { ["en"] = $"Chapter {c + 1}" },
                NodeKind: NodeKind.Chapter, AfterNodeId: previousChapter, AcceptNow: true), chapterCommand);
            previousChapter = chapter;
            Guid? previousAction = null;
            for (var a = 0; a < 20; a++)
            {
                var actionCommand = Guid.NewGuid();
                await Send(Editor, new SubmitProposal(ProposalKind.Insert, null, null, "Structure",
                    new() { ["en"] = $"Action {c + 1}.{a + 1}: expand evidence-based prevention" },
                    AttributePatch.Whole(new ActionAttributes
                    {
                        Objective = "Delay first use", ResponsibleBodies = ["Ministry of Health"],
                        SdgTargets = ["3.5"], Pillar = Pillar.Prevention
                    }),
                    NodeKind.Action, ParentId: chapter, AfterNodeId: previousAction, AcceptNow: true), actionCommand);
                previousAction = Idempotency.NewIdOf(actionCommand, Editor.UserId, "node");
                nodes.Add(previousAction.Value);
            }
        }
        var revisions = nodes.ToDictionary(n => n, _ => 1);

        var random = new Random(7);
        var cycle = 0;
        long written = 1 + 10 * 2 + 200 * 2;
        while (written + 5 <= events)
        {
            var node = nodes[random.Next(nodes.Count)];
            var revision = revisions[node];
            var proposal = Guid.NewGuid();
            await Send(Drafter, new SubmitProposal(ProposalKind.Amend, node, revision, "Sharper wording",
                new() { ["en"] = $"Action text {cycle} v0" }, ProposalId: proposal));
            for (var r = 1; r <= 3; r++)
                await Send(Drafter, new RebaseProposal(proposal, revision, new() { ["en"] = $"Action text {cycle} v{r}" }));
            if (cycle % 3 == 2) await Send(Editor, new RejectProposal(proposal, "Not now"));
            else
            {
                await Send(Editor, new AcceptProposal(proposal, "Agreed"));
                revisions[node] = revision + 1;
            }
            written += 5;
            cycle++;
        }
        while (pending.Count > 0) Check(await pending.Dequeue());
        if (refused.Count > 0) throw new InvalidOperationException($"{refused.Count} commands were refused, first: {refused[0]}");
        return draftId;
    }
}
