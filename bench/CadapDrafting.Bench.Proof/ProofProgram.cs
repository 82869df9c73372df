using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CadapDrafting.Hosting;
using CadapDrafting.Live.Client;
using Npgsql;

namespace CadapDrafting.Proof;

/// <summary>
/// dotnet run -c Release --project bench/CadapDrafting.Bench.Proof -- all | throughput | rebuild | coldstart | memory | writer-memory [N]
///     | reliability [--long]
/// Starts its own durable PostgreSQL (fsync on) in bench/.data/proof and the server as a separate process; results go to bench/results/.
/// </summary>
public static class ProofProgram
{
    public static async Task<int> Main(string[] args)
    {
        // The rebuild measured in a process of its own with the server's garbage collector (see RebuildBench).
        if (args is ["rebuild-with-server-gc", var connection])
        {
            Console.WriteLine(RebuildReportMarker + await RebuildBench(connection));
            return 0;
        }
        var what = args.FirstOrDefault() ?? "all";
        var longForm = args.Contains("--long");
        var root = ServerProcess.RepositoryRoot();
        var results = Path.Combine(root, "bench", "results");
        Directory.CreateDirectory(results);
        var data = Path.Combine(root, "bench", ".data", "proof");
        Directory.CreateDirectory(data);
        var failed = false;

        if (what is "all" or "throughput" or "rebuild" or "coldstart" or "memory" or "profile" or "writer-memory")
        {
            using var postgres = EmbeddedPostgres.Start(Path.Combine(data, "postgres"), durable: true, log: _ => { });
            var report = new StringBuilder($"# Proof benchmarks\n\n{Machine()}\n\n");
            if (what is "all" or "throughput") report.Append(await Throughput.RunAsync(postgres.ConnectionString, seconds: 6));
            if (what is "all" or "profile") report.Append(await WriterProfile.RunAsync(postgres.ConnectionString, seconds: 12));
            if (what is "all" or "rebuild") report.Append(await RebuildInServerGcProcess(postgres.ConnectionString));
            if (what is "all" or "coldstart") report.Append(await ColdStart(postgres.ConnectionString));
            if (what is "all" or "memory") report.Append(await Memory(postgres.ConnectionString, 1000));
            if (what is "all" or "writer-memory")
                report.Append(await WriterMemory.RunAsync(postgres.ConnectionString, int.TryParse(args.ElementAtOrDefault(1), out var n)
                    ? n : 10_000));
            report.Append($"\nAfter: {Machine()}\n");
            Write(Path.Combine(results, what == "all" ? "proof-benchmarks.md" : $"proof-{what}.md"), report.ToString());
        }

        if (what is "all" or "reliability")
        {
            var report = new StringBuilder($"# Reliability suites ({(longForm ? "long" : "short")} form)\n\n{Machine()}\n\n");
            using (var postgres = EmbeddedPostgres.Start(Path.Combine(data, "postgres"), durable: true, log: _ => { }))
            {
                var schema = $"proof_{DateTime.UtcNow:MMddHHmmss}";
                var suites = new List<SuiteResult>
                {
                    await CrashSuite.RunAsync(postgres.ConnectionString, schema + "_crash", longForm ? 20 : 3, seed: 1, Console.WriteLine),
                };
                await using (var server = await ServerProcess.StartAsync(postgres.ConnectionString, schema + "_load"))
                await using (var inspector = StoreInspector.Open(postgres.ConnectionString, schema + "_load"))
                {
                    suites.Add(await ConcurrencySuite.RunAsync(server.Address, inspector, 32, longForm ? 5000 : 500, seed: 2));
                    suites.Add(await Fuzzer.RunAsync(server.Address, inspector, longForm ? 10_000 : 1_000, longForm ? 2_000 : 200, seed: 3));
                }
                foreach (var s in suites) Console.WriteLine(s);
                suites.Add(await OutageSuite.RunAsync(Path.Combine(data, "outage"), longForm ? 3 : 1, TimeSpan.FromSeconds(3), seed: 4,
                    Console.WriteLine));
                Console.WriteLine(suites[^1]);
                foreach (var s in suites)
                {
                    report.Append($"## {s.Name}: {(s.Passed ? "passed" : "FAILED")}\n\n");
                    foreach (var line in s.Figures.Concat(s.Problems.Take(50))) report.Append($"- {line}\n");
                    report.Append('\n');
                    failed |= !s.Passed;
                }
            }
            report.Append($"After: {Machine()}\n");
            Write(Path.Combine(results, longForm ? "proof-reliability-long.md" : "proof-reliability-short.md"), report.ToString());
        }
        return failed ? 1 : 0;
    }

    private static void Write(string file, string text)
    {
        File.WriteAllText(file, text);
        Console.WriteLine(text);
        Console.WriteLine($"Written to {file}");
    }

