using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace CadapDrafting.Evidence;

/// <summary>
/// Whether an exported file's text renders the content its stamp states (docs/evidence.md §10.1): what differs, what
/// was proven, and what could not be checked.
/// </summary>
public sealed record RenderingCheck(IReadOnlyList<string> Differences, IReadOnlyList<string> Proven, IReadOnlyList<string> NotProven);

/// <summary>
/// Checks an exported file's text against the content it embeds: the embedded content must hash to the stamp's
/// content hash, and every node's number and text (in the file's language) must appear in the file's visible text in
/// document order. The visible text is read per format: Word's body paragraphs (deleted and hidden runs left out),
/// HTML's body without tags, scripts and styles, Akoma Ntoso's body, Markdown without its markup and comments, and a
/// PDF's text as <c>pdftotext</c> (poppler-utils) extracts it, without the lines every page repeats (header and footer).
/// </summary>
public static partial class ExportRendering
{
    /// <summary>How far after a node's number its text may begin: the rest of its label ("-бап. ") and an untranslated marker.</summary>
    public const int MaxGap = 120;

    public enum Kind { Docx, Pdf, Akn, Html, Markdown }

    /// <param name="pdfToText">The program that extracts a PDF's text (poppler's pdftotext, looked up on PATH).</param>
    public static RenderingCheck Check(Kind kind, byte[] bytes, string statedContentHash, string format, string pdfToText = "pdftotext")
    {
        string? json;
        try { json = Embedded(kind, bytes); }
        catch (Exception e) when (e is FormatException or XmlException or InvalidDataException or DecoderFallbackException)
        {
            return new RenderingCheck([$"the content embedded in the {format} file cannot be read: {e.Message}"], [], []);
        }
        if (json is null)
            return new RenderingCheck([$"the {format} file embeds no content (docs/evidence.md §10.1; files exported before it was embedded have " +
                                       "none), so its text cannot be checked against that revision"], [], []);
        ExportContent content;
        try { content = ExportContent.Parse(json); }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            return new RenderingCheck([$"the content embedded in the {format} file cannot be read: {e.Message}"], [], []);
        }
        if (content.Hash != statedContentHash)
            return new RenderingCheck([$"the content embedded in the file hashes to {ChainVerifier.Short(content.Hash)}, not to the content hash " +
                                       $"its stamp states ({ChainVerifier.Short(statedContentHash)}): the embedded content was altered"], [], []);
        var nodes = content.Nodes.Count == 1 ? "1 node" : $"{content.Nodes.Count} nodes";
        var proven = new List<string> { $"the content embedded in the file ({nodes}) hashes to the content hash its stamp states" };
        string text;
        try
        {
            var visible = VisibleText(kind, bytes, pdfToText);
            if (visible is null)
                return new RenderingCheck([], proven,
                    ["that the PDF's text renders that content: pdftotext (Debian package poppler-utils) is not on PATH, so its text was not " +
                     "compared (the stamp and the embedded content were)"]);
            text = visible;
        }
        catch (Exception e) when (e is FormatException or XmlException or InvalidDataException or DecoderFallbackException or IOException)
        {
            return new RenderingCheck([$"the {format} file's text cannot be read: {e.Message}"], proven, []);
        }
        var missing = FirstNotRendered(kind, content, Normalise(text));
        if (missing is not null) return new RenderingCheck([missing], proven, []);
        proven.Add($"the file's text shows every node's number and text in {content.Language} (or, for a node without it, the text the " +
                   $"export shows instead), in document order" +
                   (kind is Kind.Docx or Kind.Pdf ? ", after the table of contents listing the headings" : ""));
        return new RenderingCheck([], proven,
        [
            "that the file shows nothing besides that content: the text around the nodes (title page, labels, action records, footer) is not " +
            "compared, and the text is read, not laid out (text a style hides counts as shown)",
        ]);
    }

    /// <summary>
    /// The first node the text does not render, as a difference naming it; null when every node is rendered. Word and
    /// PDF list the headings first (the table of contents), then every node; the other formats every node.
    /// </summary>
    public static string? FirstNotRendered(Kind kind, ExportContent content, string text)
    {
        var sequence = (kind is Kind.Docx or Kind.Pdf
                ? content.Nodes.Where(n => n.IsHeading).Select(n => (Node: n, Contents: true))
                : [])
            .Concat(content.Nodes.Select(n => (Node: n, Contents: false)));
        var cursor = 0;
        (ContentNode Node, bool Contents)? previous = null;
        foreach (var (node, contents) in sequence)
        {
            var shown = content.ShownText(node);
            var end = -1;
            foreach (var (_, candidate) in shown)
            {
                end = Find(text, cursor, Normalise(node.Number), Normalise(candidate));
                if (end >= 0) break;
            }
            if (end < 0)
            {
                var where = contents ? " in the table of contents" : "";
                var after = previous is { } p ? $" after {Describe(p.Node)}{(p.Contents ? " in the table of contents" : "")}" : "";
                var numberThere = Token(text, cursor, Normalise(node.Number)) >= 0;
                return $"the file's text does not render {Describe(node)}{where}: " + (numberThere
                    ? $"its text in {shown[0].Language} \"{Excerpt(shown[0].Text)}\" does not follow its number{after} (missing or altered)"
                    : $"its number {node.Number} does not appear{after}");
            }
            cursor = end;
            previous = (node, contents);
        }
        return null;
    }

    private static string Describe(ContentNode node) => $"node {node.Number} ({node.Kind.ToLowerInvariant()} {node.Id})";

    private static string Excerpt(string s)
    {
        var one = Normalise(s);
        return one.Length <= 60 ? one : one[..60] + "…";
    }

    /// <summary>
    /// Where the node's text ends when, from <paramref name="from"/> on, its number stands as a whole token and its text
    /// begins at most <see cref="MaxGap"/> characters after it; -1 when nowhere.
    /// </summary>
    private static int Find(string text, int from, string number, string shown)
    {
        if (shown.Length == 0)
        {
            var at = Token(text, from, number);
            return at < 0 ? -1 : at + number.Length;
        }
        for (var start = text.IndexOf(shown, from, StringComparison.Ordinal); start >= 0;
             start = start + 1 < text.Length ? text.IndexOf(shown, start + 1, StringComparison.Ordinal) : -1)
        {
            // A text that starts or ends inside a word ("спроса" in "спросах") is not that text.
            var end = start + shown.Length;
            if (char.IsLetterOrDigit(shown[0]) && start > 0 && char.IsLetterOrDigit(text[start - 1]) ||
                char.IsLetterOrDigit(shown[^1]) && end < text.Length && char.IsLetterOrDigit(text[end]))
                continue;
            var windowStart = Math.Max(from, start - MaxGap - number.Length);
            if (Token(text, windowStart, number, start - number.Length + 1) >= 0) return end;
        }
        return -1;
    }

    /// <summary>
    /// The next place from <paramref name="from"/> (and before <paramref name="startsBefore"/>) where the number stands alone:
    /// no letter, digit or dot glued to it; -1 when there is none.
    /// </summary>
    private static int Token(string text, int from, string number, int startsBefore = int.MaxValue)
    {
        if (number.Length == 0) return from < startsBefore ? from : -1;
        var limit = Math.Min(startsBefore, text.Length);
        int Next(int start) => start < limit
            ? text.IndexOf(number, start, Math.Min(text.Length - start, limit - start + number.Length - 1), StringComparison.Ordinal)
            : -1;
        for (var at = Next(from); at >= 0; at = Next(at + 1))
        {
            var before = at > 0 ? text[at - 1] : ' ';
            var after = at + number.Length < text.Length ? text[at + number.Length] : ' ';
            var afterNext = at + number.Length + 1 < text.Length ? text[at + number.Length + 1] : ' ';
            if (char.IsLetterOrDigit(before) || before == '.' || char.IsLetterOrDigit(after) || after == '.' && char.IsDigit(afterNext)) continue;
            return at;
        }
        return -1;
    }

    /// <summary>
    /// Text as the check compares it: Unicode NFKC (so a PDF's ligatures read as letters), characters XML cannot carry
    /// as U+FFFD (as the Word and Akoma Ntoso exports write them), every run of whitespace one space, trimmed.
    /// </summary>
    public static string Normalise(string s)
    {
        var sb = new StringBuilder(s.Length);
        var space = false;
        foreach (var c in s.Normalize(NormalizationForm.FormKC))
        {
            if (char.IsWhiteSpace(c))
            {
                space = sb.Length > 0;
                continue;
            }
            if (c == '\u00AD') continue;
            if (space) sb.Append(' ');
            space = false;
            sb.Append(XmlConvert.IsXmlChar(c) || char.IsSurrogate(c) ? c : '\uFFFD');
        }
        return sb.ToString();
    }

    // ---- The embedded content, per format ----

    private static XmlReaderSettings SafeXml => ExportClaim.SafeXml;

    private static string Utf8(byte[] bytes) => ExportClaim.Utf8(bytes);

    /// <summary>The embedded block's JSON, or null when the file has none; two blocks are a <see cref="FormatException"/>.</summary>
    public static string? Embedded(Kind kind, byte[] bytes)
    {
        switch (kind)
        {
            case Kind.Docx:
                {
                    using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
                    var parts = zip.Entries.Where(e => e.FullName == ExportContent.DocxPart).ToList();
                    if (parts.Count > 1) throw new FormatException($"the Word file holds {ExportContent.DocxPart} twice");
                    if (parts.Count == 0) return null;
                    using var reader = new StreamReader(parts[0].Open(), new UTF8Encoding(false, throwOnInvalidBytes: true));
                    return reader.ReadToEnd();
                }
            case Kind.Pdf:
                return ExportClaim.PdfAttachment(bytes, ExportContent.PdfName) is { } attached ? Utf8(attached) : null;
            case Kind.Akn:
                {
                    using var reader = XmlReader.Create(new MemoryStream(bytes), SafeXml);
                    var blocks = XDocument.Load(reader).Descendants(XName.Get(ExportContent.AknElement, ExportClaim.AknNamespace)).ToList();
                    if (blocks.Count > 1) throw new FormatException("the Akoma Ntoso file holds two cadap:content elements");
                    return blocks.Count == 0 ? null : blocks[0].Value;
                }
            case Kind.Html:
                {
                    var blocks = HtmlContent().Matches(Utf8(bytes));
                    if (blocks.Count > 1) throw new FormatException($"the HTML file holds two {ExportContent.HtmlId} blocks");
                    return blocks.Count == 0 ? null : blocks[0].Groups[1].Value;
                }
            default:
                {
                    var text = Utf8(bytes);
                    var start = text.IndexOf(ExportContent.MarkdownOpening, StringComparison.Ordinal);
                    if (start < 0) return null;
                    if (text.IndexOf(ExportContent.MarkdownOpening, start + 1, StringComparison.Ordinal) >= 0)
                        throw new FormatException("the Markdown file holds two cadap-content comments");
                    var end = text.IndexOf("-->", start, StringComparison.Ordinal);
                    if (end < 0) throw new FormatException("the Markdown file's cadap-content comment is not closed");
                    return text[(start + ExportContent.MarkdownOpening.Length)..end];
                }
        }
    }

    [GeneratedRegex("<script type=\"application/json\" id=\"cadap-content\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex HtmlContent();

    // ---- The visible text, per format ----

    /// <summary>The file's visible text, or null for a PDF when pdftotext cannot be run.</summary>
    public static string? VisibleText(Kind kind, byte[] bytes, string pdfToText = "pdftotext") => kind switch
    {
        Kind.Docx => DocxText(bytes),
        Kind.Pdf => PdfText(bytes, pdfToText),
        Kind.Akn => AknText(bytes),
        Kind.Html => HtmlText(Utf8(bytes)),
        _ => MarkdownText(Utf8(bytes)),
    };

    private const string W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    /// <summary>
    /// Word: the main document's body, paragraph by paragraph (a space between paragraphs, table cells included), each
    /// the text of its runs: w:t, with w:tab, w:br and w:cr as spaces. Deleted text (w:delText, w:del, w:moveFrom) and
    /// runs marked hidden (w:vanish) are not shown, so a file with tracked changes reads as if they were accepted.
    /// </summary>
    private static string DocxText(byte[] bytes)
    {
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        var main = MainDocument(zip);
        var entry = zip.GetEntry(main) ?? throw new FormatException($"the Word file has no {main}");
        using var reader = XmlReader.Create(entry.Open(), SafeXml);
        var body = XDocument.Load(reader).Root?.Element(XName.Get("body", W)) ?? throw new FormatException("the Word file has no body");
        var sb = new StringBuilder();
        foreach (var e in body.Descendants())
        {
            if (e.Name.NamespaceName != W) continue;
            switch (e.Name.LocalName)
            {
                case "p": sb.Append(' '); break;
                case "t" when Shown(e): sb.Append(e.Value); break;
                case "tab" or "br" or "cr" when e.Parent?.Name.LocalName == "r" && Shown(e): sb.Append(' '); break;
            }
        }
        return sb.ToString();
    }

    private static bool Shown(XElement e)
    {
        if (e.Ancestors().Any(a => a.Name.NamespaceName == W && a.Name.LocalName is "del" or "moveFrom")) return false;
        var vanish = e.Parent?.Element(XName.Get("rPr", W))?.Element(XName.Get("vanish", W));
        return vanish is null || (string?)vanish.Attribute(XName.Get("val", W)) is "0" or "false" or "off";
    }

    /// <summary>The main document part, as the package's officeDocument relationship names it.</summary>
    private static string MainDocument(ZipArchive zip)
    {
        var rels = zip.GetEntry("_rels/.rels") ?? throw new FormatException("the Word file has no _rels/.rels");
        using var reader = XmlReader.Create(rels.Open(), SafeXml);
        var target = XDocument.Load(reader).Root?.Elements()
            .Where(r => ((string?)r.Attribute("Type"))?.EndsWith("/officeDocument", StringComparison.Ordinal) == true)
            .Select(r => (string?)r.Attribute("Target")).SingleOrDefault()
            ?? throw new FormatException("the Word file names no main document");
        return target.TrimStart('/');
    }

    /// <summary>Akoma Ntoso: the text of the body (bill) or mainBody (doc), a space between elements; meta and preface left out.</summary>
    private static string AknText(byte[] bytes)
    {
        using var reader = XmlReader.Create(new MemoryStream(bytes), SafeXml);
        var ns = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0";
        var bodies = XDocument.Load(reader).Descendants().Where(e => e.Name == XName.Get("body", ns) || e.Name == XName.Get("mainBody", ns)).ToList();
        if (bodies.Count != 1) throw new FormatException("the Akoma Ntoso file has no one body");
        return string.Join(" ", bodies[0].DescendantNodes().OfType<XText>().Select(t => t.Value));
    }

    /// <summary>HTML: the body with comments, scripts, styles and templates removed, every tag read as a space, entities decoded.</summary>
    private static string HtmlText(string html)
    {
        var start = html.IndexOf("<body", StringComparison.OrdinalIgnoreCase);
        var end = html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        var body = start < 0 ? html : html[start..(end > start ? end : html.Length)];
        body = HtmlHidden().Replace(body, " ");
        return WebUtility.HtmlDecode(HtmlTag().Replace(body, " "));
    }

    [GeneratedRegex(@"<!--.*?-->|<(script|style|template|head)\b.*?</\1\s*>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex HtmlHidden();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex HtmlTag();

    /// <summary>
    /// Markdown as the exports write it: comments removed; a backslash before punctuation makes it literal; the other
    /// emphasis and code marks (*, _, `, ~) are markup and not shown; table bars are spaces; the #s opening a heading
    /// line are markup; an entity is decoded.
    /// </summary>
    private static string MarkdownText(string markdown)
    {
        var text = MarkdownComment().Replace(markdown, " ");
        var sb = new StringBuilder(text.Length);
        var lineStart = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (lineStart && c == '#')
            {
                while (i < text.Length && text[i] == '#') i++;
                i--;
                lineStart = false;
                continue;
            }
            lineStart = c == '\n';
            if (c == '\\' && i + 1 < text.Length && char.IsAsciiLetterOrDigit(text[i + 1]) is false && text[i + 1] is > ' ' and < '\u007f')
            {
                sb.Append(text[++i]);
                continue;
            }
            if (c == '&' && MarkdownEntity().Match(text, i) is { Success: true, Index: var at } m && at == i)
            {
                sb.Append(WebUtility.HtmlDecode(m.Value));
                i += m.Length - 1;
                continue;
            }
            if (c is '*' or '_' or '`' or '~') continue;
            sb.Append(c == '|' ? ' ' : c);
        }
        return sb.ToString();
    }

    [GeneratedRegex(@"<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex MarkdownComment();

    [GeneratedRegex(@"\G&#?[A-Za-z0-9]+;")]
    private static partial Regex MarkdownEntity();

    /// <summary>
    /// A PDF's text by pdftotext (UTF-8, reading order), page by page, without its running header and footer: the lines
    /// at the top and at the bottom that every page repeats (numbers aside, as in "Page 2 of 9"). Null when pdftotext
    /// cannot be started.
    /// </summary>
    private static string? PdfText(byte[] bytes, string pdfToText)
    {
        var file = Path.Combine(Path.GetTempPath(), $"cadap-verify-{Guid.NewGuid():N}.pdf");
        try
        {
            File.WriteAllBytes(file, bytes);
            var info = new ProcessStartInfo(pdfToText) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "-enc", "UTF-8", "-q", file, "-" }) info.ArgumentList.Add(a);
            Process? process;
            try { process = Process.Start(info); }
            catch (System.ComponentModel.Win32Exception) { return null; }
            if (process is null) return null;
            using (process)
            {
                var errors = process.StandardError.ReadToEndAsync();
                var output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                if (process.ExitCode != 0)
                    throw new FormatException($"pdftotext could not read it (exit {process.ExitCode}): {errors.Result.Trim()}");
                return WithoutRunningLines(output);
            }
        }
        finally
        {
            try { File.Delete(file); }
            catch (IOException) { }
        }
    }

    /// <summary>Pages (separated by form feeds) without the leading and trailing lines that every page has alike.</summary>
    public static string WithoutRunningLines(string text)
    {
        var pages = text.Split('\f').Select(p => p.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList())
            .Where(p => p.Count > 0).ToList();
        if (pages.Count < 2) return string.Join("\n", pages.SelectMany(p => p));
        static string Shape(string line) => Digits().Replace(line, "#");
        var top = 0;
        while (pages.All(p => p.Count > top) && pages.All(p => Shape(p[top]) == Shape(pages[0][top]))) top++;
        var bottom = 0;
        while (pages.All(p => p.Count > top + bottom) && pages.All(p => Shape(p[^(bottom + 1)]) == Shape(pages[0][^(bottom + 1)]))) bottom++;
        return string.Join("\n", pages.SelectMany(p => p.Skip(top).Take(p.Count - top - bottom)));
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
