using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CadapDrafting.Evidence;

/// <summary>
/// The content an exported file renders, embedded in the file (docs/evidence.md §10.1): a JSON object
/// <c>{"content": [...], "language": "ru", "sourceLanguage": "ky"}</c> whose <c>content</c> is the document tree the
/// content hash is taken over, and the language the file shows each node's text in. The server writes it; the
/// verifier hashes <c>content</c> against the stamp and reads the nodes to find their text in the file.
/// </summary>
public sealed record ExportContent(string Hash, string Language, string SourceLanguage, IReadOnlyList<ContentNode> Nodes)
{
    public const string HtmlId = "cadap-content";
    public const string MarkdownOpening = "<!-- cadap-content";
    public const string DocxPart = "cadap/content.json";
    public const string DocxRelationship = "urn:cadap:export/content";
    public const string PdfName = "cadap-content.json";
    public const string AknElement = "content";

    /// <summary>
    /// The block a file embeds: <paramref name="canonicalContent"/> (the canonical JSON the content hash is taken over)
    /// with &lt;, &gt; and &amp; written as \u escapes, so no container (HTML script, comment, XML text) can end early,
    /// and characters XML cannot carry escaped as well. The same content gives the same bytes.
    /// </summary>
    public static string Embeddable(string canonicalContent, string language, string sourceLanguage)
    {
        var sb = new StringBuilder(canonicalContent.Length + 64);
        sb.Append("{\"content\":");
        foreach (var c in canonicalContent)
        {
            if (c is '<' or '>' or '&' or '\uFFFE' or '\uFFFF')
                sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        sb.Append(",\"language\":");
        CanonicalForm.WriteString(language, sb);
        sb.Append(",\"sourceLanguage\":");
        CanonicalForm.WriteString(sourceLanguage, sb);
        sb.Append('}');
        return sb.ToString();
    }

    /// <summary>"sha256:" and the hex SHA-256 of the canonical JSON of a document tree: the content hash (docs/evidence.md §3.1).</summary>
    public static string HashOf(string canonicalContent) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalContent)));

    /// <summary>Reads an embedded block strictly; anything outside its format is a <see cref="FormatException"/>.</summary>
    public static ExportContent Parse(string json)
    {
        using var doc = StrictObject.Parse(json, "the embedded content");
        var o = StrictObject.Of(doc.RootElement, "the embedded content", ["content", "language", "sourceLanguage"]);
        var content = o.Array("content");
        // Form 2 refuses a key written twice in one object: such content has no one reading.
        _ = CanonicalForm.From(content);
        var hash = HashOf(CanonicalJson.From(content));
        var nodes = new List<ContentNode>();
        foreach (var item in content.EnumerateArray())
        {
            var what = $"node {nodes.Count + 1} of the embedded content";
            var node = StrictObject.Of(item, what, ["id", "kind", "number", "text"], ["parentId", "attributes"]);
            var text = node.Element("text");
            if (text.ValueKind != JsonValueKind.Object) throw new FormatException($"{what}: \"text\" is not an object");
            var texts = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var t in text.EnumerateObject())
            {
                if (t.Value.ValueKind != JsonValueKind.String) throw new FormatException($"{what}: its text in \"{t.Name}\" is not a string");
                texts[t.Name] = t.Value.GetString()!;
            }
            nodes.Add(new ContentNode(node.String("id"), node.String("kind"), node.String("number"), texts));
        }
        return new ExportContent(hash, o.String("language"), o.String("sourceLanguage"), nodes);
    }

    /// <summary>
    /// The text a file shows for a node, as every export chooses it, with its language: its text in the file's language
    /// when that is not blank, else its text in the draft's source language, else (a node with neither) any text it has.
    /// </summary>
    public IReadOnlyList<(string Language, string Text)> ShownText(ContentNode node) =>
        node.Text.TryGetValue(Language, out var t) && !string.IsNullOrWhiteSpace(t) ? [(Language, t)]
        : node.Text.TryGetValue(SourceLanguage, out var s) ? [(SourceLanguage, s)]
        : node.Text.Count > 0 ? node.Text.Select(x => (x.Key, x.Value)).ToList() : [(Language, "")];
}

/// <summary>A node of the embedded content as the text check reads it: id, kind, number and text per language.</summary>
public sealed record ContentNode(string Id, string Kind, string Number, IReadOnlyDictionary<string, string> Text)
{
    /// <summary>Parts, chapters and sections: the nodes a Word or PDF export also lists in its table of contents.</summary>
    public bool IsHeading => Kind is "Part" or "Chapter" or "Section";
}
