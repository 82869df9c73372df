// Browser benchmark: the web app in this machine's Chromium (Debian's, driven by Playwright, as the stories do) on the
// demo data (the five countries' drafts, loaded through the same commands people send), against a server in this
// process on a throwaway durable PostgreSQL.
//   1. Opening Kyrgyzstan's 75-action programme: time to a readable first screen (the title and the first node's text
//      drawn) and until fully open (all actions drawn, following live, programme views and history loaded), from the
//      start of navigation, in a fresh browser context each time (no cached files), after warm-up opens.
//   2. A change by someone else: with N people viewing the draft (each a page of its own), a lead drafter changes an
//      action's text through the HTTP API; the time from sending the command until each page shows the new text.
//   dotnet run -c Release --project bench/CadapDrafting.Bench.Browser [-- --runs 10 --viewers 20 --changes 60 --interval 500]
//     [--profile viewer.cpuprofile] [--trace viewer.json]   the first viewer's JavaScript CPU profile or renderer trace over the
//     measured changes
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CadapDrafting.Seeding;
using Microsoft.Playwright;

var options = Options.Parse(args);
var root = FindRoot();
var report = new StringBuilder();
void Say(string line)
{
    Console.WriteLine(line);
    report.AppendLine(line);
}

await using var server = await InProcessServer.StartAsync("browser", new Dictionary<string, string?>
{
    ["Web:Root"] = Path.Combine(root, "src", "CadapDrafting.Server", "wwwroot"),
    ["Hardening:RequestsPerWindow"] = "1000000",
    ["Live:ConnectionsPerUser"] = "1000",
    ["Live:CallsPerUser"] = "1000000",
});
var seeding = Stopwatch.StartNew();
await server.App.Services.GetRequiredService<DemoSeeder>().SeedAsync(CancellationToken.None);
Console.WriteLine($"Demo data loaded in {seeding.Elapsed.TotalSeconds:F1} s; server at {server.Address}");

using var http = new HttpClient { BaseAddress = server.Address };
var editor = await SignIn(http, "kg-editor");
var drafter = await SignIn(http, "kg-drafter");
var api = new HttpClient { BaseAddress = server.Address };
api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", editor.Token);
var summaries = await api.GetFromJsonAsync<JsonElement>("/api/drafts?country=KG");
var draftId = summaries.EnumerateArray().OrderByDescending(d => d.GetProperty("nodes").GetInt32()).First().GetProperty("id").GetGuid();
var document = await api.GetFromJsonAsync<JsonElement>($"/api/drafts/{draftId}");
var actions = Flatten(document.GetProperty("nodes")).Where(n => n.GetProperty("kind").GetString() == "Action").ToList();

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = "/usr/bin/chromium",
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
        "--disable-backgrounding-occluded-windows"],
});

Say($"# Browser benchmark ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores)");
Say("");
Say($"Draft: Kyrgyzstan's demo programme, {actions.Count} actions, {Flatten(document.GetProperty("nodes")).Count()} nodes, position " +
    $"{document.GetProperty("position").GetInt64()}; Debian Chromium {browser.Version}, headless; machine load average " +
    $"{File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the start.");

// 1. Opening the draft.
const string OpenProbe = """
    (() => {
      const marks = (window.__marks = {});
      const check = () => {
        const now = performance.now();
        if (!marks.firstScreen && document.querySelector("#draft-title") && document.querySelector("article.node .node-text"))
          marks.firstScreen = now;
        if (!marks.full && document.querySelector('[data-testid="live-status"][data-state="live"]')
            && document.querySelectorAll("article.kind-Action").length >= __ACTIONS__
            && document.querySelector('[data-testid="balance"]') && document.querySelector('[data-testid="history-position"]')) marks.full = now;
      };
      new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-state"] });
    })();
    """;
