using CadapDrafting.Drafts;
using CadapDrafting.Proposals;

namespace CadapDrafting.Tests.Foundation;

/// <summary>
/// A client that sends something wrong learns exactly what, in the terms of the API: RFC 7807 problems whose
/// <c>status</c> is the HTTP status, fields named with what they accept, limits stated — never a server error and
/// never a .NET type name.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class AnsweringBadInput(AppFixture app)
{
    [Fact]
    public async Task Every_lifecycle_conflict_carries_the_http_status_as_a_number_and_the_drafts_state_as_draftStatus()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var approver = await Person.SignIn(app, "kg-approver-1");
        var draft = await editor.CreatesDraft("KG");
        var action = await editor.Inserts(draft, NodeKind.Action, "Rehabilitation centres");
        var open = await editor.ProposesText(draft, action, 1, "Rehabilitation centres in every oblast");
        await Expect.Status(await editor.Withdraws(draft), HttpStatusCode.OK);

        var conflicts = new[]
        {
            await editor.StartsReview(draft),
            await editor.ReturnsToDrafting(draft),
            await editor.StartsNewRevision(draft),
            await editor.Accepts(draft, open),
            await editor.Proposes(draft,
                new { kind = ProposalKind.Amend, nodeId = action, baseRevision = 1, text = new { en = "x" }, rationale = "late" }),
            await approver.SignsOff(draft, 1),
            await editor.Command($"/api/drafts/{draft}/approval-policy", new { approvers = new[] { "kg-approver-1" }, required = 1 }),
        };

        foreach (var conflict in conflicts)
        {
            var problem = await Expect.Problem(conflict, HttpStatusCode.Conflict);
            Assert.Equal(JsonValueKind.Number, problem.GetProperty("status").ValueKind);
            Assert.Equal(409, problem.GetProperty("status").GetInt32());
            Assert.Equal("Withdrawn", problem.GetProperty("draftStatus").GetString());
        }
    }

    [Fact]
    public async Task A_value_of_the_wrong_kind_is_named_with_the_values_allowed_never_with_a_dotnet_type()
    {
        var editor = await Person.SignIn(app, "tj-editor");
        var draft = await editor.CreatesDraft("TJ");

        var kind = await Expect.Problem(await editor.Proposes(draft, new { kind = "Rewrite", rationale = "x" }), HttpStatusCode.BadRequest);
        var nodeKind = await Expect.Problem(await editor.Proposes(draft,
            new { kind = "Insert", nodeKind = "Paragraph", text = new { en = "x" }, rationale = "x" }), HttpStatusCode.BadRequest);
        var status = await Expect.Problem(await editor.Http.GetAsync($"/api/drafts/{draft}/proposals?status=Pending"), HttpStatusCode.BadRequest);
        var node = await Expect.Problem(await editor.Http.GetAsync($"/api/drafts/{draft}/proposals?status=Open&nodeId=action-3"),
            HttpStatusCode.BadRequest);
        var period = await Expect.Problem(await editor.Command("/api/drafts",
            new { country = "TJ", kind = "Law", title = new { en = "x" }, periodStart = "soon", periodEnd = 2030 }), HttpStatusCode.BadRequest);

        Assert.Contains("Amend, Insert, Delete, Move", kind.GetProperty("errors").GetProperty("kind")[0].GetString());
        Assert.Contains("Part, Chapter, Section, Article, Action, Point", nodeKind.GetProperty("errors").GetProperty("nodeKind")[0].GetString());
        Assert.Contains("Open, Accepted, Rejected, Withdrawn, Superseded", status.GetProperty("errors").GetProperty("status")[0].GetString());
        Assert.Contains("a whole number", period.GetProperty("errors").GetProperty("periodStart")[0].GetString());
        Assert.Equal("'nodeId' is a UUID.", node.GetProperty("errors").GetProperty("nodeId")[0].GetString());
        foreach (var problem in new[] { kind, nodeKind, status, node, period })
        {
            var text = problem.GetRawText();
            Assert.Equal(400, problem.GetProperty("status").GetInt32());
            Assert.DoesNotContain("System.", text);
            Assert.DoesNotContain("CadapDrafting.", text);
            Assert.DoesNotContain("Nullable", text);
        }
    }

    [Fact]
    public async Task A_command_id_that_is_not_a_uuid_is_called_what_it_is()
    {
        var editor = await Person.SignIn(app, "uz-editor");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/drafts")
        {
            Content = JsonContent.Create(new { country = "UZ", kind = "Law", title = new { en = "x" }, periodStart = 2025, periodEnd = 2030 }),
        };
        request.Headers.Add("Idempotency-Key", "order-42");

        var problem = await Expect.Problem(await editor.Http.SendAsync(request), HttpStatusCode.BadRequest);

        Assert.Equal("Command id not a UUID", problem.GetProperty("title").GetString());
        Assert.Contains("must be a UUID", problem.GetProperty("detail").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
    }

    [Theory]
    [InlineData("/api/drafts?country=K%00G")]
    [InlineData("/api/good-practice?q=naloxone%00")]
    [InlineData("/api/drafts?country=%1B%5B2J")]
    public async Task A_control_character_in_a_query_parameter_is_a_400_naming_the_parameter(string url)
    {
        var editor = await Person.SignIn(app, "kz-editor");

        var problem = await Expect.Problem(await editor.Http.GetAsync(url), HttpStatusCode.BadRequest);

        var parameter = url[(url.IndexOf('?') + 1)..url.IndexOf('=')];
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.GetRawText());
    }

    [Fact]
    public async Task A_control_character_in_a_timeline_filter_is_a_400_not_a_server_error()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var draft = await editor.CreatesDraft("KZ");

        var response = await editor.Http.GetAsync($"/api/drafts/{draft}/history/timeline?actor=kz%00editor");

        await Expect.Problem(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_problem_written_by_the_exception_handler_carries_the_security_headers()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var broken = new HttpRequestMessage(HttpMethod.Post, "/api/drafts")
        {
            Content = new StringContent("{\"country\": \"KG\", ", System.Text.Encoding.UTF8, "application/json"),
        };
        broken.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        var response = await editor.Http.SendAsync(broken);

        await Expect.Problem(response, HttpStatusCode.BadRequest);
        Expect.SecurityHeaders(response);
    }

    [Fact]
    public async Task Every_free_text_has_a_limit_and_a_longer_one_is_a_422_stating_it()
    {
        var editor = await Person.SignIn(app, "tm-editor");
        var draft = await editor.CreatesDraft("TM");
        var position = (await editor.Reads(draft)).Position;

        var title = await Expect.Problem(await editor.Command("/api/drafts",
            new { country = "TM", kind = "Law", title = new { en = new string('t', 501) }, periodStart = 2025, periodEnd = 2030 }),
            HttpStatusCode.UnprocessableEntity);
        var reason = await Expect.Problem(await editor.Command($"/api/drafts/{draft}/lifecycle/withdraw", new { reason = new string('r', 4_001) }),
            HttpStatusCode.UnprocessableEntity);
        var version = await Expect.Problem(await editor.Command($"/api/drafts/{draft}/versions", new { name = new string('n', 201) }),
            HttpStatusCode.UnprocessableEntity);

        Assert.Equal(500, title.GetProperty("maxLength").GetInt32());
        Assert.True(title.GetProperty("errors").TryGetProperty("title.en", out _));
        Assert.Equal(4_000, reason.GetProperty("maxLength").GetInt32());
        Assert.Contains("4000", reason.GetProperty("errors").GetProperty("reason")[0].GetString());
        Assert.Equal(200, version.GetProperty("maxLength").GetInt32());
        Assert.Equal((DraftStatus.Drafting, position), ((await editor.Reads(draft)).Status, (await editor.Reads(draft)).Position));
    }
}
