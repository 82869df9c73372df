using System.Text;
using CadapDrafting.Evidence;

namespace CadapDrafting.Tests.Evidence;

/// <summary>
/// The content statements of a log (docs/evidence.md §3.1) against exported files' stamps, with no server: a stamp is
/// confirmed at any position whose event states its revision when the log states that revision's content hash; another
/// content hash or another revision is a mismatch; a log that states a revision without its content proves nothing
/// about it, and says so.
/// </summary>
public sealed class ContentStatementsAgainstExports
{
    private const string Empty = "sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945";

    private const string Chapter = "6f1c2a5e-0000-4000-8000-000000000001";
    private const string Outreach = "6f1c2a5e-0000-4000-8000-000000000002";
    private const string Naloxone = "6f1c2a5e-0000-4000-8000-000000000012";

    /// <summary>
    /// Revision 1's content as the server hashes it: a chapter with actions 1 and 12 (so a number that is part of
    /// another, "1" in "12", is in play); action 12 has no Russian text, so a Russian file shows its English.
    /// </summary>
    private static readonly string Content = CanonicalJson.From($$$"""
        [{"attributes":null,"id":"{{{Chapter}}}","kind":"Chapter","number":"1","parentId":null,"text":{"ru":"Снижение спроса"}},
         {"attributes":null,"id":"{{{Outreach}}}","kind":"Action","number":"1","parentId":"{{{Chapter}}}",
          "text":{"en":"Outreach to people who inject drugs","ru":"Аутрич для людей, употребляющих наркотики <и их семей> & *друзей*"}},
         {"attributes":null,"id":"{{{Naloxone}}}","kind":"Action","number":"12","parentId":"{{{Chapter}}}","text":{"en":"Naloxone for families"}}]
        """);

    private static readonly string First = ExportContent.HashOf(Content);

    /// <summary>A Russian HTML file of revision 1 as the server writes it: the content embedded in the head, the nodes in the body.</summary>
    private static string Html(string outreach = "Аутрич для людей, употребляющих наркотики &lt;и их семей&gt; &amp; *друзей*",
        string? embedded = null) => $$"""
        <!DOCTYPE html>
        <html lang="ru-RU"><head><meta charset="utf-8">
        <script type="application/json" id="cadap-content">{{embedded ?? ExportContent.Embeddable(Content, "ru", "ru")}}</script>
        <title>План</title></head>
        <body><h1>План</h1><p class="subtitle">Редакция 1 · 12 декабря 2026 г.</p>
        <h2 id="n-1">Глава 1. Снижение спроса</h2>
        <p class="action"><strong>Мероприятие 1.</strong> {{outreach}}</p>
        <table class="attributes"><tr><th>Цель</th><td>Снижение вреда</td></tr></table>
        <p class="action"><strong>Мероприятие 12.</strong> <span class="untranslated">[перевод отсутствует; оригинал: английский]</span>
        <span lang="en-GB">Naloxone for
        families</span></p>
        <footer>Редакция 1 · позиция 4</footer>
        </body></html>
        """;

    private static RenderingCheck Rendering(string html) =>
        ExportRendering.Check(ExportRendering.Kind.Html, Encoding.UTF8.GetBytes(html), First, "HTML");

    /// <summary>Revision 0 stated at 1, revision 1 reached and stated at 3, revision 2 reached at 5 without its content (the rule broken).</summary>
    private static Dictionary<string, object?> Statements(int position) => position switch
    {
        1 => new() { [ContentStatements.RevisionHeader] = 0, [ContentStatements.ContentHashHeader] = Empty },
        2 => new() { [ContentStatements.RevisionHeader] = 0 },
        3 => new() { [ContentStatements.RevisionHeader] = 1, [ContentStatements.ContentHashHeader] = First },
        4 => new() { [ContentStatements.RevisionHeader] = 1 },
        _ => new() { [ContentStatements.RevisionHeader] = 2 },
    };

    private static ExportVerdict Check(int revision, long position, string contentHash, RenderingCheck? rendering = null)
    {
        var events = ForgedBundles.Events(6, moreHeaders: Statements);
        var heads = ForgedBundles.Heads(events, [6]);
        var claim = new ExportClaim("HTML", events[0].StreamId, revision, position, contentHash, null, null, heads[0]) { Rendering = rendering };
        var verdict = EvidenceBundle.Verify(new MemoryStream(ForgedBundles.Bundle(events, heads)), new BundleTrust { Export = claim });
        Assert.True(verdict.Intact, verdict.Problem);
        return verdict.Export!;
    }

