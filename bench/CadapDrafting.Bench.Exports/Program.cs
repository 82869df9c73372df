using System.Diagnostics;
using System.Globalization;
using System.Text;
using CadapDrafting.Drafts;
using CadapDrafting.Drafts.Writing;
using CadapDrafting.Evidence;
using CadapDrafting.History;
using CadapDrafting.History.Exports;
using CadapDrafting.Hosting;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using CadapDrafting.Proposals;
using Marten;

// Export benchmark: a 75-action programme (5 chapters × 15 actions, Russian and English text, a full action record
// and two points each — about 40 pages in Word) built through the DraftWriter on a throwaway PostgreSQL, then each
// export format timed in Russian, warmed up first: DOCX, tracked-changes DOCX (10 accepted amendments), HTML,
// Markdown, Akoma Ntoso and PDF (a fresh LibreOffice conversion each time, not the renderer's kept copy); then the
// verifier's check of each file's text against the content it embeds.
//   dotnet run -c Release --project bench/CadapDrafting.Bench.Exports [-- --runs 20 --pdf-runs 5]
var runs = Option("--runs", 20);
var pdfRuns = Option("--pdf-runs", 5);
await using var server = await InProcessServer.StartAsync("exports");
var app = server.App;
var writer = app.Services.GetRequiredService<DraftWriter>();
var history = app.Services.GetRequiredService<DraftHistory>();
var store = app.Services.GetRequiredService<IDocumentStore>();

var draftId = await Programme.BuildAsync(writer);
await using var session = store.QuerySession();
var current = (await DraftStore.LoadAsync(session, draftId))!;
// The last ten revisions are the amendments the tracked-changes export shows.
var fromRevision = current.Revision - Programme.Amendments;
var before = (await history.StateAtAsync(draftId, current.RevisionPositions[fromRevision]))!;
var doc = ExportDocument.Of(current, "ru");
var earlier = ExportDocument.Of(before, "ru");
Console.WriteLine($"Draft: {doc.InDocumentOrder().Count(n => n.Kind == NodeKind.Action)} actions, {current.Nodes.Count} nodes, " +
                  $"revision {current.Revision}, position {current.Position}; runs {runs}, PDF runs {pdfRuns}");

var results = new List<(string Format, List<double> Ms, long Bytes)>();
async Task Measure(string format, int count, Func<Task<long>> export)
{
    await export(); // warm-up
    var times = new List<double>();
    long bytes = 0;
    for (var i = 0; i < count; i++)
    {
        var watch = Stopwatch.StartNew();
        bytes = await export();
        times.Add(watch.Elapsed.TotalMilliseconds);
    }
    results.Add((format, times, bytes));
    Console.WriteLine($"{format,-8} p50 {P50(times),8:F1} ms   max {times.Max(),8:F1} ms   {bytes / 1024.0,8:F0} KB");
}

await Measure("DOCX", runs, () => Task.FromResult(Sized(s => DocxExport.Write(doc, s))));
await Measure("tracked", runs, () => Task.FromResult(Sized(s => TrackedChangesDocx.Write(earlier, doc, s))));
await Measure("HTML", runs, async () => await SizedAsync(s => TextExports.WriteHtmlAsync(doc, s, default)));
await Measure("Markdown", runs, async () => await SizedAsync(s => TextExports.WriteMarkdownAsync(doc, s, default)));
await Measure("AKN", runs, async () => await SizedAsync(s => AknExport.WriteAsync(doc, s, default)));
byte[]? pdf = null;
var pdfHashes = new HashSet<string>();
await Measure("PDF", pdfRuns, async () =>
{
    // A renderer of its own each time, so every run converts (the server keeps rendered files by stamp).
    var renderer = new PdfRenderer(Microsoft.Extensions.Logging.Abstractions.NullLogger<PdfRenderer>.Instance,
        app.Services.GetRequiredService<IConfiguration>());
    var (file, problem) = await renderer.RenderAsync(doc, default);
    if (problem is not null) throw new InvalidOperationException(problem.Detail);
    pdf = file;
    pdfHashes.Add(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(file!)));
    return file!.Length;
});
// Every conversion of the revision should give the same bytes (the stopped clock, a fixed work folder per slot).
var pdfIdentical = pdfHashes.Count == 1 ? "yes" : $"no: {pdfHashes.Count} different files";
Console.WriteLine($"PDF conversions identical: {pdfIdentical}");
var pages = await PdfPagesAsync(pdf!);

