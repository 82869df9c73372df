using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using CadapDrafting.Drafts;
using CadapDrafting.Live.Client;
using CadapDrafting.Proposals;
using Microsoft.AspNetCore.Http.Connections;

namespace CadapDrafting.Tests.ScaleOut;

/// <summary>
/// A ministry runs three nodes behind the shipped nginx. People follow a draft in the web app (the official
/// JavaScript client) and in tools (the .NET client) over every transport while colleagues keep writing. One node
/// loses power, one is stopped for maintenance, a replacement joins and the rest are restarted one by one. Nobody
/// notices more than a reconnect: every viewer ends at the head with each change once and in order, and every
/// command is stored exactly once, those whose answer was lost included, once they are sent again with their id.
/// </summary>
[Collection(ServerProcesses.Name)]
public sealed class ServingThroughTheLoadBalancer(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly HttpTransportType[] Transports =
        [HttpTransportType.WebSockets, HttpTransportType.ServerSentEvents, HttpTransportType.LongPolling];

    private ServerCluster _cluster = null!;
    private LoadBalancer _balancer = null!;

    public async Task InitializeAsync()
    {
        _cluster = await ServerCluster.StartAsync("server-1", "server-2", "server-3");
        _balancer = await LoadBalancer.StartAsync(_cluster.Nodes);
    }

    public async Task DisposeAsync()
    {
        await _balancer.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Viewers_end_at_the_head_and_every_command_is_stored_once_when_nodes_die_drain_and_join()
    {
        var editor = await ThroughBalancer("kg-editor", ClientAddress(1));
        var draft = await editor.CreatesDraft("KG", title: "Plan followed through failures");
        var section = await editor.Inserts(draft, NodeKind.Section, "Treatment and rehabilitation");
        var start = (await editor.Reads(draft)).Position;

        // Nine .NET viewers from nine addresses (so the balancer spreads them over the nodes), three per transport,
        // and the web app's client over each transport.
        var viewers = new List<(string Name, LiveDraftClient Client)>();
        var viewerAddresses = new List<IPAddress>();
        var address = 10;
        foreach (var transport in Transports)
            for (var i = 0; i < 3; i++)
            {
                var from = ClientAddress(address++);
                viewerAddresses.Add(from);
                viewers.Add(($"{transport} from {from}", await LiveDraftClient.ConnectAsync(_balancer.Address, draft,
                    async () => await _cluster.TokenFor("kg-drafter"), start, new LiveClientOptions
                    {
                        Transports = transport, KeepHistory = true, ReconnectDelay = TimeSpan.FromMilliseconds(200),
                        Connection = LoadBalancer.ConnectFrom(from),
                    })));
            }
        var browsers = new List<BrowserFollower>();
        foreach (var transport in Transports)
            browsers.Add(await BrowserFollower.StartAsync(_balancer.Address, await _cluster.TokenFor("kg-drafter"), draft, transport, start));

        using var stopWriting = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 3).Select(w => Writer.StartAsync(
            ThroughBalancer("kg-editor", ClientAddress(50 + w)), draft, section, $"w{w}", stopWriting.Token)).ToList();

        // The node the web app's viewers are on dies; of the other two, the one with more .NET viewers is drained.
        var browserNode = await NodeServing(IPAddress.Loopback);
        var dotnetNodes = new List<string>();
        foreach (var from in viewerAddresses) dotnetNodes.Add(await NodeServing(from));
        output.WriteLine($"JavaScript viewers on {browserNode}; .NET viewers on " +
            $"{string.Join(", ", dotnetNodes.GroupBy(n => n).Select(g => $"{g.Key} ×{g.Count()}"))}");
        var originals = _cluster.Nodes.ToList();
        var crashed = _cluster.Node(browserNode);
        var drained = _cluster.Node(_cluster.Nodes.Select(n => n.Name).Where(n => n != browserNode)
            .OrderByDescending(n => dotnetNodes.Count(d => d == n)).First());

        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(3));
        crashed.Crash();
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: {crashed.Name} killed (SIGKILL)");

        await Task.Delay(TimeSpan.FromSeconds(3));
        var stopping = Stopwatch.StartNew();
        Assert.Equal(0, await drained.StopAsync(TimeSpan.FromSeconds(40)));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: {drained.Name} stopped gracefully in {stopping.Elapsed.TotalSeconds:0.0} s");

        await Task.Delay(TimeSpan.FromSeconds(1));
        // A new node takes the crashed node's address, as a restarted container does, while the drained one comes
        // back; then the last original node is rolled the same way (drained, started again): every node replaced.
        await Task.WhenAll(
            _cluster.JoinAsync(crashed.Name + "-replacement", port: crashed.Port),
            _cluster.JoinAsync(drained.Name + "-restarted", port: drained.Port));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: a new node joined on {crashed.Name}'s address and {drained.Name} restarted");
        var last = originals.Single(n => n != crashed && n != drained);
        Assert.Equal(0, await last.StopAsync(TimeSpan.FromSeconds(40)));
        await _cluster.JoinAsync(last.Name + "-restarted", port: last.Port);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: {last.Name} drained and restarted: every original node replaced");
        await Task.Delay(TimeSpan.FromSeconds(3));
        stopWriting.Cancel();
        var sent = (await Task.WhenAll(writers)).SelectMany(w => w).ToList();

        // Commands whose answer was lost are sent again with the same id until answered.
        var unanswered = sent.Where(c => !c.Acknowledged).ToList();
        foreach (var command in unanswered)
        {
            var resender = await ThroughBalancer("kg-editor", ClientAddress(60));
            Assert.True(await Eventually.Until(() => command.SendAsync(resender, draft, section), ok => ok, TimeSpan.FromSeconds(20)),
                $"command {command.Id} was never acknowledged");
        }
        output.WriteLine($"{sent.Count} commands sent, {unanswered.Count} unanswered at first and sent again with their id");

        var head = (await editor.Reads(draft)).Position;
        var expected = Enumerable.Range((int)start + 1, (int)(head - start)).Select(p => (long)p).ToList();
        foreach (var (name, viewer) in viewers)
        {
            await viewer.WaitForPositionAsync(head, TimeSpan.FromSeconds(45));
            Assert.True(expected.SequenceEqual(viewer.History.Select(u => u.Position)),
                $"the .NET viewer over {name} saw a gap, a duplicate or a reorder");
        }
        foreach (var browser in browsers)
        {
            Assert.True(await Eventually.Until(() => Task.FromResult(browser.Last), last => last >= head, TimeSpan.FromSeconds(45)) >= head,
                $"the JavaScript viewer over {browser.Transport} stopped at {browser.Last}, not {head}. {browser.Errors}");
            Assert.True(expected.SequenceEqual(browser.Applied),
                $"the JavaScript viewer over {browser.Transport} saw a gap, a duplicate or a reorder");
        }
        output.WriteLine($"every viewer at position {head}; JavaScript viewers reconnected " +
            $"{string.Join(", ", browsers.Select(b => $"{b.Transport} {b.Reconnects}×"))}");

        // Each command is in the draft exactly once: its node, and one record of its id.
        var texts = (await editor.Reads(draft)).AllNodes().Select(n => n.Text.GetValueOrDefault("en")).ToList();
        foreach (var command in sent)
            Assert.True(texts.Count(t => t == command.Text) == 1, $"'{command.Text}' is stored {texts.Count(t => t == command.Text)} times");
        Assert.Equal(sent.Count + 1, texts.Count);

        foreach (var stopped in new[] { drained, last })
            Assert.Contains(stopped.Output.Lines, l => l.Contains("Drained in") && l.Contains(" 0 connections left"));
        Assert.All(browsers, b => Assert.True(b.Reconnects > 0, $"the JavaScript viewer over {b.Transport} never lost its node"));

        foreach (var (_, viewer) in viewers) await viewer.DisposeAsync();
        foreach (var browser in browsers) await browser.DisposeAsync();
    }

    /// <summary>The node the balancer sends a client at this address to.</summary>
    private async Task<string> NodeServing(IPAddress from)
    {
        var operatorThere = await ThroughBalancer("auditor", from);
        return (await operatorThere.Read<Operations.ClusterNodeStatus>("/api/ops/status")).Node;
    }

    /// <summary>Any 127.x.y.z is this machine; each stands for a different person's address.</summary>
    private static IPAddress ClientAddress(int n) => new([127, 0, (byte)n, 1]);

    private async Task<Person> ThroughBalancer(string userId, IPAddress from)
    {
        var http = new HttpClient(LoadBalancer.From(from)) { BaseAddress = _balancer.Address, Timeout = TimeSpan.FromSeconds(20) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await _cluster.TokenFor(userId));
        return new Person(userId, http);
    }

    /// <summary>One insert with its id, sent until the writer stops; a lost answer leaves it unacknowledged.</summary>
    internal sealed class SentCommand(Guid id, string text)
    {
        public Guid Id { get; } = id;
        public string Text { get; } = text;
        public bool Acknowledged { get; private set; }

        public async Task<bool> SendAsync(Person writer, Guid draftId, Guid parent)
        {
            try
            {
                var response = await writer.Proposes(draftId, new {
                    kind = ProposalKind.Insert, nodeKind = NodeKind.Action, parentId = parent, text = new { en = Text },
                    rationale = "Written while nodes come and go", acceptNow = true,
                }, Id);
                Acknowledged = response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            return Acknowledged;
        }
    }

    internal static class Writer
    {
        public static async Task<List<SentCommand>> StartAsync(Task<Person> signingIn, Guid draftId, Guid parent, string name, CancellationToken stop)
        {
            var writer = await signingIn;
            var sent = new List<SentCommand>();
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var command = new SentCommand(Guid.NewGuid(), $"{name} action {n}");
                sent.Add(command);
                await command.SendAsync(writer, draftId, parent);
                await Task.Delay(40, CancellationToken.None);
            }
            return sent;
        }
    }

    /// <summary>tests/js-client/follow-through-failures.mjs: the web app's rule for applying updates, in Node.js.</summary>
    internal sealed class BrowserFollower : IAsyncDisposable
    {
        private readonly Process _node;
        private readonly ConcurrentQueue<long> _applied = new();
        private readonly System.Text.StringBuilder _errors = new();
        private int _reconnects;

        public HttpTransportType Transport { get; }
        public IReadOnlyList<long> Applied => _applied.ToList();
        public long Last => _applied.IsEmpty ? 0 : _applied.Last();
        public int Reconnects => _reconnects;
        public string Errors { get { lock (_errors) return _errors.ToString(); } }

        private BrowserFollower(Process node, HttpTransportType transport)
        {
            _node = node;
            Transport = transport;
            node.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not { Length: > 0 } line || !line.StartsWith('{')) return;
                var json = JsonDocument.Parse(line).RootElement;
                switch (json.GetProperty("kind").GetString())
                {
                    case "applied": _applied.Enqueue(json.GetProperty("position").GetInt64()); break;
                    case "reconnected": Interlocked.Increment(ref _reconnects); break;
                }
            };
            node.ErrorDataReceived += (_, e) => { lock (_errors) _errors.AppendLine(e.Data); };
            node.BeginOutputReadLine();
            node.BeginErrorReadLine();
        }

        public static async Task<BrowserFollower> StartAsync(Uri server, string token, Guid draftId, HttpTransportType transport, long last)
        {
            var folder = await JavaScriptClient.FolderAsync();
            var info = new ProcessStartInfo("node",
                ["follow-through-failures.mjs", server.ToString(), token, draftId.ToString(), transport.ToString(), last.ToString()])
            {
                WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            return new BrowserFollower(Process.Start(info)!, transport);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_node.HasExited) _node.Kill(entireProcessTree: true);
            await _node.WaitForExitAsync();
            _node.Dispose();
        }
    }
}
