using System.Net.Http.Json;
using CadapDrafting.Comments;
using CadapDrafting.Drafts;
using CadapDrafting.Notifications;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace CadapDrafting.Tests.Review;

/// <summary>
/// Notifications are written by a handler reacting to committed events: decisions on my proposals, rounds opening and
/// closing, sign-off requests, mentions; each reaches only whom it is for, and the unread count is pushed to that person.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class BeingToldAboutChanges(AppFixture app)
{
    [Fact]
    public async Task A_decision_on_my_proposal_reaches_me_live_with_its_place_and_marking_it_read_lowers_the_count()
    {
        var editor = await Person.SignIn(app, "uz-editor");
        var drafter = await Person.SignIn(app, "uz-drafter");
        var draft = await editor.CreatesDraft("UZ");
        var action = await editor.Inserts(draft, NodeKind.Action, "Needle and syringe programmes in Tashkent");
        var proposal = await drafter.ProposesText(draft, action, 1, "Needle and syringe programmes in every region");

        var pushed = new TaskCompletionSource<UnreadChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var connection = Connect(drafter);
        connection.On<UnreadChanged>(InboxPush.UnreadMethod, u => pushed.TrySetResult(u));
        await connection.StartAsync();
        var before = (await drafter.Read<CommentEndpoints.UnreadCount>("/api/inbox/unread")).Unread;

        await Expect.Status(await editor.Command($"/api/drafts/{draft}/proposals/{proposal}/reject", new { reason = "Budget is for Tashkent only" }),
            HttpStatusCode.OK);

        var count = await pushed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(before + 1, count.Unread);
        var decision = Assert.Single(await drafter.ReadsInbox(), i => i.DraftId == draft && i.Reason == InboxReason.Decision);
        Assert.Equal((proposal, action, "1", "uz-editor", false), (decision.ProposalId, decision.NodeId, decision.NodeNumber, decision.From,
            decision.Read));
        Assert.Contains("Budget is for Tashkent only", decision.Excerpt);
        Assert.DoesNotContain(await editor.ReadsInbox(), i => i.DraftId == draft && i.Reason == InboxReason.Decision);

        var marked = await drafter.Command("/api/inbox/read", new { ids = new[] { decision.Id } });
        await Expect.Status(marked, HttpStatusCode.OK);
        Assert.Equal(before, (await marked.Content.ReadFromJsonAsync<CommentEndpoints.UnreadCount>())!.Unread);
        Assert.True(Assert.Single(await drafter.ReadsInbox(), i => i.Id == decision.Id).Read);
    }

    [Fact]
    public async Task A_private_round_opening_and_closing_reaches_the_eu_experts_never_a_cso_nor_another_countrys_people()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var expert = await Person.SignIn(app, "eu-expert-1");
        var cso = await Person.SignIn(app, "cso-1");
        var other = await Person.SignIn(app, "kz-editor");
        var draft = await editor.CreatesDraft("KG");
        await editor.Inserts(draft, NodeKind.Action, "Opioid agonist therapy in prisons");
        await editor.OpensRound(draft);
        await Expect.Status(await editor.Command($"/api/drafts/{draft}/rounds/current/close", new { reason = "Enough comments" }),
            HttpStatusCode.OK);

        var inbox = await expert.ReadsInboxUntil(entries => entries.Count(i => i.DraftId == draft) >= 2);
        Assert.Equal([InboxReason.RoundClosed, InboxReason.RoundOpened], inbox.Where(i => i.DraftId == draft).Select(i => i.Reason));
        Assert.All(inbox.Where(i => i.DraftId == draft), i => Assert.Equal(1, i.Round));
        Assert.DoesNotContain(await cso.ReadsInbox(), i => i.DraftId == draft);
        Assert.DoesNotContain(await other.ReadsInbox(), i => i.DraftId == draft);
    }

    [Fact]
    public async Task Starting_review_asks_the_approvers_for_their_sign_off()
    {
        var editor = await Person.SignIn(app, "tj-editor");
        var approver = await Person.SignIn(app, "tj-approver-1");
        var draft = await editor.CreatesDraft("TJ");
        await editor.Inserts(draft, NodeKind.Action, "Treatment for women who use drugs");
        await editor.SetsApprovalPolicy(draft, 1, "tj-approver-1");
        await Expect.Status(await editor.StartsReview(draft), HttpStatusCode.OK);

        var inbox = await approver.ReadsInboxUntil(entries => entries.Any(i => i.DraftId == draft));
        var request = Assert.Single(inbox, i => i.DraftId == draft);
        Assert.Equal((InboxReason.SignOffRequested, "tj-editor"), (request.Reason, request.From));
    }

    [Fact]
    public async Task Marking_someone_elses_notification_read_changes_nothing_of_theirs()
    {
        var editor = await Person.SignIn(app, "tm-editor");
        var drafter = await Person.SignIn(app, "tm-drafter");
        var draft = await editor.CreatesDraft("TM");
        var action = await editor.Inserts(draft, NodeKind.Action, "Drug checking at festivals");
        var thread = await editor.StartsThread(draft, action, "@tm-drafter please add the legal basis");
        var mention = Assert.Single(await drafter.ReadsInboxUntil(e => e.Any(i => i.ThreadId == thread.ThreadId)),
            i => i.ThreadId == thread.ThreadId);

        await Expect.Status(await editor.Command("/api/inbox/read", new { ids = new[] { mention.Id } }), HttpStatusCode.OK);
        await Expect.Status(await editor.Command("/api/inbox/read", new { }), HttpStatusCode.OK);

        Assert.False(Assert.Single(await drafter.ReadsInbox(), i => i.Id == mention.Id).Read);
    }

    private HubConnection Connect(Person person) => new HubConnectionBuilder()
        .WithUrl(new Uri(app.Host.Server.BaseAddress, CadapDrafting.Live.DraftHub.Path), options =>
        {
            options.Transports = HttpTransportType.LongPolling;
            options.HttpMessageHandlerFactory = _ => app.Host.Server.CreateHandler();
            options.AccessTokenProvider = () => Task.FromResult(person.Token());
        })
        .Build();
}
