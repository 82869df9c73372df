using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Wordprocessing;
using Custom = DocumentFormat.OpenXml.CustomProperties;
using VariantTypes = DocumentFormat.OpenXml.VariantTypes;

namespace CadapDrafting.History.Exports;

/// <summary>
/// Writes a Word package part by part with fixed relationship ids, fixed zip entry times (the stamp's time) and a
/// fixed order, so the same revision gives the same bytes. The parts' XML comes from the Open XML SDK's typed
/// elements; only the packaging (content types, relationships, zip) is written here.
/// </summary>
public static class DocxPackage
{
    private const string R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string PackageRels = "http://schemas.openxmlformats.org/package/2006/relationships";

    public static void Write(ExportDocument doc, DocxBody body, Stream output)
    {
        var l = doc.Labels;
        var sectionProperties = new SectionProperties();
        if (doc.IsDraft) sectionProperties.Append(new HeaderReference { Type = HeaderFooterValues.Default, Id = "rIdHeader" });
        sectionProperties.Append(new FooterReference { Type = HeaderFooterValues.Default, Id = "rIdFooter" });
        sectionProperties.Append(
            new PageSize { Width = 11906U, Height = 16838U },
            new PageMargin { Top = 1134, Right = 1134U, Bottom = 1134, Left = 1134U, Header = 567U, Footer = 567U, Gutter = 0U });
        var documentBody = new Body();
        documentBody.Append(body.Blocks);
        documentBody.Append(sectionProperties);
        var document = new Document(documentBody);
        document.AddNamespaceDeclaration("r", R);

        var labels = doc.Lang.LabelsLanguage;
        var header = new Header(new Paragraph(
            new ParagraphProperties(new ParagraphStyleId { Val = "Header" }, new Justification { Val = JustificationValues.Right }),
            new Run(new RunProperties(new Bold(), new Color { Val = "C00000" }, new FontSize { Val = "24" },
                new Languages { Val = ExportLanguage.Of(labels).Tag }),
                new Text(l.DraftMark))));
        var footer = new Footer(
            new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = "Footer" }, new Justification { Val = JustificationValues.Center }),
                LabelRun($"{l.Page} ", labels), Field("PAGE", "1", labels), LabelRun($" {l.Of} ", labels), Field("NUMPAGES", "1", labels)),
            new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = "Stamp" }),
                LabelRun(doc.Stamp.Line(l), labels)));

        // Word refreshes the contents' page numbers on opening. Tracking further edits is left to the reviewer: with it on,
        // LibreOffice records its own table formatting on import as changes by an unknown author.
        var settings = new Settings(new DefaultTabStop { Val = 709 }, new UpdateFieldsOnOpen { Val = true });

        var parts = new List<(string Path, string ContentType, byte[] Content)>
        {
            ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", Xml(document)),
            ("word/styles.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml", Xml(DocxStyles.For(doc))),
            ("word/settings.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml", Xml(settings)),
            ("word/footer1.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml", Xml(footer)),
        };
        var documentRels = new List<(string Id, string Type, string Target)>
        {
            ("rIdStyles", R + "/styles", "styles.xml"),
            ("rIdSettings", R + "/settings", "settings.xml"),
            ("rIdFooter", R + "/footer", "footer1.xml"),
        };
        if (doc.IsDraft)
        {
            parts.Add(("word/header1.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml", Xml(header)));
            documentRels.Add(("rIdHeader", R + "/header", "header1.xml"));
        }
        parts.Add(("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml", CoreProperties(doc)));
        parts.Add(("docProps/custom.xml", "application/vnd.openxmlformats-officedocument.custom-properties+xml", Xml(CustomProperties(doc.Stamp))));
        // The content the file renders (docs/evidence.md §10.1), a part of the package Word keeps aside.
        parts.Add((Evidence.ExportContent.DocxPart, "application/json", new UTF8Encoding(false).GetBytes(doc.EmbeddedContent)));

        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        var time = doc.AsOf;
        // Zip entry times are local DOS times from 1980 on; the stamp's UTC time written as is keeps them fixed.
        var entryTime = new DateTimeOffset(DateTime.SpecifyKind(time.UtcDateTime, DateTimeKind.Unspecified), TimeSpan.Zero);
        void Entry(string path, byte[] content)
        {
            var entry = zip.CreateEntry(path, CompressionLevel.Optimal);
            entry.LastWriteTime = entryTime.Year < 1980 ? new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero) : entryTime;
            using var stream = entry.Open();
            stream.Write(content);
        }
        Entry("[Content_Types].xml", ContentTypes(parts));
        Entry("_rels/.rels", Relationships(
            ("rId1", R + "/officeDocument", "word/document.xml"),
            ("rId2", PackageRels + "/metadata/core-properties", "docProps/core.xml"),
            ("rId3", R + "/custom-properties", "docProps/custom.xml"),
            ("rId4", Evidence.ExportContent.DocxRelationship, Evidence.ExportContent.DocxPart)));
        Entry("word/_rels/document.xml.rels", Relationships(documentRels.ToArray()));
        foreach (var (path, _, content) in parts) Entry(path, content);
    }

    private static Run LabelRun(string text, string language) =>
        new(new RunProperties(new Languages { Val = ExportLanguage.Of(language).Tag }),
            new Text(text) { Space = SpaceProcessingModeValues.Preserve });

    private static SimpleField Field(string instruction, string placeholder, string language) =>
        new(new Run(new RunProperties(new Languages { Val = ExportLanguage.Of(language).Tag }), new Text(placeholder)))
        {
            Instruction = $" {instruction} "
        };

    private static Custom.Properties CustomProperties(ExportStamp stamp)
    {
        var properties = new Custom.Properties();
        properties.AddNamespaceDeclaration("vt", "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes");
        var id = 2;
        foreach (var (name, value) in stamp.Properties)
            properties.Append(new Custom.CustomDocumentProperty(new VariantTypes.VTLPWSTR(value))
            { FormatId = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}", PropertyId = id++, Name = name });
        return properties;
    }

    private static byte[] CoreProperties(ExportDocument doc)
    {
        const string cp = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
        const string dc = "http://purl.org/dc/elements/1.1/";
        const string dcterms = "http://purl.org/dc/terms/";
        const string xsi = "http://www.w3.org/2001/XMLSchema-instance";
        var at = doc.AsOf.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        return WriteXml(w =>
        {
            w.WriteStartElement("cp", "coreProperties", cp);
            w.WriteAttributeString("xmlns", "dc", null, dc);
            w.WriteAttributeString("xmlns", "dcterms", null, dcterms);
            w.WriteAttributeString("xmlns", "xsi", null, xsi);
            w.WriteElementString("dc", "title", dc, DocxBody.Text(doc.Title));
            w.WriteElementString("dc", "subject", dc, DocxBody.Text(doc.Subtitle));
            w.WriteElementString("dc", "creator", dc, "CADAP drafting platform");
            w.WriteElementString("dc", "language", dc, doc.Lang.Tag);
            w.WriteElementString("dc", "identifier", dc, $"{doc.DraftId:D}@{doc.Revision}");
            w.WriteElementString("cp", "revision", cp, doc.Revision.ToString(CultureInfo.InvariantCulture));
            w.WriteElementString("cp", "keywords", cp, doc.Stamp.Line(ExportLabels.English));
            foreach (var name in new[] { "created", "modified" })
            {
                w.WriteStartElement("dcterms", name, dcterms);
                w.WriteAttributeString("xsi", "type", xsi, "dcterms:W3CDTF");
                w.WriteString(at);
                w.WriteEndElement();
            }
            w.WriteEndElement();
        });
    }

    private static byte[] ContentTypes(IEnumerable<(string Path, string ContentType, byte[] Content)> parts) => WriteXml(w =>
    {
        const string ns = "http://schemas.openxmlformats.org/package/2006/content-types";
        w.WriteStartElement("Types", ns);
        foreach (var (extension, type) in new[] { ("rels", "application/vnd.openxmlformats-package.relationships+xml"), ("xml", "application/xml") })
        {
            w.WriteStartElement("Default", ns);
            w.WriteAttributeString("Extension", extension);
            w.WriteAttributeString("ContentType", type);
            w.WriteEndElement();
        }
        foreach (var (path, type, _) in parts)
        {
            w.WriteStartElement("Override", ns);
            w.WriteAttributeString("PartName", "/" + path);
            w.WriteAttributeString("ContentType", type);
            w.WriteEndElement();
        }
        w.WriteEndElement();
    });

    private static byte[] Relationships(params (string Id, string Type, string Target)[] relationships) => WriteXml(w =>
    {
        const string ns = "http://schemas.openxmlformats.org/package/2006/relationships";
        w.WriteStartElement("Relationships", ns);
        foreach (var (id, type, target) in relationships)
        {
            w.WriteStartElement("Relationship", ns);
            w.WriteAttributeString("Id", id);
            w.WriteAttributeString("Type", type);
            w.WriteAttributeString("Target", target);
            w.WriteEndElement();
        }
        w.WriteEndElement();
    });

    private static byte[] Xml(OpenXmlElement root) => WriteXml(root.WriteTo);

    private static byte[] WriteXml(Action<XmlWriter> write)
    {
        var buffer = new MemoryStream();
        using (var w = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            w.WriteStartDocument(standalone: true);
            write(w);
            w.WriteEndDocument();
        }
        return buffer.ToArray();
    }
}
