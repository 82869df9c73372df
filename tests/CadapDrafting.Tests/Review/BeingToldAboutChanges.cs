using System.Net.Http.Json;
using CadapDrafting.Comments;
using CadapDrafting.Drafts;
using CadapDrafting.Infrastructure;
using CadapDrafting.Notifications;
using Microsoft.Extensions.DependencyInjection;
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

        // Not theirs to mark: as if it did not exist. Marking all their own leaves the drafter's alone.
        await Expect.Problem(await editor.Command("/api/inbox/read", new { ids = new[] { mention.Id } }), HttpStatusCode.NotFound);
        await Expect.Status(await editor.Command("/api/inbox/read", new { }), HttpStatusCode.OK);

        Assert.False(Assert.Single(await drafter.ReadsInbox(), i => i.Id == mention.Id).Read);
        Assert.DoesNotContain(await EventsOfInbox("tm-editor"), e => e.Data is NotificationsRead read && read.Ids.Contains(mention.Id));
    }

    [Fact]
    public async Task Marking_a_notification_read_is_an_event_on_my_inbox_stream_with_actor_time_and_reason_and_twice_does_no_harm()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var drafter = await Person.SignIn(app, "kz-drafter");
        var draft = await editor.CreatesDraft("KZ");
        var action = await editor.Inserts(draft, NodeKind.Action, "Outreach to people who inject drugs in Almaty");
        var thread = await editor.StartsThread(draft, action, "@kz-drafter please name the outreach partners");
        var mention = Assert.Single(await drafter.ReadsInboxUntil(e => e.Any(i => i.ThreadId == thread.ThreadId)),
            i => i.ThreadId == thread.ThreadId);
        Assert.Equal(("kz-editor", "Daniyar Seitkali", "Данияр Сейткали"), (mention.From, mention.FromName, mention.FromNameRu));
        var delivered = Assert.Single(await EventsOfInbox("kz-drafter"), e => e.Data is NotificationDelivered d && d.Id == mention.Id);
        Assert.Equal(DraftEventsCommittedHandler.Deliverer, delivered.Headers![EventMetadata.Actor]?.ToString());
        // The stream is marked as an inbox, which is what keeps it out of everything that walks the drafts' streams.
        await using (var connection = new Npgsql.NpgsqlConnection(TestDatabase.ConnectionString))
        {
            await connection.OpenAsync();
            await using var type = new Npgsql.NpgsqlCommand("select type from cadap.mt_streams where id = $1", connection)
            { Parameters = { new() { Value = PersonInboxes.StreamOf("kz-drafter") } } };
            Assert.Equal(PersonInboxes.StreamType, await type.ExecuteScalarAsync());
        }
        var before = (await drafter.Read<CommentEndpoints.UnreadCount>("/api/inbox/unread")).Unread;
        var sentAt = DateTimeOffset.UtcNow;

        var marked = await drafter.Command("/api/inbox/read", new { ids = new[] { mention.Id } });

        await Expect.Status(marked, HttpStatusCode.OK);
        Assert.Equal(before - 1, (await marked.Content.ReadFromJsonAsync<CommentEndpoints.UnreadCount>())!.Unread);
        Assert.True(Assert.Single(await drafter.ReadsInbox(), i => i.Id == mention.Id).Read);
        var stream = await EventsOfInbox("kz-drafter");
        var read = Assert.Single(stream, e => e.Data is NotificationsRead r && r.Ids.Contains(mention.Id));
        var data = (NotificationsRead)read.Data;
        Assert.Equal(("kz-drafter", "kz-drafter"), (data.Recipient, data.Actor));
        Assert.Equal([mention.Id], data.Ids);
        Assert.InRange(data.At, sentAt.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.Equal(MarkNotificationsRead.ReasonNamed, data.Reason);
        Assert.Equal(("kz-drafter", MarkNotificationsRead.ReasonNamed),
            (read.Headers![EventMetadata.Actor]?.ToString(), read.Headers[EventMetadata.Reason]?.ToString()));

        // The same request again: answered the same, nothing appended.
        var again = await drafter.Command("/api/inbox/read", new { ids = new[] { mention.Id } });
        await Expect.Status(again, HttpStatusCode.OK);
        Assert.Equal(before - 1, (await again.Content.ReadFromJsonAsync<CommentEndpoints.UnreadCount>())!.Unread);
        Assert.Equal(stream.Count, (await EventsOfInbox("kz-drafter")).Count);

        // Bad input is a problem, never a 500, and marks nothing.
        await Expect.Problem(await drafter.Command("/api/inbox/read", new { ids = new[] { "" } }), HttpStatusCode.BadRequest);
        await Expect.Problem(await drafter.Command("/api/inbox/read", new { ids = "not a list" }), HttpStatusCode.BadRequest);
        await Expect.Problem(await drafter.Command("/api/inbox/read", new { ids = new[] { "no-such-notification" } }), HttpStatusCode.NotFound);
        await Expect.Problem(await drafter.Command("/api/inbox/read",
            new { ids = Enumerable.Range(0, Inbox.MaxCounted + 1).Select(i => $"x{i}").ToArray() }), HttpStatusCode.UnprocessableEntity);
        await Expect.Problem(await drafter.Command("/api/inbox/read", new { reason = new string('r', 501) }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(stream.Count, (await EventsOfInbox("kz-drafter")).Count);
    }

    [Fact]
    public async Task The_stored_inbox_item_is_the_replay_of_the_inbox_events_that_name_it()
    {
        var editor = await Person.SignIn(app, "uz-editor");
        var drafter = await Person.SignIn(app, "uz-drafter");
        var draft = await editor.CreatesDraft("UZ");
        var action = await editor.Inserts(draft, NodeKind.Action, "Peer support in Samarkand");
        var thread = await editor.StartsThread(draft, action, "@uz-drafter which peer groups exist?");
        var mention = Assert.Single(await drafter.ReadsInboxUntil(e => e.Any(i => i.ThreadId == thread.ThreadId)),
            i => i.ThreadId == thread.ThreadId);
        await Expect.Status(await drafter.Command("/api/inbox/read", new { ids = new[] { mention.Id } }), HttpStatusCode.OK);

        var store = app.Host.Services.GetRequiredService<Marten.IDocumentStore>();
        await using var session = store.QuerySession();
        var stored = await session.LoadAsync<InboxItem>(mention.Id);
        var projection = new InboxProjection();
        var replayed = (await EventsOfInbox("uz-drafter"))
            .Where(e => e.Data is NotificationDelivered d && d.Id == mention.Id || e.Data is NotificationsRead r && r.Ids.Contains(mention.Id))
            .Aggregate((InboxItem?)null, (item, e) => projection.Evolve(item, mention.Id, e));

        Assert.NotNull(replayed?.ReadAt);
        Assert.Equal(JsonSerializer.Serialize(replayed), JsonSerializer.Serialize(stored));

        // Lost, the item is written again by Marten's rebuild of the projection (what the rebuild command runs), read as it was.
        await using (var writing = store.LightweightSession())
        {
            writing.Delete<InboxItem>(mention.Id);
            await writing.SaveChangesAsync();
        }
        Assert.DoesNotContain(await drafter.ReadsInbox(), i => i.Id == mention.Id);
        using (var daemon = await store.BuildProjectionDaemonAsync())
            await daemon.RebuildProjectionAsync<InboxProjection>(CancellationToken.None);
        var back = Assert.Single(await drafter.ReadsInbox(), i => i.Id == mention.Id);
        Assert.Equal((mention.Excerpt, true), (back.Excerpt, back.Read));
    }

    [Fact]
    public async Task Inbox_items_stored_by_hand_by_an_earlier_version_are_written_as_events_once()
    {
        var store = app.Host.Services.GetRequiredService<Marten.IDocumentStore>();
        var reader = "legacy-" + Guid.NewGuid().ToString("N")[..8];
        var at = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
        InboxItem Item(string id, DateTimeOffset? readAt) => new()
        {
            Id = $"{id}:{reader}", Recipient = reader, Reason = InboxReason.Mention, DraftId = Guid.NewGuid(), From = "kg-editor", At = at,
            Excerpt = "Old mention", ReadAt = readAt,
        };
        await using (var session = store.LightweightSession())
        {
            session.Store(Item("a", at.AddHours(1)), Item("b", null));
            await session.SaveChangesAsync();
        }
        var upgrade = new InboxStorageUpgrade(store, Microsoft.Extensions.Logging.Abstractions.NullLogger<InboxStorageUpgrade>.Instance);

        await upgrade.StartAsync(CancellationToken.None);
        await upgrade.StartAsync(CancellationToken.None);

        var events = await EventsOfInbox(reader);
        Assert.Equal([$"a:{reader}", $"b:{reader}"], events.Select(e => e.Data).OfType<NotificationDelivered>().Select(d => d.Id));
        var read = Assert.Single(events.Select(e => e.Data).OfType<NotificationsRead>());
        Assert.Equal([$"a:{reader}"], read.Ids);
        Assert.Equal((at.AddHours(1), reader), (read.At, read.Actor));
    }

    private async Task<IReadOnlyList<JasperFx.Events.IEvent>> EventsOfInbox(string userId)
    {
        await using var session = app.Host.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession();
        return await session.Events.FetchStreamAsync(PersonInboxes.StreamOf(userId));
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
