using System.Diagnostics;
using CadapDrafting.Drafts;
using CadapDrafting.Evidence;

namespace CadapDrafting.Tests.History;

/// <summary>
/// An insider with write access to PostgreSQL rewrites or cuts a draft's history and recomputes everything the
/// server could recompute without its signing key. The verify endpoint, the verify command and the offline verifier,
/// given what the witness "eu-witness" cosigned, all report it and name the first position that does not hold;
/// without a witness the report says what could and could not be proven. A genuine later bundle still verifies
/// against an earlier head.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class HoldingTheRecordAgainstTheDatabase(AppFixture app)
{
    /// <summary>Seven events at a person's pace (heads signed at 1, 3, 5, 7), each head seen and cosigned by the witness.</summary>
    private async Task<(Guid Draft, Person Editor, Person Auditor)> ADraftTheWitnessFollowed(RunningWitness witness, string country)
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
            await witness.Looks();
        }
        Assert.Equal(7, witness.Latest(draft)!.Head.Size);
        return (draft, editor, auditor);
    }

    [Fact]
    public async Task A_rewritten_event_is_named_by_the_endpoint_the_command_and_the_offline_verifier_from_what_the_witness_holds()
    {
        await using var witness = await RunningWitness.StartAsync(app);
        var (draft, _, auditor) = await ADraftTheWitnessFollowed(witness, "KG");
        Assert.True((await auditor.Verifies(draft)).Intact);

        await DatabaseForger.RewritesEvent(draft, 4, "Opioid agonist therapy", "Compulsory treatment");

        // The endpoint: the heads still stored hold up to 3; the witness's head at 7 does not match from there.
        var report = await auditor.Verifies(draft);
        Assert.False(report.Intact);
        Assert.Equal(4, report.FirstBadPosition);
        Assert.Contains("witness \"eu-witness\" cosigned at size 7", report.Problem);
        Assert.Contains(report.Proven!, p => p.Contains("positions 1–3"));

        // The command, as an operator runs it, in a process of its own.
        var (exit, output) = await RunServerCommand("verify", "--draft", draft.ToString());
        Assert.NotEqual(0, exit);
        Assert.True(output.Contains("BROKEN at position 4"), output);

        // Offline, with the heads the witness cosigned: the bundle the server exports now fails at 4.
        var bundle = await auditor.ExportsBundle(draft);
        var (offlineExit, offline) = await VerifyOffline(bundle, "--held-heads", witness.HeadsFile(draft),
            "--server-key", TestLog.ServerKeyFile, "--witness-key", TestLog.WitnessKeyFile);
        Assert.Equal(1, offlineExit);
        Assert.Contains("FAILED at position 4", offline);

        // Offline without the witness's own file the rewritten history cannot be told from the true one: positions 4–7
        // are covered either by no signed head or by one a server node (which never saw the true history) signed over the
        // rewritten rows. The verdict does not stop at "intact": the cosignatures the bundle carries vouch only up to 3.
        var (aloneExit, alone) = await VerifyOffline(bundle, "--server-key", TestLog.ServerKeyFile);
        Assert.Equal(0, aloneExit);
        Assert.Contains("proven: witness \"eu-witness\" cosigned heads up to size 3:", alone);
        Assert.Contains("not proven: that the log ends at 7", alone);
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
            await DatabaseForger.DropsEventsFrom(draft, 6);

            var report = await auditor.Verifies(draft);
            Assert.False(report.Intact);
            Assert.Equal(6, report.FirstBadPosition);
            Assert.Contains("positions 6–7 are missing", report.Problem);

            var (exit, output) = await RunServerCommand("verify", "--draft", draft.ToString());
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

    private static async Task<(int Exit, string Output)> VerifyOffline(byte[] bundle, params string[] options)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("cadap-bundle-").FullName, "bundle.zip");
        await File.WriteAllBytesAsync(file, bundle);
        var output = new StringWriter();
        var exit = VerifierCommand.Run([file, .. options], output, output);
        return (exit, output.ToString());
    }

    /// <summary>Runs one of the server's commands as an operator would: its own process, the same configuration as the server.</summary>
    private static async Task<(int Exit, string Output)> RunServerCommand(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["ConnectionStrings__Postgres"] = TestDatabase.ConnectionString;
        info.Environment["Seeds__OnStartup"] = "false";
        foreach (var (key, value) in TestLog.ServerSettings) info.Environment[key.Replace(":", "__")] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout + await stderr);
    }
}
