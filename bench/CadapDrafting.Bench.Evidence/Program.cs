using System.Diagnostics;
using System.Text;
using CadapDrafting.Drafts;
using CadapDrafting.Evidence;
using CadapDrafting.Hosting;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using CadapDrafting.Drafts.Writing;
using CadapDrafting.Proposals;
using CadapDrafting.Transparency;

// Evidence benchmark: what the signed log costs.
//   dotnet run -c Release --project bench/CadapDrafting.Bench.Evidence [-- --seconds 20 --sizes 1000,100000,1000000]
// 1. Proofs over a synthetic log of 1k / 100k / 1M leaves: building the tree, inclusion and consistency proof size,
//    time to cut and to verify, signing and verifying a head.
// 2. One draft through the real DraftWriter on PostgreSQL with fsync on, signing on vs off: commit latency (one
//    writer, one command at a time) and throughput (32 writers on the one draft), each after a warm-up.
//    With signing on, also the content statement: hashing the bench draft's content, as the writer does at every new revision.
// 3. Proofs as the server serves them: a draft's log of 1k / 100k / 1M leaves stored in PostgreSQL under a signed head,
//    inclusion and consistency proofs asked over HTTP (the server reads the stored tiles it needs and at most two blocks of
//    256 leaves per request, and checks the proof against the signed root).
// 4. Witness lag: from a commit to the witness holding a cosigned head covering it (witness polling every 100 ms).
// A short run that only checks it works: -- --seconds 3 --sizes 1000,10000
var seconds = Option("--seconds", 20);
var sizes = (OptionText("--sizes") ?? "1000,100000,1000000").Split(',').Select(long.Parse).ToArray();
var report = new StringBuilder("# Evidence benchmark\n\n");
report.AppendLine($"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, load average " +
                  $"{(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a")}; {seconds} s per measurement.\n");

report.AppendLine("## Proofs (synthetic leaves)\n");
report.AppendLine("| leaves | build tree ms | inclusion proof hashes (bytes) | cut µs p50 | verify µs p50 | consistency proof hashes (bytes) | cut " +
    "µs p50 | verify µs p50 |");
report.AppendLine("|---|---|---|---|---|---|---|---|");
foreach (var size in sizes)
{
    var leaves = SyntheticLeaves(size);
    var watch = Stopwatch.StartNew();
    var tree = new MerkleTree(leaves);
    var build = watch.Elapsed.TotalMilliseconds;
    var root = tree.RootAt(size);
    var random = new Random(7);
    var cut = new List<double>(); var check = new List<double>(); var pathLength = 0;
    var cutC = new List<double>(); var checkC = new List<double>(); var proofLength = 0;
    for (var n = 0; n < 2000; n++)
    {
        var index = random.NextInt64(size);
        watch.Restart(); var path = tree.InclusionProof(index, size); cut.Add(watch.Elapsed.TotalMicroseconds);
        watch.Restart(); if (!Rfc9162.VerifyInclusion(index, size, leaves[(int)index], path, root)) throw new InvalidOperationException("inclusion");
        check.Add(watch.Elapsed.TotalMicroseconds); pathLength = Math.Max(pathLength, path.Count);
        var earlier = random.NextInt64(1, size);
        watch.Restart(); var proof = tree.ConsistencyProof(earlier, size); cutC.Add(watch.Elapsed.TotalMicroseconds);
        var earlierRoot = tree.RootAt(earlier);
        watch.Restart(); if (!Rfc9162.VerifyConsistency(earlier, earlierRoot, size, root, proof)) throw new InvalidOperationException("consistency");
        checkC.Add(watch.Elapsed.TotalMicroseconds); proofLength = Math.Max(proofLength, proof.Count);
    }
    report.AppendLine($"| {size:N0} | {build:F0} | ≤ {pathLength} ({pathLength * 32} B) | {P50(cut):F1} | {P50(check):F1} | ≤ {proofLength} " +
        $"({proofLength * 32} B) | {P50(cutC):F1} | {P50(checkC):F1} |");
    Console.WriteLine($"proofs at {size:N0} leaves done");
}
using (var key = SigningKey.Generate())
{
    var head = new TreeHead(Guid.NewGuid(), 1, new byte[32], DateTimeOffset.UtcNow);
    var signs = new List<double>(); var verifies = new List<double>();
    for (var i = 0; i < 2000; i++)
    {
        var watch = Stopwatch.StartNew(); var signed = key.SignHead(head with { Size = i }); signs.Add(watch.Elapsed.TotalMicroseconds);
        watch.Restart(); SigningKey.Verify(key.PublicKey, signed.Head.SignedMessage(), signed.Signature);
        verifies.Add(watch.Elapsed.TotalMicroseconds);
    }
    report.AppendLine($"\nSigning a head: {P50(signs):F0} µs p50; verifying: {P50(verifies):F0} µs p50.\n");
}

