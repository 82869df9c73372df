using System.Diagnostics;
using CadapDrafting.Hosting;

namespace CadapDrafting.Proof;

/// <summary>What a reliability suite found: its figures for the report, and every violation (none expected).</summary>
public sealed record SuiteResult(string Name, List<string> Figures, List<string> Problems)
{
    public bool Passed => Problems.Count == 0;
    public override string ToString() =>
        $"{Name}: {(Passed ? "passed" : $"FAILED ({Problems.Count})")}\n  " + string.Join("\n  ", Figures.Concat(Problems.Take(20)));
}

public static class CrashSuite
{
    /// <summary>
    /// Mixed load against a server process that is killed with SIGKILL at a random moment, <paramref name="trials"/> times;
    /// after each restart the unanswered commands are sent again under their ids. Then everything is checked.
    /// </summary>
    public static async Task<SuiteResult> RunAsync(string connectionString, string schema, int trials, int seed, Action<string>? log = null)
    {
        log ??= _ => { };
        var random = new Random(seed);
        var server = await ServerProcess.StartAsync(connectionString, schema);
        var load = await MixedLoad.PrepareAsync(server.Address, drafts: 3);
        var retried = 0;
        var restart = new List<double>();
        try
        {
            for (var trial = 1; trial <= trials; trial++)
            {
                using var stop = new CancellationTokenSource();
                var running = load.RunAsync(writers: 16, operations: int.MaxValue, seed: seed + trial, stop.Token);
                await Task.Delay(TimeSpan.FromMilliseconds(300 + random.Next(1500)));
                server.Kill();
                stop.Cancel();
                await running;
                await server.DisposeAsync();
                var clock = Stopwatch.StartNew();
                server = await ServerProcess.StartAsync(connectionString, schema);
                restart.Add(clock.Elapsed.TotalSeconds);
                // The clients keep their tokens and their unanswered commands; only the address changed.
                load = load.On(server.Address);
                retried += await load.RetryUnansweredAsync(TimeSpan.FromSeconds(60));
                log($"crash trial {trial}: {load.Sent.Count} commands sent so far, restarted in {clock.Elapsed.TotalSeconds:0.0} s");
            }
            await using var inspector = StoreInspector.Open(connectionString, schema);
            var problems = await inspector.CheckAsync(load.Sent.ToList(), load.Drafts);
            var (rebuildProblems, _, _) = await inspector.RebuildAndCompareAsync(load.Drafts.ToList());
            problems.AddRange(rebuildProblems);
            var unanswered = load.Sent.Count(c => !c.Answered);
            if (unanswered > 0) problems.Add($"{unanswered} commands still unanswered after retrying");
            if (load.ServerErrors > 0) problems.Add($"{load.ServerErrors} answers were 5xx other than 503");
            return new SuiteResult("Crash safety (SIGKILL)", [
                $"{trials} kills; {load.Sent.Count} commands, {load.Sent.Count(c => c.Acknowledged)} acknowledged, " +
                    $"{load.Sent.Count(c => c.Refused)} refused by the domain, {retried} sent again after a kill",
                $"restart to ready: {restart.Average():0.00} s average, {restart.Max():0.00} s max",
                $"final answers: {string.Join(", ", load.Sent.GroupBy(c => c.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"))}",
            ], problems);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}

