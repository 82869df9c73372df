using CadapDrafting.Drafts;
using CadapDrafting.Live.Client;
using CadapDrafting.Proposals;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace CadapDrafting.Tests.Live;

[Collection(ServerCollection.Name)]
public sealed class SeeingChangesLive(LiveServer live)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Two_people_see_each_others_proposals_as_they_are_made()
    {
        var editor = await live.SignIn("kg-editor");
        var drafter = await live.SignIn("kg-drafter");
        var draft = await editor.CreatesDraft("KG");
        var action = await editor.Inserts(draft, NodeKind.Action, "Prevention in schools");
        await using var editorsView = await live.Watches(editor, draft);
        await using var draftersView = await live.Watches(drafter, draft);

        var response = await drafter.Proposes(draft, new {
            kind = ProposalKind.Amend, nodeId = action, baseRevision = 1,
            text = new { en = "Evidence-based prevention in schools" }, rationale = "Align with the standards"
        });
        var theirs = await Person.Accepted(response);
        await editorsView.WaitForPositionAsync(theirs.Position, Soon);

        var seen = editorsView.History.Single(u => u.Position == theirs.Position);
        Assert.Equal("kg-drafter", seen.Actor);
        var proposal = seen.Parts.Single(p => p.Kind == "proposal");
        Assert.Equal(theirs.Result!.Value.GetProperty("proposalId").GetGuid(), proposal.Id);
        Assert.Equal("Evidence-based prevention in schools", proposal.Data.GetProperty("text").GetProperty("en").GetString());
        Assert.Equal("Open", proposal.Data.GetProperty("status").GetString());
        var node = seen.Parts.Single(p => p.Kind == "node");
        Assert.Equal(action, node.Id);
        Assert.Equal(1, node.Data.GetProperty("openProposals").GetInt32());

        var mine = await Person.Accepted(await editor.Proposes(draft, new {
            kind = ProposalKind.Amend, nodeId = action, baseRevision = 1,
            text = new { en = "Prevention in schools and families" }, rationale = "Families matter"
        }));
        await draftersView.WaitForPositionAsync(mine.Position, Soon);
        var editorsProposal = draftersView.History.Single(u => u.Position == mine.Position);
        Assert.Equal("kg-editor", editorsProposal.Actor);
        Assert.Equal(mine.Result!.Value.GetProperty("proposalId").GetGuid(), editorsProposal.Parts.Single(p => p.Kind == "proposal").Id);
        Assert.Equal(2, editorsProposal.Parts.Single(p => p.Kind == "node").Data.GetProperty("openProposals").GetInt32());
    }

    [Fact]
    public async Task Accepting_an_insert_pushes_the_renumbered_outline()
    {
        var editor = await live.SignIn("uz-editor");
        var draft = await editor.CreatesDraft("UZ");
        var first = await editor.Inserts(draft, NodeKind.Action, "Research in narcology");
        var second = await editor.Inserts(draft, NodeKind.Action, "Treatment services", afterNodeId: first);
        await using var view = await live.Watches(editor, draft);

        var inserted = await editor.Inserts(draft, NodeKind.Action, "Prevention among young people", afterNodeId: null);
        var position = (await editor.Reads(draft)).Position;
        await view.WaitForPositionAsync(position, Soon);

        var accepted = view.History.Single(u => u.Position == position);
        Assert.Equal("proposal_accepted", accepted.Type);
        var outline = accepted.Parts.Single(p => p.Kind == "outline").Data.EnumerateArray()
            .Select(e => (e.GetProperty("id").GetGuid(), e.GetProperty("number").GetString())).ToList();
        Assert.Equal([(inserted, "1"), (first, "2"), (second, "3")], outline);
        Assert.Equal("Prevention among young people", accepted.Parts.Single(p => p.Kind == "node" && p.Id == inserted)
            .Data.GetProperty("text").GetProperty("en").GetString());
        Assert.Equal(3, accepted.Parts.Single(p => p.Kind == "lifecycle").Data.GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task Each_update_shows_the_node_as_it_was_at_that_position_however_fast_the_edits_follow()
    {
        var editor = await live.SignIn("kg-editor");
        var draft = await editor.CreatesDraft("KG");
        var action = await editor.Inserts(draft, NodeKind.Action, "Edit 0");
        await using var view = await live.Watches(editor, draft);
        var last = view.Position;

        var edits = Enumerable.Range(1, 30).Select(i => $"Edit {i}").ToList();
        for (var i = 0; i < edits.Count; i++)
            await Expect.Status(await editor.Proposes(draft, new {
                kind = ProposalKind.Amend, nodeId = action, baseRevision = i + 1,
                text = new { en = edits[i] }, rationale = "Direct edit", acceptNow = true
            }), HttpStatusCode.OK);
        await view.WaitForPositionAsync(last + 2 * edits.Count, Soon);

        var accepted = view.History.Where(u => u.Type == "proposal_accepted" && u.Position > last).ToList();
        Assert.Equal(edits, accepted.Select(u => u.Parts.Single(p => p.Kind == "node").Data.GetProperty("text").GetProperty("en").GetString()));
        Assert.Equal(Enumerable.Range(2, edits.Count),
            accepted.Select(u => u.Parts.Single(p => p.Kind == "node").Data.GetProperty("revision").GetInt32()));
        // A direct edit is two events in one transaction: at the first, the node still has its old text.
        var proposed = view.History.Where(u => u.Type == "proposal_submitted" && u.Position > last).ToList();
        Assert.Equal(edits.Prepend("Edit 0").SkipLast(1),
            proposed.Select(u => u.Parts.Single(p => p.Kind == "node").Data.GetProperty("text").GetProperty("en").GetString()));
    }

    [Fact]
    public async Task A_refused_command_pushes_nothing()
    {
        var editor = await live.SignIn("tj-editor");
        var drafter = await live.SignIn("tj-drafter");
        var outsider = await live.SignIn("kg-editor");
        var draft = await editor.CreatesDraft("TJ");
        var action = await editor.Inserts(draft, NodeKind.Action, "Expand treatment services");
        await using var view = await live.Watches(editor, draft);
        var before = view.Position;

        await Expect.Problem(await drafter.Proposes(draft, new {
            kind = ProposalKind.Amend, nodeId = action, baseRevision = 7,
            text = new { en = "Stale" }, rationale = "Written against an old revision"
        }), HttpStatusCode.Conflict);
        await Expect.Problem(await drafter.Proposes(draft, new {
            kind = ProposalKind.Amend, nodeId = action, baseRevision = 1,
            text = new { en = "No reason given" }, rationale = ""
        }), HttpStatusCode.UnprocessableEntity);
        await Expect.Problem(await outsider.Proposes(draft, new {
            kind = ProposalKind.Amend, nodeId = action, baseRevision = 1,
            text = new { en = "From another country" }, rationale = "Not allowed"
        }), HttpStatusCode.NotFound);
        var next = await drafter.ProposesText(draft, action, 1, "Expand voluntary treatment services");
        await view.WaitForPositionAsync(before + 1, Soon);
        await Task.Delay(200);

        var pushed = Assert.Single(view.History, u => u.Position > before);
        Assert.Equal(before + 1, pushed.Position);
        Assert.Equal(next, pushed.Parts.Single(p => p.Kind == "proposal").Id);
        Assert.Equal(before + 1, view.Position);
        Assert.Equal(before + 1, (await editor.Reads(draft)).Position);
    }

    [Fact]
    public async Task A_client_cut_off_while_a_hundred_changes_commit_ends_with_exactly_those_hundred_in_order()
    {
        var editor = await live.SignIn("kz-editor");
        var drafter = await live.SignIn("kz-drafter");
        var draft = await editor.CreatesDraft("KZ");
        var action = await editor.Inserts(draft, NodeKind.Action, "Harm reduction services");
        await using var proxy = new LoopbackProxy(live.Address);
        await using var cutOff = await live.Watches(drafter, draft, via: proxy.Address);
        await using var connected = await live.Watches(editor, draft);
        var last = cutOff.Position;

        proxy.Cut();
        await LiveDraftClient.WaitUntilAsync(() => cutOff.State != Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected, Soon,
            () => "the client noticed the connection was lost");
        var positions = new List<long>();
        for (var i = 0; i < 100; i++)
        {
            var response = await editor.Proposes(draft, new {
                kind = ProposalKind.Amend, nodeId = action, baseRevision = 1,
                text = new { en = $"Harm reduction services, variant {i}" }, rationale = $"Option {i}"
            });
            positions.Add((await Person.Accepted(response)).Position);
        }
        Assert.Equal(Enumerable.Range(1, 100).Select(i => last + i), positions);
        proxy.Restore();

        await cutOff.WaitForPositionAsync(last + 100, TimeSpan.FromSeconds(20));
        var missed = cutOff.History.Where(u => u.Position > last).ToList();
        Assert.Equal(positions, missed.Select(u => u.Position));
        Assert.All(missed, u => Assert.Equal("proposal_submitted", u.Type));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"Harm reduction services, variant {i}"),
            missed.Select(u => u.Parts.Single(p => p.Kind == "proposal").Data.GetProperty("text").GetProperty("en").GetString()));

        // What was caught up is what was seen live: the same parts at every position.
        await connected.WaitForPositionAsync(last + 100, Soon);
        var seenLive = connected.History.Where(u => u.Position > last).ToList();
        Assert.Equal(seenLive.Select(Json), missed.Select(Json));
    }

    [Fact]
    public async Task A_client_that_missed_a_push_notices_the_gap_and_fetches_it_before_going_on()
    {
        var editor = await live.SignIn("uz-editor");
        var draft = await editor.CreatesDraft("UZ");
        var action = await editor.Inserts(draft, NodeKind.Action, "Inter-agency collaboration");
        await using var view = await live.Watches(editor, draft);
        var last = view.Position;
        var groups = live.Services.GetRequiredService<IHubContext<CadapDrafting.Live.DraftHub>>().Groups;

        // The push of the next change does not reach this client.
        await groups.RemoveFromGroupAsync(view.ConnectionId!, CadapDrafting.Live.LivePush.GroupOf(draft));
        var missed = await editor.ProposesText(draft, action, 1, "Inter-agency collaboration and data sharing");
        await groups.AddToGroupAsync(view.ConnectionId!, CadapDrafting.Live.LivePush.GroupOf(draft));
        var next = await editor.ProposesText(draft, action, 1, "Inter-agency collaboration with civil society");

        await view.WaitForPositionAsync(last + 2, Soon);
        Assert.Equal([(last + 1, missed), (last + 2, next)],
            view.History.Where(u => u.Position > last).Select(u => (u.Position, u.Parts.Single(p => p.Kind == "proposal").Id!.Value)));
        Assert.Equal(1, view.GapsFetched);
    }

    [Fact]
    public async Task A_client_far_behind_catches_up_page_by_page_and_ends_with_every_change_once()
    {
        var editor = await live.SignIn("tj-editor");
        var draft = await editor.CreatesDraft("TJ");
        var action = await editor.Inserts(draft, NodeKind.Action, "Rehabilitation");
        await using var proxy = new LoopbackProxy(live.Address);
        await using var view = await live.Watches(editor, draft, via: proxy.Address);
        var reloadAt = new List<long>();
        view.ReloadNeeded += reloadAt.Add;
        var last = view.Position;

        proxy.Cut();
        await LiveDraftClient.WaitUntilAsync(() => view.State != Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected, Soon,
            () => "the client noticed the connection was lost");
        await Task.WhenAll(Enumerable.Range(0, LiveServer.MaxCatchUp * 2 + 1).Select(i =>
            editor.ProposesText(draft, action, 1, $"Rehabilitation, variant {i}")));
        var now = (await editor.Reads(draft)).Position;
        Assert.Equal(last + LiveServer.MaxCatchUp * 2 + 1, now);

        // Asked over HTTP, the catch-up answers a page and says there is more.
        var page = await editor.Read<JsonElement>($"/api/drafts/{draft}/updates?after={last}");
        Assert.False(page.GetProperty("reload").GetBoolean());
        Assert.True(page.GetProperty("more").GetBoolean());
        Assert.Equal(last + LiveServer.MaxCatchUp, page.GetProperty("position").GetInt64());
        Assert.Equal(Enumerable.Range(1, LiveServer.MaxCatchUp).Select(i => last + i),
            page.GetProperty("updates").EnumerateArray().Select(u => u.GetProperty("position").GetInt64()));
        proxy.Restore();

        await view.WaitForPositionAsync(now, TimeSpan.FromSeconds(30));
        Assert.Empty(reloadAt);
        Assert.Equal(Enumerable.Range(1, (int)now).Select(p => (long)p), view.History.Select(u => u.Position));
        var next = await editor.ProposesText(draft, action, 1, "Rehabilitation and reintegration");
        await view.WaitForPositionAsync(now + 1, Soon);
        Assert.Equal(next, view.History.Single(u => u.Position == now + 1).Parts.Single(p => p.Kind == "proposal").Id);
    }

    [Fact]
    public async Task The_people_viewing_a_draft_and_where_they_work_appear_and_disappear()
    {
        var editor = await live.SignIn("tm-editor");
        var drafter = await live.SignIn("tm-drafter");
        var draft = await editor.CreatesDraft("TM");
        var article = await editor.Inserts(draft, NodeKind.Article, "Trafficking and manufacture");
        await using var editorsView = await live.Watches(editor, draft);

        var draftersView = await live.Watches(drafter, draft);
        await LiveDraftClient.WaitUntilAsync(() => editorsView.Viewers.Any(v => v.UserId == "tm-drafter"), Soon,
            () => "the drafter appeared");
        Assert.Contains(draftersView.Viewers, v => v.UserId == "tm-editor");

        await draftersView.SetPresenceAsync(article);
        await LiveDraftClient.WaitUntilAsync(() => editorsView.Viewers.Any(v => v.UserId == "tm-drafter" && v.NodeId == article), Soon,
            () => "the drafter was seen working on the article");

        await draftersView.DisposeAsync();
        await LiveDraftClient.WaitUntilAsync(() => editorsView.Viewers.All(v => v.UserId != "tm-drafter"), TimeSpan.FromSeconds(5),
            () => $"the drafter left; still seen: {string.Join(", ", editorsView.Viewers.Select(v => v.UserId))}");
        Assert.Contains(editorsView.Viewers, v => v.UserId == "tm-editor");
    }

    [Fact]
    public async Task A_second_tab_of_someone_already_viewing_tells_the_others_nothing_opening_or_closing()
    {
        var editor = await live.SignIn("tm-editor");
        var drafter = await live.SignIn("tm-drafter");
        var draft = await editor.CreatesDraft("TM");
        var article = await editor.Inserts(draft, NodeKind.Article, "Prevention in schools");
        await using var editorsView = await live.Watches(editor, draft);
        await using var firstTab = await live.Watches(drafter, draft);
        await LiveDraftClient.WaitUntilAsync(() => editorsView.Viewers.Any(v => v.UserId == "tm-drafter"), Soon, () => "the drafter appeared");
        var listsReceived = 0;
        editorsView.PresenceChanged += _ => Interlocked.Increment(ref listsReceived);

        var secondTab = await live.Watches(drafter, draft);
        var secondTabId = secondTab.ConnectionId!;
        await secondTab.DisposeAsync();
        // The server has handled the closing once it forgot the connection; a list it sent for it has been sent by then.
        var connections = live.Services.GetRequiredService<CadapDrafting.Live.LiveConnections>();
        await LiveDraftClient.WaitUntilAsync(() => connections.Find(secondTabId) is null, Soon, () => "the second tab was closed");
        await firstTab.SetPresenceAsync(article);
        await LiveDraftClient.WaitUntilAsync(() => editorsView.Viewers.Any(v => v.UserId == "tm-drafter" && v.NodeId == article), Soon,
            () => "the drafter was seen working on the article");

        Assert.Equal(1, listsReceived);
        Assert.Equal(["tm-drafter", "tm-editor"], editorsView.Viewers.Select(v => v.UserId).Order());
    }

    [Fact]
    public async Task Joining_a_draft_one_may_not_read_looks_exactly_like_joining_a_missing_one()
    {
        var editor = await live.SignIn("kg-editor");
        var outsider = await live.SignIn("uz-editor");
        var draft = await editor.CreatesDraft("KG");

        var invisible = await Assert.ThrowsAsync<HubException>(() => live.Watches(outsider, draft));
        var missingId = Guid.NewGuid();
        var missing = await Assert.ThrowsAsync<HubException>(() => live.Watches(outsider, missingId));

        Assert.Equal(missing.Message.Replace(missingId.ToString(), "ID"), invisible.Message.Replace(draft.ToString(), "ID"));
        Assert.Contains("does not exist or is not visible", invisible.Message);

        var anonymous = await Assert.ThrowsAsync<HttpRequestException>(() =>
            LiveDraftClient.ConnectAsync(live.Address, draft, () => Task.FromResult<string?>(null)));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Catching_up_over_http_returns_exactly_what_came_after_a_position()
    {
        var editor = await live.SignIn("tj-editor");
        var outsider = await live.SignIn("kz-editor");
        var draft = await editor.CreatesDraft("TJ");
        var action = await editor.Inserts(draft, NodeKind.Action, "Rehabilitation");
        var seen = (await editor.Reads(draft)).Position;
        var proposal = await editor.ProposesText(draft, action, 1, "Rehabilitation and social reintegration");
        await Expect.Status(await editor.Accepts(draft, proposal), HttpStatusCode.OK);
        var now = (await editor.Reads(draft)).Position;

        var missed = await editor.Read<JsonElement>($"/api/drafts/{draft}/updates?after={seen}");
        Assert.Equal(now, missed.GetProperty("position").GetInt64());
        Assert.False(missed.GetProperty("reload").GetBoolean());
        Assert.Equal([seen + 1, seen + 2], missed.GetProperty("updates").EnumerateArray().Select(u => u.GetProperty("position").GetInt64()));
        Assert.Equal(["proposal_submitted", "proposal_accepted"],
            missed.GetProperty("updates").EnumerateArray().Select(u => u.GetProperty("type").GetString()));
        Assert.Empty((await editor.Read<JsonElement>($"/api/drafts/{draft}/updates?after={now}")).GetProperty("updates").EnumerateArray());

        var beyond = await Expect.Problem(await editor.Http.GetAsync($"/api/drafts/{draft}/updates?after={now + 5}"),
            HttpStatusCode.UnprocessableEntity);
        Assert.True(beyond.GetProperty("errors").TryGetProperty("after", out _));
        await Expect.Problem(await outsider.Http.GetAsync($"/api/drafts/{draft}/updates?after=0"), HttpStatusCode.NotFound);
    }

    private static string Json(LiveUpdate update) => JsonSerializer.Serialize(update with { }, Person.Json);
}
