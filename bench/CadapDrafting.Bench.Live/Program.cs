using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CadapDrafting.Bench;
using CadapDrafting.Bench.Live;
using CadapDrafting.Hosting;

// Command → client latency of live updates, for N clients on one draft, against a bare SignalR broadcast
// of the same payload to the same N clients (no database, no writer): the floor the full path is compared to.
var options = BenchOptions.Parse(args);
var loadBefore = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
Console.WriteLine($"Live benchmark: clients {string.Join(", ", options.ClientCounts)}; {options.WritesPerSecond} writes/s for {options.Seconds} s " +
    $"each; {Environment.ProcessorCount} cores");

if (args.Contains("--nodes"))
{
    // Three server processes (build the server first) behind the Redis backplane, and failover behind nginx.
    var clusterPostgres = EmbeddedPostgres.Start(Path.Combine(options.DataDirectory, $"postgres-nodes-{Environment.ProcessId}"), durable: true,
        log: _ => { });
    clusterPostgres.DestroyWhenProcessExits();
    try
    {
        var report = await AcrossNodes.RunAsync(options, clusterPostgres.ConnectionString)
                     + $"\nMachine load (/proc/loadavg) before: {loadBefore}; after: {File.ReadAllText("/proc/loadavg").Trim()}.\n";
        Console.WriteLine(report);
        var file = options.ResultsFile.EndsWith("live.md") ? options.ResultsFile.Replace("live.md", "live-nodes.md") : options.ResultsFile;
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, report);
        Console.WriteLine($"Written to {file}");
    }
    finally
    {
        clusterPostgres.Destroy();
    }
    return;
}

