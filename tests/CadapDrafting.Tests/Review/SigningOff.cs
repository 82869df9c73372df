using CadapDrafting.Drafts;
using CadapDrafting.Lifecycle;
using CadapDrafting.Proposals;
using CadapDrafting.SignOff;

namespace CadapDrafting.Tests.Review;

[Collection(ServerCollection.Name)]
public sealed class SigningOff(AppFixture app)
{
    [Fact]
    public async Task A_sign_off_is_dismissed_when_the_draft_returns_to_drafting_and_the_changed_text_is_signed_again()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var approver = await Person.SignIn(app, "kg-approver-1");
        var draft = await editor.CreatesDraft("KG");
        var action = await editor.Inserts(draft, NodeKind.Action, "Anti-drug programme: 75 actions");
        await editor.SetsApprovalPolicy(draft, 2, "kg-approver-1", "kg-approver-2", "kg-approver-3");
        await Expect.Status(await editor.StartsReview(draft), HttpStatusCode.OK);
        var signedHash = (await approver.ReadsSignOffs(draft)).ContentHash;
        await Expect.Status(await approver.SignsOff(draft, 1, signedHash), HttpStatusCode.OK);

        var back = await editor.ReturnsToDrafting(draft);
        await Expect.Status(back, HttpStatusCode.OK);
        var activity = await editor.Read<List<ActivityEntry>>($"/api/drafts/{draft}/activity?limit=2");
        Assert.Equal(["sign_off_dismissed", "returned_to_drafting"], activity.Select(a => a.Type));
        Assert.Equal((await Person.Accepted(back)).Position, activity[0].Position);

        var change = await editor.ProposesText(draft, action, 1, "Anti-drug programme: 76 actions");
        await Expect.Status(await editor.Accepts(draft, change), HttpStatusCode.OK);

