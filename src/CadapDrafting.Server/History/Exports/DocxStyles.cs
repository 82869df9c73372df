using DocumentFormat.OpenXml.Wordprocessing;

namespace CadapDrafting.History.Exports;

/// <summary>
/// The Word export's styles. Headings are Word's own "heading 1–3" (outline levels 0–2) so the navigation pane and
/// the table of contents find them. Arial is what Word has everywhere; LibreOffice on Linux renders it with the
/// metric-compatible Liberation Sans, which has Cyrillic.
/// </summary>
public static class DocxStyles
{
    public static Styles For(ExportDocument doc)
    {
        Style ParagraphStyle(string id, string name, int sizeHalfPoints, bool bold, int? outline = null, int indent = 0,
            int spaceBefore = 120, bool keepNext = false, JustificationValues? justify = null, string basedOn = "Normal", string? color = null)
        {
            var paragraph = new StyleParagraphProperties();
            if (keepNext) paragraph.Append(new KeepNext());
            paragraph.Append(new SpacingBetweenLines { Before = spaceBefore.ToString(), After = "80" });
            paragraph.Append(new Indentation { Left = indent.ToString() });
            if (justify is { } j) paragraph.Append(new Justification { Val = j });
            if (outline is { } level) paragraph.Append(new OutlineLevel { Val = level });
            var run = new StyleRunProperties();
            if (bold) run.Append(new Bold());
            if (color is not null) run.Append(new Color { Val = color });
            run.Append(new FontSize { Val = sizeHalfPoints.ToString() });
            return new Style(new StyleName { Val = name }, new BasedOn { Val = basedOn }, new NextParagraphStyle { Val = "Normal" },
                new PrimaryStyle(), paragraph, run)
            { Type = StyleValues.Paragraph, StyleId = id };
        }

        var defaults = new DocDefaults(
            new RunPropertiesDefault(new RunPropertiesBaseStyle(
                new RunFonts { Ascii = "Arial", HighAnsi = "Arial", ComplexScript = "Arial", EastAsia = "Arial" },
                new FontSize { Val = "22" }, new Languages { Val = doc.Lang.Tag })),
            new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(new SpacingBetweenLines { After = "80" })));
        var normal = new Style(new StyleName { Val = "Normal" }, new PrimaryStyle())
        { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true };
        var grid = new Style(new StyleName { Val = "Table Grid" },
                new StyleTableProperties(new TableIndentation { Width = 0, Type = TableWidthUnitValues.Dxa }))
        { Type = StyleValues.Table, StyleId = "TableGrid" };

        return new Styles(defaults, normal,
            ParagraphStyle("TitleCountry", "Title Country", 28, true, spaceBefore: 2400, justify: JustificationValues.Center),
            ParagraphStyle("Title", "Title", 44, true, spaceBefore: 600, justify: JustificationValues.Center),
            ParagraphStyle("Subtitle", "Subtitle", 26, false, spaceBefore: 240, justify: JustificationValues.Center),
            ParagraphStyle("TitleField", "Title Field", 22, false, spaceBefore: 120, justify: JustificationValues.Center),
            ParagraphStyle("TOCHeading", "TOC Heading", 32, true, spaceBefore: 0),
            ParagraphStyle("TOC1", "toc 1", 22, false, spaceBefore: 60),
            ParagraphStyle("TOC2", "toc 2", 22, false, indent: 284, spaceBefore: 0),
            ParagraphStyle("TOC3", "toc 3", 22, false, indent: 567, spaceBefore: 0),
            ParagraphStyle("Heading1", "heading 1", 32, true, outline: 0, spaceBefore: 360, keepNext: true),
            ParagraphStyle("Heading2", "heading 2", 28, true, outline: 1, spaceBefore: 240, keepNext: true),
            ParagraphStyle("Heading3", "heading 3", 24, true, outline: 2, spaceBefore: 200, keepNext: true),
            ParagraphStyle("Action", "Action", 22, false, spaceBefore: 200),
            ParagraphStyle("Point", "Point", 22, false, indent: 567, spaceBefore: 40),
            ParagraphStyle("TableText", "Table Text", 20, false, spaceBefore: 0),
            ParagraphStyle("Header", "header", 20, false, spaceBefore: 0),
            ParagraphStyle("Footer", "footer", 18, false, spaceBefore: 0),
            ParagraphStyle("Stamp", "Stamp", 12, false, spaceBefore: 0, basedOn: "Footer", color: "666666"),
            grid);
    }
}