var firstScreen = new List<double>();
var full = new List<double>();
for (var run = -options.WarmupOpens; run < options.Runs; run++)
{
    await using var context = await NewContext(browser, server.Address, drafter);
    await context.AddInitScriptAsync(OpenProbe.Replace("__ACTIONS__", actions.Count.ToString()));
    var page = await context.NewPageAsync();
    await page.GotoAsync($"/drafts/{draftId}");
    await page.WaitForFunctionAsync("() => window.__marks && window.__marks.full", null, new() { Timeout = 60_000, PollingInterval = 50 });
    var marks = await page.EvaluateAsync<JsonElement>("() => window.__marks");
    if (run < 0) continue;
    firstScreen.Add(marks.GetProperty("firstScreen").GetDouble());
    full.Add(marks.GetProperty("full").GetDouble());
}
Say("");
Say($"## Opening the {actions.Count}-action programme ({options.Runs} opens after {options.WarmupOpens} warm-up, fresh context each)");
Say("");
Say("| measure | p50 | p95 | max | bar |");
Say("| --- | --- | --- | --- | --- |");
Say($"| readable first screen | {P(firstScreen, 50):F0} ms | {P(firstScreen, 95):F0} ms | {firstScreen.Max():F0} ms | " +
    $"< 1000 ms: {Verdict(P(firstScreen, 95) < 1000)} |");
Say($"| fully open | {P(full, 50):F0} ms | {P(full, 95):F0} ms | {full.Max():F0} ms | < 2000 ms: {Verdict(P(full, 95) < 2000)} |");

// 2. A change by someone else, seen by N viewers.
const string ChangeProbe = """
    (() => {
      const seen = (window.__seen = {});
      const note = (el) => {
        const m = /\[m(\d+)\]/.exec(el.textContent);
        if (m && !(m[1] in seen)) seen[m[1]] = performance.timeOrigin + performance.now();
      };
      // Only what changed is looked at, so the probe costs the page little beside what it measures.
      const check = (records) => {
        for (const r of records) {
          if (r.type === "characterData") { const text = r.target.parentElement?.closest(".node-text"); if (text) note(text); continue; }
          for (const added of r.addedNodes) {
            if (added.nodeType !== 1) continue;
            if (added.matches(".node-text")) note(added);
            added.querySelectorAll(".node-text").forEach(note);
            const inside = added.parentElement?.closest(".node-text");
            if (inside) note(inside);
          }
        }
      };
      new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
    })();
    """;
var viewers = new List<(IBrowserContext Context, IPage Page)>();
for (var i = 0; i < options.Viewers; i++)
{
    var context = await NewContext(browser, server.Address, drafter);
    await context.AddInitScriptAsync(ChangeProbe);
    var page = await context.NewPageAsync();
    await page.GotoAsync($"/drafts/{draftId}");
    await page.WaitForSelectorAsync("[data-testid=\"live-status\"][data-state=\"live\"]", new() { Timeout = 60_000 });
    viewers.Add((context, page));
}
// What one viewer's page spends per change (Chromium's own counters, through the DevTools protocol), to tell script from
// style, layout and everything else the renderer does.
var probe = await viewers[0].Context.NewCDPSessionAsync(viewers[0].Page);
await probe.SendAsync("Performance.enable");
async Task<Dictionary<string, double>> PageMetrics() =>
    (await probe.SendAsync("Performance.getMetrics"))!.Value.GetProperty("metrics").EnumerateArray()
        .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("value").GetDouble());