var dataDirectory = Path.Combine(Path.GetTempPath(), $"cadap-bench-evidence-{Environment.ProcessId}");
var postgres = EmbeddedPostgres.Start(dataDirectory, durable: true, log: _ => { });
try
{
    report.AppendLine("## One draft, signing on vs off (DraftWriter, PostgreSQL fsync on)\n");
    report.AppendLine("| signing | 1 writer: commits/s | latency p50 / p95 / p99 ms | 32 writers: commits/s | latency p50 / p95 ms | heads signed |");
    report.AppendLine("|---|---|---|---|---|---|");
    var keyFile = Path.Combine(dataDirectory, "bench-signing-key.pem");
    var contentHashing = (Nodes: 0, P50: 0.0, P95: 0.0);
    SigningKey.LoadOrCreate(keyFile, create: true).Dispose();
    foreach (var signing in new[] { false, true, false, true })
    {
        var (app, _) = await StartServer(postgres.ConnectionString, $"bench_{(signing ? "on" : "off")}", keyFile, signing);
        await using var _ = app;
        var writer = app.Services.GetRequiredService<DraftWriter>();
        var draftId = Guid.NewGuid();
        await Send(writer, draftId, new CreateDraft("KG", DraftKind.ActionPlan, new() { ["en"] = "Bench plan" }, 2026, 2030, "en"));
        await Load(writer, draftId, 1, TimeSpan.FromSeconds(Math.Max(3, seconds / 4)));   // warm-up
        var (single, singleLatency) = await Load(writer, draftId, 1, TimeSpan.FromSeconds(seconds));
        var (many, manyLatency) = await Load(writer, draftId, 32, TimeSpan.FromSeconds(seconds));
        await Task.Delay(1000);
        var heads = (await app.Services.GetRequiredService<SignedHeads>().AllAsync(draftId, CancellationToken.None)).Count;
        report.AppendLine($"| {(signing ? "on" : "off")} | {single:F0} | {P(singleLatency, 50):F1} / {P(singleLatency, 95):F1} / " +
            $"{P(singleLatency, 99):F1} | " +
                          $"{many:F0} | {P(manyLatency, 50):F1} / {P(manyLatency, 95):F1} | {heads:N0} |");
        Console.WriteLine($"signing {(signing ? "on" : "off")}: 1 writer {single:F0}/s, latency p50 {P(singleLatency, 50):F1} ms, " +
                          $"p95 {P(singleLatency, 95):F1} ms; 32 writers {many:F0}/s; {heads:N0} heads signed");
        if (signing) contentHashing = await ContentHashing(app, draftId);
    }
    report.AppendLine($"\nContent statement (docs/evidence.md §3.1; every bench command reaches a new revision, so each states it): hashing the " +
                      $"bench draft's content ({contentHashing.Nodes:N0} nodes) takes {contentHashing.P50:F2} ms p50, " +
                      $"{contentHashing.P95:F2} ms p95.");

    report.AppendLine("\n## Proofs as the server serves them (HTTP; stored tiles and at most two blocks of 256 leaves read from PostgreSQL " +
                      "per request)\n");
    report.AppendLine("| events | storing the leaves and tiles s | inclusion ms p50 / p95 | inclusion proof hashes (JSON bytes) | " +
                      "consistency ms p50 / p95 | consistency proof hashes (JSON bytes) | requests |");
    report.AppendLine("|---|---|---|---|---|---|---|");
    {
        // The bench stores the leaves and signs the head itself; the server's own signer stays out of this log.
        var (app, address) = await StartServer(postgres.ConnectionString, "bench_proofs", keyFile, signing: false);
        await using var _ = app;
        using var http = await SignedIn(address, "auditor");
        var writer = app.Services.GetRequiredService<DraftWriter>();
        foreach (var size in sizes)
        {
            var draftId = Guid.NewGuid();
            await Send(writer, draftId, new CreateDraft("KG", DraftKind.ActionPlan, new() { ["en"] = "Proven plan" }, 2026, 2030, "en"));
            var leaves = SyntheticLeaves(size);
            var stored = await StoreSignedLog(app, draftId, leaves);
            var random = new Random(11);
            var runs = size >= 1_000_000 ? 5 : size >= 100_000 ? 10 : 30;
            var inclusion = new List<double>(); var consistency = new List<double>();
            var (inclusionHashes, inclusionBytes, consistencyHashes, consistencyBytes) = (0, 0, 0, 0);
            var tree = new MerkleTree(leaves);
            var root = tree.RootAt(size);
            for (var n = 0; n < runs; n++)
            {
                var position = random.NextInt64(1, size + 1);
                var watch = Stopwatch.StartNew();
                var body = await http.GetStringAsync($"/api/drafts/{draftId}/log/inclusion?position={position}&size={size}");
                inclusion.Add(watch.Elapsed.TotalMilliseconds);
                var path = Hashes(body, "path");
                if (!Rfc9162.VerifyInclusion(position - 1, size, leaves[(int)position - 1], path, root))
                    throw new InvalidOperationException("the served inclusion proof does not verify");
                (inclusionHashes, inclusionBytes) = (Math.Max(inclusionHashes, path.Count), Math.Max(inclusionBytes, body.Length));
                var from = random.NextInt64(1, size);
                watch.Restart();
                body = await http.GetStringAsync($"/api/drafts/{draftId}/log/consistency?from={from}&to={size}");
                consistency.Add(watch.Elapsed.TotalMilliseconds);
                var proof = Hashes(body, "proof");
                if (!Rfc9162.VerifyConsistency(from, tree.RootAt(from), size, root, proof))
                    throw new InvalidOperationException("the served consistency proof does not verify");
                consistencyHashes = Math.Max(consistencyHashes, proof.Count);
                consistencyBytes = Math.Max(consistencyBytes, body.Length);
            }
            report.AppendLine($"| {size:N0} | {stored:F1} | {P(inclusion, 50):F0} / {P(inclusion, 95):F0} | " +
                              $"≤ {inclusionHashes} ({inclusionBytes} B) | {P(consistency, 50):F0} / {P(consistency, 95):F0} | " +
                              $"≤ {consistencyHashes} ({consistencyBytes} B) | {runs} + {runs} |");
            Console.WriteLine($"served proofs at {size:N0} events: inclusion p50 {P(inclusion, 50):F0} ms, " +
                              $"consistency p50 {P(consistency, 50):F0} ms");
        }
    }

    report.AppendLine("\n## Witness lag\n");
    {
        var (app, address) = await StartServer(postgres.ConnectionString, "bench_witness", keyFile, signing: true);
        await using var _ = app;
        using var http = await SignedIn(address, "auditor");
        var token = http.DefaultRequestHeaders.Authorization!.Parameter;
        var witnessApp = CadapDrafting.Witness.WitnessApp.Build([], b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Witness:Name"] = "bench-witness", ["Witness:KeyFile"] = Path.Combine(dataDirectory, "witness", "key.pem"),
            ["Witness:Storage"] = Path.Combine(dataDirectory, "witness"), ["Witness:Server"] = address.ToString(), ["Witness:Token"] = token,
            ["Witness:PollSeconds"] = "0.1", ["Urls"] = "http://127.0.0.1:0", ["Logging:LogLevel:Default"] = "None",
        }));
        await witnessApp.StartAsync();
        var store = witnessApp.Services.GetRequiredService<CadapDrafting.Witness.WitnessStore>();
        var writer = app.Services.GetRequiredService<DraftWriter>();
        var draftId = Guid.NewGuid();
        await Send(writer, draftId, new CreateDraft("KG", DraftKind.ActionPlan, new() { ["en"] = "Witnessed plan" }, 2026, 2030, "en"));
        var lags = new List<double>();
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            var outcome = await Send(writer, draftId, Insert());
            var watch = Stopwatch.StartNew();
            while ((store.Latest(draftId)?.Head.Size ?? 0) < outcome.Position && watch.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(5);
            lags.Add(watch.Elapsed.TotalMilliseconds);
        }
        await witnessApp.StopAsync();
        report.AppendLine($"Commit → cosigned head held by the witness (polling every 100 ms, one command at a time, {lags.Count} commits): " +
                          $"p50 {P(lags, 50):F0} ms, p95 {P(lags, 95):F0} ms, max {lags.Max():F0} ms.");
        Console.WriteLine($"witness lag: p50 {P(lags, 50):F0} ms, p95 {P(lags, 95):F0} ms");
    }
}
finally
{
    postgres.Dispose();
    try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { }
}