    [Fact]
    public void A_position_after_the_revision_was_reached_is_confirmed_by_the_content_the_log_stated_there()
    {
        var export = Check(1, 4, First);
        Assert.True(export.Matches, string.Join("; ", export.Differences));
        Assert.Contains(export.Proven, p => p.Contains("is the one the signed log states for revision 1 (position 3 states it), and the event at " +
                                                       "position 4 states revision 1"));
        Assert.Contains(export.NotProven, p => p.StartsWith("that the content hash was computed rightly from the events"));
        Assert.True(Check(0, 2, Empty).Matches);
    }

    [Fact]
    public void Another_content_hash_or_another_revision_at_the_position_is_a_mismatch()
    {
        var otherContent = Check(1, 4, Empty);
        Assert.False(otherContent.Matches);
        Assert.Contains($"the file states content {ChainVerifier.Short(Empty)} for revision 1; the log's event at position 3 states " +
                        $"{ChainVerifier.Short(First)} for that revision", otherContent.Differences);
        var otherRevision = Check(0, 4, Empty);
        Assert.False(otherRevision.Matches);
        Assert.Contains("the file states revision 0 at position 4; the log's event there states revision 1", otherRevision.Differences);
    }

    [Fact]
    public void A_revision_the_log_states_without_its_content_proves_nothing_about_the_content_and_says_so()
    {
        var export = Check(2, 6, First);
        Assert.True(export.Matches, string.Join("; ", export.Differences));
        Assert.DoesNotContain(export.Proven, p => p.Contains("content hash"));
        Assert.Contains(export.NotProven, p => p.Contains("the log states revision 2 at position 6 but no content hash for it"));
    }

    [Fact]
    public void A_file_whose_text_renders_the_content_it_embeds_is_confirmed_and_one_changed_word_is_a_mismatch_naming_the_node()
    {
        var genuine = Check(1, 4, First, Rendering(Html()));
        Assert.True(genuine.Matches, string.Join("; ", genuine.Differences));
        Assert.Contains("the content embedded in the file (3 nodes) hashes to the content hash its stamp states", genuine.Proven);
        Assert.Contains(genuine.Proven, p => p.StartsWith("the file's text shows every node's number and text in ru (or, for a node without it"));
        Assert.DoesNotContain(genuine.NotProven, p => p.Contains("the text is not compared"));
        Assert.Contains(genuine.NotProven, p => p.StartsWith("that the file shows nothing besides that content"));

        // One word of action 1's text changed in the body; the stamp and the embedded content untouched.
        var changed = Check(1, 4, First, Rendering(Html(outreach: "Аутрич для людей, употребляющих наркотики &lt;и их детей&gt; &amp; *друзей*")));
        Assert.False(changed.Matches);
        var difference = Assert.Single(changed.Differences);
        Assert.StartsWith($"the file's text does not render node 1 (action {Outreach}): its text in ru \"Аутрич для людей, ", difference);
        Assert.EndsWith($"\" does not follow its number after node 1 (chapter {Chapter}) (missing or altered)", difference);
        Assert.Contains(changed.Proven, p => p.StartsWith("its content hash") && p.Contains("is the one the signed log states for revision 1"));
    }

    [Fact]
    public void An_embedded_content_that_was_altered_or_that_is_not_the_format_is_a_mismatch_never_a_crash()
    {
        var alteredContent = ExportContent.Embeddable(Content.Replace("families", "friends"), "ru", "ru");
        var altered = Check(1, 4, First, Rendering(Html(embedded: alteredContent)));
        Assert.False(altered.Matches);
        Assert.Contains(altered.Differences, d => d.EndsWith($"not to the content hash its stamp states ({ChainVerifier.Short(First)}): " +
                                                             "the embedded content was altered"));
        foreach (var (embedded, said) in new[]
                 {
                     ("{\"content\":[],\"language\":\"ru\"}", "the embedded content lacks the field \"sourceLanguage\""),
                     ("{\"content\":[{\"id\":\"a\",\"id\":\"b\"}],\"language\":\"ru\",\"sourceLanguage\":\"ru\"}", "is repeated in one object"),
                     ("not json", "the embedded content is not JSON"),
                 })
        {
            var verdict = Check(1, 4, First, Rendering(Html(embedded: embedded)));
            Assert.False(verdict.Matches);
            Assert.Contains(verdict.Differences, d => d.StartsWith("the content embedded in the HTML file cannot be read: ") && d.Contains(said));
        }
        var none = Check(1, 4, First, Rendering(Html().Replace("id=\"cadap-content\"", "id=\"other\"")));
        Assert.False(none.Matches);
        Assert.Contains(none.Differences, d => d.StartsWith("the HTML file embeds no content"));
    }

