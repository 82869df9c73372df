using System.Text;
using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Proposals;

namespace CadapDrafting.Tests.Access;

[Collection(ServerCollection.Name)]
public sealed class ProtectingTheServer(AppFixture app)
{
    [Fact]
    public async Task Events_record_the_signed_in_person_whoever_the_request_body_names()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var draftId = await editor.CreatesDraft("KZ");
        var article = await editor.Inserts(draftId, NodeKind.Article, "Prevention in schools");
        var drafter = await Person.SignIn(app, "kz-drafter");

        var response = await drafter.Proposes(draftId, new {
            kind = ProposalKind.Amend, nodeId = article, baseRevision = 1, text = new { en = "Prevention in schools and colleges" },
            rationale = "Wider", actor = "kz-editor", actorName = "Daniyar Seitkali", author = "kz-editor", userId = "kz-editor",
        });
        await Expect.Status(response, HttpStatusCode.OK);

        var latest = (await drafter.Read<List<ActivityEntry>>($"/api/drafts/{draftId}/activity?limit=1")).Single();
        Assert.Equal("kz-drafter", latest.Actor);
        Assert.Equal("Aigerim Nurlanova", latest.ActorName);
        Assert.Equal("kz-drafter", (await drafter.ReadsProposals(draftId)).Single().Author);
    }

    [Fact]
    public async Task A_command_larger_than_a_command_may_be_is_refused_with_413_and_changes_nothing()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var draftId = await editor.CreatesDraft("KZ");
        var before = (await editor.Reads(draftId)).Position;
        var huge = new string('a', 300 * 1024);

        var streamed = await editor.Command($"/api/drafts/{draftId}/threads", new { text = huge, nodeId = Guid.NewGuid() });
        var problem = await Expect.Problem(streamed, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("256 KB", problem.GetProperty("detail").GetString());

        var declared = new HttpRequestMessage(HttpMethod.Post, $"/api/drafts/{draftId}/threads")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { text = huge }), Encoding.UTF8, "application/json"),
        };
        declared.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        Assert.NotNull(declared.Content.Headers.ContentLength);
        await Expect.Problem(await editor.Http.SendAsync(declared), HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal(before, (await editor.Reads(draftId)).Position);
    }

    [Fact]
    public async Task Bad_input_is_named_field_by_field_in_a_422()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var response = await editor.Command("/api/drafts",
            new { country = "KZ", kind = "Strategy", title = new { en = " " }, periodStart = 2030, periodEnd = 2020 });
        var problem = await Expect.Problem(response, HttpStatusCode.UnprocessableEntity);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("title", out _));
        Assert.True(errors.TryGetProperty("periodEnd", out _));
    }

    [Fact]
    public async Task Markup_in_a_comment_comes_back_as_the_same_text_in_json_that_browsers_will_not_sniff_or_frame()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var draftId = await editor.CreatesDraft("KZ");
        var article = await editor.Inserts(draftId, NodeKind.Article, "Treatment");
        const string markup = "<script>alert('x')</script><img src=x onerror=alert(1)> & \"quotes\"";
        await editor.StartsThread(draftId, article, markup);

        var response = await editor.Http.GetAsync($"/api/drafts/{draftId}/threads");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var threads = await response.Content.ReadFromJsonAsync<Comments.ThreadList>(Person.Json);
        Assert.Equal(markup, threads!.Threads.Single().Comments.Single().Text);
        Assert.DoesNotContain("<script>", await response.Content.ReadAsStringAsync()); // escaped as \u003C in the JSON
    }

    [Theory]
    [InlineData("/api/drafts", "kz-editor")]
    [InlineData("/api/drafts/00000000-0000-4000-8000-000000000001", "kz-editor")]
    [InlineData("/api/drafts", null)]
    [InlineData("/health/live", null)]
    public async Task Every_response_carries_the_security_headers(string url, string? userId)
    {
        var client = userId is null ? app.Anonymous().Http : (await Person.SignIn(app, userId)).Http;
        var response = await client.GetAsync(url);

        Expect.SecurityHeaders(response);
    }

    [Fact]
    public async Task Denied_access_is_logged_with_the_user_the_action_and_the_draft()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var draftId = await editor.CreatesDraft("KZ");
        var outsider = await Person.SignIn(app, "tj-editor");
        var approver = await Person.SignIn(app, "kz-approver-3");

        await outsider.Http.GetAsync($"/api/drafts/{draftId}/proposals");
        // Approvers comment, but never propose.
        await approver.Proposes(draftId,
            new { kind = "Amend", nodeId = Guid.NewGuid(), baseRevision = 1, text = new { en = "x" }, rationale = "I would rather sign" });

        var denials = app.Logs.Entries.Where(e => e.EventId.Id == 4030 && Equals(e.Values.GetValueOrDefault("DraftId"), draftId)).ToList();
        Assert.Contains(denials, e => (string?)e.Values["User"] == "tj-editor" && (string?)e.Values["Action"] == "Read" &&
            (int?)e.Values["Status"] == 404);
        Assert.Contains(denials, e => (string?)e.Values["User"] == "kz-approver-3" && (string?)e.Values["Action"] == "Propose" &&
            (int?)e.Values["Status"] == 403);
    }

    [Fact]
    public async Task Someone_else_reusing_a_command_id_gets_no_replay_of_the_first_outcome()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var draftId = await editor.CreatesDraft("KZ");
        var article = await editor.Inserts(draftId, NodeKind.Article, "Rehabilitation");
        var commandId = Guid.NewGuid();
        var thread = new { nodeId = article, text = "Which centres?" };
        await Expect.Status(await editor.Comments(draftId, thread, commandId), HttpStatusCode.OK);

        var colleague = await Person.SignIn(app, "kz-drafter");
        var outsider = await Person.SignIn(app, "kg-drafter");
        // A command id belongs to its sender: the colleague's equal id is just a new command of theirs.
        var reused = await colleague.Comments(draftId, thread, commandId);
        await Expect.Status(reused, HttpStatusCode.OK);
        Assert.False(reused.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(2, (await editor.ReadsThreads(draftId)).Threads.Count);
        Assert.True(await AccessVocabulary.IsHiddenDraft(await outsider.Comments(draftId, thread, commandId)));

        var replay = await editor.Comments(draftId, thread, commandId);
        await Expect.Status(replay, HttpStatusCode.OK);
        Assert.True(replay.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(2, (await editor.ReadsThreads(draftId)).Threads.Count);
    }

    [Fact]
    public async Task Reusing_another_countrys_creation_id_tells_nothing_about_their_draft()
    {
        var kazakh = await Person.SignIn(app, "kz-editor");
        var kyrgyz = await Person.SignIn(app, "kg-editor");
        var commandId = Guid.NewGuid();
        var create = new { kind = DraftKind.ActionPlan, title = new { en = "Plan" }, periodStart = 2025, periodEnd = 2030 };
        var theirs = await kazakh.Command("/api/drafts", new { country = "KZ", create.kind, create.title, create.periodStart, create.periodEnd },
            commandId);
        await Expect.Status(theirs, HttpStatusCode.Created);

        var mine = await kyrgyz.Command("/api/drafts", new { country = "KG", create.kind, create.title, create.periodStart, create.periodEnd },
            commandId);
        await Expect.Status(mine, HttpStatusCode.Created);
        Assert.False(mine.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(theirs.Headers.Location, mine.Headers.Location);
        var myDraft = (await Person.Accepted(mine)).Result!.Value.GetProperty("draftId").GetGuid();
        Assert.Equal("KG", (await kyrgyz.Reads(myDraft)).Country);

        // Their own retry with different content is refused as theirs; the other country's use is never mentioned.
        var changed = await kyrgyz.Command("/api/drafts", new {
            country = "KG", create.kind, title = new { en = "Other" }, create.periodStart,
            create.periodEnd
        }, commandId);
        var refusal = await Expect.Problem(changed, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("You already used this command id", refusal.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_reviewers_retry_after_the_round_closed_still_reports_the_comment_as_stored()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var draftId = await editor.CreatesDraft("KG");
        var action = await editor.Inserts(draftId, NodeKind.Action, "Drug-free youth clubs in every oblast");
        await editor.OpensRound(draftId);
        var expert = await Person.SignIn(app, "eu-expert-2");
        var commandId = Guid.NewGuid();
        var comment = new { nodeId = action, text = "Which evaluation shows these clubs work?" };
        await Expect.Status(await expert.Comments(draftId, comment, commandId), HttpStatusCode.OK);
        await Expect.Status(await editor.ClosesRound(draftId), HttpStatusCode.OK);

        var retry = await expert.Comments(draftId, comment, commandId);
        await Expect.Status(retry, HttpStatusCode.OK);
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
        await Expect.Problem(await expert.Comments(draftId, comment), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task One_person_sending_too_many_requests_gets_429_with_retry_after_while_others_carry_on()
    {
        var busy = app.PersonWith(Role.Drafter, "UZ");
        Assert.Equal(AppFixture.RateLimitedUser, busy.UserId);
        for (var i = 0; i < 3; i++) await Expect.Status(await busy.Http.GetAsync("/api/me"), HttpStatusCode.OK);
        var refused = await busy.Http.GetAsync("/api/me");

        var problem = await Expect.Problem(refused, HttpStatusCode.TooManyRequests);
        Assert.Contains("3 requests", problem.GetProperty("detail").GetString());
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single()), 1, 60);
        await Expect.Status(await (await Person.SignIn(app, "uz-drafter")).Http.GetAsync("/api/me"), HttpStatusCode.OK);
        await Expect.Status(await app.PersonWith(Role.Editor, "UZ").Http.GetAsync("/api/me"), HttpStatusCode.OK);
    }
}