Console.WriteLine(report);
var results = Path.Combine(BenchRepository.Root, "bench", "results");
Directory.CreateDirectory(results);
await File.WriteAllTextAsync(Path.Combine(results, "evidence.md"), report.ToString());
return;

// The server in this process on a loopback port, in a schema of its own, signing (or not) with the bench's key.
static Task<(WebApplication App, Uri Address)> StartServer(string connectionString, string schema, string keyFile, bool signing) =>
    LoopbackServer.StartAsync(new Dictionary<string, string?>
    {
        ["ConnectionStrings:Postgres"] = connectionString,
        ["Marten:Schema"] = $"{schema}_{Guid.NewGuid():N}"[..24],
        ["Seeds:OnStartup"] = "false",
        ["Logging:LogLevel:Default"] = "None",
        ["Evidence:SigningKeyFile"] = keyFile,
        ["Evidence:Signing"] = signing.ToString(),
    });

static List<byte[]> SyntheticLeaves(long size)
{
    var leaves = new List<byte[]>((int)size);
    for (var i = 0L; i < size; i++) leaves.Add(Rfc9162.LeafHash(BitConverter.GetBytes(i)));
    return leaves;
}

static async Task<HttpClient> SignedIn(Uri address, string userId)
{
    var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
    var token = (await (await http.PostAsJsonAsync("/api/dev/sign-in", new { userId })).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>())
        .GetProperty("token").GetString();
    http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    return http;
}

