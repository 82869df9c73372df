using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace CadapDrafting.Import;

/// <summary>
/// Writes Word files the way Word does: built-in heading styles, lists in numbering.xml (the numbers are not in the
/// text), tables with a header row. Used to make the demo programmes in <c>seeds/word</c> and the files the import
/// tests and benchmark read.
/// </summary>
public sealed class WordWriter
{
    private readonly List<OpenXmlElement> _body = [];
    private readonly List<AbstractNum> _abstractNums = [];
    private readonly List<NumberingInstance> _instances = [];

    /// <summary>A list definition: one (format, text) per level, e.g. ("decimal", "%1.%2."), ("russianLower", "%1)").</summary>
    public int List(params (string Format, string Text)[] levels)
    {
        var abstractId = _abstractNums.Count + 1;
        var id = _instances.Count + 1;
        var abstractNum = new AbstractNum { AbstractNumberId = abstractId };
        for (var i = 0; i < levels.Length; i++)
            abstractNum.Append(new Level(
                new StartNumberingValue { Val = 1 },
                new NumberingFormat { Val = new EnumValue<NumberFormatValues>(new NumberFormatValues(levels[i].Format)) },
                new LevelText { Val = levels[i].Text },
                new LevelJustification { Val = LevelJustificationValues.Left },
                new PreviousParagraphProperties(new Indentation { Left = (720 * (i + 1)).ToString(), Hanging = "360" }))
            { LevelIndex = i });
        _abstractNums.Add(abstractNum);
        _instances.Add(new NumberingInstance(new AbstractNumId { Val = abstractId }) { NumberID = id });
        return id;
    }

    /// <summary>The same list counted again from its start (Word's "restart numbering"): a new instance with a start override.</summary>
    public int Restart(int list)
    {
        var id = _instances.Count + 1;
        var abstractId = _instances[list - 1].AbstractNumId!.Val!.Value;
        var levels = _abstractNums[abstractId - 1].Elements<Level>().Count();
        var instance = new NumberingInstance(new AbstractNumId { Val = abstractId }) { NumberID = id };
        for (var level = 0; level < levels; level++)
            instance.Append(new LevelOverride(new StartOverrideNumberingValue { Val = 1 }) { LevelIndex = level });
        _instances.Add(instance);
        return id;
    }

    public WordWriter Title(string text) => Add(Para(text, "Title"));

    public WordWriter Heading(int level, string text, int? list = null, int listLevel = 0) =>
        Add(Para(text, $"Heading{level}", list, listLevel));

    public WordWriter Paragraph(string text, int? list = null, int listLevel = 0) => Add(Para(text, null, list, listLevel));

    /// <summary>A table: the header row, then rows; a row of one cell spans the table (a section of the plan).</summary>
    public WordWriter Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var table = new Table(new TableProperties(new TableBorders(
            new TopBorder { Val = BorderValues.Single, Size = 4 }, new BottomBorder { Val = BorderValues.Single, Size = 4 },
            new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 }, new InsideVerticalBorder { Val = BorderValues.Single, Size = 4 }),
            new TableWidth { Type = TableWidthUnitValues.Pct, Width = "5000" }));
        table.Append(new TableGrid(header.Select(_ => new GridColumn { Width = (9000 / header.Count).ToString() })));
        table.Append(Row(header, header.Count, isHeader: true));
        foreach (var row in rows) table.Append(Row(row, header.Count, isHeader: false));
        return Add(table);
    }

    private static TableRow Row(IReadOnlyList<string> cells, int columns, bool isHeader)
    {
        var row = new TableRow();
        if (isHeader) row.Append(new TableRowProperties(new TableHeader()));
        foreach (var cell in cells)
        {
            var properties = new TableCellProperties();
            if (cells.Count == 1 && columns > 1) properties.Append(new GridSpan { Val = columns });
            var tc = new TableCell(properties);
            foreach (var line in cell.Split('\n')) tc.Append(Para(line, null));
            row.Append(tc);
        }
        return row;
    }

    private WordWriter Add(OpenXmlElement element)
    {
        _body.Add(element);
        return this;
    }

    private static Paragraph Para(string text, string? style, int? list = null, int listLevel = 0)
    {
        var properties = new ParagraphProperties();
        if (style is not null) properties.Append(new ParagraphStyleId { Val = style });
        if (list is { } numId)
            properties.Append(new NumberingProperties(new NumberingLevelReference { Val = listLevel }, new NumberingId { Val = numId }));
        return new Paragraph(properties, new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
    }

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var word = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = word.AddMainDocumentPart();
            main.Document = new Document(new Body(_body.Select(e => e.CloneNode(true)).Append(new SectionProperties(
                new PageSize { Width = 11906, Height = 16838 }, new PageMargin { Top = 1134, Bottom = 1134, Left = 1701, Right = 850 }))));
            var styles = main.AddNewPart<StyleDefinitionsPart>();
            styles.Styles = new Styles(
                Style("Normal", "Normal", null, null, 24, false),
                Style("Title", "Title", "Normal", null, 36, true),
                Style("Heading1", "heading 1", "Normal", 0, 32, true),
                Style("Heading2", "heading 2", "Normal", 1, 28, true),
                Style("Heading3", "heading 3", "Normal", 2, 24, true));
            if (_abstractNums.Count > 0)
            {
                var numbering = main.AddNewPart<NumberingDefinitionsPart>();
                numbering.Numbering = new Numbering(_abstractNums.Select(a => a.CloneNode(true)).Concat(_instances.Select(i => i.CloneNode(true))));
            }
        }
        return stream.ToArray();
    }

    private static Style Style(string id, string name, string? basedOn, int? outlineLevel, int halfPoints, bool bold)
    {
        var style = new Style { Type = StyleValues.Paragraph, StyleId = id, Default = id == "Normal" ? true : null };
        style.Append(new StyleName { Val = name });
        if (basedOn is not null) style.Append(new BasedOn { Val = basedOn });
        var paragraph = new StyleParagraphProperties();
        if (outlineLevel is { } level) paragraph.Append(new KeepNext(), new OutlineLevel { Val = level });
        style.Append(paragraph);
        var run = new StyleRunProperties(new RunFonts { Ascii = "Times New Roman", HighAnsi = "Times New Roman", ComplexScript = "Times New Roman" });
        if (bold) run.Append(new Bold());
        run.Append(new FontSize { Val = halfPoints.ToString() });
        style.Append(run);
        return style;
    }
}