Dictionary<string, double>? metricsBefore = null;
var revisions = actions.ToDictionary(a => a.GetProperty("id").GetGuid(), a => a.GetProperty("revision").GetInt32());
var texts = actions.ToDictionary(a => a.GetProperty("id").GetGuid(), a => a.GetProperty("text").Deserialize<Dictionary<string, string>>()!);
var ids = revisions.Keys.ToList();
var sentAt = new Dictionary<int, double>();
var latencies = new List<double>();
var roundTrips = new List<double>();
var missed = 0;
var total = options.WarmupChanges + options.Changes;
for (var i = 1; i <= total; i++)
{
    var nodeId = ids[i % ids.Count];
    var text = texts[nodeId].ToDictionary(kv => kv.Key, kv => $"[m{i}] {kv.Value}");
    var body = new { kind = "Amend", nodeId, baseRevision = revisions[nodeId], text, rationale = "Agreed wording", acceptNow = true };
    var request = new HttpRequestMessage(HttpMethod.Post, $"/api/drafts/{draftId}/proposals") { Content = JsonContent.Create(body) };
    request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
    if (i == options.WarmupChanges + 1)
    {
        metricsBefore = await PageMetrics();
        if (options.Profile is not null)
        {
            await probe.SendAsync("Profiler.enable");
            await probe.SendAsync("Profiler.setSamplingInterval", new Dictionary<string, object> { ["interval"] = 200 });
            await probe.SendAsync("Profiler.start");
        }
        if (options.Trace is not null)
            await probe.SendAsync("Tracing.start", new Dictionary<string, object>
            {
                ["transferMode"] = "ReportEvents",
                ["traceConfig"] = new Dictionary<string, object>
                {
                    ["includedCategories"] = new[] { "devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute", "blink", "cc",
                        "gpu", "toplevel" },
                },
            });
    }
    var sent = Clock.UnixMs();
    var response = await api.SendAsync(request);
    if (i > options.WarmupChanges) roundTrips.Add(Clock.UnixMs() - sent);
    if (!response.IsSuccessStatusCode)
        throw new InvalidOperationException($"Change {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    revisions[nodeId] += 1;
    sentAt[i] = sent;
    await Task.Delay(options.IntervalMs);
}
// Everything sent: collect when each page saw each change.
await Task.Delay(2_000);
var metricsAfter = await PageMetrics();
if (options.Trace is { } traceFile)
{
    // The first viewer's renderer trace over the measured changes (script, style, layout, paint, raster), for DevTools' Performance panel.
    var traced = new List<JsonElement>();
    var complete = new TaskCompletionSource();
    probe.Event("Tracing.dataCollected").OnEvent += (_, e) =>
    {
        lock (traced) traced.AddRange(e!.Value.GetProperty("value").EnumerateArray().Select(x => x.Clone()));
    };
    probe.Event("Tracing.tracingComplete").OnEvent += (_, _) => complete.TrySetResult();
    await probe.SendAsync("Tracing.end");
    await complete.Task.WaitAsync(TimeSpan.FromSeconds(60));
    await File.WriteAllTextAsync(traceFile, JsonSerializer.Serialize(new { traceEvents = traced }));
    Console.WriteLine($"The first viewer's trace is in {traceFile}");
}
if (options.Profile is { } profileFile)
{
    // The first viewer's JavaScript CPU profile over the measured changes, for Chromium's DevTools (Performance → load profile).
    var profile = await probe.SendAsync("Profiler.stop");
    await File.WriteAllTextAsync(profileFile, profile!.Value.GetProperty("profile").GetRawText());
    Console.WriteLine($"The first viewer's CPU profile is in {profileFile}");
}
double PerChange(string name) => (metricsAfter[name] - metricsBefore![name]) * 1000 / options.Changes;
foreach (var (_, page) in viewers)
{
    var seen = await page.EvaluateAsync<Dictionary<string, double>>("() => window.__seen");
    for (var i = options.WarmupChanges + 1; i <= total; i++)
    {
        if (seen.TryGetValue(i.ToString(), out var at)) latencies.Add(at - sentAt[i]);
        else missed++;
    }
}
foreach (var (context, _) in viewers) await context.DisposeAsync();
Say("");
Say($"## A change by someone else, {options.Viewers} people viewing ({options.Changes} changes, one every {options.IntervalMs} ms, " +
    $"after {options.WarmupChanges} warm-up changes)");
Say("");
Say("Command sent (HTTP, lead drafter) → the new text drawn in each viewer's page.");
Say("");
Say("| p50 | p95 | p99 | max | not seen | bar |");
Say("| --- | --- | --- | --- | --- | --- |");
Say(latencies.Count == 0
    ? $"| – | – | – | – | {missed} | < 300 ms at p95: FAIL |"
    : $"| {P(latencies, 50):F0} ms | {P(latencies, 95):F0} ms | {P(latencies, 99):F0} ms | {latencies.Max():F0} ms | {missed} | " +
      $"< 300 ms at p95: {Verdict(P(latencies, 95) < 300 && missed == 0)} |");
Say("");
Say($"Of which the command's own HTTP round trip: p50 {P(roundTrips, 50):F0} ms, p95 {P(roundTrips, 95):F0} ms.");
Say("");
Say($"One viewer's page per change (Chromium's counters): all tasks {PerChange("TaskDuration"):F1} ms, of which script " +
    $"{PerChange("ScriptDuration"):F1} ms, style {PerChange("RecalcStyleDuration"):F1} ms, layout {PerChange("LayoutDuration"):F1} ms; " +
    $"{(metricsAfter["Nodes"]):F0} DOM nodes at the end.");

if (options.Out is { } outFile)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outFile))!);
    await File.WriteAllTextAsync(outFile, report.ToString());
    Console.WriteLine($"Written to {outFile}");
}
return;


