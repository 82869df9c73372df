using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace CadapDrafting.Evidence;

/// <summary>
/// What an exported file says it renders (docs/evidence.md §10): the draft, revision, position, content hash, chain
/// hash and time of that position, and the signed head of the log that covers the position.
/// </summary>
public sealed record ExportClaim(string Format, Guid DraftId, int Revision, long Position, string ContentHash, string? ChainHead,
    string? MadeAt, SignedTreeHead? Head)
{
    /// <summary>Whether the file's text renders the content its stamp states (null when only a stamp was given, no file).</summary>
    public RenderingCheck? Rendering { get; init; }

    public const string AknNamespace = "urn:cadap:export";
    public const string Prefix = "cadap.";
    public const string MarkdownOpening = "<!-- cadap-stamp";
    public const string PdfManifestName = "evidence-manifest.json";

    /// <summary>
    /// The stamp's named values: the same names in every format (Word custom properties, HTML meta, Akoma Ntoso
    /// attributes, Markdown comment).
    /// </summary>
    public static ExportClaim FromProperties(string format, IReadOnlyDictionary<string, string> p)
    {
        string Required(string name) =>
            p.TryGetValue(Prefix + name, out var v) ? v : throw new FormatException($"the {format} file's stamp lacks {Prefix}{name}");
        string? Optional(string name) => p.TryGetValue(Prefix + name, out var v) ? v : null;
        var draftId = Guid.TryParseExact(Required("draftId"), "D", out var id)
            ? id : throw new FormatException($"the {format} file's draft id is not a UUID");
        var revision = int.TryParse(Required("revision"), System.Globalization.NumberStyles.None, null, out var r)
            ? r : throw new FormatException($"the {format} file's revision is not a whole number");
        var position = long.TryParse(Required("position"), System.Globalization.NumberStyles.None, null, out var pos)
            ? pos : throw new FormatException($"the {format} file's position is not a whole number");
        SignedTreeHead? head = null;
        if (Optional("headSize") is { } size)
        {
            var json = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["head"] = new Dictionary<string, object>
                {
                    ["draftId"] = Required("draftId"), ["size"] = long.TryParse(size, System.Globalization.NumberStyles.None, null, out var s)
                        ? s : throw new FormatException($"the {format} file's signed head size is not a whole number"),
                    ["root"] = Required("headRoot"), ["time"] = Required("headTime"),
                },
                ["keyId"] = Required("headKeyId"),
                ["signature"] = Required("headSignature"),
            });
            head = SignedTreeHead.Parse(json, $"the signed head the {format} file states");
        }
        return new ExportClaim(format, draftId, revision, position, Required("contentHash"), Optional("chainHead"), Optional("madeAt"), head);
    }

    /// <summary>
    /// Reads the stamp of an exported file, by its name's ending (.docx, .pdf, .xml, .html, .md); a file without one
    /// is a <see cref="FormatException"/>.
    /// </summary>
    public static ExportClaim Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var name = path.ToLowerInvariant();
        var (claim, kind) =
            name.EndsWith(".docx", StringComparison.Ordinal) ? (FromProperties("Word", Docx(bytes)), ExportRendering.Kind.Docx)
            : name.EndsWith(".pdf", StringComparison.Ordinal) ? (Pdf(bytes), ExportRendering.Kind.Pdf)
            : name.EndsWith(".xml", StringComparison.Ordinal) || name.EndsWith(".akn", StringComparison.Ordinal)
                ? (FromProperties("Akoma Ntoso", Akn(bytes)), ExportRendering.Kind.Akn)
            : name.EndsWith(".html", StringComparison.Ordinal) || name.EndsWith(".htm", StringComparison.Ordinal)
                ? (FromProperties("HTML", Html(Utf8(bytes))), ExportRendering.Kind.Html)
            : name.EndsWith(".md", StringComparison.Ordinal) ? (FromProperties("Markdown", Markdown(Utf8(bytes))), ExportRendering.Kind.Markdown)
            : throw new FormatException($"{Path.GetFileName(path)}: name a .docx, .pdf, .xml (Akoma Ntoso), .html or .md export");
        return claim with { Rendering = ExportRendering.Check(kind, bytes, claim.ContentHash, claim.Format) };
    }

    /// <summary>Exported text is UTF-8; bytes that are not are refused, never read as replacement characters.</summary>
    internal static string Utf8(byte[] bytes) => new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);

    private static void Add(Dictionary<string, string> properties, string name, string value, string format)
    {
        if (!name.StartsWith(Prefix, StringComparison.Ordinal)) return;
        if (!properties.TryAdd(name, value)) throw new FormatException($"the {format} file states {name} twice: which one holds cannot be told");
    }

    /// <summary>How every XML part of an exported file is read: no DTD, nothing fetched, bounded in size.</summary>
    internal static XmlReaderSettings SafeXml =>
        new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 256L << 20 };

    /// <summary>A Word file's custom properties (docProps/custom.xml).</summary>
    private static Dictionary<string, string> Docx(byte[] bytes)
    {
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        var parts = zip.Entries.Where(e => e.FullName == "docProps/custom.xml").ToList();
        if (parts.Count != 1)
            throw new FormatException(parts.Count == 0 ? "the Word file has no custom properties" : "the Word file holds two custom property parts");
        using var reader = XmlReader.Create(parts[0].Open(), SafeXml);
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in XDocument.Load(reader).Root!.Elements().Where(e => e.Name.LocalName == "property"))
            Add(properties, (string?)property.Attribute("name") ?? "", property.Elements().FirstOrDefault()?.Value ?? "", "Word");
        return properties;
    }

    /// <summary>An Akoma Ntoso file's &lt;cadap:stamp&gt; element: each attribute is a property without the "cadap." prefix.</summary>
    private static Dictionary<string, string> Akn(byte[] bytes)
    {
        using var reader = XmlReader.Create(new MemoryStream(bytes), SafeXml);
        var stamps = XDocument.Load(reader).Descendants(XName.Get("stamp", AknNamespace)).ToList();
        if (stamps.Count != 1)
            throw new FormatException(stamps.Count == 0 ? "the Akoma Ntoso file has no cadap:stamp" : "the Akoma Ntoso file holds two stamps");
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var a in stamps[0].Attributes().Where(a => !a.IsNamespaceDeclaration))
            Add(properties, Prefix + a.Name.LocalName, a.Value, "Akoma Ntoso");
        return properties;
    }

    /// <summary>An HTML file's &lt;meta name="cadap.…" content="…"&gt; elements, as the server writes them.</summary>
    private static Dictionary<string, string> Html(string html)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in Regex.Matches(html, "<meta name=\"(cadap\\.[A-Za-z]+)\" content=\"([^\"]*)\">"))
            Add(properties, WebUtility.HtmlDecode(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value), "HTML");
        return properties;
    }

    /// <summary>A Markdown file's closing comment: "&lt;!-- cadap-stamp", then one "name: value" per line, then "--&gt;".</summary>
    private static Dictionary<string, string> Markdown(string text)
    {
        var start = text.LastIndexOf(MarkdownOpening, StringComparison.Ordinal);
        if (start < 0 || text.IndexOf(MarkdownOpening, StringComparison.Ordinal) != start)
            throw new FormatException(start < 0
                ? "the Markdown file has no cadap-stamp comment"
                : "the Markdown file holds two cadap-stamp comments");
        var end = text.IndexOf("-->", start, StringComparison.Ordinal);
        if (end < 0) throw new FormatException("the Markdown file's cadap-stamp comment is not closed");
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text[(start + MarkdownOpening.Length)..end].Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon < 0) throw new FormatException($"the Markdown file's stamp has a line that is no \"name: value\": {line}");
            Add(properties, line[..colon], line[(colon + 2)..], "Markdown");
        }
        return properties;
    }

    /// <summary>
    /// A PDF's attached evidence manifest: the embedded file named evidence-manifest.json, stored unfiltered as the
    /// server attaches it (the last such attachment, should the file have been updated incrementally).
    /// </summary>
    private static ExportClaim Pdf(byte[] bytes)
    {
        var json = Utf8(PdfAttachment(bytes, PdfManifestName) ?? throw new FormatException($"the PDF has no attached {PdfManifestName}"));
        using var doc = StrictObject.Parse(json, $"the PDF's {PdfManifestName}");
        var o = StrictObject.Of(doc.RootElement, $"the PDF's {PdfManifestName}",
            ["draftId", "revision", "position", "contentHash", "chainHead", "madeAt", "language", "aknFile", "hashAlgorithm"], ["signedHead"]);
        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Prefix + "draftId"] = o.String("draftId"),
            [Prefix + "revision"] = o.Integer("revision").ToString(System.Globalization.CultureInfo.InvariantCulture),
            [Prefix + "position"] = o.Integer("position").ToString(System.Globalization.CultureInfo.InvariantCulture),
            [Prefix + "contentHash"] = o.String("contentHash"),
            [Prefix + "chainHead"] = o.String("chainHead"),
            [Prefix + "madeAt"] = o.String("madeAt"),
        };
        var claim = FromProperties("PDF", properties);
        return o.Has("signedHead") ? claim with { Head = SignedTreeHead.Parse(o.Element("signedHead"), "the signed head the PDF states") } : claim;
    }

    /// <summary>
    /// The content of the file attached to a PDF under <paramref name="name"/>, stored unfiltered as the server attaches
    /// files (the last such attachment, should the file have been updated incrementally); null when none is.
    /// </summary>
    public static byte[]? PdfAttachment(byte[] bytes, string name)
    {
        var text = Encoding.Latin1.GetString(bytes);
        var specs = Regex.Matches(text, $@"/F\({Regex.Escape(name)}\)[^\n]*?/EF<</F (\d+) 0 R");
        if (specs.Count == 0) return null;
        var number = specs[^1].Groups[1].Value;
        var objects = Regex.Matches(text, $@"(?:^|\s){number} 0 obj\s*<<[^\n]*?/Length (\d+)>>\s*stream\r?\n");
        if (objects.Count == 0) throw new FormatException($"the PDF's {name} stream cannot be found");
        var header = objects[^1];
        var length = int.Parse(header.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var start = header.Index + header.Length;
        if (length < 0 || start + length > bytes.Length) throw new FormatException($"the PDF's {name} stream is cut short");
        return bytes[start..(start + length)];
    }
}

/// <summary>Whether an exported file's stamp names a revision of the verified log, what differs when not, and what could not be told.</summary>
public sealed record ExportVerdict(bool Matches, IReadOnlyList<string> Differences, IReadOnlyList<string> Proven, IReadOnlyList<string> NotProven);
