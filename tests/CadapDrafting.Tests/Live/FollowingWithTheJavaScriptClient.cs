using System.Diagnostics;
using CadapDrafting.Drafts;

namespace CadapDrafting.Tests.Live;

/// <summary>The web app's client: the official npm package, run by Node.js against the real server.</summary>
[Collection(ServerCollection.Name)]
public sealed class FollowingWithTheJavaScriptClient(LiveServer live)
{
    [Theory]
    [InlineData("WebSockets")]
    [InlineData("ServerSentEvents")]
    [InlineData("LongPolling")]
    public async Task The_javascript_client_catches_up_and_then_receives_changes_live(string transport)
    {
        var editor = await live.SignIn("kg-editor");
        var drafter = await live.SignIn("kg-drafter");
        var draft = await editor.CreatesDraft("KG");
        var action = await editor.Inserts(draft, NodeKind.Action, "Prevention in schools");
        var before = (await editor.Reads(draft)).Position;

        await using var follower = await NodeFollower.StartAsync(live.Address, await live.TokenFor("kg-editor"), draft, transport);
        var joined = (await follower.NextAsync("joined")).GetProperty("joined");
        Assert.Equal(before, joined.GetProperty("position").GetInt64());
        Assert.Equal(Enumerable.Range(1, (int)before).Select(p => (long)p),
            joined.GetProperty("updates").EnumerateArray().Select(u => u.GetProperty("position").GetInt64()));

        var proposal = await drafter.ProposesText(draft, action, 1, "Evidence-based prevention in schools");
        var update = (await follower.NextAsync("update")).GetProperty("update");

        Assert.Equal(before + 1, update.GetProperty("position").GetInt64());
        Assert.Equal("proposal_submitted", update.GetProperty("type").GetString());
        var part = update.GetProperty("parts").EnumerateArray().Single(p => p.GetProperty("kind").GetString() == "proposal");
        Assert.Equal(proposal, part.GetProperty("id").GetGuid());
        Assert.Equal("Open", part.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal("Amend", part.GetProperty("data").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task The_javascript_client_far_behind_catches_up_page_by_page_and_checks_the_head()
    {
        var editor = await live.SignIn("kz-editor");
        var draft = await editor.CreatesDraft("KZ");
        var action = await editor.Inserts(draft, NodeKind.Action, "Outreach to people who use drugs");
        for (var i = 0; i < LiveServer.MaxCatchUp + 20; i += 10)
            await Task.WhenAll(Enumerable.Range(i, 10).Select(k => editor.ProposesText(draft, action, 1, $"Outreach, variant {k}")));
        var now = (await editor.Reads(draft)).Position;
        Assert.True(now > LiveServer.MaxCatchUp);

        await using var follower = await NodeFollower.StartAsync(live.Address, await live.TokenFor("kz-editor"), draft, "WebSockets", "catch-up.mjs");
        var caughtUp = await follower.NextAsync("caught-up");

        Assert.Equal(Enumerable.Range(1, (int)now).Select(p => (long)p), caughtUp.GetProperty("applied").EnumerateArray().Select(p => p.GetInt64()));
        Assert.Equal((int)Math.Ceiling(now / (double)LiveServer.MaxCatchUp), caughtUp.GetProperty("pages").GetInt32());
        Assert.Equal(now, caughtUp.GetProperty("head").GetInt64());
    }

    private sealed class NodeFollower : IAsyncDisposable
    {
        private readonly Process _node;
        private readonly System.Threading.Channels.Channel<JsonElement> _lines = System.Threading.Channels.Channel.CreateUnbounded<JsonElement>();
        private readonly System.Text.StringBuilder _errors = new();

        private NodeFollower(Process node)
        {
            _node = node;
            node.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { Length: > 0 } line && line.StartsWith('{')) _lines.Writer.TryWrite(JsonDocument.Parse(line).RootElement.Clone());
            };
            node.ErrorDataReceived += (_, e) => { lock (_errors) _errors.AppendLine(e.Data); };
            node.BeginOutputReadLine();
            node.BeginErrorReadLine();
        }

        public static async Task<NodeFollower> StartAsync(Uri server, string token, Guid draftId, string transport,
            string script = "follow-draft.mjs")
        {
            var folder = await JavaScriptClient.FolderAsync();
            var info = new ProcessStartInfo("node", [script, server.ToString(), token, draftId.ToString(), transport, "1"])
            {
                WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            return new NodeFollower(Process.Start(info)!);
        }

        public async Task<JsonElement> NextAsync(string kind)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                while (true)
                {
                    var line = await _lines.Reader.ReadAsync(timeout.Token);
                    if (line.GetProperty("kind").GetString() == kind) return line;
                }
            }
            catch (OperationCanceledException)
            {
                lock (_errors) Assert.Fail($"The JavaScript client sent no '{kind}' line. Its errors: {_errors}");
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_node.HasExited) _node.Kill(entireProcessTree: true);
            await _node.WaitForExitAsync();
            _node.Dispose();
        }
    }
}