static string Verdict(bool ok) => ok ? "met" : "NOT met";

static double P(List<double> values, int percentile)
{
    var sorted = values.Order().ToList();
    var index = (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1;
    return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
}

static IEnumerable<JsonElement> Flatten(JsonElement nodes)
{
    foreach (var node in nodes.EnumerateArray())
    {
        yield return node;
        foreach (var child in Flatten(node.GetProperty("children"))) yield return child;
    }
}

static async Task<(string Token, JsonElement User)> SignIn(HttpClient http, string userId)
{
    var response = await http.PostAsJsonAsync("/api/dev/sign-in", new { userId });
    response.EnsureSuccessStatusCode();
    var body = await response.Content.ReadFromJsonAsync<JsonElement>();
    return (body.GetProperty("token").GetString()!, body.GetProperty("user"));
}

/// <summary>A browser context already signed in (the token in the tab's session storage, as the sign-in page leaves it).</summary>
static async Task<IBrowserContext> NewContext(IBrowser browser, Uri address, (string Token, JsonElement User) who)
{
    var context = await browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = address.ToString(),
        ViewportSize = new ViewportSize { Width = 1440, Height = 1000 },
        Locale = "en-GB",
    });
    var session = JsonSerializer.Serialize(new { token = who.Token, user = who.User });
    await context.AddInitScriptAsync($"sessionStorage.setItem('cadap.session', {JsonSerializer.Serialize(session)}); " +
        "localStorage.setItem('cadap.language', 'en');");
    return context;
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "CadapDrafting.sln"))) return dir.FullName;
    throw new InvalidOperationException("Run from inside the repository: CadapDrafting.sln was not found above " + AppContext.BaseDirectory);
}

internal sealed record Options(int Runs, int WarmupOpens, int Viewers, int Changes, int WarmupChanges, int IntervalMs, string? Out,
    string? Profile, string? Trace)
{
    public static Options Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v) : fallback;
        return new Options(Int("--runs", 10), Int("--warmup", 3), Int("--viewers", 20), Int("--changes", 60), Int("--warmup-changes", 10),
            Int("--interval", 500), Value("--out") ?? (args.Contains("--no-out") ? null : "bench/results/browser.md"), Value("--profile"),
            Value("--trace"));
    }
}

/// <summary>Wall-clock time in milliseconds with a monotonic clock's resolution, to compare with the pages' performance.timeOrigin + now().</summary>
internal static class Clock
{
    private static readonly double BaseMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private static readonly long BaseTicks = Stopwatch.GetTimestamp();

    public static double UnixMs() => BaseMs + Stopwatch.GetElapsedTime(BaseTicks).TotalMilliseconds;
}
