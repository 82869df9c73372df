using CadapDrafting.Drafts;
using CadapDrafting.Evidence;
using CadapDrafting.Transparency;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CadapDrafting.Tests.History;

/// <summary>
/// An insider with write access to PostgreSQL rewrites or cuts a draft's history and recomputes everything the
/// server could recompute without its signing key (content statements, chain, leaves, read models), and a server node
/// that never saw the true history signs what the database now holds. The witness "eu-witness", on its next look,
/// refuses to cosign the forked, longer-but-rewritten or shorter head and keeps an alarm with both heads. The verify
/// endpoint, the verify command and the offline verifier, given what the witness cosigned, all report it and name the
/// first position that does not hold; without a witness the report names the positions nobody outside saw. A genuine
/// later bundle still verifies against an earlier head.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class HoldingTheRecordAgainstTheDatabase(AppFixture app)
{
    private IDocumentStore Store => app.Host.Services.GetRequiredService<IDocumentStore>();

    /// <summary>Seven events at a person's pace (heads signed at 1, 3, 5, 7), each head up to <paramref name="lookUpTo"/> seen and cosigned by
    /// the witness.</summary>
    private async Task<(Guid Draft, Person Editor, Person Auditor)> ADraftTheWitnessFollowed(RunningWitness witness, string country,
        long lookUpTo = 7)
    {
        var editor = await Person.SignIn(app, $"{country.ToLowerInvariant()}-editor");
        var auditor = await Person.SignIn(app, "auditor");
        var draft = await editor.CreatesDraft(country);
        await auditor.SeesSignedHeadAt(draft, 1);
        await witness.Looks();
        Guid? previous = null;
        foreach (var (title, position) in new[] { ("Prevention in schools", 3), ("Opioid agonist therapy", 5), ("Needle and syringe programmes", 7) })
        {
            previous = await editor.Inserts(draft, NodeKind.Action, title, afterNodeId: previous);
            await auditor.SeesSignedHeadAt(draft, position);
            if (position <= lookUpTo) await witness.Looks();
        }
        Assert.Equal(lookUpTo, witness.Latest(draft)!.Head.Size);
        return (draft, editor, auditor);
    }

    /// <summary>
    /// A server node that never saw the true history (started after the change, or pointed at a copy of the database) signs what the
    /// database now holds: the same key and code as the running server, but none of its memory of what it signed before.
    /// </summary>
    private async Task<SignedTreeHead> AServerNodeThatNeverSawTheTrueHistorySigns(Guid draft)
    {
        var node = ActivatorUtilities.CreateInstance<HeadSigner>(app.Host.Services);
        var head = await node.SignAsync(draft);
        Assert.NotNull(head);
        return head!;
    }

    /// <summary>The content hash the event at <paramref name="position"/> states (its <c>contentHash</c> header), as the exported bundle has
    /// it.</summary>
    private static async Task<string?> ContentStatedAt(Person auditor, Guid draft, long position)
    {
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(await auditor.ExportsBundle(draft)));
        using var reader = new StreamReader(zip.GetEntry(EvidenceBundle.EventsEntry)!.Open());
        var line = (await reader.ReadToEndAsync()).Split('\n')[(int)position - 1];
        using var e = JsonDocument.Parse(line);
        return ContentStatements.Of(e.RootElement.GetProperty("headers")).ContentHash;
    }

    /// <summary>The witness kept one alarm for the draft, with the head it held and the head it was offered, and cosigned neither again.</summary>
    private static void KeepsAnAlarm(RunningWitness witness, Guid draft, SignedTreeHead held, SignedTreeHead offered, string problem)
    {
        var alarm = Assert.Single(witness.Store.Alarms(), a => a.GetProperty("draftId").GetString() == draft.ToString("D"));
        Assert.Equal(problem, alarm.GetProperty("problem").GetString());
        var seen = SignedTreeHead.Parse(alarm.GetProperty("seen"));
        Assert.True(seen.Head.SameAs(held.Head), "the alarm names the head the witness held");
        var refused = SignedTreeHead.Parse(alarm.GetProperty("offered"));
        Assert.True(refused.Head.SameAs(offered.Head), "the alarm names the head the witness was offered");
        Assert.True(SigningKey.Verify(TestLog.ServerKey.PublicKey, refused.Head.SignedMessage(), refused.Signature),
            "the offered head is kept with the server's signature: evidence that the server signed it");
        Assert.True(witness.Latest(draft)!.Head.SameAs(held.Head), "the witness still holds the head it saw");
    }

    [Fact]
    public async Task A_rewritten_event_is_refused_by_the_witness_and_named_by_the_endpoint_the_command_and_the_offline_verifier()
    {
        await using var witness = await RunningWitness.StartAsync(app);
        var (draft, _, auditor) = await ADraftTheWitnessFollowed(witness, "KG");
        Assert.True((await auditor.Verifies(draft)).Intact);
        var held = witness.Latest(draft)!;
        var statedBefore = await ContentStatedAt(auditor, draft, 7);

        await DatabaseForger.RewritesEvent(Store, draft, 4, "Opioid agonist therapy", "Compulsory treatment");
        // The forger's work is complete: the document every reader is served says what the rewritten events say, and the events state
        // the content hash of the rewritten content, as the server computes it from them.
        var document = await auditor.Http.GetStringAsync($"/api/drafts/{draft}");
        Assert.Contains("Compulsory treatment", document);
        Assert.DoesNotContain("Opioid agonist therapy", document);
        Assert.Contains(await auditor.Read<List<Search.SearchHit>>($"/api/search?q=compulsory&draftId={draft}"),
            h => h.Snippet.Contains("treatment"));
        Assert.Empty(await auditor.Read<List<Search.SearchHit>>($"/api/search?q=agonist&draftId={draft}"));
        var statedAfter = await ContentStatedAt(auditor, draft, 7);
        Assert.NotEqual(statedBefore, statedAfter);
        await using (var session = Store.QuerySession())
            Assert.Equal(ContentHash.Of((await DraftReplay.StateAtAsync(session, draft, 7))!), statedAfter);

        // A server node that never saw the true history signs the rewritten log: a second head of size 7, with another root.
        var forged = await AServerNodeThatNeverSawTheTrueHistorySigns(draft);
        Assert.Equal(7, forged.Head.Size);
        Assert.False(forged.Head.SameAs(held.Head));

        // The witness, on its next look, refuses to cosign it and keeps both heads as an alarm.
        var seen = await witness.Looks();
        const string forked = "a second, different head at size 7: the log forked";
        Assert.Contains(seen, o => o.DraftId == draft && o.Size == 7 && o.Outcome == $"alarm: {forked}");
        // Looking again, while the server keeps offering it, refuses it again and keeps the one alarm.
        Assert.Contains(await witness.Looks(), o => o.DraftId == draft && o.Outcome == $"alarm: {forked}");
        KeepsAnAlarm(witness, draft, held, forged, forked);
        Assert.Empty((await auditor.ReadsSignedHead(draft))!.Cosignatures);

        // The endpoint: the heads still stored hold up to 3; the witness's head at 7 does not match from there.
        var report = await auditor.Verifies(draft);
        Assert.False(report.Intact);
        Assert.Equal(4, report.FirstBadPosition);
        Assert.Contains("witness \"eu-witness\" cosigned at size 7", report.Problem);
        Assert.Contains(report.Proven!, p => p.Contains("positions 1–3"));

        // The command, as an operator runs it, in a process of its own.
        var (exit, output) = await ServerCommand.RunAsync("verify", "--draft", draft.ToString());
        Assert.NotEqual(0, exit);
        Assert.True(output.Contains("BROKEN at position 4"), output);

        // Offline, with the heads the witness cosigned: the bundle the server exports now fails at 4.
        var bundle = await auditor.ExportsBundle(draft);
        var (offlineExit, offline) = await VerifyOffline(bundle, "--held-heads", witness.HeadsFile(draft),
            "--server-key", TestLog.ServerKeyFile, "--witness-key", TestLog.WitnessKeyFile);
        Assert.Equal(1, offlineExit);
        Assert.Contains("FAILED at position 4", offline);

        // Offline without the witness's own file the rewritten history cannot be told from the true one: the head at 7 in the bundle was
        // signed over the rewritten rows with the server's own key. The verdict does not stop at "intact": it names the positions no
        // witness saw.
        var (aloneExit, alone) = await VerifyOffline(bundle, "--server-key", TestLog.ServerKeyFile);
        Assert.Equal(0, aloneExit);
        Assert.Contains("proven: witness \"eu-witness\" cosigned heads up to size 3:", alone);
        Assert.Contains("not proven: positions 4–7: no witness has seen a head covering them; a rewrite or cut of them cannot be told from " +
                        "this bundle alone", alone);
        Assert.Contains("not proven: that the log ends at 7", alone);
    }

    [Fact]
    public async Task A_witness_that_saw_an_earlier_head_refuses_a_longer_head_over_a_rewritten_history()
    {
        await using var witness = await RunningWitness.StartAsync(app);
        var (draft, _, auditor) = await ADraftTheWitnessFollowed(witness, "TM", lookUpTo: 5);
        var held = witness.Latest(draft)!;

        await DatabaseForger.RewritesEvent(Store, draft, 4, "Opioid agonist therapy", "Compulsory treatment");
        var forged = await AServerNodeThatNeverSawTheTrueHistorySigns(draft);
        Assert.Equal(7, forged.Head.Size);

        // Longer than what the witness saw, but the server's consistency proof from 5 does not lead from the witness's root at 5.
        var seen = await witness.Looks();
        const string rewritten = "the head at size 7 does not extend the head at size 5: history was rewritten";
        Assert.Contains(seen, o => o.DraftId == draft && o.Size == 7 && o.Outcome == $"alarm: {rewritten}");
        KeepsAnAlarm(witness, draft, held, forged, rewritten);

        var report = await auditor.Verifies(draft);
        Assert.False(report.Intact);
        Assert.Equal(4, report.FirstBadPosition);
        Assert.Contains("witness \"eu-witness\" cosigned at size 5", report.Problem);
    }

    [Fact]
    public async Task The_verify_command_without_a_witness_configured_says_what_it_proved_and_what_no_one_outside_saw()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var auditor = await Person.SignIn(app, "auditor");
        var draft = await editor.CreatesDraft("KZ");
        await editor.Inserts(draft, NodeKind.Action, "Outreach to people who use drugs");
        await auditor.SeesSignedHeadAt(draft, 3);

        var (exit, output) = await ServerCommand.RunAsync(["verify", "--draft", draft.ToString()], withWitness: false);
        Assert.True(exit == 0, output);
        Assert.Contains($"{draft}: intact, 3 events", output);
        Assert.Contains("proven: positions 1–3 form a log whose root matches every head checked up to there", output);
        Assert.Contains("head(s) signed by the server match the events; the latest covers positions 1–3", output);
        Assert.Contains("not proven: no witness vouches for these heads", output);
        Assert.Contains("not proven: positions 1–3: no witness has seen a head covering them; a rewrite or cut of them cannot be told from " +
                        "the server's own records alone (no witness has seen any head of this log)", output);
        Assert.Contains("not proven: no witness is configured (Evidence:Witnesses)", output);
        Assert.Contains("not proven: that the log ends at 3", output);
    }

    [Fact]
    public async Task Dropped_last_events_are_named_by_the_witness_that_saw_them_and_without_it_the_report_says_what_it_cannot_prove()
    {
        Guid draft;
        Person auditor;
        string heldHeads;
        await using (var witness = await RunningWitness.StartAsync(app))
        {
            (draft, _, auditor) = await ADraftTheWitnessFollowed(witness, "UZ");
            var held = witness.Latest(draft)!;
            await DatabaseForger.DropsEventsFrom(draft, 6);

            // A server node that never saw the longer log offers the head that covers what is left: shorter than what the witness saw.
            var offered = await AServerNodeThatNeverSawTheTrueHistorySigns(draft);
            Assert.Equal(5, offered.Head.Size);
            var seen = await witness.Looks();
            const string shrank = "the log shrank from 7 to 5 events";
            Assert.Contains(seen, o => o.DraftId == draft && o.Size == 5 && o.Outcome == $"alarm: {shrank}");
            KeepsAnAlarm(witness, draft, held, offered, shrank);

            var report = await auditor.Verifies(draft);
            Assert.False(report.Intact);
            Assert.Equal(6, report.FirstBadPosition);
            Assert.Contains("positions 6–7 are missing", report.Problem);

            var (exit, output) = await ServerCommand.RunAsync("verify", "--draft", draft.ToString());
            Assert.NotEqual(0, exit);
            Assert.Contains("BROKEN at position 6", output);

            heldHeads = Path.Combine(Directory.CreateTempSubdirectory("cadap-held-").FullName, "heads.jsonl");
            File.Copy(witness.HeadsFile(draft), heldHeads);
        }

        // The witness is gone: the database is consistent in itself, and the report says what that does not prove.
        var alone = await auditor.Verifies(draft);
        Assert.True(alone.Intact, alone.Problem);
        Assert.Equal(5, alone.Events);
        Assert.Contains(alone.NotProven!, p => p.Contains("could not be reached"));
        Assert.Contains(alone.NotProven!, p => p.Contains("that the log ends at 5"));

        // Offline, the heads kept from the witness expose the cut; without them the verifier says it cannot tell.
        var bundle = await auditor.ExportsBundle(draft);
        var (cutExit, cut) = await VerifyOffline(bundle, "--held-heads", heldHeads);
        Assert.Equal(1, cutExit);
        Assert.Contains("FAILED at position 6", cut);
        var (plainExit, plain) = await VerifyOffline(bundle);
        Assert.Equal(0, plainExit);
        Assert.Contains("not proven: that the log ends at 5", plain);
    }

    [Fact]
    public async Task A_genuine_later_bundle_verifies_against_the_head_held_from_an_earlier_one_and_the_witness_keeps_cosigning()
    {
        await using var witness = await RunningWitness.StartAsync(app);
        var (draft, editor, auditor) = await ADraftTheWitnessFollowed(witness, "TJ");
        var earlier = await auditor.ExportsBundle(draft);
        var held = EvidenceBundle.Verify(new MemoryStream(earlier), BundleTrust.Nothing);
        Assert.True(held.Intact, held.Problem);

        await editor.Inserts(draft, NodeKind.Action, "Drug checking services");
        await auditor.SeesSignedHeadAt(draft, 9);
        var seen = await witness.Looks();
        Assert.Contains(seen, o => o.DraftId == draft && o.Outcome == "cosigned" && o.Size == 9);

        var later = await auditor.ExportsBundle(draft);
        var (exit, output) = await VerifyOffline(later, "--expect-prefix", $"7:{held.Root}", "--held-heads", witness.HeadsFile(draft),
            "--server-key", TestLog.ServerKeyFile, "--witness-key", TestLog.WitnessKeyFile);
        Assert.Equal(0, exit);
        Assert.Contains("proven: the head you hold at size 7", output);
        Assert.Contains("proven: witness \"eu-witness\" cosigned heads up to size 9", output);

        // The server proves the same online: the event at 4 is in the log of 9, and the log of 9 extends the log of 7.
        var head9 = (await auditor.ReadsSignedHead(draft))!.Head;
        var inclusion = await auditor.ReadsInclusionProof(draft, 4);
        Assert.True(Rfc9162.VerifyInclusion(3, 9, Convert.FromHexString(inclusion.LeafHash), LogVocabulary.Hashes(inclusion.Path), head9.Root));
        var consistency = await auditor.ReadsConsistencyProof(draft, 7);
        Assert.True(Rfc9162.VerifyConsistency(7, Convert.FromHexString(held.Root!), 9, head9.Root, LogVocabulary.Hashes(consistency.Proof)));
        Assert.False(Rfc9162.VerifyConsistency(7, head9.Root, 9, head9.Root, LogVocabulary.Hashes(consistency.Proof)));
        Assert.Empty(witness.Store.Alarms());
    }

    [Fact]
    public async Task Cosignatures_of_a_witness_taken_out_of_the_configuration_are_named_not_counted_and_break_nothing()
    {
        await using var witness = await RunningWitness.StartAsync(app);
        var (draft, _, auditor) = await ADraftTheWitnessFollowed(witness, "UZ");
        // A witness that cosigned this head and was later taken out of Evidence:Witnesses: its cosignature stays stored.
        var head = (await auditor.ReadsSignedHead(draft))!.Head;
        using var retired = SigningKey.Generate();
        await DatabaseForger.AddsCosignature(draft, head.Size, retired.Cosign(head, "retired-witness", DateTimeOffset.UtcNow));

        var report = await auditor.Verifies(draft);
        Assert.True(report.Intact, report.Problem);
        Assert.Contains(report.NotProven!, p => p.Contains("\"retired-witness\"") && p.Contains("not configured"));

        // The bundle carries only cosignatures a verifier can check against the keys it lists.
        var (exit, output) = await VerifyOffline(await auditor.ExportsBundle(draft));
        Assert.Equal(0, exit);
        Assert.DoesNotContain("retired-witness", output);
        Assert.Contains("proven: witness \"eu-witness\" cosigned heads up to size 7", output);
    }

    private static async Task<(int Exit, string Output)> VerifyOffline(byte[] bundle, params string[] options)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("cadap-bundle-").FullName, "bundle.zip");
        await File.WriteAllBytesAsync(file, bundle);
        var output = new StringWriter();
        var exit = VerifierCommand.Run([file, .. options], output, output);
        return (exit, output.ToString());
    }
}
