using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace CadapDrafting.History.Exports;

/// <summary>
/// Word (Office Open XML): the title, structural nodes as Heading 1–3, articles and actions as numbered
/// paragraphs, points indented, and a two-column attribute table under each action that has attributes.
/// </summary>
public static class DocxExport
{
    public static void Write(ExportDocument doc, Stream output)
    {
        using var package = WordprocessingDocument.Create(output, WordprocessingDocumentType.Document, autoSave: true);
        var main = package.AddMainDocumentPart();
        AddStyles(main);
        package.PackageProperties.Title = Text(doc.Title);
        package.PackageProperties.Creator = "CADAP drafting platform";

        var body = new Body();
        body.Append(Paragraph("Title", doc.Title));
        body.Append(Paragraph("Subtitle", doc.Subtitle));
        foreach (var node in doc.InDocumentOrder())
        {
            if (ExportDocument.IsHeading(node.Kind))
            {
                body.Append(Paragraph($"Heading{Math.Min(node.Depth, 3)}", $"{node.Label}. {node.Text}"));
                continue;
            }
            var paragraph = new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = node.Kind == Drafts.NodeKind.Point ? "Point" : "Action" }));
            paragraph.Append(new Run(new RunProperties(new Bold()), new Text($"{node.Label}. ") { Space = SpaceProcessingModeValues.Preserve }));
            paragraph.Append(new Run(new Text(Text(node.Text)) { Space = SpaceProcessingModeValues.Preserve }));
            body.Append(paragraph);
            if (node.Attributes.Count > 0)
            {
                body.Append(AttributeTable(node.Attributes));
                body.Append(new Paragraph());
            }
        }
        body.Append(new SectionProperties(
            new PageSize { Width = 11906U, Height = 16838U },
            new PageMargin { Top = 1134, Right = 1134U, Bottom = 1134, Left = 1134U, Header = 709U, Footer = 709U, Gutter = 0U }));
        main.Document = new Document(body);
        main.Document.Save();
    }

    private static Table AttributeTable(IReadOnlyList<(string Name, string Value)> rows)
    {
        BorderType Border<T>() where T : BorderType, new() => new T { Val = BorderValues.Single, Size = 4U, Color = "999999" };
        var table = new Table(new TableProperties(
            new TableStyle { Val = "TableGrid" },
            new TableWidth { Width = "5000", Type = TableWidthUnitValues.Pct },
            new TableBorders(Border<TopBorder>(), Border<LeftBorder>(), Border<BottomBorder>(), Border<RightBorder>(),
                Border<InsideHorizontalBorder>(), Border<InsideVerticalBorder>())),
            new TableGrid(new GridColumn { Width = "2600" }, new GridColumn { Width = "7000" }));
        foreach (var (name, value) in rows)
        {
            table.Append(new TableRow(
                Cell(name, bold: true, width: "2600"),
                Cell(value, bold: false, width: "7000")));
        }
        return table;
    }

    private static TableCell Cell(string text, bool bold, string width)
    {
        var run = bold ? new Run(new RunProperties(new Bold()), new Text(Text(text))) : new Run(new Text(Text(text)));
        return new TableCell(new TableCellProperties(new TableCellWidth { Width = width, Type = TableWidthUnitValues.Dxa }), new Paragraph(run));
    }

    private static Paragraph Paragraph(string style, string text) =>
        new(new ParagraphProperties(new ParagraphStyleId { Val = style }),
            new Run(new Text(Text(text)) { Space = SpaceProcessingModeValues.Preserve }));

    private static string Text(string s) => AknExport.XmlSafe(s);

    private static void AddStyles(MainDocumentPart main)
    {
        var styles = main.AddNewPart<StyleDefinitionsPart>();
        Style ParagraphStyle(string id, string name, int sizeHalfPoints, bool bold, int? outline = null, int indent = 0, int spaceBefore = 120)
        {
            var paragraph = new StyleParagraphProperties(
                new SpacingBetweenLines { Before = spaceBefore.ToString(), After = "80" },
                new Indentation { Left = indent.ToString() });
            if (outline is { } level) paragraph.Append(new OutlineLevel { Val = level });
            var run = new StyleRunProperties();
            if (bold) run.Append(new Bold());
            run.Append(new FontSize { Val = sizeHalfPoints.ToString() });
            return new Style(new StyleName { Val = name }, new BasedOn { Val = "Normal" }, new PrimaryStyle(), paragraph, run)
            { Type = StyleValues.Paragraph, StyleId = id };
        }

        var normal = new Style(new StyleName { Val = "Normal" }, new PrimaryStyle(),
            new StyleRunProperties(new RunFonts { Ascii = "Calibri", HighAnsi = "Calibri", ComplexScript = "Calibri" }, new FontSize { Val = "22" }))
        { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true };
        var grid = new Style(new StyleName { Val = "Table Grid" }, new StyleTableProperties(new TableIndentation { Width = 0, Type = TableWidthUnitValues.Dxa }))
        { Type = StyleValues.Table, StyleId = "TableGrid" };

        styles.Styles = new Styles(normal,
            ParagraphStyle("Title", "Title", 40, true, spaceBefore: 0),
            ParagraphStyle("Subtitle", "Subtitle", 22, false),
            ParagraphStyle("Heading1", "heading 1", 32, true, outline: 0, spaceBefore: 360),
            ParagraphStyle("Heading2", "heading 2", 28, true, outline: 1, spaceBefore: 240),
            ParagraphStyle("Heading3", "heading 3", 24, true, outline: 2, spaceBefore: 200),
            ParagraphStyle("Action", "Action", 22, false),
            ParagraphStyle("Point", "Point", 22, false, indent: 567, spaceBefore: 40),
            grid);
        styles.Styles.Save();
    }
}
