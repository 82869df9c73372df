using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CadapDrafting.Drafts;
using CadapDrafting.Hosting;
using CadapDrafting.Import;

// Import benchmark: the demo programme of 75 actions (seeds/word/kg-anti-drug-programme.ru.docx) uploaded over HTTP to the
// server on a loopback port and imported as a new draft, PostgreSQL with fsync on. Warm-up imports first (the server
// compiles its hot paths), then each measured import makes a new draft. Also times reading and recognising the file alone.
//   dotnet run -c Release --project bench/CadapDrafting.Bench.Import [-- --warmup 5 --runs 20 --file path.docx]
var warmup = Option("--warmup", 5);
var runs = Option("--runs", 20);
var path = OptionText("--file") ?? Path.Combine(BenchRepository.Root, "seeds", "word", "kg-anti-drug-programme.ru.docx");
var file = await File.ReadAllBytesAsync(path);

var dataDirectory = Path.Combine(Path.GetTempPath(), $"cadap-bench-import-{Environment.ProcessId}");
var postgres = EmbeddedPostgres.Start(dataDirectory, durable: true, log: _ => { });
try
{
    var (app, address) = await LoopbackServer.StartAsync(new Dictionary<string, string?>
    {
        ["ConnectionStrings:Postgres"] = postgres.ConnectionString,
        ["Seeds:OnStartup"] = "false",
        ["Logging:LogLevel:Default"] = "None",
        ["Hardening:RequestsPerWindow"] = "1000000",
    });
    await using var _ = app;
    using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
    var signIn = await http.PostAsJsonAsync("/api/dev/sign-in", new { userId = "kg-editor" });
    signIn.EnsureSuccessStatusCode();
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
        (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());

    async Task<(double Ms, int Nodes)> Import(bool preview)
    {
        var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        form.Add(content, "file", Path.GetFileName(path));
        foreach (var (name, value) in new[] { ("country", "KG"), ("kind", "ActionPlan"), ("periodStart", "2022"), ("periodEnd", "2026"),
            ("language", "ru") })
            form.Add(new StringContent(value), name);
        var request = new HttpRequestMessage(HttpMethod.Post, preview ? "/api/imports/preview" : "/api/imports") { Content = form };
        if (!preview) request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var watch = Stopwatch.StartNew();
        var response = await http.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var elapsed = watch.Elapsed.TotalMilliseconds;
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{(int)response.StatusCode}: {body}");
        return (elapsed, preview ? body.GetProperty("nodes").GetInt32() : body.GetProperty("result").GetProperty("nodes").GetInt32());
    }

    double ReadAndRecognise()
    {
        var watch = Stopwatch.StartNew();
        var (document, _) = WordFile.Read(file, path);
        RecogniseOutline.From(document!, DraftKind.ActionPlan, 2022, 2026, ImportCorrections.None);
        return watch.Elapsed.TotalMilliseconds;
    }

    Console.WriteLine($"Warming up: {warmup} imports ...");
    for (var i = 0; i < warmup; i++) { await Import(preview: true); await Import(preview: false); ReadAndRecognise(); }

    var parse = new List<double>();
    var previews = new List<double>();
    var imports = new List<double>();
    var nodes = 0;
    for (var i = 0; i < runs; i++)
    {
        parse.Add(ReadAndRecognise());
        previews.Add((await Import(preview: true)).Ms);
        var (ms, count) = await Import(preview: false);
        imports.Add(ms);
        nodes = count;
    }

    var (document, _) = WordFile.Read(file, path);
    var (outline, _) = RecogniseOutline.From(document!, DraftKind.ActionPlan, 2022, 2026, ImportCorrections.None);
    var report = new StringBuilder()
        .AppendLine("# Import benchmark")
        .AppendLine()
        .AppendLine($"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores; PostgreSQL with fsync on; server on " +
            "a loopback port " +
                    $"(Kestrel, HTTP), {warmup} warm-up rounds, {runs} measured. File: {Path.GetFileName(path)} ({file.Length / 1024.0:0} KB, " +
                    $"{outline!.Paragraphs} paragraphs, {outline.Tables} tables, {outline.Actions} actions, {nodes} nodes).")
        .AppendLine()
        .AppendLine("| step | p50 ms | p95 ms | max ms |")
        .AppendLine("|---|---|---|---|")
        .AppendLine(Row("read + recognise (in process, no HTTP)", parse))
        .AppendLine(Row("preview: upload → outline (HTTP)", previews))
        .AppendLine(Row("import: upload → draft stored (HTTP, one command)", imports));
    Console.WriteLine(report);
    var results = Path.Combine(BenchRepository.Root, "bench", "results");
    Directory.CreateDirectory(results);
    await File.WriteAllTextAsync(Path.Combine(results, "import.md"), report.ToString());
    Console.WriteLine($"import p95 {Percentile(imports, 0.95):0} ms (target < 3000 ms): {(Percentile(imports, 0.95) < 3000 ? "met" : "NOT met")}");
}
finally
{
    postgres.Dispose();
    try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { }
}

static string Row(string step, List<double> values) =>
    string.Create(CultureInfo.InvariantCulture, $"| {step} | {Percentile(values, 0.5):0} | {Percentile(values, 0.95):0} | {values.Max():0} |");

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

int Option(string name, int fallback) => OptionText(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

string? OptionText(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
