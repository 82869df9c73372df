using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using CadapDrafting.Infrastructure;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace CadapDrafting.Import;

/// <summary>Which file a draft was imported from: enough to find the very same bytes again.</summary>
public sealed record ImportSource(string FileName, string Sha256, long Bytes);

/// <summary>A paragraph of the Word file as a reader sees it: its style, outline level and the number in front of it.</summary>
public sealed record SourceParagraph(int Index, string Text, string? StyleName, int? OutlineLevel, string? ListNumber, int? ListLevel,
    bool IsTitleStyle, int? ListId = null);

public sealed record SourceTable(int Index, int FirstParagraph, List<List<string>> Rows);

/// <summary>The body of a Word file in reading order: paragraphs and tables, each numbered as it comes.</summary>
public sealed record SourceDocument(ImportSource Source, List<object> Blocks)
{
    public IEnumerable<SourceParagraph> Paragraphs => Blocks.OfType<SourceParagraph>();
    public IEnumerable<SourceTable> Tables => Blocks.OfType<SourceTable>();
}

/// <summary>
/// Opens an uploaded file as a Word document, or refuses it with a 422 that says what it is instead: not a DOCX,
/// a legacy .doc, password-protected, macro-enabled, a zip bomb, larger than 20 MB.
/// </summary>
public static class WordFile
{
    public const long MaxBytes = 20 * 1024 * 1024;
    /// <summary>A real 40-page programme unpacks to a few MB; anything unpacking beyond this is refused as a zip bomb.</summary>
    private const long MaxUnpackedBytes = 200L * 1024 * 1024;
    private const int MaxEntries = 5_000;
    private const int MaxCompressionRatio = 200;

