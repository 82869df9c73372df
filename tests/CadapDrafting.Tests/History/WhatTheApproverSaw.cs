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

    [Fact]
    public async Task A_sign_off_is_proven_in_the_signed_log_by_the_first_head_that_covers_it()
    {
        var editor = await Person.SignIn(app, "uz-editor");
        var approver = await Person.SignIn(app, "uz-approver-1");
        var auditor = await Person.SignIn(app, "auditor");
        var draft = await editor.CreatesDraft("UZ");
        await editor.Inserts(draft, NodeKind.Action, "Community-based treatment");
        await editor.SetsApprovalPolicy(draft, 1, "uz-approver-1");
        await Expect.Status(await editor.StartsReview(draft), HttpStatusCode.OK);
        var signedHash = (await approver.ReadsSignOffs(draft)).ContentHash;
        await Expect.Status(await approver.SignsOff(draft, 1, signedHash), HttpStatusCode.OK);

        var signOff = Assert.Single((await auditor.ReadsSignOffs(draft)).SignOffs);
        var position = (await auditor.Reads(draft)).Position;
        await auditor.SeesSignedHeadAt(draft, position);
        var seen = await auditor.Read<WhatTheApproverSaw>($"/api/drafts/{draft}/history/sign-offs/{signOff.Id}");

        Assert.NotNull(seen.InLog);
        var head = CadapDrafting.Evidence.SignedTreeHead.Parse(JsonSerializer.Serialize(seen.InLog!.SignedHead));
        Assert.True(CadapDrafting.Evidence.SigningKey.Verify(TestLog.ServerKey.PublicKey, head.Head.SignedMessage(), head.Signature));
        var proof = seen.InLog.Inclusion;
        Assert.Equal(seen.SignOffPosition, proof.Position);
        Assert.True(CadapDrafting.Evidence.Rfc9162.VerifyInclusion(proof.Position - 1, head.Head.Size, Convert.FromHexString(proof.LeafHash),
            LogVocabulary.Hashes(proof.Path), head.Head.Root));

        // The proven leaf is the sign-off's event, which names the signed revision's content hash.
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(await auditor.ExportsBundle(draft)));
        var line = new StreamReader(zip.GetEntry("events.jsonl")!.Open()).ReadToEnd().Split('\n')[(int)proof.Position - 1];
        Assert.Contains(signedHash, line);
        Assert.Equal(proof.LeafHash, Convert.ToHexStringLower(CadapDrafting.Evidence.LogLeaf.HashOfLine(JsonDocument.Parse(line).RootElement)));
    }
}
