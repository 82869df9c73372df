using Microsoft.Extensions.DependencyInjection;
using CadapDrafting.Drafts;
using CadapDrafting.Evidence;
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
    public async Task A_sign_off_records_the_signed_head_it_was_made_at_and_what_the_approver_saw_proves_it_against_the_current_log()
    {
        var editor = await Person.SignIn(app, "uz-editor");
        var approver = await Person.SignIn(app, "uz-approver-1");
        var auditor = await Person.SignIn(app, "auditor");
        var draft = await editor.CreatesDraft("UZ");
        await editor.Inserts(draft, NodeKind.Action, "Community-based treatment");
        await editor.SetsApprovalPolicy(draft, 1, "uz-approver-1");
        await Expect.Status(await editor.StartsReview(draft), HttpStatusCode.OK);
        var signedHash = (await approver.ReadsSignOffs(draft)).ContentHash;
        // A head in the request is not taken: the server fills in the head the sign-off is made at.
        var forged = new Dictionary<string, object>
        {
            ["size"] = 1, ["root"] = new string('0', 64), ["time"] = "2026-01-01T00:00:00.000000Z", ["keyId"] = new string('0', 64),
            ["signature"] = Convert.ToBase64String(new byte[64]),
        };
        await Expect.Status(await approver.Command($"/api/drafts/{draft}/sign-offs",
            new { revision = 1, contentHash = signedHash, head = forged, signedHead = forged }), HttpStatusCode.OK);

        var signOff = Assert.Single((await auditor.ReadsSignOffs(draft)).SignOffs);
        var seen = await auditor.Read<WhatTheApproverSaw>($"/api/drafts/{draft}/history/sign-offs/{signOff.Id}");
        var inLog = seen.InLog!;
        Assert.NotNull(inLog);
        Assert.True(inLog.SignedAtHeadHolds && inLog.InclusionHolds && inLog.ConsistencyHolds);

        // The head the sign-off was made at: signed by the server's key, before the sign-off, covering the content it signs.
        var madeAt = SignedTreeHead.Parse(JsonSerializer.Serialize(inLog.SignedAtHead));
        Assert.True(SigningKey.Verify(TestLog.ServerKey.PublicKey, madeAt.Head.SignedMessage(), madeAt.Signature));
        Assert.InRange(madeAt.Head.Size, 1, seen.SignOffPosition - 1);
        Assert.NotEqual(new string('0', 64), madeAt.Head.RootHex);

        // The sign-off's own event is in the current log, and the current log extends the head it was made at.
        var current = SignedTreeHead.Parse(JsonSerializer.Serialize(inLog.SignedHead));
        Assert.True(SigningKey.Verify(TestLog.ServerKey.PublicKey, current.Head.SignedMessage(), current.Signature));
        var proof = inLog.Inclusion;
        Assert.Equal((seen.SignOffPosition, current.Head.Size), (proof.Position, proof.Size));
        Assert.True(Rfc9162.VerifyInclusion(proof.Position - 1, current.Head.Size, Convert.FromHexString(proof.LeafHash),
            LogVocabulary.Hashes(proof.Path), current.Head.Root));
        var consistency = inLog.Consistency!;
        Assert.Equal((madeAt.Head.Size, current.Head.Size), (consistency.From, consistency.To));
        Assert.True(Rfc9162.VerifyConsistency(madeAt.Head.Size, madeAt.Head.Root, current.Head.Size, current.Head.Root,
            LogVocabulary.Hashes(consistency.Proof)));

        // The proven leaf is the sign-off's event: it names the signed revision's content hash and the head, which the bundle's log has.
        var bundle = await auditor.ExportsBundle(draft);
        using (var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bundle)))
        {
            var line = new StreamReader(zip.GetEntry("events.jsonl")!.Open()).ReadToEnd().Split('\n')[(int)proof.Position - 1];
            Assert.Contains(signedHash, line);
            Assert.Contains(madeAt.Head.RootHex, line);
            Assert.Equal(proof.LeafHash, Convert.ToHexStringLower(LogLeaf.HashOfLine(JsonDocument.Parse(line).RootElement)));
        }
        var (exit, output) = await VerifyOffline(bundle, "--server-key", TestLog.ServerKeyFile);
        Assert.True(exit == 0, output);
        Assert.Contains($"the sign-offs and approvals at position(s) {seen.SignOffPosition}, {seen.SignOffPosition + 1} each name a signed head",
            output);
        var independent = await IndependentVerifier.RunAsync(await SavedBundle(bundle), "--server-key",
            Convert.ToBase64String(TestLog.ServerKey.PublicKey));
        Assert.True(independent.Exit == 0, independent.Output);
    }

    [Fact]
    public async Task A_forged_head_written_into_a_sign_off_in_the_database_is_named_by_the_offline_verifier()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var approver = await Person.SignIn(app, "kg-approver-1");
        var auditor = await Person.SignIn(app, "auditor");
        var draft = await editor.CreatesDraft("KG");
        await editor.Inserts(draft, NodeKind.Action, "Mobile outreach for people who inject drugs");
        await editor.SetsApprovalPolicy(draft, 2, "kg-approver-1", "kg-approver-2");
        await Expect.Status(await editor.StartsReview(draft), HttpStatusCode.OK);
        await Expect.Status(await approver.SignsOff(draft, 1, (await approver.ReadsSignOffs(draft)).ContentHash), HttpStatusCode.OK);
        var signOff = Assert.Single((await auditor.ReadsSignOffs(draft)).SignOffs);
        var seen = await auditor.Read<WhatTheApproverSaw>($"/api/drafts/{draft}/history/sign-offs/{signOff.Id}");
        var madeAt = SignedTreeHead.Parse(JsonSerializer.Serialize(seen.InLog!.SignedAtHead)).Head;
        var genuine = madeAt.RootHex;
        Assert.True((await VerifyOffline(await auditor.ExportsBundle(draft))).Exit == 0);
        var genuineBundle = await SavedBundle(await auditor.ExportsBundle(draft));
        var independent = await IndependentVerifier.RunAsync(genuineBundle);
        Assert.True(independent.Exit == 0, independent.Output);

        // An insider rewrites the head the sign-off names (the chain, the stream and the leaves recomputed) to one the log never had.
        var forgedRoot = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("a head that was never signed"u8));
        await DatabaseForger.RewritesEvent(app.Host.Services.GetRequiredService<Marten.IDocumentStore>(), draft, seen.SignOffPosition, genuine,
            forgedRoot);

        var forged = await auditor.ExportsBundle(draft);
        var (exit, output) = await VerifyOffline(forged);
        Assert.Equal(1, exit);
        Assert.Contains($"FAILED at position {seen.SignOffPosition}:", output);
        Assert.Contains($"the sign-off of revision 1 names a signed head at size {madeAt.Size} (root {forgedRoot[..16]}", output);
        Assert.Contains("which this log does not have", output);
        // The server's own check names it too: the head the sign-off names is not the log's at that size.
        var report = await auditor.Verifies(draft);
        Assert.False(report.Intact);
        Assert.Equal(seen.SignOffPosition, report.FirstBadPosition);
        Assert.Contains("which this log does not have", report.Problem);
        // The independent verifier, written from the specification, names the same position.
        var (pythonExit, python) = await IndependentVerifier.RunAsync(await SavedBundle(forged));
        Assert.Equal(1, pythonExit);
        Assert.StartsWith($"FAILED {seen.SignOffPosition} the sign-off names a signed head at size {madeAt.Size} that this log does not have",
            python);
    }

    private static async Task<string> SavedBundle(byte[] bundle)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("cadap-sign-off-bundle-").FullName, "bundle.zip");
        await File.WriteAllBytesAsync(file, bundle);
        return file;
    }

    private static async Task<(int Exit, string Output)> VerifyOffline(byte[] bundle, params string[] options)
    {
        var file = await SavedBundle(bundle);
        var output = new StringWriter();
        var exit = VerifierCommand.Run([file, .. options], output, output);
        return (exit, output.ToString());
    }
}