    private static readonly byte[] CompoundFileSignature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    public static (SourceDocument? Document, Problem? Refusal) Read(byte[] bytes, string fileName)
    {
        if (bytes.Length > MaxBytes)
            return (null, Refuse("file", $"The file is {bytes.Length / (1024 * 1024.0):0.0} MB; a Word file for import may be at most 20 MB.",
                "tooLarge"));
        if (bytes.Length == 0) return (null, Refuse("file", "The file is empty.", "notDocx"));
        if (bytes.AsSpan().StartsWith(CompoundFileSignature))
            return (null, ContainsUtf16(bytes, "EncryptionInfo")
                ? Refuse("file",
                    "The Word file is password-protected. Remove the password in Word (File → Info → Protect Document) and upload it again.",
                    "encrypted")
                : Refuse("file", "This is a Word 97-2003 (.doc) file, not a DOCX. Save it as .docx in Word and upload it again.", "notDocx"));
        if (bytes.Length < 4 || bytes[0] != 'P' || bytes[1] != 'K')
            return (null, Refuse("file", "The file is not a Word document (.docx): it is not a zip package.", "notDocx"));

        if (CheckPackage(bytes) is { } refusal) return (null, refusal);

        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            using var word = WordprocessingDocument.Open(stream, false);
            if (word.DocumentType is WordprocessingDocumentType.MacroEnabledDocument or WordprocessingDocumentType.MacroEnabledTemplate
                || word.MainDocumentPart?.VbaProjectPart is not null)
                return (null, Refuse("file", "The Word file contains macros (.docm). Save it as a plain .docx without macros and upload it again.",
                    "macros"));
            if (word.MainDocumentPart?.Document?.Body is not { } body)
                return (null, Refuse("file", "The package has no Word document body: it is not a DOCX.", "notDocx"));
            var source = new ImportSource(Path.GetFileName(fileName), Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length);
            return (new SourceDocument(source, ReadBody(word, body)), null);
        }
        catch (Exception ex) when (ex is OpenXmlPackageException or InvalidDataException or FileFormatException or System.Xml.XmlException
                                       or InvalidOperationException or NotSupportedException)
        {
            return (null, Refuse("file", $"The file is not a readable Word document (.docx): {ex.Message}", "notDocx"));
        }
    }

    public static Problem Refuse(string field, string message, string reason) =>
        Problem.Invalid(field, message) with { Extensions = new Dictionary<string, object?> { ["reason"] = reason } };

    /// <summary>Counts what the package really unpacks to (declared sizes can lie) before the SDK reads any of it.</summary>
    private static Problem? CheckPackage(byte[] bytes)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
            if (zip.Entries.Count > MaxEntries) return ZipBomb($"it holds {zip.Entries.Count} files");
            if (zip.GetEntry("[Content_Types].xml") is null)
                return Refuse("file", "The file is a zip package but not a Word document (.docx): it has no [Content_Types].xml.", "notDocx");
            if (zip.GetEntry("EncryptedPackage") is not null)
                return Refuse("file", "The Word file is password-protected.", "encrypted");
            long total = 0;
            var buffer = new byte[64 * 1024];
            foreach (var entry in zip.Entries)
            {
                if (entry.CompressedLength > 0 && entry.Length / entry.CompressedLength > MaxCompressionRatio && entry.Length > 1024 * 1024)
                    return ZipBomb($"'{entry.FullName}' expands {entry.Length / entry.CompressedLength}-fold");
                using var content = entry.Open();
                int read;
                while ((read = content.Read(buffer, 0, buffer.Length)) > 0)
                    if ((total += read) > MaxUnpackedBytes) return ZipBomb($"it unpacks to more than {MaxUnpackedBytes / (1024 * 1024)} MB");
            }
            return null;
        }
        catch (InvalidDataException ex)
        {
            return Refuse("file", $"The file is not a Word document (.docx): the zip package is damaged ({ex.Message}).", "notDocx");
        }
    }

    private static Problem ZipBomb(string why) =>
        Refuse("file", $"The file was refused as a zip bomb: {why}. A Word file of a strategy unpacks to a few megabytes.", "zipBomb");

    private static bool ContainsUtf16(byte[] bytes, string text) =>
        bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(text)) >= 0;

    private static List<object> ReadBody(WordprocessingDocument word, Body body)
    {
        var styles = new StyleChain(word.MainDocumentPart!.StyleDefinitionsPart?.Styles);
        var numbering = new WordNumbering(word.MainDocumentPart.NumberingDefinitionsPart);
        var blocks = new List<object>();
        var paragraphIndex = 0;
        var tableIndex = 0;

        void Walk(OpenXmlElement container)
        {
            foreach (var element in container.Elements())
            {
                switch (element)
                {
                    case Paragraph p:
                        blocks.Add(ReadParagraph(p, ++paragraphIndex, styles, numbering));
                        break;
                    case Table t:
                        var first = paragraphIndex + 1;
                        var rows = t.Elements<TableRow>().Select(r => r.Elements<TableCell>().Select(c =>
                        {
                            // Cell paragraphs count too, so a row's place in the file can be named.
                            var lines = c.Elements<Paragraph>().Select(cp => { paragraphIndex++; return Text(cp); });
                            return string.Join("\n", lines.Where(l => l.Length > 0));
                        }).ToList()).ToList();
                        blocks.Add(new SourceTable(++tableIndex, first, rows));
                        break;
                    case SdtBlock sdt when sdt.SdtContentBlock is { } content:
                        Walk(content);
                        break;
                }
            }
        }

        Walk(body);
        return blocks;
    }

    private static SourceParagraph ReadParagraph(Paragraph p, int index, StyleChain styles, WordNumbering numbering)
    {
        var properties = p.ParagraphProperties;
        var styleId = properties?.ParagraphStyleId?.Val?.Value;
        var outline = properties?.OutlineLevel?.Val?.Value ?? styles.OutlineLevel(styleId);
        var styleName = styles.NameOf(styleId);
        if (outline is null && styleName is not null && HeadingLevel(styleName) is { } h) outline = h;
        if (outline is 9) outline = null; // "body text"

        var numPr = properties?.NumberingProperties;
        int? numId = numPr?.NumberingId?.Val?.Value;
        int? level = numPr?.NumberingLevelReference?.Val?.Value;
        if (numId is null && styles.NumberingOf(styleId) is { } fromStyle) (numId, level) = (fromStyle.NumId, level ?? fromStyle.Level);
        var text = Text(p);
        var number = numId is { } id && text.Length > 0 ? numbering.Next(id, level ?? 0) : null;
        var isTitle = styleName is not null && styleName.Equals("Title", StringComparison.OrdinalIgnoreCase);
        return new SourceParagraph(index, text, styleName, outline, number, number is null ? null : level ?? 0, isTitle,
            number is null ? null : numbering.ListOf(numId!.Value));
    }

    /// <summary>"heading 2" (Word's built-in name, whatever the UI language) is outline level 1.</summary>
    private static int? HeadingLevel(string styleName) =>
        styleName.StartsWith("heading ", StringComparison.OrdinalIgnoreCase) && int.TryParse(styleName[8..], out var n) && n is >= 1 and <= 9
            ? n - 1
            : null;

    /// <summary>The text a reader sees: runs, tabs as spaces; deleted revisions and field codes are not text.</summary>
    public static string Text(Paragraph p)
    {
        var text = new StringBuilder();
        foreach (var e in p.Descendants())
        {
            switch (e)
            {
                case DocumentFormat.OpenXml.Wordprocessing.Text t: text.Append(t.Text); break;
                case TabChar: text.Append(' '); break;
                case Break or CarriageReturn: text.Append(' '); break;
                case NoBreakHyphen: text.Append('-'); break;
            }
        }
        return System.Text.RegularExpressions.Regex.Replace(text.ToString(), @"\s+", " ").Trim();
    }

    /// <summary>Style properties follow <c>basedOn</c>: a custom heading inherits its outline level and list.</summary>
    private sealed class StyleChain(Styles? styles)
    {
        private readonly Dictionary<string, Style> _byId = styles?.Elements<Style>().Where(s => s.StyleId?.Value is not null)
            .GroupBy(s => s.StyleId!.Value!).ToDictionary(g => g.Key, g => g.First()) ?? new();

        private IEnumerable<Style> Chain(string? styleId)
        {
            var seen = new HashSet<string>();
            while (styleId is not null && seen.Add(styleId) && _byId.TryGetValue(styleId, out var style))
            {
                yield return style;
                styleId = style.BasedOn?.Val?.Value;
            }
        }

        public string? NameOf(string? styleId) =>
            Chain(styleId).Select(s => s.StyleName?.Val?.Value).FirstOrDefault(n => n is not null && HeadingLevel(n) is not null)
                                                  ?? Chain(styleId).FirstOrDefault()?.StyleName?.Val?.Value;

        public int? OutlineLevel(string? styleId) =>
            Chain(styleId).Select(s => s.StyleParagraphProperties?.OutlineLevel?.Val?.Value).FirstOrDefault(l => l is not null);

        public (int NumId, int? Level)? NumberingOf(string? styleId)
        {
            foreach (var style in Chain(styleId))
                if (style.StyleParagraphProperties?.NumberingProperties is { NumberingId.Val.Value: var numId } numPr)
                    return (numId, numPr.NumberingLevelReference?.Val?.Value);
            return null;
        }
    }
}
