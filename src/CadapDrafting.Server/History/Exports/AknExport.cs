using System.Globalization;
using System.Text;
using System.Xml;
using CadapDrafting.Drafts;

namespace CadapDrafting.History.Exports;

/// <summary>
/// Akoma Ntoso 3.0 (OASIS LegalDocML). A draft law is a &lt;bill&gt; with a &lt;body&gt;; a strategy or action plan
/// a &lt;doc&gt; with a &lt;mainBody&gt;. The FRBR Work address is the same for every revision (country, type, the
/// draft's creation date and id); the Expression is dated and versioned by revision. eIds follow the AKN naming
/// convention: chp_1, chp_1__sec_2, art_3 and action_3 (numbered through the whole document, so without their
/// container), art_3__para_2, action_3__point_1. An action's record is a table whose responsible bodies are
/// &lt;organization&gt;s referring to TLCOrganizations and whose timeline holds &lt;date&gt;s. The lifecycle lists the
/// draft's creation, its named versions and its adoptions up to the exported position. Written with an XmlWriter,
/// so text is always escaped and the output streams.
/// </summary>
public static class AknExport
{
    public const string Namespace = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0";

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static async Task WriteAsync(ExportDocument doc, Stream output, CancellationToken ct)
    {
        var settings = new XmlWriterSettings { Async = true, Encoding = new UTF8Encoding(false), Indent = true };
        await using var x = XmlWriter.Create(output, settings);
        var state = doc.State;
        var isBill = doc.Kind == DraftKind.Law;
        var country = doc.Country.ToLowerInvariant();
        var type = isBill ? "bill" : "doc";
        var name = doc.Kind switch { DraftKind.ActionPlan => "actionPlan", DraftKind.Strategy => "strategy", _ => "draftLaw" };
        var created = Day(state.CreatedAt);
        var date = Day(doc.AsOf);
        var lang = doc.Lang.Iso6392;
        var work = $"/akn/{country}/{type}/{(isBill ? "" : name + "/")}{created}/{doc.DraftId:N}";
        var expression = $"{work}/{lang}@{date}_r{doc.Revision}";
        var organizations = Organizations(doc);

        await x.WriteStartDocumentAsync();
        x.WriteStartElement("akomaNtoso", Namespace);
        x.WriteStartElement(type, Namespace);
        x.WriteAttributeString("name", name);

        x.WriteStartElement("meta", Namespace);
        x.WriteStartElement("identification", Namespace);
        x.WriteAttributeString("source", "#cadap");
        Frbr(x, "FRBRWork", $"{work}/!main", work, created, "creation", extra: () =>
        {
            Empty(x, "FRBRcountry", ("value", country));
            Empty(x, "FRBRname", ("value", name));
        });
        Frbr(x, "FRBRExpression", $"{expression}/!main", expression, date, "revision", extra: () =>
        {
            Empty(x, "FRBRversionNumber", ("value", doc.Revision.ToString(CultureInfo.InvariantCulture)));
            Empty(x, "FRBRlanguage", ("language", lang));
        });
        Frbr(x, "FRBRManifestation", $"{expression}/!main.xml", $"{expression}.akn", date, "generation");
        x.WriteEndElement();
        Lifecycle(x, doc);
        x.WriteStartElement("references", Namespace);
        x.WriteAttributeString("source", "#cadap");
        Empty(x, "TLCOrganization", ("eId", "cadap"), ("href", "/akn/ontology/organizations/cadap"), ("showAs", "CADAP drafting platform"));
        foreach (var (body, eId) in organizations)
            Empty(x, "TLCOrganization", ("eId", eId), ("href", $"/akn/ontology/organizations/{country}/{eId}"), ("showAs", XmlSafe(body)));
        foreach (var (eId, showAs) in LifecycleEvents(doc))
            Empty(x, "TLCEvent", ("eId", eId), ("href", $"/akn/ontology/events/{eId}"), ("showAs", XmlSafe(showAs)));
        x.WriteEndElement();
        x.WriteStartElement("proprietary", Namespace);
        x.WriteAttributeString("source", "#cadap");
        x.WriteStartElement("cadap", "stamp", Evidence.ExportClaim.AknNamespace);
        foreach (var (key, value) in doc.Stamp.Properties) x.WriteAttributeString(key["cadap.".Length..], value);
        x.WriteEndElement();
        x.WriteElementString("cadap", Evidence.ExportContent.AknElement, Evidence.ExportClaim.AknNamespace, doc.EmbeddedContent);
        x.WriteEndElement();
        x.WriteEndElement(); // meta

        x.WriteStartElement("preface", Namespace);
        x.WriteStartElement("p", Namespace);
        x.WriteStartElement("docTitle", Namespace);
        Text(x, doc, doc.Title, doc.TitleLanguage);
        x.WriteEndElement();
        x.WriteEndElement();
        x.WriteStartElement("p", Namespace);
        x.WriteStartElement("docStatus", Namespace);
        WriteText(x, doc.StatusName);
        x.WriteEndElement();
        x.WriteString(" · ");
        x.WriteStartElement("docDate", Namespace);
        x.WriteAttributeString("date", date);
        WriteText(x, doc.Lang.Date(doc.AsOf));
        x.WriteEndElement();
        x.WriteEndElement();
        x.WriteStartElement("p", Namespace);
        WriteText(x, doc.Subtitle);
        x.WriteEndElement();
        x.WriteEndElement();

        x.WriteStartElement(isBill ? "body" : "mainBody", Namespace);
        if (doc.Nodes.Count == 0)
        {
            // A bill's body holds only partitions: an empty draft says so in an unnumbered container.
            x.WriteStartElement(isBill ? "hcontainer" : "p", Namespace);
            if (isBill)
            {
                x.WriteAttributeString("name", "empty");
                x.WriteAttributeString("eId", "hcontainer_1");
                x.WriteStartElement("content", Namespace);
                x.WriteStartElement("p", Namespace);
            }
            WriteText(x, doc.Labels.Empty);
            if (isBill)
            {
                x.WriteEndElement();
                x.WriteEndElement();
            }
            x.WriteEndElement();
        }
        var written = 0;
        async Task Node(ExportNode node, ExportNode? parent, string? parentEId)
        {
            var (element, prefix) = node.Kind switch
            {
                NodeKind.Part => ("part", "part"),
                NodeKind.Chapter => ("chapter", "chp"),
                NodeKind.Section => ("section", "sec"),
                NodeKind.Article => ("article", "art"),
                NodeKind.Action => ("hcontainer", "action"),
                _ when parent?.Kind == NodeKind.Article => ("paragraph", "para"),
                _ => ("point", "point"),
            };
            // Articles and actions are numbered through the whole document, so their eId stands alone.
            var standsAlone = node.Kind is NodeKind.Article or NodeKind.Action || parentEId is null;
            var eId = (standsAlone ? "" : parentEId + "__") + prefix + "_" + node.Number.Split('.')[^1];
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
                Text(x, doc, node.Text, node.TextLanguage);
                x.WriteEndElement();
                foreach (var child in node.Children) await Node(child, node, eId);
            }
            else
            {
                x.WriteStartElement(node.Children.Count > 0 ? "intro" : "content", Namespace);
                x.WriteStartElement("p", Namespace);
                Text(x, doc, node.Text, node.TextLanguage);
                x.WriteEndElement();
                if (node.Attributes.Count > 0) RecordTable(x, doc, node, eId, organizations);
                x.WriteEndElement();
                foreach (var child in node.Children) await Node(child, node, eId);
            }
            x.WriteEndElement();
            if (++written % 200 == 0) await x.FlushAsync();
            ct.ThrowIfCancellationRequested();
        }
        foreach (var node in doc.Nodes) await Node(node, null, null);
        x.WriteEndElement(); // body
        x.WriteEndElement(); // bill or doc
        x.WriteEndElement(); // akomaNtoso
        await x.WriteEndDocumentAsync();
    }

    /// <summary>Characters XML 1.0 cannot carry (control characters the text may hold) become U+FFFD instead of failing the export.</summary>
    public static string XmlSafe(string s) =>
        s.All(XmlConvert.IsXmlChar) ? s : new string(s.Select(c => XmlConvert.IsXmlChar(c) || char.IsSurrogate(c) ? c : '\uFFFD').ToArray());

    private static void WriteText(XmlWriter x, string s) => x.WriteString(XmlSafe(s));

    /// <summary>A node's text; in its source language it is marked untranslated and tagged with that language.</summary>
    private static void Text(XmlWriter x, ExportDocument doc, string text, string language)
    {
        if (language == doc.Language)
        {
            WriteText(x, text);
            return;
        }
        x.WriteStartElement("inline", Namespace);
        x.WriteAttributeString("name", "untranslated");
        WriteText(x, doc.UntranslatedMarker(language));
        x.WriteEndElement();
        x.WriteString(" ");
        x.WriteStartElement("span", Namespace);
        x.WriteAttributeString("xml", "lang", null, ExportLanguage.Of(language).Iso6392);
        WriteText(x, text);
        x.WriteEndElement();
    }

    /// <summary>Every responsible body named in the draft, once, with an eId for its TLCOrganization.</summary>
    private static Dictionary<string, string> Organizations(ExportDocument doc) =>
        doc.InDocumentOrder()
            .SelectMany(n => n.Record?.ResponsibleBodies ?? [])
            .Where(b => !string.IsNullOrWhiteSpace(b))
            .Distinct(StringComparer.Ordinal)
            .Select((body, i) => (body, eId: $"org_{i + 1}"))
            .ToDictionary(o => o.body, o => o.eId, StringComparer.Ordinal);

    private static IEnumerable<(string EId, string ShowAs)> LifecycleEvents(ExportDocument doc)
    {
        var l = doc.Labels;
        foreach (var (version, i) in doc.State.NamedVersions.Select((v, i) => (v, i)))
            yield return ($"version_{i + 1}", $"{version.Name} ({l.Revision} {version.Revision})");
        foreach (var adoption in doc.State.Adoptions)
            yield return ($"adoption_{adoption.Edition}",
                $"{l.Statuses[DraftStatus.Approved]} ({l.Revision} {adoption.Revision}, {adoption.ContentHash})");
    }

    /// <summary>The draft's creation, then its named versions and adoptions in the order they happened, as of the exported position.</summary>
    private static void Lifecycle(XmlWriter x, ExportDocument doc)
    {
        x.WriteStartElement("lifecycle", Namespace);
        x.WriteAttributeString("source", "#cadap");
        Empty(x, "eventRef", ("eId", "evt_1"), ("date", Day(doc.State.CreatedAt)), ("source", "#cadap"), ("type", "generation"));
        var events = doc.State.NamedVersions.Select((v, i) => (At: v.NamedAt, RefersTo: $"#version_{i + 1}"))
            .Concat(doc.State.Adoptions.Select(a => (At: a.ApprovedAt, RefersTo: $"#adoption_{a.Edition}")))
            .OrderBy(e => e.At);
        var n = 2;
        foreach (var (at, refersTo) in events)
            Empty(x, "eventRef", ("eId", $"evt_{n++}"), ("date", Day(at)), ("source", "#cadap"), ("type", "amendment"), ("refersTo", refersTo));
        x.WriteEndElement();
    }

    /// <summary>The action record as a table; responsible bodies as organizations and the timeline as dates.</summary>
    private static void RecordTable(XmlWriter x, ExportDocument doc, ExportNode node, string eId, IReadOnlyDictionary<string, string> organizations)
    {
        var l = doc.Labels;
        x.WriteStartElement("table", Namespace);
        x.WriteAttributeString("eId", eId + "__table_1");
        x.WriteAttributeString("class", "actionRecord");
        foreach (var (name, value) in node.Attributes)
        {
            x.WriteStartElement("tr", Namespace);
            x.WriteStartElement("th", Namespace);
            x.WriteStartElement("p", Namespace);
            WriteText(x, name);
            x.WriteEndElement();
            x.WriteEndElement();
            x.WriteStartElement("td", Namespace);
            x.WriteStartElement("p", Namespace);
            if (name == l.ResponsibleBodies && node.Record is { } record)
            {
                var first = true;
                foreach (var body in record.ResponsibleBodies.Where(organizations.ContainsKey))
                {
                    if (!first) x.WriteString("; ");
                    first = false;
                    x.WriteStartElement("organization", Namespace);
                    x.WriteAttributeString("refersTo", "#" + organizations[body]);
                    WriteText(x, body);
                    x.WriteEndElement();
                }
            }
            else if (name == l.Timeline && node.Record?.Timeline is { } timeline)
            {
                DateElement(x, doc, timeline.Start);
                x.WriteString(" – ");
                DateElement(x, doc, timeline.End);
            }
            else WriteText(x, value);
            x.WriteEndElement();
            x.WriteEndElement();
            x.WriteEndElement();
        }
        x.WriteEndElement();
    }

    private static void DateElement(XmlWriter x, ExportDocument doc, DateOnly date)
    {
        x.WriteStartElement("date", Namespace);
        x.WriteAttributeString("date", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        WriteText(x, doc.Lang.Date(date));
        x.WriteEndElement();
    }

    private static void Frbr(XmlWriter x, string element, string @this, string uri, string date, string dateName, Action? extra = null)
    {
        x.WriteStartElement(element, Namespace);
        Empty(x, "FRBRthis", ("value", @this));
        Empty(x, "FRBRuri", ("value", uri));
        Empty(x, "FRBRdate", ("date", date), ("name", dateName));
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
