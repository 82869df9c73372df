using CadapDrafting.Comments;
using CadapDrafting.Consultation;
using CadapDrafting.Drafts;
using CadapDrafting.Operations;

namespace CadapDrafting.Tests.Review;

/// <summary>
/// Consultation visibility is per round: what EU experts and the team said in a round that was not public stays with
/// them, even after a later public round lets civil society read the draft.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class KeepingRoundsApart(AppFixture app)
{
    private const string Confidential = "Round one remark: confidential assessment";
    private const string TeamAnswer = "Team answer given in round one";
    private const string Disposition = "Disposition recorded in round one";
    private const string LaterPrivate = "Round three answer, not public";

    private sealed record Story(Guid DraftId, Guid ExpertThread, Guid CsoThread, Person Editor, Person Expert, Person Cso);

    /// <summary>Round 1 with EU experts only, round 2 public (the CSO comments), round 3 with EU experts only again.</summary>
    private async Task<Story> ThreeRounds()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var drafter = await Person.SignIn(app, "kz-drafter");
        var expert = await Person.SignIn(app, "eu-expert-1");
        var cso = await Person.SignIn(app, "cso-1");
        var draft = await editor.CreatesDraft("KZ", title: "Law on narcotic drugs, consulted in rounds");
        var article = await editor.Inserts(draft, NodeKind.Article, "Access to opioid agonist therapy");

        await editor.OpensRound(draft, isPublic: false);
        var expertThread = await expert.StartsThread(draft, article, Confidential);
        await Expect.Status(await drafter.Replies(draft, expertThread.ThreadId, TeamAnswer), HttpStatusCode.OK);
        await Expect.Status(await editor.Disposes(draft, expertThread.CommentId, DispositionKind.PartlyAccepted, Disposition), HttpStatusCode.OK);
        await Expect.Status(await editor.ClosesRound(draft), HttpStatusCode.OK);

        await editor.OpensRound(draft, isPublic: true);
        var csoThread = await cso.StartsThread(draft, article, "Public remark: involve peer workers");
        await Expect.Status(await expert.Replies(draft, expertThread.ThreadId, "Public follow-up by the expert"), HttpStatusCode.OK);
        await Expect.Status(await expert.Replies(draft, csoThread.ThreadId, "Public reply to the CSO"), HttpStatusCode.OK);
        await Expect.Status(await editor.ClosesRound(draft), HttpStatusCode.OK);

        await editor.OpensRound(draft, isPublic: false);
        await Expect.Status(await drafter.Replies(draft, csoThread.ThreadId, LaterPrivate), HttpStatusCode.OK);
        return new Story(draft, expertThread.ThreadId, csoThread.ThreadId, editor, expert, cso);
    }

    [Fact]
    public async Task A_cso_reads_only_what_was_said_in_public_rounds_in_every_read()
    {
        var story = await ThreeRounds();
        var (draft, cso) = (story.DraftId, story.Cso);
        var position = (await story.Editor.Reads(draft)).Position;

        var threads = await cso.ReadsThreads(draft);
        Assert.Equal(["Public follow-up by the expert"], threads.Threads.Single(t => t.Id == story.ExpertThread).Comments.Select(c => c.Text));
        Assert.Equal(["Public remark: involve peer workers", "Public reply to the CSO"],
            threads.Threads.Single(t => t.Id == story.CsoThread).Comments.Select(c => c.Text));
        await Expect.Problem(await cso.Http.GetAsync($"/api/drafts/{draft}/rounds/1/matrix"), HttpStatusCode.NotFound);
        await Expect.Problem(await cso.Http.GetAsync($"/api/drafts/{draft}/rounds/1/matrix.csv"), HttpStatusCode.NotFound);

        var reads = new[]
        {
            $"/api/drafts/{draft}/threads", $"/api/drafts/{draft}/threads/{story.ExpertThread}", $"/api/drafts/{draft}/rounds",
            $"/api/drafts/{draft}/rounds/2/matrix", $"/api/drafts/{draft}/rounds/2/matrix.csv", $"/api/drafts/{draft}/activity?limit=500",
            $"/api/drafts/{draft}/history/timeline", $"/api/drafts/{draft}/history/as-of?position={position}",
            $"/api/drafts/{draft}/updates?after=0", "/api/inbox",
        };
        foreach (var url in reads)
        {
            var response = await cso.Http.GetAsync(url);
            await Expect.Status(response, HttpStatusCode.OK);
            var body = await response.Content.ReadAsStringAsync();
            foreach (var secret in new[] { Confidential, TeamAnswer, Disposition, LaterPrivate })
                Assert.False(body.Contains(secret), $"{url} shows the CSO \"{secret}\"");
        }
        Assert.Contains("Public remark: involve peer workers",
            await (await cso.Http.GetAsync($"/api/drafts/{draft}/updates?after=0")).Content.ReadAsStringAsync());

        // The EU expert, who took part in the rounds that were not public, still reads all of them.
        var expertsView = await story.Expert.ReadsThreads(draft);
        Assert.Equal(3, expertsView.Threads.Single(t => t.Id == story.ExpertThread).Comments.Count);
        Assert.Single((await story.Expert.ReadsMatrix(draft, 1)).Rows);
    }

    [Fact]
    public async Task Nothing_a_cso_cannot_see_pushes_what_they_can_see_out_of_their_inbox()
    {
        var story = await ThreeRounds();
        var drafter = await Person.SignIn(app, "kz-drafter");
        var mention = await story.Expert.Replies(story.DraftId, story.CsoThread, "@cso-1 could you share the peer-worker model?");
        await Expect.Problem(mention, HttpStatusCode.UnprocessableEntity); // round 3 is not public: the CSO cannot hear it

        for (var i = 0; i < 30; i++)
            await Expect.Status(await drafter.Replies(story.DraftId, story.CsoThread, $"{LaterPrivate} #{i}"), HttpStatusCode.OK);
        var inbox = await story.Cso.ReadsInboxUntil(entries => entries.Any(i => i.ThreadId == story.CsoThread && i.From == "eu-expert-1"),
            "/api/inbox?limit=10");

        Assert.DoesNotContain(inbox, i => i.Excerpt.Contains(LaterPrivate));
        Assert.Contains(inbox, i => i.DraftId == story.DraftId && i.ThreadId == story.CsoThread && i.Reason == InboxReason.Reply &&
                                    i.From == "eu-expert-1");
    }

    [Fact]
    public async Task The_operations_status_is_for_operators_and_auditors_and_the_audit_index_shows_a_reviewer_nothing_of_a_shared_draft()
    {
        var story = await ThreeRounds();
        foreach (var (user, status) in new[]
                 {
                     ("operator", HttpStatusCode.OK), ("auditor", HttpStatusCode.OK), ("kz-editor", HttpStatusCode.Forbidden),
                     ("eu-expert-1", HttpStatusCode.Forbidden), ("cso-1", HttpStatusCode.Forbidden),
                 })
            await Expect.Status(await (await Person.SignIn(app, user)).Http.GetAsync("/api/ops/status"), status);

        foreach (var reviewer in new[] { story.Expert, story.Cso })
        {
            var page = await reviewer.Read<AuditIndexPage>("/api/audit/drafts");
            Assert.DoesNotContain(page.Drafts, d => d.Id == story.DraftId);
            Assert.Null(page.HighestEventSequence);
            Assert.Null(page.Lag);
        }
        var editors = await story.Editor.Read<AuditIndexPage>("/api/audit/drafts?country=KZ");
        Assert.Null(editors.HighestEventSequence);
        Assert.All(editors.Drafts, d => Assert.Null(d.LastSequence));
    }
}