    public static string Machine() =>
        $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average " +
            $"{(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a")}";

    private const string RebuildReportMarker = "REBUILD REPORT\n";

    /// <summary>
    /// The server runs with the server garbage collector (ASP.NET Core's default) and so does the <c>rebuild</c> command it
    /// hosts; this benchmark's own process uses the workstation one, which made the same rebuild a third slower. So the
    /// rebuild is measured in a child process of this program started with the server's collector.
    /// </summary>
    private static async Task<string> RebuildInServerGcProcess(string connectionString)
    {
        var self = typeof(ProofProgram).Assembly.Location;
        var host = Environment.ProcessPath!;
        var info = new ProcessStartInfo(host) { UseShellExecute = false, RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") info.ArgumentList.Add(self);
        info.ArgumentList.Add("rebuild-with-server-gc");
        info.ArgumentList.Add(connectionString);
        info.Environment["DOTNET_gcServer"] = "1";
        using var child = Process.Start(info)!;
        var output = new StringBuilder();
        while (await child.StandardOutput.ReadLineAsync() is { } line)
        {
            Console.WriteLine(line);
            output.AppendLine(line);
        }
        await child.WaitForExitAsync();
        var text = output.ToString();
        var at = text.IndexOf(RebuildReportMarker, StringComparison.Ordinal);
        if (child.ExitCode != 0 || at < 0) throw new InvalidOperationException($"The rebuild benchmark's process failed ({child.ExitCode})");
        return text[(at + RebuildReportMarker.Length)..];
    }

    /// <summary>Rebuilding every draft's documents (with their search index rows) over every event stored by the throughput runs.</summary>
    private static async Task<string> RebuildBench(string connectionString)
    {
        // Run alone on a fresh database there is nothing to rebuild: the events of a short throughput run first.
        if (await StoredEventsAsync(connectionString) < 10_000)
        {
            Console.WriteLine("Fewer than 10,000 events stored: a short throughput run writes them first (not timed) ...");
            await Throughput.RunAsync(connectionString, seconds: 3);
        }
        await using var inspector = StoreInspector.Open(connectionString, Throughput.Schema);
        // Three rebuilds not counted: the first pays for compiling the code paths and PostgreSQL's first reads of the tables, and
        // the runtime goes on recompiling the hot paths (tiered compilation) over the next ones.
        Console.WriteLine("Warm-up rebuilds (not timed) ...");
        for (var warmup = 0; warmup < 3; warmup++) await inspector.RebuildAsync();
        // Five timed rebuilds, the median reported: one run on two cores moves by a fifth from one to the next.
        var runs = new List<(long Events, TimeSpan Took)>();
        for (var run = 0; run < 5; run++) runs.Add(await inspector.RebuildAsync());
        var (events, took) = runs.OrderBy(r => r.Took).ElementAt(runs.Count / 2);
        var each = string.Join(", ", runs.Select(r => r.Took.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)));
        var line = string.Create(CultureInfo.InvariantCulture,
            $"## Projection rebuild\n\n{events:N0} events rebuilt into draft documents in {took.TotalSeconds:0.00} s (median of " +
                $"{runs.Count} after three warm-up; {each} s): **{events / took.TotalSeconds:N0} events/s** (target ≥ 20,000).\n\n")
            + await ReplayProfile(inspector);
        Console.WriteLine(line);
        return line;
    }

    private static async Task<long> StoredEventsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand($"select to_regclass('{Throughput.Schema}.mt_events') is not null", connection);
        if (!(bool)(await exists.ExecuteScalarAsync())!) return 0;
        await using var count = new NpgsqlCommand($"select count(*) from {Throughput.Schema}.mt_events", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Separates the rebuild's parts: reading the events alone (raw SQL), and replaying streams in memory (Marten's
    /// aggregation, deserialising and applying) for short and long streams, so the bound is seen rather than guessed.
    /// </summary>
    private static async Task<string> ReplayProfile(StoreInspector inspector)
    {
        var streams = new List<(Guid Id, long Version)>();
        await using (var connection = new NpgsqlConnection(inspector.ConnectionString))
        {
            await connection.OpenAsync();
            await using var list = new NpgsqlCommand($"select id, version from {inspector.Schema}.mt_streams s " +
                $"where {CadapDrafting.Notifications.PersonInboxes.NotAnInbox("s")} order by version desc", connection);
            await using (var reader = await list.ExecuteReaderAsync())
                while (await reader.ReadAsync()) streams.Add((reader.GetGuid(0), reader.GetInt64(1)));
            var read = Stopwatch.StartNew();
            await using var all = new NpgsqlCommand($"select data::text, headers::text from {inspector.Schema}.mt_events", connection);
            long rows = 0;
            await using (var reader = await all.ExecuteReaderAsync())
                while (await reader.ReadAsync()) { reader.GetString(0); rows++; }
            var s = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
                $"Profile: reading all {rows:N0} events' JSON alone takes {read.Elapsed.TotalSeconds:0.00} s " +
                    $"({rows / read.Elapsed.TotalSeconds:N0} events/s).\n"));
            await using var session = inspector.Store.QuerySession();
            foreach (var (label, picked) in new[] { ("longest stream", streams.Take(1).ToList()),
                ("short streams (≤ 50 events)", streams.Where(x => x.Version <= 50).Take(200).ToList()) })
            {
                if (picked.Count == 0) continue;
                var clock = Stopwatch.StartNew();
                foreach (var (id, _) in picked) await session.Events.AggregateStreamAsync<Drafts.Draft>(id);
                var count = picked.Sum(x => x.Version);
                s.Append(string.Create(CultureInfo.InvariantCulture,
                    $"Replay in memory (AggregateStreamAsync), {label}: {picked.Count} streams, {count:N0} events in " +
                        $"{clock.Elapsed.TotalSeconds:0.00} s = {count / clock.Elapsed.TotalSeconds:N0} events/s.\n"));
            }
            return s.Append('\n').ToString();
        }
    }

    /// <summary>
    /// Process start → first /health/ready 200: the server as deployed (published, ReadyToRun) in Production, and the
    /// built one (what `dotnet run` starts) in Production and Development. Publishing is done first and not timed.
    /// </summary>
    private static async Task<string> ColdStart(string connectionString)
    {
        Console.WriteLine("Publishing the server (Release, ReadyToRun; minutes the first time) ...");
        var published = ServerProcess.PublishServer(Path.Combine(ServerProcess.RepositoryRoot(), "bench", ".data", "published-server"));
        var s =
            new StringBuilder("## Cold start (process start → /health/ready 200, build excluded)\n\n| server | environment | runs | min s | " +
            "median s | max s |\n|---|---|---:|---:|---:|---:|\n");
        foreach (var (form, environment, dll) in new[]
        {
            ("published (ReadyToRun)", "Production", published), ("built", "Production", ServerProcess.ServerDll()),
            ("built", "Development", ServerProcess.ServerDll()),
        })
        {
            // One start not counted: the first after a publish or build also pays the disk cache's first read of every file,
            // and on a fresh database the creation of the schema.
            var warm = ServerProcess.Launch(connectionString, Throughput.Schema, environment, serverDll: dll);
            try { await warm.WaitReadyAsync(TimeSpan.FromSeconds(60)); }
            finally { await warm.DisposeAsync(); }
            var times = new List<double>();
            for (var run = 0; run < 7; run++)
            {
                var server = ServerProcess.Launch(connectionString, Throughput.Schema, environment, serverDll: dll);
                try { times.Add((await server.WaitReadyAsync(TimeSpan.FromSeconds(60))).TotalSeconds); }
                finally { await server.DisposeAsync(); }
            }
            times.Sort();
            s.Append(string.Create(CultureInfo.InvariantCulture,
                $"| {form} | {environment} | {times.Count} | {times[0]:0.00} | {times[times.Count / 2]:0.00} | {times[^1]:0.00} |\n"));
        }
        s.Append("\nTarget < 1.5 s in Production, as deployed (`dotnet publish`, the Docker image). Production loads Wolverine's " +
            "pre-generated handlers (static mode); Development may compile at start.\n\n");
        Console.WriteLine(s);
        return s.ToString();
    }

    /// <summary>Resident memory of the server process with N SignalR connections (WebSockets), each joined to a draft.</summary>
    private static async Task<string> Memory(string connectionString, int connections)
    {
        await using var server = await ServerProcess.StartAsync(connectionString, Throughput.Schema + "_memory");
        var load = await MixedLoad.PrepareAsync(server.Address, drafts: 10, nodesPerDraft: 2);
        var people = new[] { "kg-editor", "kg-drafter", "kg-approver-1", "kg-approver-2" };
        var tokens = new List<string>();
        foreach (var p in people) tokens.Add((await ProofClient.SignInAsync(server.Address, p)).Token);
        await Task.Delay(1000);
        var idle = server.ResidentBytes();
        var clients = new List<LiveDraftClient>();
        var options = new LiveClientOptions
        {
            Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets,
            KeepAliveInterval = TimeSpan.FromSeconds(15)
        };
        for (var i = 0; i < connections; i += 25)
            clients.AddRange(await Task.WhenAll(Enumerable.Range(i, Math.Min(25, connections - i)).Select(n =>
                LiveDraftClient.ConnectAsync(server.Address, load.Drafts[n % load.Drafts.Count], () =>
                    Task.FromResult<string?>(tokens[n % tokens.Count]), 0, options))));
        await Task.Delay(3000);
        var connected = server.ResidentBytes();
        // A burst of writes while everyone watches: the memory of pushing to 1,000 connections.
        await load.RunAsync(8, 200, seed: 5);
        await Task.Delay(2000);
        var afterPush = server.ResidentBytes();
        var open = clients.Count(c => c.State == Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected);
        foreach (var c in clients) await c.DisposeAsync();
        var s = string.Create(CultureInfo.InvariantCulture,
            $"## Memory with {connections} hub connections\n\nServer process resident memory (VmRSS): idle {idle / 1048576.0:0} MB; with {open} " +
                $"connections joined to 10 drafts {connected / 1048576.0:0} MB; after 200 commands pushed to them {afterPush / 1048576.0:0} MB " +
                $"(target < 400 MB). Per connection ≈ {(connected - idle) / 1024.0 / connections:0} KB.\n\n");
        Console.WriteLine(s);
        return s;
    }
}
