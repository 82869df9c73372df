using System.IO.Compression;
using System.Text;
using CadapDrafting.Drafts;
using CadapDrafting.Evidence;

namespace CadapDrafting.Tests.History;

/// <summary>
/// An auditor proves that a draft's history was not altered: the chain re-checked in the database, and an
/// exported bundle verified offline. Every kind of tampering is found and the first bad event named.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ProvingTheRecord(AppFixture app)
{
    /// <summary>
    /// A draft of seven events: created, then three direct inserts of two events each, at a person's pace, so the
    /// server signs a head of the log after each (sizes 1, 3, 5, 7).
    /// </summary>
    private async Task<(Guid Draft, Person Auditor)> ADraftWithHistory(string country = "KG")
    {
        var editor = await Person.SignIn(app, $"{country.ToLowerInvariant()}-editor");
        var auditor = await Person.SignIn(app, "auditor");
        var draft = await editor.CreatesDraft(country);
        await auditor.SeesSignedHeadAt(draft, 1);
        var first = await editor.Inserts(draft, NodeKind.Action, "Prevention in schools");
        await auditor.SeesSignedHeadAt(draft, 3);
        var second = await editor.Inserts(draft, NodeKind.Action, "Opioid agonist therapy", afterNodeId: first);
        await auditor.SeesSignedHeadAt(draft, 5);
        await editor.Inserts(draft, NodeKind.Action, "Needle and syringe programmes", afterNodeId: second);
        await auditor.SeesSignedHeadAt(draft, 7);
        return (draft, auditor);
    }

    [Fact]
    public async Task An_untouched_history_verifies_in_the_database_and_offline()
    {
        var (draft, auditor) = await ADraftWithHistory();

        var report = await auditor.Verifies(draft);
        Assert.True(report.Intact, report.Problem);
        Assert.Equal(7, report.Events);
        Assert.Equal(7, report.RecordedVersion);

        var bundle = await auditor.ExportsBundle(draft);
        var verdict = EvidenceBundle.Verify(new MemoryStream(bundle));
        Assert.True(verdict.Intact, verdict.Problem);
        Assert.Equal(report.HeadHash, verdict.HeadHash);
        Assert.Equal(7, verdict.Count);
        Assert.True(EvidenceBundle.Verify(new MemoryStream(bundle), expectedHead: report.HeadHash).Intact);

        using var zip = new ZipArchive(new MemoryStream(bundle));
        var manifest = JsonDocument.Parse(zip.GetEntry("manifest.json")!.Open()).RootElement;
        Assert.Equal(draft, manifest.GetProperty("draftId").GetGuid());
        Assert.Equal(7, manifest.GetProperty("count").GetInt64());
        Assert.Equal(report.HeadHash, manifest.GetProperty("headHash").GetString());
        Assert.Equal(2, manifest.GetProperty("formatVersion").GetInt32());
        Assert.Equal(verdict.Root, manifest.GetProperty("root").GetString());
        Assert.Equal(7, Lines(zip, "events.jsonl").Count);
        Assert.Equal(7, Lines(zip, "hashes.txt").Count);
    }

    [Fact]
    public async Task Altered_event_data_is_found_at_the_altered_event_by_the_server_and_in_the_export()
    {
        var (draft, auditor) = await ADraftWithHistory();
        await EventTable.AlterData(draft, 4, "text,en", "\"Compulsory treatment\"");
        await ExpectBrokenAt(auditor, draft, 4);
    }

    [Fact]
    public async Task An_altered_reason_or_actor_in_the_metadata_is_found()
    {
        var (draft, auditor) = await ADraftWithHistory("TJ");
        await EventTable.AlterHeader(draft, 3, "actor", "tj-drafter");
        await ExpectBrokenAt(auditor, draft, 3);

        var (other, _) = await ADraftWithHistory("TJ");
        await EventTable.AlterHeader(other, 6, "reason", "Requested by the ministry");
        await ExpectBrokenAt(auditor, other, 6);
    }

    [Fact]
    public async Task A_deleted_event_is_found_where_the_gap_is()
    {
        var (draft, auditor) = await ADraftWithHistory("UZ");
        await EventTable.Delete(draft, 5);
        await ExpectBrokenAt(auditor, draft, 5);
    }

    [Fact]
    public async Task A_deleted_last_event_is_found_even_when_the_stream_record_is_wound_back()
    {
        var (draft, auditor) = await ADraftWithHistory("TM");
        await EventTable.Delete(draft, 7);
        await ExpectBrokenAt(auditor, draft, 7, alsoInBundle: false);

        var (wound, _) = await ADraftWithHistory("TM");
        var head = (await auditor.Verifies(wound)).HeadHash!;
        await EventTable.DeleteTail(wound, 7);
        var report = await auditor.Verifies(wound);
        Assert.False(report.Intact);
        Assert.Equal(7, report.FirstBadPosition);
        // Offline, a shorter chain is consistent in itself: the head the auditor noted before is what exposes it.
        var bundle = await auditor.ExportsBundle(wound);
        var verdict = EvidenceBundle.Verify(new MemoryStream(bundle), expectedHead: head);
        Assert.False(verdict.Intact);
    }

    [Fact]
    public async Task An_inserted_event_is_found_where_it_was_inserted()
    {
        var (draft, auditor) = await ADraftWithHistory("KZ");
        await EventTable.InsertCopy(draft, copyOf: 2, position: 4);
        await ExpectBrokenAt(auditor, draft, 4);
    }

    [Fact]
    public async Task Reordered_events_are_found_at_the_first_of_them()
    {
        var (draft, auditor) = await ADraftWithHistory("KG");
        await EventTable.Swap(draft, 3, 5);
        await ExpectBrokenAt(auditor, draft, 3);
    }

    [Fact]
    public async Task A_forged_bundle_never_verifies_offline()
    {
        var (draft, auditor) = await ADraftWithHistory("UZ");
        var bundle = await auditor.ExportsBundle(draft);
        var head = (await auditor.Verifies(draft)).HeadHash!;

        Assert.Equal(4, Verify(Rewrite(bundle, lines =>
            lines[3] = lines[3].Replace("Opioid agonist therapy", "Compulsory treatment"))).FirstBadPosition);
        Assert.Equal(4, Verify(Rewrite(bundle, lines => lines.RemoveAt(3))).FirstBadPosition);
        Assert.Equal(3, Verify(Rewrite(bundle, lines => (lines[2], lines[3]) = (lines[3], lines[2]))).FirstBadPosition);
        Assert.Equal(5, Verify(Rewrite(bundle, lines => lines.Insert(4, lines[4]))).FirstBadPosition);
        Assert.Equal(7, Verify(Rewrite(bundle, lines => lines.RemoveAt(6))).FirstBadPosition);
        Assert.False(Verify(Rewrite(bundle, manifest: m => m.Replace("\"count\": 7", "\"count\": 8"))).Intact);
        Assert.False(Verify(Rewrite(bundle, hashes: h => h.Replace("3 ", "3 0"))).Intact);
        Assert.False(Verify(Encoding.UTF8.GetBytes("not a zip")).Intact);

        // A forger who re-hashes every later event and rewrites the manifest makes a self-consistent chain; the heads
        // signed with the server's key (which the forger lacks) no longer match from the altered event on, and it also
        // fails against the chain head the auditor holds from the server.
        var reforged = Reforge(bundle, 4, "Opioid agonist therapy", "Compulsory treatment");
        var forgedVerdict = Verify(reforged);
        Assert.False(forgedVerdict.Intact);
        Assert.Equal(4, forgedVerdict.FirstBadPosition);
        Assert.Contains("do not match the head signed at size 5", forgedVerdict.Problem);
        var verdict = EvidenceBundle.Verify(new MemoryStream(reforged), expectedHead: head);
        Assert.False(verdict.Intact);
    }

    [Fact]
    public async Task The_command_line_verifier_says_OK_with_the_head_or_names_the_first_bad_event_with_a_failing_exit_code()
    {
        var (draft, auditor) = await ADraftWithHistory("TJ");
        var bundle = await auditor.ExportsBundle(draft);
        var head = (await auditor.Verifies(draft)).HeadHash!;
        var dir = Directory.CreateTempSubdirectory("cadap-bundle-");
        try
        {
            var good = Path.Combine(dir.FullName, "good.zip");
            var forged = Path.Combine(dir.FullName, "forged.zip");
            await File.WriteAllBytesAsync(good, bundle);
            await File.WriteAllBytesAsync(forged, Rewrite(bundle, lines => lines[5] = lines[5].Replace("Needle", "Nadel")));

            var (ok, okOutput) = RunVerifier(good);
            Assert.Equal(0, ok);
            Assert.StartsWith("OK 7 events", okOutput);
            Assert.Contains(head, okOutput);
            Assert.Equal(0, RunVerifier(good, "--expect-head", head).Exit);

            var (bad, badOutput) = RunVerifier(forged);
            Assert.Equal(1, bad);
            Assert.Contains("position 6", badOutput);
            Assert.Equal(1, RunVerifier(good, "--expect-head", new string('0', 64)).Exit);
            Assert.Equal(2, RunVerifier(Path.Combine(dir.FullName, "missing.zip")).Exit);
        }
        finally { dir.Delete(recursive: true); }
    }

    private static (int Exit, string Output) RunVerifier(params string[] args)
    {
        var output = new StringWriter();
        var exit = VerifierCommand.Run(args, output, new StringWriter());
        return (exit, output.ToString());
    }

    private static async Task ExpectBrokenAt(Person auditor, Guid draft, long position, bool alsoInBundle = true)
    {
        var report = await auditor.Verifies(draft);
        Assert.False(report.Intact);
        Assert.Equal(position, report.FirstBadPosition);
        Assert.Contains($"position {position}", report.Problem);
        if (!alsoInBundle) return;
        var verdict = EvidenceBundle.Verify(new MemoryStream(await auditor.ExportsBundle(draft)));
        Assert.False(verdict.Intact);
        Assert.Equal(position, verdict.FirstBadPosition);
    }

    private static ChainVerdict Verify(byte[] bundle) => EvidenceBundle.Verify(new MemoryStream(bundle));

    private static List<string> Lines(ZipArchive zip, string entry)
    {
        using var reader = new StreamReader(zip.GetEntry(entry)!.Open());
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    /// <summary>A copy of the bundle with its event lines, manifest or hash list edited.</summary>
    private static byte[] Rewrite(byte[] bundle, Action<List<string>>? events = null, Func<string, string>? manifest = null,
        Func<string, string>? hashes = null)
    {
        using var source = new ZipArchive(new MemoryStream(bundle));
        var eventLines = Lines(source, "events.jsonl");
        events?.Invoke(eventLines);
        var manifestText = Entry(source, "manifest.json");
        var hashesText = Entry(source, "hashes.txt");
        return Zip(string.Join('\n', eventLines) + "\n", manifest?.Invoke(manifestText) ?? manifestText, hashes?.Invoke(hashesText) ?? hashesText,
            Entry(source, "heads.jsonl"), Entry(source, "keys.json"));
    }

    /// <summary>Edits one event and recomputes every hash from there on, the manifest and the hash list: the best forgery without the original
    /// head.</summary>
    private static byte[] Reforge(byte[] bundle, long position, string find, string replace)
    {
        using var source = new ZipArchive(new MemoryStream(bundle));
        var previous = HashChain.Genesis;
        var lines = new List<string>();
        var hashes = new StringBuilder();
        foreach (var line in Lines(source, "events.jsonl"))
        {
            Assert.True(EvidenceBundle.TryParseLine(line, out var e, out _));
            var data = e!.Position == position ? e.DataJson.Replace(find, replace) : e.DataJson;
            var headers = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(e.HeadersJson)!;
            headers.Remove(HashChain.HashHeader);
            var metadata = CanonicalJson.From(JsonSerializer.Serialize(headers));
            previous = HashChain.Compute(previous, e.StreamId, e.Position, e.Type, CanonicalJson.From(data), metadata);
            var withHash = new Dictionary<string, object>(headers.ToDictionary(h => h.Key, h => (object)h.Value))
            {
                [HashChain.HashHeader] = previous
            };
            lines.Add(EvidenceBundle.EventLine(e with { DataJson = data, HeadersJson = JsonSerializer.Serialize(withHash) }));
            hashes.Append(e.Position).Append(' ').Append(previous).Append('\n');
        }
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(Entry(source, "manifest.json"))!;
        manifest["headHash"] = previous;
        var frontier = new TreeFrontier();
        foreach (var line in lines) frontier.Append(LogLeaf.HashOfLine(JsonDocument.Parse(line).RootElement));
        manifest["root"] = Convert.ToHexStringLower(frontier.Root());
        return Zip(string.Join('\n', lines) + "\n", manifest.ToJsonString(), hashes.ToString(), Entry(source, "heads.jsonl"),
            Entry(source, "keys.json"));
    }

    private static string Entry(ZipArchive zip, string name) => new StreamReader(zip.GetEntry(name)!.Open()).ReadToEnd();

    private static byte[] Zip(string events, string manifest, string hashes, string heads, string keys)
    {
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in new[]
                     {
                         ("events.jsonl", events), ("hashes.txt", hashes), ("manifest.json", manifest), ("heads.jsonl", heads), ("keys.json", keys),
                     })
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
                writer.Write(text);
            }
        }
        return output.ToArray();
    }
}