// Stores a draft's log as the signer would have: the leaves and the tiles they complete, then a head over them signed with the server's key.
// Returns seconds taken.
static async Task<double> StoreSignedLog(WebApplication app, Guid draftId, List<byte[]> leaves)
{
    var watch = Stopwatch.StartNew();
    var table = app.Services.GetRequiredService<LogLeafTable>();
    await using (var connection = table.Connect())
    {
        await connection.OpenAsync();
        const int chunk = 50_000;
        var frontier = new TreeFrontier();
        for (var from = 0; from < leaves.Count; from += chunk)
        {
            var part = leaves.GetRange(from, Math.Min(chunk, leaves.Count - from));
            var tiles = new List<Subtree>();
            foreach (var leaf in part) frontier.Append(leaf, tiles, LogLeafTable.TileHeight);
            await table.AppendAsync(connection, draftId, from + 1, part, tiles, CancellationToken.None);
        }
    }
    var seconds = watch.Elapsed.TotalSeconds;
    var tree = new MerkleTree(leaves);
    var head = app.Services.GetRequiredService<LogKeys>().Current.SignHead(new TreeHead(draftId, leaves.Count, tree.RootAt(leaves.Count),
        DateTimeOffset.UtcNow));
    await using var session = app.Services.GetRequiredService<Marten.IDocumentStore>().LightweightSession();
    session.Store(SignedHeadRecord.Of(head, []));
    await session.SaveChangesAsync();
    return seconds;
}

static List<byte[]> Hashes(string json, string name)
{
    using var doc = System.Text.Json.JsonDocument.Parse(json);
    return doc.RootElement.GetProperty(name).EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!)).ToList();
}

// The content hash the writer states at every new revision, over the bench draft as stored.
static async Task<(int Nodes, double P50, double P95)> ContentHashing(WebApplication app, Guid draftId)
{
    await using var session = app.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession();
    var draft = await session.LoadAsync<Draft>(draftId) ?? throw new InvalidOperationException("the bench draft is not stored");
    var times = new List<double>();
    for (var i = 0; i < 50; i++)
    {
        var watch = Stopwatch.StartNew();
        ContentHash.Of(draft);
        times.Add(watch.Elapsed.TotalMilliseconds);
    }
    return (draft.Nodes.Count, P(times, 50), P(times, 95));
}

static SubmitProposal Insert() => new(ProposalKind.Insert, null, null, "Structure", new() { ["en"] = "Action: expand evidence-based prevention" },
    NodeKind: NodeKind.Action, AcceptNow: true);

static async Task<CommandOutcome> Send(DraftWriter writer, Guid draftId, object command)
{
    var outcome = await writer.SendAsync(draftId, new CommandEnvelope(Guid.NewGuid(), Bench.Editor, null, command));
    if (!outcome.Succeeded) throw new InvalidOperationException(outcome.Problem!.Detail);
    return outcome;
}

static async Task<(double PerSecond, List<double> Latencies)> Load(DraftWriter writer, Guid draftId, int writers, TimeSpan duration)
{
    var latencies = new List<double>();
    var until = DateTime.UtcNow + duration;
    var started = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, writers).Select(async _ =>
    {
        while (DateTime.UtcNow < until)
        {
            var watch = Stopwatch.StartNew();
            await Send(writer, draftId, Insert());
            lock (latencies) latencies.Add(watch.Elapsed.TotalMilliseconds);
        }
    }));
    return (latencies.Count / started.Elapsed.TotalSeconds, latencies);
}

static double P50(List<double> values) => P(values, 50);

static double P(List<double> values, int percentile)
{
    var sorted = values.Order().ToList();
    return sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * percentile / 100.0))];
}

int Option(string name, int fallback) => OptionText(name) is { } text ? int.Parse(text) : fallback;
string? OptionText(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

static class Bench
{
    public static readonly Actor Editor = new("kg-editor", "Bench editor", "KG", new HashSet<Role> { Role.Drafter, Role.Editor });
}