    [Fact]
    public void Numbers_are_matched_as_whole_tokens_and_Word_and_PDF_files_list_their_headings_first()
    {
        var content = ExportContent.Parse(ExportContent.Embeddable(Content, "ru", "ru"));
        string? Missing(ExportRendering.Kind kind, string text) => ExportRendering.FirstNotRendered(kind, content, ExportRendering.Normalise(text));
        const string outreach = "Аутрич для людей, употребляющих наркотики <и их семей> & *друзей*";
        var body = $"Глава 1. Снижение спроса Мероприятие 1. {outreach} Мероприятие 12. [перевод отсутствует] Naloxone for families";
        Assert.Null(Missing(ExportRendering.Kind.Akn, body));
        // Action 1's number only inside "12" (or "1.2") does not stand for it.
        foreach (var glued in new[] { "12", "1.2", "A1" })
            Assert.StartsWith($"the file's text does not render node 1 (action {Outreach}): its number 1 does not appear after node 1",
                Missing(ExportRendering.Kind.Akn, $"Глава 1. Снижение спроса Мероприятие {glued}. {outreach} Мероприятие 12. Naloxone for families"));
        // The text may not start far from its number.
        Assert.Contains("does not follow its number",
            Missing(ExportRendering.Kind.Akn, body.Replace("Мероприятие 1. ", $"Мероприятие 1. {new string('x', ExportRendering.MaxGap + 1)} ")));
        // Word and PDF: the table of contents lists the chapter before the body; without it the chapter is missing from the body.
        Assert.StartsWith($"the file's text does not render node 1 (chapter {Chapter}): its text in ru \"Снижение спроса\" does not follow its " +
                          $"number after node 1 (chapter {Chapter}) in the table of contents", Missing(ExportRendering.Kind.Docx, body));
        // A text that runs on into more letters is not that text.
        Assert.Contains("does not follow its number", Missing(ExportRendering.Kind.Akn, body.Replace("Снижение спроса", "Снижение спросах")));
        Assert.Null(Missing(ExportRendering.Kind.Docx, "Содержание Глава 1. Снижение спроса......3 " + body));
        // A heading edited in the body only, its contents entry left as it was: named in the body.
        Assert.StartsWith($"the file's text does not render node 1 (chapter {Chapter}): its text",
            Missing(ExportRendering.Kind.Pdf, "Содержание Глава 1. Снижение спроса......3 " + body.Replace("Снижение спроса", "Снижение вреда")));
    }

    [Fact]
    public void A_PDF_is_read_without_its_running_header_and_footer_and_without_pdftotext_its_text_is_reported_as_not_compared()
    {
        var pages = "DRAFT\n\nTitle page\n\nPage 1 of 12\nRevision 1 · sha256:ab\n\f" +
                    "DRAFT\nChapter 1. Demand\nAction 1. Outreach to\nPage 2 of 12\nRevision 1 · sha256:ab\n\f" +
                    "DRAFT\npeople who inject drugs\nPage 10 of 12\nRevision 1 · sha256:ab\n\f";
        Assert.Equal("Title page\nChapter 1. Demand\nAction 1. Outreach to\npeople who inject drugs", ExportRendering.WithoutRunningLines(pages));

        // A real PDF (the converter's output for another draft) given this content as the server attaches it.
        var converted = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "History", "pdf", "fonts-in-order.pdf"));
        var stamp = new CadapDrafting.History.Exports.ExportStamp(Guid.NewGuid(), 1, 4, First, new string('a', 64), DateTimeOffset.UnixEpoch);
        var pdf = CadapDrafting.History.Exports.PdfArchive.Finish(converted, stamp,
            [new(ExportContent.PdfName, "application/json", "Data", "content", Encoding.UTF8.GetBytes(ExportContent.Embeddable(Content, "ru", "ru")))
            ]);
        var unread = ExportRendering.Check(ExportRendering.Kind.Pdf, pdf, First, "PDF", pdfToText: "/nonexistent/pdftotext");
        Assert.Empty(unread.Differences);
        Assert.Contains("the content embedded in the file (3 nodes) hashes to the content hash its stamp states", unread.Proven);
        Assert.Contains(unread.NotProven, p => p.StartsWith("that the PDF's text renders that content: pdftotext (Debian package poppler-utils) is " +
                                                            "not on PATH, so its text was not compared"));
        // Read, its pages render another draft: the first node is named.
        var read = ExportRendering.Check(ExportRendering.Kind.Pdf, pdf, First, "PDF");
        Assert.StartsWith($"the file's text does not render node 1 (chapter {Chapter}) in the table of contents", Assert.Single(read.Differences));
    }
}
