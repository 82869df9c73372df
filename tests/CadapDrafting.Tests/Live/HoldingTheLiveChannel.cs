using System.Diagnostics;
using CadapDrafting.Comments;
using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Live.Client;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CadapDrafting.Tests.Live;

/// <summary>The live channel under careless or hostile use: stalled viewers, floods, expired tokens, ended access.</summary>
[Collection(ServerCollection.Name)]
public sealed class HoldingTheLiveChannel(LiveServer live)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task One_stalled_long_polling_viewer_delays_neither_the_other_viewers_nor_the_next_commit()
    {
        var editor = await live.SignIn("kg-editor");
        var drafter = await live.SignIn("kg-drafter");
        var draft = await editor.CreatesDraft("KG");
        var action = await editor.Inserts(draft, NodeKind.Action, "Treatment services");
        var viewers = new List<LiveDraftClient>();
        for (var i = 0; i < 9; i++) viewers.Add(await live.Watches(i % 2 == 0 ? editor : drafter, draft));
        await using var proxy = new LoopbackProxy(live.Address);
        await using var stalled = await LiveDraftClient.ConnectAsync(proxy.Address, draft, async () => await live.TokenFor("kg-approver-1"),
            0, LongPolling);
        var stalledConnection = stalled.ConnectionId;
        try
        {
            proxy.Stall();

            // Far more than the server holds for one viewer (64 KB here): the stalled viewer's buffer fills early on.
            var pushLatencies = new List<double>();
            var commandLatencies = new List<double>();
            for (var i = 0; i < 60; i++)
            {
                var sent = Stopwatch.GetTimestamp();
                var response = await drafter.Proposes(draft, new {
                    kind = "Amend", nodeId = action, baseRevision = 1,
                    text = new {
                        en =
                        $"Treatment services, variant {i}: " + string.Concat(Enumerable.Repeat("community-based care and harm reduction; ", 40))
                    },
                    rationale = "Wording"
                });
                var position = (await Person.Accepted(response)).Position;
                commandLatencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                await Task.WhenAll(viewers.Select(v => v.WaitForPositionAsync(position, Soon)));
                pushLatencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            }

            // A viewer sees a change within a second of it being made, however long the stalled one has been stalled.
            Assert.True(pushLatencies.Max() < 1_000, $"The other viewers waited up to {pushLatencies.Max():0} ms (commands: up to " +
                $"{commandLatencies.Max():0} ms)");
            Assert.True(commandLatencies.Max() < 1_000, $"A command took up to {commandLatencies.Max():0} ms");

            // The stalled viewer is dropped once it has held a full buffer unread for 2 s; when its network moves again it
            // reconnects and ends with every change, once.
            await Task.Delay(TimeSpan.FromSeconds(3));
            proxy.Resume();
            var last = (await editor.Reads(draft)).Position;
            await stalled.WaitForPositionAsync(last, TimeSpan.FromSeconds(30));
            Assert.NotEqual(stalledConnection, stalled.ConnectionId);
            Assert.Equal(Enumerable.Range(1, (int)last).Select(p => (long)p), stalled.History.Select(u => u.Position));
        }
        finally
        {
            foreach (var viewer in viewers) await viewer.DisposeAsync();
        }
    }

    [Fact]
    public async Task Following_a_draft_by_long_polling_does_not_spend_the_persons_request_limit()
    {
        var editor = await live.SignIn("tm-editor");
        var draft = await editor.CreatesDraft("TM");
        var action = await editor.Inserts(draft, NodeKind.Action, "Prevention in schools");
        var approver = await live.SignIn(LiveServer.LimitedUser);
        await using var view = await LiveDraftClient.ConnectAsync(live.Address, draft, async () => await live.TokenFor(LiveServer.LimitedUser),
            0, LongPolling);

        // Each change answers a poll and the client polls again: twice the person's whole request budget in polls.
        for (var i = 0; i < LiveServer.LimitedUsersRequestsPerWindow * 2; i++)
        {
            var position = (await Person.Accepted(await editor.Proposes(draft, new {
                kind = "Amend", nodeId = action, baseRevision = 1,
                text = new { en = $"Prevention in schools, variant {i}" }, rationale = "Wording"
            }))).Position;
            await view.WaitForPositionAsync(position, Soon);
        }

        Assert.Equal(HubConnectionState.Connected, view.State);
        Assert.Equal(HttpStatusCode.OK, (await approver.Http.GetAsync($"/api/drafts/{draft}")).StatusCode);
    }

    [Fact]
    public async Task One_person_may_hold_only_so_many_live_connections_and_others_are_not_affected()
    {
        var editor = await live.SignIn("tm-editor");
        var draft = await editor.CreatesDraft("TM");
        var token = await live.TokenFor(LiveServer.LimitedUser);
        var cap = LiveServer.ShippedLimits.ConnectionsPerUser;
        var connections = new List<HubConnection>();
        try
        {
            // Sixty tabs: the first ones up to the cap follow the draft, the rest are refused with the reason.
            var refusals = new List<string>();
            for (var i = 0; i < 60; i++)
            {
                var connection = Connection(live.Address, token);
                connections.Add(connection);
                await connection.StartAsync();
                try { await connection.InvokeAsync<JsonElement>("JoinDraft", draft, 0L); }
                catch (Exception refused) when (refused is HubException or InvalidOperationException or TaskCanceledException)
                {
                    refusals.Add(refused.Message);
                }
            }
            Assert.Equal(60 - cap, refusals.Count);
            Assert.Equal(cap, connections.Count(c => c.State == HubConnectionState.Connected));

            // Another person is not counted against them.
            await using var othersView = await live.Watches(editor, draft);
            Assert.Equal(HubConnectionState.Connected, othersView.State);

            // Closing a tab frees its place.
            await connections.First(c => c.State == HubConnectionState.Connected).StopAsync();
            var again = Connection(live.Address, token);
            connections.Add(again);
            await again.StartAsync();
            await again.InvokeAsync<JsonElement>("JoinDraft", draft, 0L);
        }
        finally
        {
            foreach (var connection in connections) await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task One_person_calling_the_hub_too_often_is_refused_for_a_while_and_others_are_not()
    {
        var editor = await live.SignIn("tm-editor");
        var draft = await editor.CreatesDraft("TM");
        await using var connection = Connection(live.Address, await live.TokenFor(LiveServer.LimitedUser));
        await connection.StartAsync();
        await using var othersView = await live.Watches(editor, draft);

        var answered = 0;
        var refused = new List<string>();
        for (var i = 0; i < 800; i++)
        {
            try
            {
                await connection.InvokeAsync<JsonElement>("UpdatesSince", draft, 0L);
                answered++;
            }
            catch (HubException tooMany) { refused.Add(tooMany.Message); }
        }

        Assert.InRange(answered, 1, LiveServer.ShippedLimits.CallsPerUser * 2);
        Assert.Contains("429 Too many requests", refused[0]);
        Assert.Contains($"{LiveServer.ShippedLimits.CallsPerUser} hub calls in {LiveServer.ShippedLimits.CallsWindowSeconds} s", refused[0]);
        // Refused calls do not cost the connection: it is still there, and someone else's calls go through.
        Assert.Equal(HubConnectionState.Connected, connection.State);
        await using var editors = Connection(live.Address, await live.TokenFor("tm-editor"));
        await editors.StartAsync();
        var head = await editors.InvokeAsync<JsonElement>("Head", draft);
        Assert.Equal((await editor.Reads(draft)).Position, head.GetProperty("position").GetInt64());
    }

    [Fact]
    public async Task A_connection_closes_when_its_token_expires_and_receives_nothing_after()
    {
        var editor = await live.SignIn("kg-editor");
        var drafter = await live.SignIn("kg-drafter");
        var draft = await editor.CreatesDraft("KG");
        var action = await editor.Inserts(draft, NodeKind.Action, "Prevention in schools");
        var shortLived = live.Services.GetRequiredService<DevTokenIssuer>()
            .Issue(live.Services.GetRequiredService<DemoUsers>().Get("kg-drafter"), TimeSpan.FromSeconds(3));
        await using var connection = Connection(live.Address, shortLived);
        var received = new List<JsonElement>();
        connection.On<JsonElement[]>("updates", updates => { lock (received) received.AddRange(updates); });
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += error => { closed.TrySetResult(error); return Task.CompletedTask; };
        await connection.StartAsync();
        await connection.InvokeAsync<JsonElement>("JoinDraft", draft, 0L);

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(15));

        var internalThread = await drafter.StartsThread(draft, action, "Ministry position: keep the budget confidential", ThreadVisibility.Internal);
        await Task.Delay(500);
        lock (received) Assert.DoesNotContain(received, u => u.GetRawText().Contains(internalThread.ThreadId.ToString()));
        await Assert.ThrowsAnyAsync<Exception>(() => connection.InvokeAsync<JsonElement>("UpdatesSince", draft, 0L));
    }

    [Fact]
    public async Task A_cso_receives_nothing_more_once_the_public_round_closes()
    {
        var editor = await live.SignIn("tj-editor");
        var cso = await live.SignIn("cso-1");
        var draft = await editor.CreatesDraft("TJ");
        var action = await editor.Inserts(draft, NodeKind.Action, "Harm reduction services");
        await editor.OpensRound(draft, isPublic: true);
        await using var csosView = await live.Watches(cso, draft);
        await using var editorsView = await live.Watches(editor, draft);
        var duringRound = await editor.ProposesText(draft, action, 1, "Harm reduction and outreach services");
        var position = (await editor.Reads(draft)).Position;
        await csosView.WaitForPositionAsync(position, Soon);
        Assert.Contains(csosView.History, u => u.Parts.Any(p => p.Id == duringRound));

        await Expect.Status(await editor.ClosesRound(draft), HttpStatusCode.OK);
        var closedAt = (await editor.Reads(draft)).Position;
        var afterRound = await editor.ProposesText(draft, action, 1, "Harm reduction, outreach and opioid agonist therapy");
        var last = (await editor.Reads(draft)).Position;
        await editorsView.WaitForPositionAsync(last, Soon);
        await Task.Delay(500);

        Assert.DoesNotContain(csosView.History, u => u.Position >= closedAt);
        Assert.Equal(position, csosView.Position);
        // Following again is refused while no public round is open.
        await using var again = Connection(live.Address, cso.Token()!);
        await again.StartAsync();
        var rejoin = await Assert.ThrowsAsync<HubException>(() => again.InvokeAsync<JsonElement>("JoinDraft", draft, 0L));
        Assert.Contains("403", rejoin.Message);
        Assert.DoesNotContain(afterRound.ToString(), rejoin.Message);
    }

    private static HubConnection Connection(Uri server, string token) => new HubConnectionBuilder()
        .WithUrl(new Uri(server, LiveDraftClient.HubPath), o =>
        {
            o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            o.Transports = HttpTransportType.WebSockets;
        })
        .Build();

    /// <summary>How the tests follow a draft by long polling (a browser behind a proxy that blocks WebSockets).</summary>
    private static LiveClientOptions LongPolling => new()
    {
        Transports = HttpTransportType.LongPolling,
        KeepHistory = true,
        ReconnectDelay = TimeSpan.FromMilliseconds(100),
    };
}
