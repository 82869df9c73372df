using CadapDrafting.Consultation;
using CadapDrafting.Drafts;

namespace CadapDrafting.Tests.Review;

[Collection(ServerCollection.Name)]
public sealed class ConsultingReviewers(AppFixture app)
{
    [Fact]
    public async Task The_matrix_of_a_round_lists_every_reviewer_comment_with_its_disposition()
    {
        var editor = await Person.SignIn(app, "tj-editor");
        var drafter = await Person.SignIn(app, "tj-drafter");
        var expert1 = await Person.SignIn(app, "eu-expert-1");
        var expert2 = await Person.SignIn(app, "eu-expert-2");
        var cso = await Person.SignIn(app, "cso-1");
        var draft = await editor.CreatesDraft("TJ", DraftKind.Strategy, "National Drug Control Strategy 2021-2030");
        var first = await editor.Inserts(draft, NodeKind.Action, "Expand drug treatment services");
        var second = await editor.Inserts(draft, NodeKind.Action, "Strengthen border control", afterNodeId: first);
        await editor.OpensRound(draft, isPublic: true);

        var a = await expert1.StartsThread(draft, first, "Add opioid agonist therapy, with targets");
        var b = await expert2.StartsThread(draft, second, "Balance with demand reduction");
        var c = await cso.StartsThread(draft, first, "Involve people who use drugs, e.g. peer workers");
        var teamReply = await drafter.Replies(draft, a.ThreadId, "Agreed in principle, we will consult the ministry");
        await Expect.Status(teamReply, HttpStatusCode.OK);
        var d = await Person.Accepted(await expert1.Replies(draft, a.ThreadId, "A target of 3,000 clients by 2027 would be realistic"));
        var dCommentId = d.Result!.Value.GetProperty("commentId").GetGuid();

        await Expect.Status(await editor.Disposes(draft, a.CommentId, DispositionKind.Accepted, "Added as action 1.3"), HttpStatusCode.OK);
        await Expect.Status(await editor.Disposes(draft, b.CommentId, DispositionKind.PartlyAccepted, "Rebalanced the budget lines"),
            HttpStatusCode.OK);
        await Expect.Problem(await editor.Disposes(draft, c.CommentId, DispositionKind.Rejected, null), HttpStatusCode.UnprocessableEntity);
        await Expect.Status(await editor.Disposes(draft, c.CommentId, DispositionKind.Rejected, "Covered by the CSO partnership chapter"),
            HttpStatusCode.OK);
        var teamCommentId = (await editor.ReadsThreads(draft)).Threads.Single(t => t.Id == a.ThreadId).Comments[1].Id;
        await Expect.Problem(await editor.Disposes(draft, teamCommentId, DispositionKind.Accepted, null), HttpStatusCode.UnprocessableEntity);
        await Expect.Problem(await expert1.Disposes(draft, b.CommentId, DispositionKind.Accepted, null), HttpStatusCode.Forbidden);

        var matrix = await editor.ReadsMatrix(draft, 1);
        Assert.Equal([a.CommentId, b.CommentId, c.CommentId, dCommentId], matrix.Rows.Select(r => r.CommentId));
        Assert.Equal(["Accepted", "PartlyAccepted", "Rejected", "Pending"], matrix.Rows.Select(r => r.Disposition));
        Assert.Equal(["eu-expert-1", "eu-expert-2", "cso-1", "eu-expert-1"], matrix.Rows.Select(r => r.Reviewer));
        Assert.Equal(["Action 1", "Action 2", "Action 1", "Action 1"], matrix.Rows.Select(r => r.Anchor));
        Assert.Equal("Covered by the CSO partnership chapter", matrix.Rows[2].Response);
        Assert.Equal((4, 1, 1, 1, 1), (matrix.Status.ReviewerComments, matrix.Status.Pending, matrix.Status.Accepted,
            matrix.Status.PartlyAccepted, matrix.Status.Rejected));
        Assert.Equal(RoundState.Open, matrix.Status.State);

        var csvResponse = await expert1.Http.GetAsync($"/api/drafts/{draft}/rounds/1/matrix.csv");
        await Expect.Status(csvResponse, HttpStatusCode.OK);
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        var lines = (await csvResponse.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("No.,Anchor,Quoted text,Reviewer", lines[0]);
        Assert.Contains("\"Involve people who use drugs, e.g. peer workers\",Rejected,Covered by the CSO partnership chapter", lines[3]);
        Assert.Contains("\"A target of 3,000 clients by 2027 would be realistic\",Pending", lines[4]);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example\",\"details\")")]
    [InlineData("Agreed; =cmd|' /C calc'!A0")]
    [InlineData("Costs, +1 000 000 som")]
    [InlineData("See note;\t-2+3")]
    [InlineData("line one\n-SUM(A1:A9)")]
    [InlineData("quoted, \"=1+1\"")]
    public async Task No_cell_of_the_matrix_csv_runs_as_a_formula_whichever_separator_the_spreadsheet_splits_on(string comment)
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var expert = await Person.SignIn(app, "eu-expert-1");
        var draft = await editor.CreatesDraft("KZ");
        var action = await editor.Inserts(draft, NodeKind.Action, "Drug checking services");
        await editor.OpensRound(draft);
        var thread = await expert.StartsThread(draft, action, comment);
        await Expect.Status(await editor.Disposes(draft, thread.CommentId, DispositionKind.Rejected, "@" + comment), HttpStatusCode.OK);