EmbeddedPostgres? postgres = null;
WebApplication? server = null;
CadapDrafting.Proof.ServerProcess? serverProcess = null;
Uri target;
try
{
    if (options.Url is { } url)
    {
        target = url;
    }
    else
    {
        // A database of this run's own: drafts and node records of earlier runs would otherwise pile up in what is measured.
        var dataDirectory = Path.Combine(options.DataDirectory, $"postgres-{Environment.ProcessId}");
        postgres = EmbeddedPostgres.Start(dataDirectory, durable: true, log: _ => { });
        postgres.DestroyWhenProcessExits();
        if (options.ServerProcess)
        {
            // The server in a process of its own, as in production, where the viewers are browsers on other machines: the
            // clients' receiving no longer queues in the server's own thread pool (they still share the two cores).
            // --server-env NAME=VALUE (repeatable): runtime settings tried on the server alone, e.g. DOTNET_gcServer=0.
            var serverEnvironment = args.Select((a, i) => (a, i)).Where(x => x.a == "--server-env" && x.i + 1 < args.Length)
                .Select(x => args[x.i + 1].Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
            // --published: the server as deployed (dotnet publish, ReadyToRun), which has less to compile while it is measured.
            string? published = null;
            if (args.Contains("--published"))
            {
                Console.WriteLine("Publishing the server (Release, ReadyToRun; minutes the first time) ...");
                published = CadapDrafting.Proof.ServerProcess.PublishServer(Path.Combine(options.DataDirectory, "published-server"));
            }
            serverProcess = await CadapDrafting.Proof.ServerProcess.StartAsync(postgres.ConnectionString, "bench_live", settings: serverEnvironment,
                serverDll: published);
            if (serverEnvironment.Count > 0)
                Console.WriteLine($"Server environment: {string.Join(", ", serverEnvironment.Select(kv => $"{kv.Key}={kv.Value}"))}");
            target = serverProcess.Address;
            Console.WriteLine($"Server process {serverProcess.Id} on {target} with a durable PostgreSQL (fsync on) in {postgres.DataDirectory}");
        }
        else
        {
            (server, target) = await LoopbackServer.StartAsync(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = postgres.ConnectionString,
                ["Marten:Schema"] = "bench_live",
                ["Seeds:OnStartup"] = "false",
                // Two writers send 25 commands/s each: far above one person's limit, which is not what is measured.
                ["Hardening:RequestsPerWindow"] = "100000000",
                // Hundreds of viewers are signed in as four people: far above one person's connection cap.
                ["Live:ConnectionsPerUser"] = "100000",
                ["Live:CallsPerUser"] = "100000000",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            });
            Console.WriteLine($"Server on {target} with a durable PostgreSQL (fsync on) in {postgres.DataDirectory}");
        }
    }

    if (options.WarmupSeconds > 0)
    {
        // A server that has just started is still compiling its hot paths (tiered JIT) for many seconds; what a
        // viewer of a running server sees is measured after a warm-up of the same traffic, which is not counted.
        Console.WriteLine($"Warm-up: {options.WarmupSeconds} s of the same writes with 10 viewers (not counted)");
        await FullPath.RunAsync(new Api(target), [target], 10, options with { Seconds = options.WarmupSeconds, SettleSeconds = 0 });
    }
    using var writerMeter = new WriterMeter();
    var bare = await BareBroadcast.StartAsync();
    var api = new Api(target);
    var results = new List<(int Clients, Measurement Full, Measurement Floor, string Writer)>();
    foreach (var n in options.ClientCounts)
    {
        writerMeter.Reset();
        var (benchCpuBefore, serverCpuBefore) = (Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, serverProcess?.CpuSeconds() ?? 0);
        var full = await FullPath.RunAsync(api, [target], n, options);
        // CPU per write (the whole run at this N: connecting, settling, measuring): what the two cores are shared out for.
        var writes = options.WritesPerRun;
        var benchCpu = 1000 * (Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - benchCpuBefore) / writes;
        var cpu = serverProcess is null
            ? $"server and clients in one process {benchCpu:0.0} ms"
            : $"server {1000 * (serverProcess.CpuSeconds() - serverCpuBefore) / writes:0.0} ms, clients and writers {benchCpu:0.0} ms";
        var writer = writerMeter.Summary() + $"; CPU per write: {cpu}";
        var floor = await bare.RunAsync(n, options, full.SamplePayload ?? throw new InvalidOperationException("No update reached the clients"));
        results.Add((n, full, floor, writer));
        Console.WriteLine($"N={n,4}  full: {full}");
        Console.WriteLine($"        floor: {floor}");
        Console.WriteLine($"        writer: {writer}");
        Console.WriteLine($"        HTTP command round trip alone: p50 {full.CommandRoundTrip!.P(0.5):0.0} ms, p95 " +
            $"{full.CommandRoundTrip.P(0.95):0.0} ms, p99 {full.CommandRoundTrip.P(0.99):0.0} ms");
    }
    await bare.DisposeAsync();

    // One viewer that stops reading (long polling behind a network that hangs) among N WebSocket viewers: the
    // others' latency beside the same run without it.
    Measurement? stalledRun = null, unstalledRun = null;
    if (options.StalledAmong > 0)
    {
        var n = options.StalledAmong;
        // Both runs back to back, after everything above: a run at N measured earlier (before a larger N and the floor) met
        // a server in another state, and the ratio compared those states instead of the stalled viewer.
        unstalledRun = await FullPath.RunAsync(api, [target], n, options);
        stalledRun = await FullPath.RunAsync(api, [target], n, options, withStalledViewer: true);
        Console.WriteLine($"N={n,4}  without a stalled viewer: {unstalledRun}");
        Console.WriteLine($"        with one stalled long-polling viewer: {stalledRun}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"        others' p95 with ÷ without: {stalledRun.P(0.95) / unstalledRun.P(0.95):0.00} (target ≤ 1.10)"));
    }

    var loadAfter = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
    var report = Report.Markdown(options, results) + Report.Stalled(options.StalledAmong, unstalledRun,
        stalledRun) + $"\nMachine load (/proc/loadavg) before: {loadBefore}; after: {loadAfter}.\n";
    Console.WriteLine();
    Console.WriteLine(report);
    Directory.CreateDirectory(Path.GetDirectoryName(options.ResultsFile)!);
    await File.WriteAllTextAsync(options.ResultsFile, report);
    Console.WriteLine($"Written to {options.ResultsFile}");
}
catch (Exception) when (serverProcess is not null)
{
    // What the server said about it is gone with the process otherwise.
    Console.WriteLine($"The server's last output:\n{serverProcess.Tail}");
    throw;
}
finally
{
    if (server is not null) await server.DisposeAsync();
    if (serverProcess is not null) await serverProcess.DisposeAsync();
    postgres?.Destroy();
}

namespace CadapDrafting.Bench.Live
{
    /// <param name="SettleSeconds">
    /// At each N, the writes of the first seconds after the N clients connected are sent but not counted: the server and the
    /// clients settle at that N (buffers, thread pool, the code paths hot only with many connections), as a running server with
    /// N viewers has. The warm-up before the first N, with 10 viewers, does not warm those.
    /// </param>
    public sealed record BenchOptions(Uri? Url, int[] ClientCounts, int WritesPerSecond, int Seconds, int WarmupSeconds, string DataDirectory,
        string ResultsFile, int StalledAmong, int SettleSeconds, bool ServerProcess = false)
    {
        /// <summary>Writes sent at one N: the settling ones first, then the measured ones.</summary>
        public int WritesPerRun => WritesPerSecond * (SettleSeconds + Seconds);

        /// <summary>The first write that is measured (1-based).</summary>
        public int FirstMeasuredWrite => WritesPerSecond * SettleSeconds + 1;

        public static BenchOptions Parse(string[] args)
        {
            string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
            var root = BenchRepository.Root;
            return new BenchOptions(
                Value("--url") is { } u ? new Uri(u.EndsWith('/') ? u : u + "/") : null,
                (Value("--clients") ?? "1,100,500").Split(',').Select(int.Parse).ToArray(),
                int.Parse(Value("--writes") ?? "50"),
                int.Parse(Value("--seconds") ?? "20"),
                int.Parse(Value("--warmup") ?? "20"),
                // Relative to the repository: `dotnet run` starts the program in the project's folder.
                Path.Combine(root, Value("--data") ?? Path.Combine("bench", ".data")),
                Path.Combine(root, Value("--out") ?? Path.Combine("bench", "results", "live.md")),
                int.Parse(Value("--stalled") ?? "100"),
                int.Parse(Value("--settle") ?? "10"),
                !args.Contains("--in-process"));
        }
    }

    /// <summary>Latencies in milliseconds of every (client, message) pair, and what never arrived.</summary>
    public sealed class Measurement(List<double> latencies, long expected, long delivered, int gapsFetched, int duplicates, double writesPerSecond)
    {
        public JsonElement? SamplePayload { get; init; }
        /// <summary>For the full path: p50 / p95 per 10 s of the run, to tell a steady state from a drift.</summary>
        public string? Intervals { get; init; }
        /// <summary>For the full path: the HTTP command's own round trip (sent → response), the write side of the latency.</summary>
        public Measurement? CommandRoundTrip { get; init; }
        /// <summary>For the full path: from the command's HTTP response (sent right after the commit) to the client (negative when the push
        /// wins).</summary>
        public Measurement? AfterAnswer { get; init; }
        /// <summary>With several nodes: only the clients on a node other than the one the command was sent to.</summary>
        public Measurement? CrossNode { get; init; }
        public long Expected => expected;
        public long Lost => expected - delivered;
        public int GapsFetched => gapsFetched;
        public int Duplicates => duplicates;
        public double WritesPerSecond => writesPerSecond;
        public double P(double q)
        {
            if (latencies.Count == 0) return double.NaN;
            latencies.Sort();
            return latencies[Math.Clamp((int)Math.Ceiling(q * latencies.Count) - 1, 0, latencies.Count - 1)];
        }
        public double Max => latencies.Count == 0 ? double.NaN : latencies.Max();

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{WritesPerSecond:0.0} msg/s, p50 {P(0.5):0.0} ms, p95 {P(0.95):0.0} ms, p99 {P(0.99):0.0} ms, max {Max:0.0} ms, lost {Lost} of " +
                $"{Expected}, gaps fetched {GapsFetched}");
    }

    public static class Report
    {
        public static string Markdown(BenchOptions o, List<(int Clients, Measurement Full, Measurement Floor, string Writer)> results)
        {
            var s = new StringBuilder();
            s.AppendLine("# Live updates: command → client latency");
            s.AppendLine();
            var where = o.Url is not null ? $"server at {o.Url}"
                : o.ServerProcess
                    ? "server in a process of its own (Release build, Development sign-in) on a loopback port, durable PostgreSQL (fsync on)"
                : "server in the bench process on a loopback port, durable PostgreSQL (fsync on)";
            s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores; {o.WritesPerSecond} writes/s, at each N " +
                    $"{o.SettleSeconds} s settling (not counted) then {o.Seconds} s measured, after a warm-up of {o.WarmupSeconds} s with 10 " +
                    $"viewers; {where}."));
            s.AppendLine("Full path: HTTP command → DraftWriter (stream lock, commit) → push after commit → N SignalR clients (WebSockets) " +
                "applying in order.");
            if (results.FirstOrDefault().Full?.SamplePayload is { } sample)
                s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"Payload: one update per proposal, {System.Text.Encoding.UTF8.GetByteCount(sample.GetRawText())} bytes of JSON (proposal view " +
                    $"with word diff, node, lifecycle)."));
            s.AppendLine("Floor: a bare hub in the same process broadcasting the same payload to N clients at the same rate, no database.");
            s.AppendLine();
            s.AppendLine("| N clients | path | msgs/s sent | p50 ms | p95 ms | p99 ms | max ms | lost | gaps fetched |");
            s.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (n, full, floor, _) in results)
            {
                s.AppendLine(Row(n, "full", full));
                s.AppendLine(Row(n, "floor", floor));
                var c = full.CommandRoundTrip!;
                s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {n} | HTTP command round trip (write side) | | {c.P(0.5):0.0} | {c.P(0.95):0.0} | {c.P(0.99):0.0} | {c.Max:0.0} | | |"));
                var a = full.AfterAnswer!;
                s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {n} | push side (HTTP response → client) | | {a.P(0.5):0.0} | {a.P(0.95):0.0} | {a.P(0.99):0.0} | {a.Max:0.0} | | |"));
                s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {n} | full ÷ floor | | {full.P(0.5) / floor.P(0.5):0.0}× | {full.P(0.95) / floor.P(0.95):0.0}× | " +
                        $"{full.P(0.99) / floor.P(0.99):0.0}× | | | |"));
            }
            s.AppendLine();
            s.AppendLine("Full path per 10 s of the run:");
            s.AppendLine();
            foreach (var (n, full, _, _) in results) s.AppendLine($"- N={n}: {full.Intervals}");
            s.AppendLine();
            s.AppendLine("Writer, per committed batch:");
            s.AppendLine();
            foreach (var (n, _, _, writer) in results) s.AppendLine($"- N={n}: {writer}");
            return s.ToString();
        }

        public static string Stalled(int n, Measurement? without, Measurement? with)
        {
            if (without is null || with is null) return "";
            var s = new StringBuilder();
            s.AppendLine();
            s.AppendLine($"One stalled viewer among {n}: one more client follows the draft by long polling through a relay that stops moving data " +
                "once the writes start (not measured itself).");
            s.AppendLine();
            s.AppendLine("| N clients | run | p50 ms | p95 ms | p99 ms | max ms | lost |");
            s.AppendLine("|---:|---|---:|---:|---:|---:|---:|");
            foreach (var (run, m) in new[] { ("without the stalled viewer", without), ("with one stalled long-polling viewer", with) })
                s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {n} | {run} | {m.P(0.5):0.0} | {m.P(0.95):0.0} | {m.P(0.99):0.0} | {m.Max:0.0} | {m.Lost} / {m.Expected} |"));
            s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"\nOthers' p95 with ÷ without: {with.P(0.95) / without.P(0.95):0.00} (target ≤ 1.10)."));
            return s.ToString();
        }

        private static string Row(int n, string path, Measurement m) => string.Create(CultureInfo.InvariantCulture,
            $"| {n} | {path} | {m.WritesPerSecond:0.0} | {m.P(0.5):0.0} | {m.P(0.95):0.0} | {m.P(0.99):0.0} | {m.Max:0.0} | {m.Lost} / " +
                $"{m.Expected} | {m.GapsFetched} |");
    }

    /// <summary>The HTTP API as the demo users use it.</summary>
    public sealed class Api(Uri server)
    {
        public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
        private readonly Dictionary<string, string> _tokens = new();
        private readonly HttpClient _anonymous = new() { BaseAddress = server };

        public async Task<string> TokenFor(string userId)
        {
            lock (_tokens)
                if (_tokens.TryGetValue(userId, out var known)) return known;
            var response = await _anonymous.PostAsJsonAsync("/api/dev/sign-in", new { userId });
            response.EnsureSuccessStatusCode();
            var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
            lock (_tokens) _tokens[userId] = token;
            return token;
        }

        public async Task<HttpClient> ClientFor(string userId)
        {
            var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { BaseAddress = server };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenFor(userId));
            return http;
        }

        public static async Task<JsonElement> CommandAsync(HttpClient http, string url, object body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body, options: Json) };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }
}