// The verifier's text check of each file (docs/evidence.md §10.1): whether it holds, and how long it takes.
var checks = new List<(string Format, double Ms, string Verdict)>();
foreach (var (format, kind, file) in new (string, ExportRendering.Kind, byte[])[]
         {
             ("DOCX", ExportRendering.Kind.Docx, Bytes(s => DocxExport.Write(doc, s))),
             ("tracked", ExportRendering.Kind.Docx, Bytes(s => TrackedChangesDocx.Write(earlier, doc, s))),
             ("HTML", ExportRendering.Kind.Html, await BytesAsync(s => TextExports.WriteHtmlAsync(doc, s, default))),
             ("Markdown", ExportRendering.Kind.Markdown, await BytesAsync(s => TextExports.WriteMarkdownAsync(doc, s, default))),
             ("AKN", ExportRendering.Kind.Akn, await BytesAsync(s => AknExport.WriteAsync(doc, s, default))),
             ("PDF", ExportRendering.Kind.Pdf, pdf!),
         })
{
    var watch = Stopwatch.StartNew();
    var check = ExportRendering.Check(kind, file, doc.Stamp.ContentHash, format);
    var verdict = check.Differences.Count > 0 ? "MISMATCH: " + check.Differences[0] : check.NotProven.Count > 1 ? "not compared" : "holds";
    checks.Add((format, watch.Elapsed.TotalMilliseconds, verdict));
    Console.WriteLine($"{format,-8} text check {watch.Elapsed.TotalMilliseconds,8:F1} ms   {verdict}");
}

var report = new StringBuilder();
report.AppendLine("# Export benchmark");
report.AppendLine();
report.AppendLine($"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores (load average {LoadAverage()}). " +
                  $"A 75-action programme in Russian (5 chapters × 15 actions, full action records, two points each; the PDF has {pages} pages), " +
                  $"exported in Russian after one warm-up: {runs} runs per format, {pdfRuns} for PDF (each a fresh LibreOffice conversion). " +
                  $"Tracked changes: revision {fromRevision} → {current.Revision} (10 accepted amendments).");
report.AppendLine();
report.AppendLine($"The {pdfRuns + 1} PDF conversions (warm-up included) gave byte-identical files: {pdfIdentical}.");
report.AppendLine();
report.AppendLine("| format | p50 ms | max ms | size KB |");
report.AppendLine("|---|---|---|---|");
foreach (var (format, times, bytes) in results)
    report.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {format} | {P50(times):F1} | {times.Max():F1} | {bytes / 1024.0:F0} |"));
report.AppendLine();
report.AppendLine("The verifier's text check of each file (`cadap-verify --export`, docs/evidence.md §10.1; the PDF's includes pdftotext):");
report.AppendLine();
report.AppendLine("| format | check ms | verdict |");
report.AppendLine("|---|---|---|");
foreach (var (format, ms, verdict) in checks) report.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {format} | {ms:F1} | {verdict} |"));
var path = Path.Combine(BenchRepository.Root, "bench", "results", "exports.md");
await File.WriteAllTextAsync(path, report.ToString());
Console.WriteLine($"Written to {path}");

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static double P50(List<double> values) => values.Order().ElementAt(values.Count / 2);

static long Sized(Action<MemoryStream> write)
{
    using var s = new MemoryStream();
    write(s);
    return s.Length;
}

static byte[] Bytes(Action<MemoryStream> write)
{
    using var s = new MemoryStream();
    write(s);
    return s.ToArray();
}

static async Task<byte[]> BytesAsync(Func<MemoryStream, Task> write)
{
    using var s = new MemoryStream();
    await write(s);
    return s.ToArray();
}

