using System.Collections.Concurrent;
using System.Diagnostics;
using CadapDrafting.Drafts;
using Microsoft.Playwright;

namespace CadapDrafting.Tests.WebApp;

[Collection(ServerCollection.Name)]
public sealed class KeepingWorkThroughReloadsAndOutages(LiveServer server, Chromium chromium)
{
    [Fact]
    public async Task Unsent_text_in_a_proposal_and_a_comment_survives_a_reload_and_is_forgotten_once_sent()
    {
        var editor = await server.SignIn("kg-editor");
        var draft = await editor.CreatesDraft("KG", title: "Programme typed into before a reload");
        await editor.Inserts(draft, NodeKind.Action, "Joint border patrols");

        await using var drafter = await chromium.OpensTheAppAs(server, "kg-drafter", "unsent-text-survives-a-reload");
        await drafter.OpensDraft(draft);
        var node = drafter.Node("Action 1");
        await drafter.TurnsOnSuggestionMode();
        await node.GetByRole(AriaRole.Button, new() { Name = "Suggest new text for Action 1" }).ClickAsync();
        await node.GetByLabel(new System.Text.RegularExpressions.Regex("^Proposed text")).FillAsync("Joint border patrols with Tajikistan");
        await node.GetByLabel("Why (rationale)").FillAsync("Agreed at the border meeting");
        await node.GetByRole(AriaRole.Button, new() { Name = "Comment on Action 1" }).ClickAsync();
        await node.GetByRole(AriaRole.Textbox, new() { Name = "Comment", Exact = true }).FillAsync("Which border posts are meant?");
        await drafter.Screenshot("typed-but-not-sent");

        await drafter.Page.ReloadAsync();
        await drafter.Sees(drafter.Page.GetByTestId("live-status")).ToHaveTextAsync("Live");
        node = drafter.Node("Action 1");
        // Only one form per node is open at a time: the last one opened (the comment) comes back with its text.
        await drafter.Sees(node.GetByRole(AriaRole.Textbox, new() { Name = "Comment", Exact = true }))
            .ToHaveValueAsync("Which border posts are meant?");
        await drafter.Sees(drafter.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Your unsent text was kept" })).ToBeVisibleAsync();
        await drafter.Screenshot("unsent-comment-back-after-the-reload");

        await node.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await drafter.Sees(drafter.CommentIn("Action 1", "Which border posts are meant?")).ToBeVisibleAsync();
        await drafter.Page.ReloadAsync();
        await drafter.Sees(drafter.Page.GetByTestId("live-status")).ToHaveTextAsync("Live");
        await drafter.Sees(drafter.CommentIn("Action 1", "Which border posts are meant?")).ToBeVisibleAsync();
        // Sent is sent: nothing comes back as unsent, and the comment was made once.
        await drafter.Sees(drafter.Node("Action 1").GetByRole(AriaRole.Textbox, new() { Name = "Comment", Exact = true })).ToHaveCountAsync(0);
        Assert.Single((await editor.ReadsThreads(draft)).Threads);
    }

    [Fact]
    public async Task A_minute_offline_says_it_will_send_when_connected_and_then_sends_the_comment_once_with_its_original_command_id()
    {
        var editor = await server.SignIn("kg-editor");
        var draft = await editor.CreatesDraft("KG", title: "Programme commented on from a train");
        await editor.Inserts(draft, NodeKind.Action, "Mobile harm-reduction units");

        // Through a relay, which marks this page as one whose network may fail: its failed requests are expected.
        await using var network = new LoopbackProxy(server.Address);
        await using var drafter = await chromium.OpensTheAppAs(server, "kg-drafter", "a-minute-offline", via: network.Address);
        await drafter.OpensDraft(draft);
        var keys = new ConcurrentBag<string>();
        drafter.Page.Request += (_, request) =>
        {
            if (request.Method == "POST" && request.Url.EndsWith("/threads", StringComparison.Ordinal) &&
                request.Headers.TryGetValue("idempotency-key", out var key))
                keys.Add(key);
        };
        var node = drafter.Node("Action 1");
        await node.GetByRole(AriaRole.Button, new() { Name = "Comment on Action 1" }).ClickAsync();
        await node.GetByRole(AriaRole.Textbox, new() { Name = "Comment", Exact = true }).FillAsync("Units should also serve the Osh region");

        var lost = Stopwatch.StartNew();
        await drafter.Page.Context.SetOfflineAsync(true);
        await drafter.Sees(drafter.Page.GetByTestId("live-status")).ToContainTextAsync("reconnecting", new() { Timeout = 5_000 });
        Assert.True(lost.Elapsed < TimeSpan.FromSeconds(5), $"The badge took {lost.Elapsed.TotalSeconds:0.0} s to say so");

        await node.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await drafter.Sees(drafter.Page.GetByTestId("outbox-status")).ToHaveTextAsync("Offline — will send when connected");
        await drafter.Screenshot("offline-will-send-when-connected");
        // A whole minute: longer than the server's 30 s timeout for a silent client, so the live connection is really gone.
        await Task.Delay(TimeSpan.FromMinutes(1));
        Assert.Empty((await editor.ReadsThreads(draft)).Threads);

        await drafter.Page.Context.SetOfflineAsync(false);
        await drafter.Sees(drafter.CommentIn("Action 1", "Units should also serve the Osh region")).ToBeVisibleAsync();
        await drafter.Sees(drafter.Page.GetByTestId("outbox-status")).ToBeHiddenAsync();
        await drafter.Sees(drafter.Page.GetByTestId("live-status")).Not.ToContainTextAsync("reconnecting");
        await drafter.Screenshot("sent-when-back-online");
        Assert.Single((await editor.ReadsThreads(draft)).Threads);
        // Every attempt, the ones that met no network and the one that went through, carried the same command id.
        Assert.Single(keys.Distinct());
    }

    [Fact]
    public async Task A_network_that_hangs_silently_turns_the_live_badge_to_reconnecting_within_five_seconds()
    {
        var editor = await server.SignIn("kg-editor");
        var draft = await editor.CreatesDraft("KG", title: "Programme followed over a hanging network");
        var first = await editor.Inserts(draft, NodeKind.Action, "Precursor control at customs");

        await using var network = new LoopbackProxy(server.Address);
        await using var drafter = await chromium.OpensTheAppAs(server, "kg-drafter", "silent-network-loss", via: network.Address);
        await drafter.OpensDraft(draft);

        var lost = Stopwatch.StartNew();
        network.Stall();
        await drafter.Sees(drafter.Page.GetByTestId("live-status")).ToHaveTextAsync("Connection lost — reconnecting…", new() { Timeout = 6_000 });
        Assert.True(lost.Elapsed < TimeSpan.FromSeconds(5), $"The badge said \"Live\" for {lost.Elapsed.TotalSeconds:0.0} s after the network hung");
        await drafter.Screenshot("reconnecting-after-a-silent-loss");

        await editor.Inserts(draft, NodeKind.Action, "Container control programme", afterNodeId: first);
        network.Resume();
        await drafter.Sees(drafter.Page.GetByTestId("live-status")).ToHaveTextAsync("Live again");
        await drafter.Sees(drafter.Node("Action 2")).ToContainTextAsync("Container control programme");
    }
}
