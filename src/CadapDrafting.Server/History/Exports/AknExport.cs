using System.Globalization;
using System.Text;
using System.Xml;
using CadapDrafting.Drafts;

namespace CadapDrafting.History.Exports;

/// <summary>
/// Akoma Ntoso 3.0 (OASIS LegalDocML): the draft as a &lt;doc&gt; whose main body holds the tree as parts,
/// chapters, sections, articles, points and, for actions, &lt;hcontainer name="action"&gt;; attributes of an
/// action become a table. Written with an XmlWriter, so text is always escaped and the output streams.
/// </summary>
public static class AknExport
{
    public const string Namespace = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0";

    /// <summary>AKN names languages with ISO 639-2 codes.</summary>
    private static readonly Dictionary<string, string> Iso6392 = new()
    {
        ["ru"] = "rus", ["en"] = "eng", ["kk"] = "kaz", ["ky"] = "kir", ["tg"] = "tgk", ["tk"] = "tuk", ["uz"] = "uzb",
    };

    public static async Task WriteAsync(ExportDocument doc, Stream output, CancellationToken ct)
    {
        var settings = new XmlWriterSettings { Async = true, Encoding = new UTF8Encoding(false), Indent = true };
        await using var x = XmlWriter.Create(output, settings);
        var country = doc.Country.ToLowerInvariant();
        var name = doc.Kind switch { DraftKind.ActionPlan => "actionPlan", DraftKind.Strategy => "strategy", _ => "draftLaw" };
        var date = doc.AsOf.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var lang = Iso6392.GetValueOrDefault(doc.Language, "und");
        var work = $"/akn/{country}/doc/{name}/{date}/{doc.DraftId:N}";
        var expression = $"{work}/{lang}@{doc.Revision}";

        await x.WriteStartDocumentAsync();
        x.WriteStartElement("akomaNtoso", Namespace);
        x.WriteStartElement("doc", Namespace);
        x.WriteAttributeString("name", name);

        x.WriteStartElement("meta", Namespace);
        x.WriteStartElement("identification", Namespace);
        x.WriteAttributeString("source", "#cadap");
        Frbr(x, "FRBRWork", $"{work}/!main", work, date, extra: () =>
        {
            Empty(x, "FRBRcountry", ("value", country));
        });
        Frbr(x, "FRBRExpression", $"{expression}/!main", expression, date, extra: () => Empty(x, "FRBRlanguage", ("language", lang)));
        Frbr(x, "FRBRManifestation", $"{expression}/!main.xml", $"{expression}.akn", date);
        x.WriteEndElement();
        x.WriteStartElement("references", Namespace);
        x.WriteAttributeString("source", "#cadap");
        Empty(x, "TLCOrganization", ("eId", "cadap"), ("href", "/akn/ontology/organizations/cadap"), ("showAs", "CADAP drafting platform"));
        x.WriteEndElement();
        x.WriteEndElement(); // meta

        x.WriteStartElement("preface", Namespace);
        x.WriteStartElement("p", Namespace);
        x.WriteStartElement("docTitle", Namespace);
        WriteText(x, doc.Title);
        x.WriteEndElement();
        x.WriteEndElement();
        x.WriteStartElement("p", Namespace);
        WriteText(x, doc.Subtitle);
        x.WriteEndElement();
        x.WriteEndElement();

        x.WriteStartElement("mainBody", Namespace);
        if (doc.Nodes.Count == 0)
        {
            x.WriteStartElement("p", Namespace);
            WriteText(x, "This revision has no content yet.");
            x.WriteEndElement();
        }
        var written = 0;
        async Task Node(ExportNode node, string? parentEId)
        {
            var (element, prefix) = node.Kind switch
            {
                NodeKind.Part => ("part", "part"),
                NodeKind.Chapter => ("chapter", "chp"),
                NodeKind.Section => ("section", "sec"),
                NodeKind.Article => ("article", "art"),
                NodeKind.Point => ("point", "point"),
                _ => ("hcontainer", "hcontainer_action"),
            };
            var eId = (parentEId is null ? "" : parentEId + "__") + prefix + "_" + node.Number.Split('.')[^1];
            x.WriteStartElement(element, Namespace);
            if (element == "hcontainer") x.WriteAttributeString("name", "action");
            x.WriteAttributeString("eId", eId);
            x.WriteAttributeString("GUID", node.Id.ToString("D"));
            x.WriteStartElement("num", Namespace);
            WriteText(x, node.Number);
            x.WriteEndElement();
            if (ExportDocument.IsHeading(node.Kind))
            {
                x.WriteStartElement("heading", Namespace);
                WriteText(x, node.Text);
                x.WriteEndElement();
                foreach (var child in node.Children) await Node(child, eId);
            }
            else
            {
                x.WriteStartElement(node.Children.Count > 0 ? "intro" : "content", Namespace);
                x.WriteStartElement("p", Namespace);
                WriteText(x, node.Text);
                x.WriteEndElement();
                if (node.Attributes.Count > 0) AttributeTable(x, node, eId);
                x.WriteEndElement();
                foreach (var child in node.Children) await Node(child, eId);
            }
            x.WriteEndElement();
            if (++written % 200 == 0) await x.FlushAsync();
            ct.ThrowIfCancellationRequested();
        }
        foreach (var node in doc.Nodes) await Node(node, null);
        x.WriteEndElement(); // mainBody
        x.WriteEndElement(); // doc
        x.WriteEndElement(); // akomaNtoso
        await x.WriteEndDocumentAsync();
    }

    /// <summary>Characters XML 1.0 cannot carry (control characters the text may hold) become U+FFFD instead of failing the export.</summary>
    public static string XmlSafe(string s) =>
        s.All(XmlConvert.IsXmlChar) ? s : new string(s.Select(c => XmlConvert.IsXmlChar(c) || char.IsSurrogate(c) ? c : '\uFFFD').ToArray());

    private static void WriteText(XmlWriter x, string s) => x.WriteString(XmlSafe(s));

    private static void AttributeTable(XmlWriter x, ExportNode node, string eId)
    {
        x.WriteStartElement("table", Namespace);
        x.WriteAttributeString("eId", eId + "__table_1");
        x.WriteAttributeString("class", "actionAttributes");
        foreach (var (name, value) in node.Attributes)
        {
            x.WriteStartElement("tr", Namespace);
            foreach (var (cell, text) in new[] { ("th", name), ("td", value) })
            {
                x.WriteStartElement(cell, Namespace);
                x.WriteStartElement("p", Namespace);
                WriteText(x, text);
                x.WriteEndElement();
                x.WriteEndElement();
            }
            x.WriteEndElement();
        }
        x.WriteEndElement();
    }

    private static void Frbr(XmlWriter x, string element, string @this, string uri, string date, Action? extra = null)
    {
        x.WriteStartElement(element, Namespace);
        Empty(x, "FRBRthis", ("value", @this));
        Empty(x, "FRBRuri", ("value", uri));
        Empty(x, "FRBRdate", ("date", date), ("name", "Generation"));
        Empty(x, "FRBRauthor", ("href", "#cadap"));
        extra?.Invoke();
        x.WriteEndElement();
    }

    private static void Empty(XmlWriter x, string element, params (string Name, string Value)[] attributes)
    {
        x.WriteStartElement(element, Namespace);
        foreach (var (n, v) in attributes) x.WriteAttributeString(n, v);
        x.WriteEndElement();
    }
}