static async Task<long> SizedAsync(Func<MemoryStream, Task> write)
{
    using var s = new MemoryStream();
    await write(s);
    return s.Length;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

static async Task<string> PdfPagesAsync(byte[] pdf)
{
    var path = Path.Combine(Path.GetTempPath(), $"cadap-bench-exports-{Environment.ProcessId}.pdf");
    await File.WriteAllBytesAsync(path, pdf);
    try
    {
        var info = new ProcessStartInfo("pdfinfo", path) { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Split('\n').FirstOrDefault(l => l.StartsWith("Pages:"))?.Split(':')[1].Trim() ?? "?";
    }
    catch (System.ComponentModel.Win32Exception) { return "?"; }
    finally { File.Delete(path); }
}

/// <summary>The programme, built through the DraftWriter as an editor and a drafter would.</summary>
static class Programme
{
    private static readonly Actor Editor = new("kg-editor", "Bench editor", "KG", new HashSet<Role> { Role.Drafter, Role.Editor });
    private static readonly Actor Drafter = new("kg-drafter", "Bench drafter", "KG", new HashSet<Role> { Role.Drafter });

    private static readonly Pillar[] Pillars = Enum.GetValues<Pillar>();

    public const int Amendments = 10;

    public static async Task<Guid> BuildAsync(DraftWriter writer)
    {
        var draftId = Guid.NewGuid();
        async Task<Guid> Send(Actor actor, object command)
        {
            var commandId = Guid.NewGuid();
            var outcome = await writer.SendAsync(draftId, new CommandEnvelope(commandId, actor, null, command));
            if (!outcome.Succeeded) throw new InvalidOperationException(outcome.Problem!.Detail);
            // A command names what it creates from its id within its sender's ids (Idempotency.NewIdOf).
            return Idempotency.NewIdOf(commandId, actor.UserId, "node");
        }

        await Send(Editor, new CreateDraft("KG", DraftKind.ActionPlan,
            new() { ["ru"] = "Антинаркотическая программа на 2022–2026 годы", ["en"] = "Anti-Drug Programme 2022–2026" }, 2022, 2026, "ru"));
        var actions = new List<Guid>();
        Guid? previousChapter = null;
        for (var c = 1; c <= 5; c++)
        {
            var chapter = await Send(Editor, new SubmitProposal(ProposalKind.Insert, null, null, "Structure",
                new() { ["ru"] = $"Направление {c}: сокращение спроса и предложения", ["en"] = $"Area {c}: demand and supply reduction" },
                NodeKind: NodeKind.Chapter, AfterNodeId: previousChapter, AcceptNow: true));
            previousChapter = chapter;
            Guid? previousAction = null;
            for (var a = 1; a <= 15; a++)
            {
                var n = (c - 1) * 15 + a;
                var action = await Send(Editor, new SubmitProposal(ProposalKind.Insert, null, null, "Structure",
                    new()
                    {
                        ["ru"] = $"Обеспечить внедрение доказательных программ профилактики и лечения в регионах, мероприятие {n}, " +
                                 "с участием организаций гражданского общества и с учётом гендерных аспектов.",
                        ["en"] = $"Introduce evidence-based prevention and treatment programmes in the regions, measure {n}, " +
                                 "with civil-society organisations and attention to gender.",
                    },
                    AttributePatch.Whole(new ActionAttributes
                    {
                        Objective = "Снизить распространённость употребления наркотиков среди молодёжи на 10 %",
                        ResponsibleBodies = ["Министерство здравоохранения", "Министерство образования и науки", "Министерство внутренних дел"],
                        Timeline = new CadapDrafting.Drafts.Timeline(new DateOnly(2022 + n % 4, 1, 1), new DateOnly(2026, 12, 31)),
                        Indicators =
                        [
                            new Indicator("Число охваченных учреждений", "0 (2021)", "500 (2026)", "Национальный статистический комитет", true),
                            new Indicator("Доля молодёжи, прошедшей обучение", "5 %", "40 %", "Ведомственная отчётность"),
                        ],
                        Budget = new Budget(150_000m + n * 1_250.5m, "KGS", "Республиканский бюджет"),
                        Pillar = Pillars[n % Pillars.Length],
                        UseResponse = (UseResponse)(n % 3),
                        Commitments = ["Итоговый документ СГООН 2016 года"],
                        SdgTargets = ["3.5"],
                        HumanRightsMarker = n % 2 == 0,
                        GenderMarker = n % 3 == 0,
                        EvidenceReferences = ["Международные стандарты УНП ООН/ВОЗ по профилактике"],
                        CompletionForm = "Отчёт в Кабинет Министров",
                    }),
                    NodeKind.Action, ParentId: chapter, AfterNodeId: previousAction, AcceptNow: true));
                previousAction = action;
                actions.Add(action);
                Guid? previousPoint = null;
                for (var p = 1; p <= 2; p++)
                    previousPoint = await Send(Editor, new SubmitProposal(ProposalKind.Insert, null, null, "Structure",
                        new()
                        {
                            ["ru"] = $"Подпункт {p}: подготовка специалистов и информационная кампания",
                            ["en"] = $"Step {p}: training and awareness"
                        },
                        NodeKind: NodeKind.Point, ParentId: action, AfterNodeId: previousPoint, AcceptNow: true));
            }
        }

        for (var i = 0; i < Amendments; i++)
        {
            var node = actions[i * 7];
            var proposal = Guid.NewGuid();
            var outcome = await writer.SendAsync(draftId,
                new CommandEnvelope(Guid.NewGuid(), Drafter, null, new SubmitProposal(ProposalKind.Amend, node, 1,
                "Sharper wording", new()
                {
                    ["ru"] = $"Обеспечить внедрение доказательных программ профилактики, лечения и реабилитации во всех регионах, мероприятие {i}."
                },
                ProposalId: proposal)));
            if (!outcome.Succeeded) throw new InvalidOperationException(outcome.Problem!.Detail);
            await Send(Editor, new AcceptProposal(proposal, "Agreed"));
        }
        return draftId;
    }
}