        var status = await approver.ReadsSignOffs(draft);
        var signOff = Assert.Single(status.SignOffs);
        Assert.Equal((SignOffState.Dismissed, 1, 1), (signOff.State, signOff.Revision, signOff.DismissedByRevision));
        Assert.Equal(signedHash, signOff.ContentHash);
        Assert.NotEqual(signedHash, status.ContentHash);
        Assert.Equal(0, status.Progress!.Signed);
    }

    [Fact]
    public async Task An_editor_cannot_approve_a_draft_by_changing_its_approval_policy_during_review()
    {
        var editor = await Person.SignIn(app, "uz-editor");
        var signer = await Person.SignIn(app, "uz-approver-1");
        var refuser = await Person.SignIn(app, "uz-approver-2");
        var draft = await editor.CreatesDraft("UZ");
        await editor.Inserts(draft, NodeKind.Action, "Inter-agency collaboration on treatment");
        await editor.SetsApprovalPolicy(draft, 2, "uz-approver-1", "uz-approver-2", "uz-approver-3");
        await Expect.Status(await editor.StartsReview(draft), HttpStatusCode.OK);
        await Expect.Status(await signer.SignsOff(draft, 1), HttpStatusCode.OK);
        await Expect.Status(await refuser.Command($"/api/drafts/{draft}/sign-offs/refusals", new { revision = 1, reason = "Budget unclear" }),
            HttpStatusCode.OK);
        var before = await editor.Reads(draft);

        var forced = await Expect.Problem(await editor.Command($"/api/drafts/{draft}/approval-policy",
            new { approvers = new[] { "uz-approver-1" }, required = 1 }), HttpStatusCode.Conflict);

        Assert.Equal(409, forced.GetProperty("status").GetInt32());
        Assert.Equal("Review", forced.GetProperty("draftStatus").GetString());
        Assert.Contains("return the draft to Drafting", forced.GetProperty("detail").GetString());
        Assert.Contains("Drafting", forced.GetProperty("allowedTransitions").EnumerateArray().Select(s => s.GetString()));
        var after = await editor.Reads(draft);
        Assert.Equal((DraftStatus.Review, before.Position), (after.Status, after.Position));
        var status = await editor.ReadsSignOffs(draft);
        Assert.Equal((2, 3), (status.Policy!.Required, status.Policy.Approvers.Count));

        // The way to another policy is back through Drafting, and no signature survives the trip.
        await Expect.Status(await editor.ReturnsToDrafting(draft), HttpStatusCode.OK);
        await editor.SetsApprovalPolicy(draft, 1, "uz-approver-1");
        await Expect.Status(await editor.StartsReview(draft), HttpStatusCode.OK);
        var restarted = await editor.ReadsSignOffs(draft);
        Assert.Equal((DraftStatus.Review, 0, false), (restarted.Status, restarted.Progress!.Signed, restarted.Progress.Met));
        await Expect.Status(await signer.SignsOff(draft, 1), HttpStatusCode.OK);
        Assert.Equal(DraftStatus.Approved, (await editor.Reads(draft)).Status);
    }

    [Fact]
    public async Task The_draft_is_approved_when_the_policy_is_met_and_a_change_to_it_is_then_a_conflict()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var approvers = new[] { await Person.SignIn(app, "kz-approver-1"), await Person.SignIn(app, "kz-approver-3") };
        var draft = await editor.CreatesDraft("KZ", DraftKind.Law);
        var article = await editor.Inserts(draft, NodeKind.Article, "Health-oriented responses to traditional opioid use");
        await editor.SetsApprovalPolicy(draft, 2, "kz-approver-1", "kz-approver-2", "kz-approver-3");
        await Expect.Status(await editor.StartsReview(draft), HttpStatusCode.OK);

        var frozen = await Expect.Problem(await editor.Proposes(draft,
            new { kind = ProposalKind.Amend, nodeId = article, baseRevision = 1, text = new { en = "x" }, rationale = "late" }),
                HttpStatusCode.Conflict);
        Assert.Equal("Review", frozen.GetProperty("draftStatus").GetString());

        var first = await Person.Accepted(await approvers[0].SignsOff(draft, 1));
        Assert.False(first.Result!.Value.GetProperty("approved").GetBoolean());
        Assert.Equal(DraftStatus.Review, (await editor.Reads(draft)).Status);
        var second = await Person.Accepted(await approvers[1].SignsOff(draft, 1));
        Assert.True(second.Result!.Value.GetProperty("approved").GetBoolean());

        var approved = await editor.Reads(draft);
        Assert.Equal(DraftStatus.Approved, approved.Status);
        var status = await editor.ReadsSignOffs(draft);
        Assert.True(status.Progress!.Met);
        var adoption = Assert.Single(status.Adoptions);
        Assert.Equal((1, 1, status.ContentHash), (adoption.Edition, adoption.Revision, adoption.ContentHash));
        Assert.Equal(["kz-approver-1", "kz-approver-3"], adoption.SignedBy);

        var change = await editor.Proposes(draft, new {
            kind = ProposalKind.Amend, nodeId = article, baseRevision = 1, text = new { en = "Changed after adoption" }, rationale = "Typo",
            acceptNow = true,
        });
        var problem = await Expect.Problem(change, HttpStatusCode.Conflict);
        Assert.Equal("Approved", problem.GetProperty("draftStatus").GetString());
        await Expect.Problem(await editor.Comments(draft, new { nodeId = article, text = "After the fact" }), HttpStatusCode.Conflict);
        var withdraw = await Expect.Problem(await editor.Withdraws(draft), HttpStatusCode.Conflict);
        Assert.Contains("new revision", withdraw.GetProperty("detail").GetString());
        Assert.Equal(approved.Position, (await editor.Reads(draft)).Position);
    }

    [Fact]
    public async Task A_new_revision_of_an_approved_draft_starts_the_next_edition_and_keeps_the_adopted_one()
    {
        var editor = await Person.SignIn(app, "tm-editor");
        var approver = await Person.SignIn(app, "tm-approver-2");
        var draft = await editor.CreatesDraft("TM", DraftKind.Law);
        var article = await editor.Inserts(draft, NodeKind.Article, "Trafficking offences");
        await editor.SetsApprovalPolicy(draft, 1, "tm-approver-2");
        await Expect.Status(await editor.StartsReview(draft), HttpStatusCode.OK);
        await Expect.Status(await approver.SignsOff(draft, 1), HttpStatusCode.OK);
        await Expect.Status(await editor.Command($"/api/drafts/{draft}/versions", new { name = "Submitted to the Cabinet" }), HttpStatusCode.OK);

        await Expect.Status(await editor.StartsNewRevision(draft), HttpStatusCode.OK);
        var change = await editor.ProposesText(draft, article, 1, "Trafficking and manufacturing offences");
        await Expect.Status(await editor.Accepts(draft, change), HttpStatusCode.OK);

        var document = await editor.Reads(draft);
        Assert.Equal((DraftStatus.Drafting, 2), (document.Status, document.Revision));
        var status = await editor.ReadsSignOffs(draft);
        Assert.Equal(2, status.Edition);
        Assert.Equal((1, 1), (status.Adoptions.Single().Edition, status.Adoptions.Single().Revision));
        Assert.Equal(SignOffState.Valid, status.SignOffs.Single().State);
        Assert.Equal(0, status.Progress!.Signed);
        var version = Assert.Single(await editor.Read<List<NamedVersion>>($"/api/drafts/{draft}/versions"));
        Assert.Equal(("Submitted to the Cabinet", 1), (version.Name, version.Revision));
        await Expect.Problem(await editor.Command($"/api/drafts/{draft}/versions", new { name = "submitted to the cabinet" }),
            HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_approver_signs_only_what_is_under_review_and_only_when_named()
    {
        var editor = await Person.SignIn(app, "uz-editor");
        var named = await Person.SignIn(app, "uz-approver-1");
        var notNamed = await Person.SignIn(app, "uz-approver-2");
        var draft = await editor.CreatesDraft("UZ");
        await editor.Inserts(draft, NodeKind.Action, "Evidence-based prevention");

        var tooEarly = await Expect.Problem(await named.SignsOff(draft, 1), HttpStatusCode.Conflict);
        Assert.Equal("Drafting", tooEarly.GetProperty("draftStatus").GetString());
        var notAnApprover = await editor.Command($"/api/drafts/{draft}/approval-policy", new { approvers = new[] { "uz-drafter" }, required = 1 });
        await Expect.Problem(notAnApprover, HttpStatusCode.UnprocessableEntity);
        var tooMany = await editor.Command($"/api/drafts/{draft}/approval-policy", new { approvers = new[] { "uz-approver-1" }, required = 2 });
        await Expect.Problem(tooMany, HttpStatusCode.UnprocessableEntity);
        await editor.SetsApprovalPolicy(draft, 1, "uz-approver-1");
        await Expect.Status(await editor.StartsReview(draft), HttpStatusCode.OK);

        await Expect.Problem(await notNamed.SignsOff(draft, 1), HttpStatusCode.Forbidden);
        await Expect.Problem(await editor.SignsOff(draft, 1), HttpStatusCode.Forbidden);
        var stale = await Expect.Problem(await named.SignsOff(draft, 0), HttpStatusCode.Conflict);
        Assert.Equal(1, stale.GetProperty("currentRevision").GetInt32());
        await Expect.Problem(await named.SignsOff(draft, 1, "sha256:0000"), HttpStatusCode.Conflict);
        Assert.Empty((await editor.ReadsSignOffs(draft)).SignOffs);
    }

    [Fact]
    public async Task Illegal_transitions_are_conflicts_naming_the_current_state()
    {
        var editor = await Person.SignIn(app, "tj-editor");
        var draft = await editor.CreatesDraft("TJ");

        var back = await Expect.Problem(await editor.ReturnsToDrafting(draft), HttpStatusCode.Conflict);
        Assert.Equal("Drafting", back.GetProperty("draftStatus").GetString());
        Assert.Contains("Review", back.GetProperty("allowedTransitions").EnumerateArray().Select(s => s.GetString()));
        await Expect.Problem(await editor.StartsNewRevision(draft), HttpStatusCode.Conflict);

        await Expect.Status(await editor.Withdraws(draft), HttpStatusCode.OK);
        var again = await Expect.Problem(await editor.StartsReview(draft), HttpStatusCode.Conflict);
        Assert.Equal("Withdrawn", again.GetProperty("draftStatus").GetString());
        Assert.Empty(again.GetProperty("allowedTransitions").EnumerateArray());
    }
}