public static class OutageSuite
{
    /// <summary>
    /// PostgreSQL stopped and started again under load: meanwhile the server must answer 503 (health and commands),
    /// never 500, and afterwards work again without being restarted itself; nothing acknowledged may be lost.
    /// </summary>
    public static async Task<SuiteResult> RunAsync(string dataDirectory, int outages, TimeSpan downtime, int seed, Action<string>? log = null)
    {
        log ??= _ => { };
        var postgres = EmbeddedPostgres.Start(dataDirectory, durable: true, log: _ => { });
        var port = postgres.Port;
        const string schema = "proof_outage";
        var server = await ServerProcess.StartAsync(postgres.ConnectionString, schema);
        var problems = new List<string>();
        var figures = new List<string>();
        try
        {
            var load = await MixedLoad.PrepareAsync(server.Address, drafts: 3);
            using var probe = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(5) };
            using var reader = await ProofClient.SignInAsync(server.Address, "kg-editor", TimeSpan.FromSeconds(5));
            var readStatuses = new Dictionary<int, int>();
            var recoveries = new List<double>();
            var readyStatuses = new Dictionary<int, int>();
            for (var outage = 1; outage <= outages; outage++)
            {
                using var stop = new CancellationTokenSource();
                var running = load.RunAsync(writers: 8, operations: int.MaxValue, seed: seed + outage, stop.Token);
                await Task.Delay(500);
                postgres.Stop();
                var down = Stopwatch.StartNew();
                while (down.Elapsed < downtime)
                {
                    var status = await StatusOf(probe, "health/ready");
                    readyStatuses[status] = readyStatuses.GetValueOrDefault(status) + 1;
                    var read = (await reader.GetAsync($"/api/drafts/{load.Drafts[0]}")).Status;
                    readStatuses[read] = readStatuses.GetValueOrDefault(read) + 1;
                    await Task.Delay(100);
                }
                postgres = EmbeddedPostgres.Start(dataDirectory, port, durable: true, log: _ => { });
                var back = Stopwatch.StartNew();
                while (await StatusOf(probe, "health/ready") != 200 && back.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(20);
                // Commands succeed again through the same server process.
                var editorWorks = false;
                while (!editorWorks && back.Elapsed < TimeSpan.FromSeconds(60))
                {
                    var before = load.Sent.Count(c => c.Acknowledged);
                    await Task.Delay(200);
                    editorWorks = load.Sent.Count(c => c.Acknowledged) > before;
                }
                recoveries.Add(back.Elapsed.TotalSeconds);
                if (!editorWorks) problems.Add($"Outage {outage}: no command succeeded within 60 s of PostgreSQL coming back");
                await Task.Delay(500);
                stop.Cancel();
                await running;
                log($"outage {outage}: recovered in {back.Elapsed.TotalSeconds:0.00} s");
            }
            await load.RetryUnansweredAsync(TimeSpan.FromSeconds(60));
            var during = load.Sent.Where(c => c.Status == 503 || c.Attempts > 1).ToList();
            await using var inspector = StoreInspector.Open(postgres.ConnectionString, schema);
            problems.AddRange(await inspector.CheckAsync(load.Sent.ToList(), load.Drafts));
            if (load.ServerErrors > 0) problems.Add($"{load.ServerErrors} answers were 5xx other than 503");
            if (readyStatuses.Keys.Any(s =>
                s != 503)) problems.Add($"/health/ready answered {string.Join(", ", readyStatuses.Select(kv => $"{kv.Key}×{kv.Value}"))} while " +
                "PostgreSQL was down");
            if (readStatuses.Keys.Any(s => s is not (503 or 200)))
                problems.Add($"Reading a draft answered {string.Join(", ", readStatuses.Select(kv => $"{kv.Key}×{kv.Value}"))} while PostgreSQL " +
                    "was down");
            var unanswered = load.Sent.Count(c => !c.Answered);
            if (unanswered > 0) problems.Add($"{unanswered} commands still unanswered after PostgreSQL came back");
            figures.Add($"{outages} outages of {downtime.TotalSeconds:0.0} s; {load.Sent.Count} commands, {load.Sent.Count(c => c.Acknowledged)} " +
                $"acknowledged, {during.Count} answered 503 or unanswered at first and sent again");
            figures.Add($"reading a draft while down: {string.Join(", ", readStatuses.Select(kv => $"{kv.Key}×{kv.Value}"))}; /health/ready while " +
                $"down: {string.Join(", ", readyStatuses.Select(kv => $"{kv.Key}×{kv.Value}"))}; first successful command " +
                $"{recoveries.Average():0.00} s after PostgreSQL was back (max {recoveries.Max():0.00} s), server not restarted");
            return new SuiteResult("Database outage", figures, problems);
        }
        finally
        {
            await server.DisposeAsync();
            postgres.Destroy();
        }
    }

    /// <summary>0 when no answer came within the probe's timeout.</summary>
    private static async Task<int> StatusOf(HttpClient http, string url)
    {
        try { return (int)(await http.GetAsync(url)).StatusCode; }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException) { return 0; }
    }


}

public static class ConcurrencySuite
{
    /// <summary>Randomised histories from <paramref name="writers"/> writers on a few drafts, then the checker.</summary>
    public static async Task<SuiteResult> RunAsync(Uri server, StoreInspector inspector, int writers, int operations, int seed)
    {
        var load = await MixedLoad.PrepareAsync(server, drafts: 3);
        var clock = Stopwatch.StartNew();
        await load.RunAsync(writers, operations, seed);
        var took = clock.Elapsed;
        var problems = await inspector.CheckAsync(load.Sent.ToList(), load.Drafts);
        var (rebuildProblems, _, _) = await inspector.RebuildAndCompareAsync(load.Drafts.ToList());
        problems.AddRange(rebuildProblems);
        if (load.ServerErrors > 0) problems.Add($"{load.ServerErrors} answers were 5xx");
        var unanswered = load.Sent.Count(c => !c.Answered);
        if (unanswered > 0) problems.Add($"{unanswered} commands got no answer");
        var byKind = load.Sent.GroupBy(c => Kind(c.Url)).OrderBy(g => g.Key)
            .Select(g => $"{g.Key} {g.Count(c => c.Acknowledged)}/{g.Count()}");
        return new SuiteResult("Concurrency (randomised histories)", [
            $"{writers} writers, {load.Sent.Count} operations in {took.TotalSeconds:0.0} s on {load.Drafts.Count} drafts (seed {seed}); " +
                $"acknowledged/sent: {string.Join(", ", byKind)}",
            "checked: every acknowledged command's events present exactly once, refused ones stored nothing, no blind apply, hash chain, stored == " +
                "replay == rebuild",
        ], problems);
    }

    private static string Kind(string url) => url.Split('/')[^1] switch
    {
        "proposals" => "propose",
        "threads" => "comment",
        "sign-offs" => "sign-off",
        var verb => verb,
    };
}
