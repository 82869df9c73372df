using System.IO.Compression;
using System.Text;
using CadapDrafting.Drafts;
using CadapDrafting.Evidence;

namespace CadapDrafting.Tests.History;

/// <summary>
/// Every export states the signed head of the log that covers its revision, and an auditor holding the draft's
/// evidence bundle confirms offline that an exported file (Word, PDF, Akoma Ntoso, HTML, Markdown) names a revision
/// of the verified log. A file whose stamp was edited, or a stamp of another draft, is refused, naming what differs.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ExportsAgainstTheLog(AppFixture app)
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
            Assert.Contains("export not proven: that the file's text renders that content", output);
        }
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
