using System.Diagnostics;
using System.Net.Http.Headers;
using CadapDrafting.Drafts;
using CadapDrafting.Live.Client;
using Microsoft.AspNetCore.Http.Connections;
using Npgsql;
using static CadapDrafting.Tests.ScaleOut.ServingThroughTheLoadBalancer;

namespace CadapDrafting.Tests.ScaleOut;

/// <summary>
/// The ministry's operators upgrade three nodes behind the shipped nginx, one at a time, onto a build that adds an event
/// type and a field of the draft's document (the same source built with <c>-p:RehearseUpgrade=true</c>), while colleagues
/// keep writing and following the draft. Nobody notices more than a reconnect; the new kind of change is refused (409,
/// try again) until the last old node has left, then accepted; an old node that comes back refuses the drafts it cannot
/// read instead of misreading them, and closes the gate again while it lives. Afterwards the stored documents are exactly
/// what the new build rebuilds from the events, and every hash chain holds.
/// </summary>
[Collection(ServerProcesses.Name)]
public sealed class RollingOntoANewerBuild(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly HttpTransportType[] Transports =
        [HttpTransportType.WebSockets, HttpTransportType.ServerSentEvents, HttpTransportType.LongPolling];

    private ServerCluster _cluster = null!;
    private LoadBalancer _balancer = null!;
    private string _newerBuild = null!;

    public async Task InitializeAsync()
    {
        var building = NewerBuild.Value;
        _cluster = await ServerCluster.StartAsync("old-1", "old-2", "old-3");
        _balancer = await LoadBalancer.StartAsync(_cluster.Nodes);
        _newerBuild = await building;
    }

    public async Task DisposeAsync()
    {
        await _balancer.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Nodes_move_one_by_one_onto_a_build_with_a_new_event_type_while_commands_flow_and_viewers_follow()
    {
        var editor = await ThroughBalancer("kg-editor", ClientAddress(1));
        var draft = await editor.CreatesDraft("KG", title: "Plan kept through an upgrade");
        var untouched = await editor.CreatesDraft("KG", title: "Plan written by the old build only");
        var section = await editor.Inserts(draft, NodeKind.Section, "Prevention");
        var untouchedSection = await editor.Inserts(untouched, NodeKind.Section, "Treatment");
        var start = (await editor.Reads(draft)).Position;

        var viewers = new List<(string Name, LiveDraftClient Client)>();
        var address = 10;
        foreach (var transport in Transports)
            for (var i = 0; i < 2; i++)
            {
                var from = ClientAddress(address++);
                viewers.Add(($"{transport} from {from}", await LiveDraftClient.ConnectAsync(_balancer.Address, draft,
                    async () => await _cluster.TokenFor("kg-drafter"), start, new LiveClientOptions
                    {
                        Transports = transport, KeepHistory = true, ReconnectDelay = TimeSpan.FromMilliseconds(200),
                        Connection = LoadBalancer.ConnectFrom(from),
                    })));
            }
        var browser = await BrowserFollower.StartAsync(_balancer.Address, await _cluster.TokenFor("kg-drafter"), draft,
            HttpTransportType.WebSockets, start);

        using var stopWriting = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 2).Select(w => Writer.StartAsync(
            ThroughBalancer("kg-editor", ClientAddress(50 + w)), draft, section, $"w{w}", stopWriting.Token)).ToList();
        var noter = new RehearsalNoter(await ThroughBalancer("kg-editor", ClientAddress(70)), draft);
        var noting = noter.RunAsync(stopWriting.Token);

        // The node the new command reaches is upgraded first, so the gate is seen closed while old nodes still run.
        var noterNode = await NodeServing(ClientAddress(70));
        var olds = _cluster.Nodes.OrderBy(n => n.Name == noterNode ? 0 : 1).ThenBy(n => n.Name).ToList();
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var lastOldStopping = DateTimeOffset.MaxValue;
        foreach (var old in olds)
        {
            if (old == olds[^1]) lastOldStopping = DateTimeOffset.UtcNow;
            Assert.Equal(0, await old.StopAsync(TimeSpan.FromSeconds(40)));
            var newer = await _cluster.JoinAsync(old.Name.Replace("old", "new"), port: old.Port, settings: SameSigningKey,
                serverDll: _newerBuild);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: {old.Name} drained and replaced by {newer.Name} (newer build)");
            if (old == olds[0]) await TheNewerNodeHoldsTheNewEventBack(newer, draft);
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        // Once the last old node has left, the new command is accepted (within a heartbeat of the registry).
        Assert.True(await Eventually.Until(() => Task.FromResult(noter.Accepted.Count), n => n >= 3, TimeSpan.FromSeconds(30)) >= 3,
            $"the new command was never accepted after the roll: {noter.Summary}");
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: {noter.Summary}");
        stopWriting.Cancel();
        var sent = (await Task.WhenAll(writers)).SelectMany(w => w).ToList();
        await noting;

        foreach (var command in sent.Where(c => !c.Acknowledged))
        {
            var resender = await ThroughBalancer("kg-editor", ClientAddress(60));
            Assert.True(await Eventually.Until(() => command.SendAsync(resender, draft, section), ok => ok, TimeSpan.FromSeconds(20)),
                $"command {command.Id} was never acknowledged");
        }
        output.WriteLine($"{sent.Count} inserts sent, {sent.Count(c => !c.Acknowledged)} unanswered at first and sent again with their id");

        // Through nginx the new command was answered 404 by old nodes or 409 with the retry hint by newer ones, and stored only
        // after the last old node had been asked to stop.
        Assert.All(noter.Refusals, r => Assert.True(r is { Status: 409, Needed: 2, RetryAfter: > 0 }, $"unexpected answer {r}"));
        var stored = await RehearsalEventsAsync(draft);
        Assert.Equal(noter.Accepted.Order(), stored.Select(e => e.Note).Order());
        Assert.All(stored, e => Assert.True(e.At > lastOldStopping,
            $"'{e.Note}' was stored at {e.At:O}, before the last old node was asked to stop ({lastOldStopping:O})"));
        foreach (var old in olds)
            Assert.DoesNotContain(old.Output.Lines, l => l.Contains("holds events of schema version", StringComparison.Ordinal));

        // Every viewer at the head, each position once and in order; every insert in the draft exactly once.
        var head = (await editor.Reads(draft)).Position;
        var expected = Enumerable.Range((int)start + 1, (int)(head - start)).Select(p => (long)p).ToList();
        foreach (var (name, viewer) in viewers)
        {
            await viewer.WaitForPositionAsync(head, TimeSpan.FromSeconds(45));
            Assert.True(expected.SequenceEqual(viewer.History.Select(u => u.Position)),
                $"the .NET viewer over {name} saw a gap, a duplicate or a reorder");
        }
        Assert.True(await Eventually.Until(() => Task.FromResult(browser.Last), last => last >= head, TimeSpan.FromSeconds(45)) >= head,
            $"the JavaScript viewer stopped at {browser.Last}, not {head}. {browser.Errors}");
        Assert.True(expected.SequenceEqual(browser.Applied), "the JavaScript viewer saw a gap, a duplicate or a reorder");
        var texts = (await editor.Reads(draft)).AllNodes().Select(n => n.Text.GetValueOrDefault("en")).ToList();
        foreach (var command in sent)
            Assert.True(texts.Count(t => t == command.Text) == 1, $"'{command.Text}' is stored {texts.Count(t => t == command.Text)} times");
        // The new field of the draft's document, read through the newer build.
        Assert.Equal(stored.Select(e => e.Note), await editor.Read<List<string>>($"/api/drafts/{draft}/rehearsal-notes"));
        output.WriteLine($"every viewer at position {head}; {stored.Count} notes of the new event type stored");

        await AnOldNodeComingBackRefusesWhatItCannotRead(draft, untouched, untouchedSection, noter);

        // What the nodes stored is what the newer build rebuilds from the events, and every hash chain holds.
        var before = await StoredDocumentsAsync(draft, untouched);
        var rebuild = await RunNewerBuildCommandAsync("rebuild");
        Assert.True(rebuild.Exit == 0, rebuild.Output);
        Assert.Equal(before, await StoredDocumentsAsync(draft, untouched));
        var verify = await RunNewerBuildCommandAsync("verify");
        Assert.True(verify.Exit == 0, verify.Output);

        foreach (var (_, viewer) in viewers) await viewer.DisposeAsync();
        await browser.DisposeAsync();
    }

    /// <summary>
    /// The first newer node, asked directly while old nodes still run: it knows the new command but refuses it with 409 and
    /// a retry hint, storing nothing, and reports the cluster's lowest version as the older one.
    /// </summary>
    private async Task TheNewerNodeHoldsTheNewEventBack(ServerNode newer, Guid draft)
    {
        var there = await _cluster.SignIn("kg-editor", newer);
        var refused = await there.Command($"/api/drafts/{draft}/rehearsal-notes", new { note = "asked while old nodes run" });
        var problem = await Expect.Problem(refused, HttpStatusCode.Conflict);
        Assert.Equal(2, problem.GetProperty("neededSchemaVersion").GetInt32());
        Assert.Equal(1, problem.GetProperty("clusterSchemaVersion").GetInt32());
        Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
        Assert.Empty(await RehearsalEventsAsync(draft));
        var status = await (await _cluster.SignIn("auditor", newer)).Read<Operations.ClusterNodeStatus>("/api/ops/status");
        Assert.Equal((2, 1), (status.SchemaVersion, status.ClusterSchemaVersion));
        Assert.Equal([1, 1, 2], status.Nodes.Select(n => n.SchemaVersion).Order());
    }

    /// <summary>
    /// An old node started after the upgrade (a rollback half done, a forgotten machine) refuses the draft holding the new
    /// event type, to readers and writers alike, with 503 and a retry hint, and stores nothing; it still serves the draft
    /// it can read. While it lives the newer nodes refuse the new command again; once it leaves they accept it.
    /// </summary>
    private async Task AnOldNodeComingBackRefusesWhatItCannotRead(Guid draft, Guid untouched, Guid untouchedSection, RehearsalNoter noter)
    {
        var straggler = await _cluster.JoinAsync("old-straggler");
        var there = await _cluster.SignIn("kg-editor", straggler);

        var read = await there.Http.GetAsync($"/api/drafts/{draft}");
        var problem = await Expect.Problem(read, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("newer version", problem.GetProperty("detail").GetString());
        Assert.Equal(2, problem.GetProperty("draftSchemaVersion").GetInt32());
        Assert.NotNull(read.Headers.RetryAfter);
        var write = await there.Proposes(draft, new {
            kind = Proposals.ProposalKind.Insert, nodeKind = NodeKind.Action, text = new { en = "Written by the old node" },
            rationale = "An old node must not write this draft", acceptNow = true,
        });
        await Expect.Problem(write, HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(write.Headers.RetryAfter);

        Assert.Equal("Treatment", (await there.Reads(untouched)).Node(untouchedSection).Text["en"]);
        await there.Inserts(untouched, NodeKind.Action, "Written by the old node on a draft it reads", untouchedSection);

        // The newer nodes learn of the old one at their next heartbeat and hold the new event type back again.
        var held = await Eventually.Until(noter.SendOnceAsync, r => r.Status == 409, TimeSpan.FromSeconds(20));
        Assert.True(held is { Status: 409, Needed: 2 }, $"the newer nodes did not hold the new command back while an old node ran: {held}");
        Assert.Equal(0, await straggler.StopAsync(TimeSpan.FromSeconds(40)));
        var released = await Eventually.Until(noter.SendOnceAsync, r => r.Status == 200, TimeSpan.FromSeconds(20));
        Assert.True(released.Status == 200, $"the new command stayed refused after the old node left: {released}");
        Assert.Equal(noter.Accepted.Order(), (await RehearsalEventsAsync(draft)).Select(e => e.Note).Order());
        Assert.Contains(straggler.Output.Lines, l => l.Contains("holds events of schema version 2", StringComparison.Ordinal));
    }

    /// <summary>The stored form of both drafts: each one's own document and the proposals and threads stored beside it.</summary>
    private async Task<string> StoredDocumentsAsync(params Guid[] drafts)
    {
        await using var connection = new NpgsqlConnection(TestDatabase.ConnectionString);
        await connection.OpenAsync();
        var s = _cluster.Schema;
        await using var command = new NpgsqlCommand(
            // The older build's documents lack the newer field, which the newer build reads as empty.
            $"select (select (case when data->'rehearsalNotes' = '[]'::jsonb then data - 'rehearsalNotes' else data end)::text " +
            $"from {s}.mt_doc_draft where id = $1) || " +
            $"coalesce((select string_agg(data->>'proposal', ',' order by id) from {s}.mt_doc_storedproposal " +
            "where data->>'draftId' = $1::text), '') || " +
            $"coalesce((select string_agg(data->>'thread', ',' order by id) from {s}.mt_doc_storedthread " +
            "where data->>'draftId' = $1::text), '')",
            connection);
        var parameter = command.Parameters.Add(new NpgsqlParameter { Value = Guid.Empty });
        var all = new System.Text.StringBuilder();
        foreach (var draft in drafts)
        {
            parameter.Value = draft;
            all.AppendLine((string?)await command.ExecuteScalarAsync());
        }
        return all.ToString();
    }

    /// <summary>The events of the new type in the draft's stream, as PostgreSQL holds them (the test's own build cannot read them).</summary>
    private async Task<List<(string Note, DateTimeOffset At)>> RehearsalEventsAsync(Guid draft)
    {
        await using var connection = new NpgsqlConnection(TestDatabase.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select data->>'note', timestamp from {_cluster.Schema}.mt_events where stream_id = $1 and type = 'upgrade_rehearsal_noted' " +
            "order by version", connection)
        { Parameters = { new() { Value = draft } } };
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<(string, DateTimeOffset)>();
        while (await reader.ReadAsync()) events.Add((reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)));
        return events;
    }

    private async Task<(int Exit, string Output)> RunNewerBuildCommandAsync(string command)
    {
        var info = new ProcessStartInfo("dotnet", [_newerBuild, command])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(_newerBuild)!,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["ConnectionStrings__Postgres"] = TestDatabase.ConnectionString;
        info.Environment["Marten__Schema"] = _cluster.Schema;
        info.Environment["Seeds__OnStartup"] = "false";
        foreach (var (key, value) in SameSigningKey) info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await stdout + await stderr);
    }

    private async Task<string> NodeServing(IPAddress from)
    {
        var operatorThere = await ThroughBalancer("auditor", from);
        return (await operatorThere.Read<Operations.ClusterNodeStatus>("/api/ops/status")).Node;
    }

    /// <summary>
    /// Every node of a deployment signs the drafts' log heads with the one configured key; the test run's nodes use the
    /// development key made beside their build, so the newer build's nodes and commands are pointed at the same file.
    /// </summary>
    private static readonly Dictionary<string, string> SameSigningKey = new()
    {
        ["Evidence__SigningKeyFile"] = Path.Combine(AppContext.BaseDirectory, ".data", "evidence", "server-signing-key.pem"),
    };

    private static IPAddress ClientAddress(int n) => new([127, 0, (byte)n, 1]);

    private async Task<Person> ThroughBalancer(string userId, IPAddress from)
    {
        var http = new HttpClient(LoadBalancer.From(from)) { BaseAddress = _balancer.Address, Timeout = TimeSpan.FromSeconds(20) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await _cluster.TokenFor(userId));
        return new Person(userId, http);
    }

    /// <summary>
    /// The server built again from this checkout with <c>-p:RehearseUpgrade=true</c> into a folder of its own (its own
    /// intermediate folder too, so the test run's build is left alone): the path of its server assembly.
    /// </summary>
    private static readonly Lazy<Task<string>> NewerBuild = new(async () =>
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}")
            ? "Release" : "Debug";
        var folder = Path.Combine(AppContext.BaseDirectory, "rehearsed-upgrade");
        var project = Path.Combine(Repository.Root, "src", "CadapDrafting.Server", "CadapDrafting.Server.csproj");
        var info = new ProcessStartInfo("dotnet", ["build", project, "-c", configuration, "-nologo", "-v", "q", "-p:RehearseUpgrade=true",
            $"-p:OutputPath={folder}{Path.DirectorySeparatorChar}", $"-p:IntermediateOutputPath=obj/rehearsed-upgrade/{configuration}/"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(8));
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"Building the newer server failed:\n{await stdout}\n{await stderr}");
        return Path.Combine(folder, "CadapDrafting.Server.dll");
    });

    private sealed record NoteAnswer(int Status, int? Needed, int? RetryAfter);

    /// <summary>
    /// Sends the newer build's command (a rehearsal note) through nginx, one after the other. Each note keeps its id until
    /// it gets an answer (a resend after a lost answer is stored once); old nodes do not know the endpoint (404).
    /// </summary>
    private sealed class RehearsalNoter(Person person, Guid draft)
    {
        private int _n;
        public List<string> Accepted { get; } = [];
        public List<NoteAnswer> Refusals { get; } = [];
        public int NotFound { get; private set; }

        public string Summary
        {
            get
            {
                lock (Accepted)
                    return $"new command: {Accepted.Count} accepted, {Refusals.Count} refused (409) until every node ran the newer build, " +
                           $"{NotFound} answered 404 by old nodes";
            }
        }

        public async Task RunAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                await SendOnceAsync();
                await Task.Delay(150, CancellationToken.None);
            }
        }

        public async Task<NoteAnswer> SendOnceAsync()
        {
            var note = $"note {Interlocked.Increment(ref _n)}";
            var id = Guid.NewGuid();
            while (true)
            {
                HttpResponseMessage response;
                try { response = await person.Command($"/api/drafts/{draft}/rehearsal-notes", new { note }, id); }
                catch (HttpRequestException) { await Task.Delay(100); continue; }
                catch (TaskCanceledException) { continue; }
                var status = (int)response.StatusCode;
                NoteAnswer answer;
                if (status == 200)
                {
                    lock (Accepted) Accepted.Add(note);
                    answer = new NoteAnswer(200, null, null);
                }
                else if (status == 404)
                {
                    NotFound++;
                    answer = new NoteAnswer(404, null, null);
                }
                else if (status is 502 or 503 or 504 && response.Content.Headers.ContentType?.MediaType?.Contains("json") != true)
                {
                    // nginx's own page while every node it tried was restarting: no node answered, so the note is sent again.
                    await Task.Delay(100);
                    continue;
                }
                else
                {
                    var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                    answer = new NoteAnswer(status, body.TryGetProperty("neededSchemaVersion", out var needed) ? needed.GetInt32() : null,
                        (int?)response.Headers.RetryAfter?.Delta?.TotalSeconds);
                    // A drain's 503 (the node is leaving, every node tried) is not the gate's: the same note is sent again.
                    if (status == 503 && answer.Needed is null) { await Task.Delay(100); continue; }
                    lock (Accepted) Refusals.Add(answer);
                }
                return answer;
            }
        }
    }
}
