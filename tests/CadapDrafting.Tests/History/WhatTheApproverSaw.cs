using CadapDrafting.Drafts;
using CadapDrafting.History;
using CadapDrafting.SignOff;

namespace CadapDrafting.Tests.History;

[Collection(ServerCollection.Name)]
public sealed class WhatTheApproverSawStory(AppFixture app)
{
    [Fact]
    public async Task A_sign_off_opens_the_exact_revision_it_signed_even_after_the_text_moved_on()
    {
        var editor = await Person.SignIn(app, "tj-editor");
        var approver = await Person.SignIn(app, "tj-approver-2");
        var auditor = await Person.SignIn(app, "auditor");
        var draft = await editor.CreatesDraft("TJ");
        var action = await editor.Inserts(draft, NodeKind.Action, "Cyber-crime unit against online drug markets");
        await editor.SetsApprovalPolicy(draft, 2, "tj-approver-1", "tj-approver-2", "tj-approver-3");
        await Expect.Status(await editor.StartsReview(draft), HttpStatusCode.OK);
        var signedHash = (await approver.ReadsSignOffs(draft)).ContentHash;
        await Expect.Status(await approver.SignsOff(draft, 1, signedHash), HttpStatusCode.OK);
        await Expect.Status(await editor.ReturnsToDrafting(draft), HttpStatusCode.OK);
        var change = await editor.ProposesText(draft, action, 1, "Cyber-crime unit and messenger channel takedowns");
        await Expect.Status(await editor.Accepts(draft, change), HttpStatusCode.OK);

        var signOff = Assert.Single((await auditor.ReadsSignOffs(draft)).SignOffs);
        var seen = await auditor.Read<WhatTheApproverSaw>($"/api/drafts/{draft}/history/sign-offs/{signOff.Id}");

        Assert.Equal(("tj-approver-2", 1, signedHash), (seen.Approver, seen.Revision, seen.SignedContentHash));
        Assert.True(seen.ContentMatchesSignature);
        Assert.Equal(nameof(SignOffState.Dismissed), seen.State);
        Assert.Equal("Cyber-crime unit against online drug markets", seen.Document.Node(action).Text["en"]);
        Assert.Equal("Cyber-crime unit and messenger channel takedowns", (await auditor.Reads(draft)).Node(action).Text["en"]);

        var outsider = await Person.SignIn(app, "kz-editor");
        await Expect.Problem(await outsider.Http.GetAsync($"/api/drafts/{draft}/history/sign-offs/{signOff.Id}"), HttpStatusCode.NotFound);
    }
}