        var csv = (await (await expert.Http.GetAsync($"/api/drafts/{draft}/rounds/1/matrix.csv")).Content.ReadAsStringAsync()).TrimStart('\uFEFF');

        // Excel in a locale whose list separator is ';' (Russian) splits on ';', others on ',' or tab; a line break starts a row.
        var cells = csv.Split([',', ';', '\t', '\r', '\n']).Select(c => c.TrimStart(' ', '"')).Where(c => c.Length > 0);
        Assert.DoesNotContain(cells, c => "=+-@".Contains(c[0]));
        Assert.Contains("'@", csv, StringComparison.Ordinal); // the response, which starts with '@', is kept as text
    }

    [Fact]
    public async Task Closing_a_round_returns_the_draft_to_drafting_and_a_second_round_has_its_own_matrix()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var expert = await Person.SignIn(app, "eu-expert-1");
        var draft = await editor.CreatesDraft("KG");
        var action = await editor.Inserts(draft, NodeKind.Action, "Rehabilitation centres");
        await editor.OpensRound(draft);
        await expert.StartsThread(draft, action, "Round one remark");
        await Expect.Problem(await editor.Command($"/api/drafts/{draft}/rounds", new { endsAt = DateTimeOffset.UtcNow.AddDays(5) }),
            HttpStatusCode.Conflict);
        await Expect.Status(await editor.ClosesRound(draft), HttpStatusCode.OK);
        Assert.Equal(DraftStatus.Drafting, (await editor.Reads(draft)).Status);

        await editor.OpensRound(draft);
        var second = await expert.StartsThread(draft, action, "Round two remark");

        var rounds = await editor.Read<List<RoundStatus>>($"/api/drafts/{draft}/rounds");
        Assert.Equal([RoundState.Closed, RoundState.Open], rounds.Select(r => r.State));
        Assert.Equal([second.CommentId], (await editor.ReadsMatrix(draft, 2)).Rows.Select(r => r.CommentId));
        Assert.Single((await editor.ReadsMatrix(draft, 1)).Rows);
        await Expect.Problem(await editor.Http.GetAsync($"/api/drafts/{draft}/rounds/3/matrix"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_round_must_end_in_the_future_and_closing_without_one_is_a_conflict_naming_the_state()
    {
        var editor = await Person.SignIn(app, "uz-editor");
        var draft = await editor.CreatesDraft("UZ");

        var past = await editor.Command($"/api/drafts/{draft}/rounds", new { endsAt = DateTimeOffset.UtcNow.AddDays(-1) });
        var problem = await Expect.Problem(past, HttpStatusCode.UnprocessableEntity);
        Assert.True(problem.GetProperty("errors").TryGetProperty("endsAt", out _));

        var close = await Expect.Problem(await editor.ClosesRound(draft), HttpStatusCode.Conflict);
        Assert.Equal("Drafting", close.GetProperty("draftStatus").GetString());
        Assert.Equal(DraftStatus.Drafting, (await editor.Reads(draft)).Status);
    }
}
