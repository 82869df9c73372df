using System.IO.Compression;
using System.Text;
using CadapDrafting.Drafts;
using CadapDrafting.Evidence;
using CadapDrafting.Transparency;
using Microsoft.Extensions.DependencyInjection;

namespace CadapDrafting.Tests.History;

/// <summary>
/// Every export states the signed head of the log that covers its revision, and an auditor holding the draft's
/// evidence bundle confirms offline that an exported file (Word, PDF, Akoma Ntoso, HTML, Markdown) names a revision
/// of the verified log. A file whose stamp was edited, or a stamp of another draft, is refused, naming what differs.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ExportsAgainstTheLog(AppFixture app, LiveServer live)
{
    private static readonly string[] Formats = ["docx", "pdf", "akn", "html", "md"];

    private static string FileName(string format) => format switch { "akn" => "export.akn.xml", _ => $"export.{format}" };

    /// <summary>A Tajik draft whose revision 1 an approver signed off: the log states that revision's content hash.</summary>
    private async Task<(Guid Draft, Person Editor, Person Auditor, string SignedHash)> ASignedOffRevision()
    {
        var editor = await Person.SignIn(app, "tj-editor");
        var approver = await Person.SignIn(app, "tj-approver-1");
        var auditor = await Person.SignIn(app, "auditor");
        var draft = await editor.CreatesDraft("TJ");
        await editor.Inserts(draft, NodeKind.Action, "Mobile outreach to people who inject drugs");
        await editor.SetsApprovalPolicy(draft, 2, "tj-approver-1", "tj-approver-2");
        await Expect.Status(await editor.StartsReview(draft), HttpStatusCode.OK);
        var signedHash = (await approver.ReadsSignOffs(draft)).ContentHash;
        await Expect.Status(await approver.SignsOff(draft, 1, signedHash), HttpStatusCode.OK);
        return (draft, editor, auditor, signedHash);
    }

    private static async Task<(int Exit, string Output)> VerifyExport(string bundle, string file, params string[] options)
    {
        var output = new StringWriter();
        var exit = VerifierCommand.Run([bundle, "--server-key", TestLog.ServerKeyFile, "--export", file, .. options], output, output);
        return (exit, output.ToString());
    }

    [Fact]
    public async Task Every_export_states_its_signed_head_and_the_verifier_confirms_it_renders_a_revision_of_the_bundle()
    {
        var (draft, editor, auditor, signedHash) = await ASignedOffRevision();
        var folder = Directory.CreateTempSubdirectory("cadap-stamped-exports-").FullName;
        var files = new Dictionary<string, string>();
        foreach (var format in Formats)
        {
            files[format] = Path.Combine(folder, FileName(format));
            await File.WriteAllBytesAsync(files[format], await editor.Exports(draft, format, "revision=1"));
        }
        var bundle = Path.Combine(folder, "bundle.zip");
        await File.WriteAllBytesAsync(bundle, await auditor.ExportsBundle(draft));

        var claims = Formats.ToDictionary(f => f, f => ExportClaim.Read(files[f]));
        var docx = claims["docx"];
        Assert.Equal((draft, 1, signedHash), (docx.DraftId, docx.Revision, docx.ContentHash));
        Assert.NotNull(docx.Head);
        Assert.True(docx.Head!.Head.Size >= docx.Position);
        Assert.True(SigningKey.Verify(TestLog.ServerKey.PublicKey, docx.Head.Head.SignedMessage(), docx.Head.Signature));
        // Every format states the same stamp, the signed head included, and the earliest head covering the position.
        Assert.All(claims.Values, c => Assert.Equal((docx.Position, docx.ContentHash, docx.ChainHead, docx.Head.ToJsonLine()),
            (c.Position, c.ContentHash, c.ChainHead, c.Head!.ToJsonLine())));
        var heads = await auditor.Read<List<JsonElement>>($"/api/drafts/{draft}/log/heads");
        Assert.Equal(docx.Head.Head.Size, heads.Select(h => h.GetProperty("head").GetProperty("size").GetInt64()).First(s => s >= docx.Position));
        // The footer line states it too.
        var root = docx.Head.Head.RootHex;
        var footer = $"подписанная вершина журнала {docx.Head.Head.Size}:{root} (ключ {docx.Head.KeyId[..16]})";
        Assert.Contains(footer, await File.ReadAllTextAsync(files["html"]));
        Assert.Contains(footer, await File.ReadAllTextAsync(files["md"]));

        foreach (var format in Formats)
        {
            var (exit, output) = await VerifyExport(bundle, files[format]);
            Assert.True(exit == 0, $"{format}: {output}");
            Assert.Contains($"EXPORT OK {Path.GetFileName(files[format])}: revision 1 at position {docx.Position} of this verified log", output);
            Assert.Contains($"its content hash {ChainVerifier.Short(signedHash)} is the one the signed log states for revision 1", output);
            Assert.Contains("export proven: the content embedded in the file (1 node) hashes to the content hash its stamp states", output);
            Assert.Contains("export proven: the file's text shows every node's number and text in ru (or, for a node without it, the text the " +
                            "export shows instead), in document order", output);
            Assert.Contains("export not proven: that the file shows nothing besides that content", output);
            Assert.DoesNotContain("the text is not compared", output);
        }
    }

    /// <summary>A Tajik draft with a chapter holding two actions, exported at its revision in every format, with its bundle.</summary>
    private async Task<(Guid Draft, Guid Chapter, Guid First, Guid Second, string Folder, string Bundle, Dictionary<string, byte[]> Files)>
        AChapterOfTwoActionsExported()
    {
        var editor = await Person.SignIn(app, "tj-editor");
        var auditor = await Person.SignIn(app, "auditor");
        var draft = await editor.CreatesDraft("TJ");
        var chapter = await editor.Inserts(draft, NodeKind.Chapter, "Demand reduction");
        var first = await editor.Inserts(draft, NodeKind.Action, "Mobile outreach to people who inject drugs", parentId: chapter);
        var second = await editor.Inserts(draft, NodeKind.Action, "Naloxone for families of people who use opioids", parentId: chapter,
            afterNodeId: first);
        var folder = Directory.CreateTempSubdirectory("cadap-rendered-exports-").FullName;
        var files = new Dictionary<string, byte[]>();
        foreach (var format in Formats) files[format] = await editor.Exports(draft, format);
        var bundle = Path.Combine(folder, "bundle.zip");
        await File.WriteAllBytesAsync(bundle, await auditor.ExportsBundle(draft));
        return (draft, chapter, first, second, folder, bundle, files);
    }

    [Fact]
    public async Task An_export_whose_visible_text_was_changed_by_one_word_is_a_mismatch_naming_the_node_in_every_format()
    {
        var (_, _, first, second, folder, bundle, files) = await AChapterOfTwoActionsExported();
        var edited = new Dictionary<string, byte[]>
        {
            // The word changed in the body only: the stamp and the embedded content (which also holds the word) are untouched.
            ["docx"] = EditedWordPart(files["docx"], x => x.Replace("families", "friends")),
            ["pdf"] = await PdfOfEditedWord(files["pdf"], EditedWordPart(files["docx"], x => x.Replace("families", "friends")), folder),
            ["akn"] = Utf8(ReplaceLast(Text(files["akn"]), "families", "friends")),
            ["html"] = Utf8(ReplaceLast(Text(files["html"]), "families", "friends")),
            ["md"] = Utf8(ReplaceFirst(Text(files["md"]), "families", "friends")),
        };
        foreach (var format in Formats)
        {
            var genuine = Path.Combine(folder, "genuine-" + FileName(format));
            await File.WriteAllBytesAsync(genuine, files[format]);
            var (exit, output) = await VerifyExport(bundle, genuine);
            Assert.True(exit == 0, $"{format}: {output}");
            Assert.Contains("export proven: the content embedded in the file (3 nodes) hashes to the content hash its stamp states", output);
            Assert.Contains("export proven: the file's text shows every node's number and text in ru (or, for a node without it, the text the " +
                            "export shows instead), in document order" +
                            (format is "docx" or "pdf" ? ", after the table of contents listing the headings" : ""), output);

            var changed = Path.Combine(folder, "changed-" + FileName(format));
            await File.WriteAllBytesAsync(changed, edited[format]);
            (exit, output) = await VerifyExport(bundle, changed);
            Assert.True(exit == 1, $"{format}: {output}");
            Assert.Contains($"EXPORT MISMATCH {Path.GetFileName(changed)}: the file's text does not render node 2 (action {second}): its text in " +
                            "en \"Naloxone for families of people who use opioids\" does not follow its number after node 1 " +
                            $"(action {first}) (missing or altered)", output);
            // The stamp itself still holds: only the text differs.
            Assert.Contains("export proven: the content embedded in the file (3 nodes) hashes to the content hash its stamp states", output);
        }
    }

    [Fact]
    public async Task An_export_whose_embedded_content_was_altered_or_removed_is_a_mismatch()
    {
        var (_, _, _, _, folder, bundle, files) = await AChapterOfTwoActionsExported();
        // The same word changed in the embedded content only (same length, so the PDF's attachment keeps its stated length).
        var altered = new Dictionary<string, byte[]>
        {
            ["docx"] = EditedPart(files["docx"], ExportContent.DocxPart, x => x.Replace("families", "familiez")),
            ["pdf"] = Latin1Edit(files["pdf"], pdf => ReplaceAfter(pdf, pdf.LastIndexOf("{\"content\":", StringComparison.Ordinal),
                "families", "familiez")),
            ["akn"] = Utf8(ReplaceFirst(Text(files["akn"]), "families", "familiez")),
            ["html"] = Utf8(ReplaceFirst(Text(files["html"]), "families", "familiez")),
            ["md"] = Utf8(ReplaceLast(Text(files["md"]), "families", "familiez")),
        };
        var stated = ExportClaim.Read(await SavedBytes(folder, "genuine.html", files["html"])).ContentHash;
        foreach (var format in Formats)
        {
            var file = await SavedBytes(folder, "altered-" + FileName(format), altered[format]);
            var (exit, output) = await VerifyExport(bundle, file);
            Assert.True(exit == 1, $"{format}: {output}");
            Assert.Contains($"EXPORT MISMATCH {Path.GetFileName(file)}: the content embedded in the file hashes to ", output);
            Assert.Contains($"not to the content hash its stamp states ({ChainVerifier.Short(stated)}): the embedded content was altered", output);
        }

        // Without the embedded content, the text cannot be checked: never an EXPORT OK.
        var md = Text(files["md"]);
        var start = md.IndexOf(ExportContent.MarkdownOpening, StringComparison.Ordinal);
        var bare = await Saved(folder, "without-content.md", md[..start] + md[(md.IndexOf("-->", start, StringComparison.Ordinal) + 4)..]);
        var (refused, said) = await VerifyExport(bundle, bare);
        Assert.True(refused == 1, said);
        Assert.Contains("EXPORT MISMATCH without-content.md: the Markdown file embeds no content", said);
    }

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    private static byte[] Utf8(string text) => new UTF8Encoding(false).GetBytes(text);

    private static string ReplaceFirst(string s, string word, string by) => ReplaceAfter(s, 0, word, by);

    private static string ReplaceAfter(string s, int from, string word, string by)
    {
        var at = s.IndexOf(word, from, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{word}' is not in the file");
        return s[..at] + by + s[(at + word.Length)..];
    }

    private static string ReplaceLast(string s, string word, string by)
    {
        var at = s.LastIndexOf(word, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{word}' is not in the file");
        return s[..at] + by + s[(at + word.Length)..];
    }

    private static byte[] Latin1Edit(byte[] bytes, Func<string, string> edit) => Encoding.Latin1.GetBytes(edit(Encoding.Latin1.GetString(bytes)));

    private static async Task<string> SavedBytes(string folder, string name, byte[] bytes)
    {
        var path = Path.Combine(folder, name);
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }

    private static byte[] EditedWordPart(byte[] docx, Func<string, string> edit) => EditedPart(docx, "word/document.xml", edit);

    /// <summary>The Word file with one part's text edited, every other part as it was.</summary>
    private static byte[] EditedPart(byte[] docx, string part, Func<string, string> edit)
    {
        var output = new MemoryStream();
        output.Write(docx);
        using (var zip = new ZipArchive(output, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry(part)!;
            string xml;
            using (var reader = new StreamReader(entry.Open())) xml = reader.ReadToEnd();
            var changed = edit(xml);
            Assert.NotEqual(xml, changed);
            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry(part).Open(), new UTF8Encoding(false));
            writer.Write(changed);
        }
        return output.ToArray();
    }

    /// <summary>
    /// A PDF whose page text says something else: the edited Word file converted by LibreOffice as the server converts it,
    /// then given the genuine PDF's attachments (stamp manifest, embedded content, Akoma Ntoso) as the server attaches them.
    /// </summary>
    private static async Task<byte[]> PdfOfEditedWord(byte[] genuinePdf, byte[] editedDocx, string folder)
    {
        var work = Directory.CreateDirectory(Path.Combine(folder, "edited-pdf")).FullName;
        var docx = Path.Combine(work, "edited.docx");
        await File.WriteAllBytesAsync(docx, editedDocx);
        var converted = await ExportConsumers.LibreOfficeConverts(docx,
            """pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"3"}}""", ".pdf");
        var attachments = new List<CadapDrafting.History.Exports.PdfAttachment>();
        foreach (var (name, mime, relationship) in new[]
                 {
                     ("draft-akn", "application/akn+xml", "Source"), (ExportClaim.PdfManifestName, "application/json", "Supplement"),
                     (ExportContent.PdfName, "application/json", "Data"),
                 })
        {
            var actual = name == "draft-akn"
                ? System.Text.RegularExpressions.Regex.Match(Encoding.Latin1.GetString(genuinePdf), @"/F\((draft-[0-9a-f]+-r\d+-\w+\.akn\.xml)\)")
                    .Groups[1].Value
                : name;
            attachments.Add(new(actual, mime, relationship, "as the server attaches it",
                ExportClaim.PdfAttachment(genuinePdf, actual) ?? throw new InvalidOperationException($"no {actual} in the PDF")));
        }
        var claim = ExportClaim.Read(await SavedBytes(work, "genuine.pdf", genuinePdf));
        var stamp = new CadapDrafting.History.Exports.ExportStamp(claim.DraftId, claim.Revision, claim.Position, claim.ContentHash, claim.ChainHead!,
            DateTimeOffset.Parse(claim.MadeAt!, System.Globalization.CultureInfo.InvariantCulture));
        return CadapDrafting.History.Exports.PdfArchive.Finish(await File.ReadAllBytesAsync(converted), stamp, attachments);
    }

    [Fact]
    public async Task An_export_whose_stamp_was_edited_or_that_renders_another_draft_is_refused_naming_what_differs()
    {
        var (draft, editor, auditor, signedHash) = await ASignedOffRevision();
        var folder = Directory.CreateTempSubdirectory("cadap-tampered-exports-").FullName;
        var bundle = Path.Combine(folder, "bundle.zip");
        await File.WriteAllBytesAsync(bundle, await auditor.ExportsBundle(draft));
        var html = Encoding.UTF8.GetString(await editor.Exports(draft, "html", "revision=1"));
        var claim = ExportClaim.Read(await Saved(folder, "genuine.html", html));

        // The position edited to a later one: the chain hash and time it states are not those of the event there.
        var moved = await Saved(folder, "moved.html", html.Replace(
            $"<meta name=\"cadap.position\" content=\"{claim.Position}\">", $"<meta name=\"cadap.position\" content=\"{claim.Position + 1}\">"));
        var (exit, output) = await VerifyExport(bundle, moved);
        Assert.Equal(1, exit);
        Assert.Contains("EXPORT MISMATCH moved.html", output);
        Assert.Contains($"the file states chain hash {ChainVerifier.Short(claim.ChainHead!)} at position {claim.Position + 1}", output);

        // Another content hash for the signed-off revision: the sign-off in the log states another.
        var md = Encoding.UTF8.GetString(await editor.Exports(draft, "md", "revision=1"));
        var forgedHash = "sha256:" + new string('0', 64);
        var rewritten = await Saved(folder, "rewritten.md", md.Replace($"cadap.contentHash: {signedHash}", $"cadap.contentHash: {forgedHash}"));
        (exit, output) = await VerifyExport(bundle, rewritten);
        Assert.Equal(1, exit);
        Assert.Contains($"the file states content {ChainVerifier.Short(forgedHash)} for revision 1; the log's event at position", output);

        // A signed head that is not the log's: its root changed in the Akoma Ntoso stamp.
        var akn = Encoding.UTF8.GetString(await editor.Exports(draft, "akn", "revision=1"));
        var root = claim.Head!.Head.RootHex;
        var otherRoot = await Saved(folder, "other-root.akn.xml", akn.Replace($"headRoot=\"{root}\"", $"headRoot=\"{new string('a', 64)}\""));
        (exit, output) = await VerifyExport(bundle, otherRoot);
        Assert.Equal(1, exit);
        Assert.Contains($"the signed head the file states (size {claim.Head.Head.Size}, root aaaaaaaaaaaaaaaa…", output);
        Assert.Contains("is not one of this log's verified signed heads", output);

        // A genuine Word export of another draft, checked against this draft's bundle.
        var other = await editor.CreatesDraft("TJ");
        await editor.Inserts(other, NodeKind.Action, "Harm reduction in prisons");
        var foreign = Path.Combine(folder, "other-draft.docx");
        await File.WriteAllBytesAsync(foreign, await editor.Exports(other, "docx"));
        (exit, output) = await VerifyExport(bundle, foreign);
        Assert.Equal(1, exit);
        Assert.Contains($"EXPORT MISMATCH other-draft.docx: the file is of draft {other}; the bundle is of draft {draft}", output);

        // A Word file whose stamp states a property twice, and a Markdown file with no stamp: refused, never a crash.
        var doubled = Path.Combine(folder, "doubled.docx");
        await File.WriteAllBytesAsync(doubled, DoubleAProperty(await editor.Exports(draft, "docx", "revision=1")));
        (exit, output) = await VerifyExport(bundle, doubled);
        Assert.Equal(1, exit);
        Assert.Contains("EXPORT REFUSED doubled.docx: its stamp cannot be read: the Word file states cadap.position twice", output);
        var bare = await Saved(folder, "bare.md", md[..md.IndexOf(ExportClaim.MarkdownOpening, StringComparison.Ordinal)]);
        (exit, output) = await VerifyExport(bundle, bare);
        Assert.Equal(1, exit);
        Assert.Contains("EXPORT REFUSED bare.md: its stamp cannot be read: the Markdown file has no cadap-stamp comment", output);
    }

    [Fact]
    public async Task An_export_of_an_ordinary_revision_is_confirmed_by_the_content_the_log_states_and_another_content_hash_is_refused()
    {
        // No sign-off and no approval anywhere: two revisions, then a comment (a position that is no new revision).
        var editor = await Person.SignIn(app, "uz-editor");
        var auditor = await Person.SignIn(app, "auditor");
        var draft = await editor.CreatesDraft("UZ");
        var first = await editor.Inserts(draft, NodeKind.Action, "Community-based treatment in Tashkent");
        await editor.Inserts(draft, NodeKind.Action, "Overdose prevention with naloxone", afterNodeId: first);
        await editor.StartsThread(draft, first, "Which districts first?");
        var now = await editor.Reads(draft);
        Assert.Equal(2, now.Revision);

        var folder = Directory.CreateTempSubdirectory("cadap-ordinary-exports-").FullName;
        var revision1 = await Saved(folder, "revision-1.md", Encoding.UTF8.GetString(await editor.Exports(draft, "md", "revision=1")));
        var revision2 = await Saved(folder, "revision-2.html", Encoding.UTF8.GetString(await editor.Exports(draft, "html", "revision=2")));
        var commented = Path.Combine(folder, "commented.docx");
        await File.WriteAllBytesAsync(commented, await editor.Exports(draft, "docx", $"position={now.Position}"));
        var bundle = Path.Combine(folder, "bundle.zip");
        await File.WriteAllBytesAsync(bundle, await auditor.ExportsBundle(draft));
        var (claim1, claim2, claimNow) = (ExportClaim.Read(revision1), ExportClaim.Read(revision2), ExportClaim.Read(commented));
        Assert.Equal((1, 2, 2, now.Position), (claim1.Revision, claim2.Revision, claimNow.Revision, claimNow.Position));
        Assert.Equal(claim2.ContentHash, claimNow.ContentHash);
        Assert.NotEqual(claim1.ContentHash, claim2.ContentHash);

        // Each is confirmed: the event at its position states its revision, and the log states that revision's content.
        foreach (var (file, claim) in new[] { (revision1, claim1), (revision2, claim2), (commented, claimNow) })
        {
            var (exit, output) = await VerifyExport(bundle, file);
            Assert.True(exit == 0, output);
            Assert.Contains($"EXPORT OK {Path.GetFileName(file)}: revision {claim.Revision} at position {claim.Position} of this verified log",
                output);
            Assert.Contains($"export proven: its content hash {ChainVerifier.Short(claim.ContentHash)} is the one the signed log states for " +
                            $"revision {claim.Revision} (position ", output);
            Assert.Contains($"and the event at position {claim.Position} states revision {claim.Revision}", output);
            Assert.DoesNotContain("no event of the signed log states the content", output);
        }

        // Revision 2's file stating revision 1's content hash: refused, naming the event that states revision 2's content.
        var html = await File.ReadAllTextAsync(revision2);
        var otherContent = await Saved(folder, "other-content.html", html.Replace(
            $"<meta name=\"cadap.contentHash\" content=\"{claim2.ContentHash}\">",
            $"<meta name=\"cadap.contentHash\" content=\"{claim1.ContentHash}\">"));
        var (mismatch, said) = await VerifyExport(bundle, otherContent);
        Assert.Equal(1, mismatch);
        Assert.Contains($"EXPORT MISMATCH other-content.html: the file states content {ChainVerifier.Short(claim1.ContentHash)} for revision 2; " +
                        "the log's event at position ", said);
        Assert.Contains($"states {ChainVerifier.Short(claim2.ContentHash)} for that revision", said);

        // The same file stating revision 1 at revision 2's position, with revision 1's content hash: the event there says otherwise.
        var otherRevision = await Saved(folder, "other-revision.html", (await File.ReadAllTextAsync(otherContent))
            .Replace("<meta name=\"cadap.revision\" content=\"2\">", "<meta name=\"cadap.revision\" content=\"1\">"));
        (mismatch, said) = await VerifyExport(bundle, otherRevision);
        Assert.Equal(1, mismatch);
        Assert.Contains($"the file states revision 1 at position {claim2.Position}; the log's event there states revision 2", said);
    }

    [Fact]
    public async Task A_draft_written_before_content_statements_keeps_verifying_and_its_first_new_event_anchors_its_revision()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var auditor = await Person.SignIn(app, "auditor");
        // A draft of the days before the log and content statements: written with signing off on both servers, then its events
        // stripped of the statements (the chain recomputed), then the servers sign again and the writer reads it back as stored.
        var settings = new[] { app.Host.Services.GetRequiredService<LogSettings>(), live.Services.GetRequiredService<LogSettings>() };
        Guid draft, first;
        DraftDocument old;
        foreach (var s in settings) s.Signing = false;
        try
        {
            draft = await editor.CreatesDraft("KZ");
            first = await editor.Inserts(draft, NodeKind.Action, "Methadone programmes in Almaty");
            old = await editor.Reads(draft);
            await DatabaseForger.WritesAsBeforeContentStatements(draft);
        }
        finally
        {
            foreach (var s in settings) s.Signing = true;
        }
        app.Host.Services.GetRequiredService<DraftWriter>().ReleaseIdle(TimeSpan.Zero);
        await editor.Inserts(draft, NodeKind.Action, "Harm reduction in Karaganda", afterNodeId: first);
        var now = await editor.Reads(draft);
        Assert.Equal((1, 2), (old.Revision, now.Revision));

        var folder = Directory.CreateTempSubdirectory("cadap-older-exports-").FullName;
        var before = await Saved(folder, "before.md", Encoding.UTF8.GetString(await editor.Exports(draft, "md", "revision=1")));
        var anchored = await Saved(folder, "anchored.md",
            Encoding.UTF8.GetString(await editor.Exports(draft, "md", $"position={old.Position + 1}")));
        var after = await Saved(folder, "after.md", Encoding.UTF8.GetString(await editor.Exports(draft, "md", "revision=2")));
        var bundle = Path.Combine(folder, "bundle.zip");
        await File.WriteAllBytesAsync(bundle, await auditor.ExportsBundle(draft));
        Assert.Equal(ExportClaim.Read(before).ContentHash, ExportClaim.Read(anchored).ContentHash);

        // The position written before: it verifies, and what it cannot prove is said.
        var (exit, output) = await VerifyExport(bundle, before);
        Assert.True(exit == 0, output);
        Assert.Contains($"EXPORT OK before.md: revision 1 at position {old.Position}", output);
        Assert.Contains($"export not proven: that position {old.Position} is revision 1: the event there states no revision", output);
        Assert.Contains("no event of the signed log states the content of that revision", output);
        // The first event written since states the revision it found the draft at and its content: anchored, proven.
        foreach (var (file, revision, position) in new[] { (anchored, 1, old.Position + 1), (after, 2, now.Position) })
        {
            (exit, output) = await VerifyExport(bundle, file);
            Assert.True(exit == 0, output);
            Assert.Contains($"and the event at position {position} states revision {revision}", output);
        }
        Assert.Contains($"(position {old.Position + 1} states it)", (await VerifyExport(bundle, anchored)).Output);
    }

    private static async Task<string> Saved(string folder, string name, string text)
    {
        var path = Path.Combine(folder, name);
        await File.WriteAllTextAsync(path, text, new UTF8Encoding(false));
        return path;
    }

    /// <summary>The Word file with its cadap.position custom property written twice.</summary>
    private static byte[] DoubleAProperty(byte[] docx)
    {
        var output = new MemoryStream();
        output.Write(docx);
        using (var zip = new ZipArchive(output, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry("docProps/custom.xml")!;
            string xml;
            using (var reader = new StreamReader(entry.Open())) xml = reader.ReadToEnd();
            var property = System.Text.RegularExpressions.Regex.Match(xml,
                "<([A-Za-z0-9]+:)?property [^>]*name=\"cadap.position\"[^>]*>.*?</\\1property>").Value;
            Assert.NotEqual("", property);
            xml = xml.Replace(property, property + property);
            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("docProps/custom.xml").Open());
            writer.Write(xml);
        }
        return output.ToArray();
    }
}
