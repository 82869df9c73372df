using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Wordprocessing;
using CadapDrafting.Drafts;

namespace CadapDrafting.History.Exports;

/// <summary>A tracked change on a piece of text, a paragraph mark or a table row: who made it and when (from the events).</summary>
public enum Mark { Inserted, Deleted, MovedFrom, MovedTo }

public sealed record Change(Mark Mark, string Author, DateTimeOffset At, string? MoveName = null);

/// <summary>A run of text in one language, optionally bold, marked untranslated, or part of a tracked change.</summary>
public sealed record Piece(string Text, string Language, Change? Change = null, bool Bold = false, bool Untranslated = false);

/// <summary>
/// Word (Office Open XML), for a ministry to send: a title page (country, title, period, status, date), a table of
/// contents, the draft with parts, chapters and sections as Heading 1–3 (so Word's navigation pane works), articles
/// and actions as paragraphs kept with their action record (a table whose rows do not split), every run tagged with
/// its language, a DRAFT mark in the header until the draft is approved, and a footer with page numbers and the
/// stamp. <see cref="DocxBody"/> builds the body; <see cref="DocxPackage"/> writes the file byte for byte the same
/// for the same revision.
/// </summary>
public static class DocxExport
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    public static void Write(ExportDocument doc, Stream output)
    {
        var body = new DocxBody(doc);
        body.TitlePage();
        body.TableOfContents(doc.InDocumentOrder().Where(n => ExportDocument.IsHeading(n.Kind)));
        if (doc.Nodes.Count == 0) body.Add(body.Para("Normal", [new Piece(doc.Labels.Empty, doc.Lang.LabelsLanguage)]));
        foreach (var node in doc.InDocumentOrder()) body.Node(node, body.PiecesOf(node));
        DocxPackage.Write(doc, body, output);
    }
}

/// <summary>The body of a Word export, built block by block: paragraphs and tables with language-tagged, optionally tracked runs.</summary>
public sealed class DocxBody(ExportDocument doc)
{
    private readonly List<OpenXmlElement> _blocks = [];
    private int _nextId = 1;
    private readonly Dictionary<Guid, string> _bookmarks = new();

    public ExportDocument Document => doc;
    public IReadOnlyList<OpenXmlElement> Blocks => _blocks;

    public void Add(OpenXmlElement block) => _blocks.Add(block);

    /// <summary>Country, kind and period, title, status, date and revision, then a page break.</summary>
    public void TitlePage(string? changesLine = null)
    {
        var l = doc.Labels;
        var labels = doc.Lang.LabelsLanguage;
        Add(Para("TitleCountry", [new Piece(doc.CountryName, labels)]));
        Add(Para("Subtitle", [new Piece($"{doc.KindName} {doc.Period}", labels)]));
        var titlePieces = new List<Piece>();
        if (doc.TitleUntranslated) titlePieces.Add(new Piece(doc.UntranslatedMarker(doc.TitleLanguage) + " ", labels, Untranslated: true));
        titlePieces.Add(new Piece(doc.Title, doc.TitleLanguage));
        Add(Para("Title", titlePieces));
        if (changesLine is not null) Add(Para("Subtitle", [new Piece(changesLine, labels)]));
        Add(Para("TitleField", [new Piece($"{l.Status}: ", labels, Bold: true), new Piece(doc.StatusName, labels)]));
        Add(Para("TitleField", [new Piece($"{l.Date}: ", labels, Bold: true), new Piece(doc.Lang.Date(doc.AsOf), doc.Language)]));
        Add(Para("TitleField", [new Piece($"{l.Revision}: ", labels, Bold: true), new Piece(doc.Revision.ToString(doc.Lang.Culture), doc.Language)]));
        Add(PageBreak());
    }

    /// <summary>
    /// The table of contents as entries written out: one per heading, a link to the heading's bookmark and a PAGEREF
    /// field to it, so LibreOffice computes the page numbers as it lays the document out (it does not refresh a TOC
    /// field's stored result) and Word refreshes them when it updates fields on opening.
    /// </summary>
    public void TableOfContents(IEnumerable<ExportNode> headings)
    {
        Add(Para("TOCHeading", [new Piece(doc.Labels.Contents, doc.Lang.LabelsLanguage)]));
        foreach (var heading in headings)
        {
            var bookmark = BookmarkOf(heading.Id);
            var p = new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = $"TOC{Math.Min(heading.Depth, 3)}" },
                new Tabs(new TabStop { Val = TabStopValues.Right, Leader = TabStopLeaderCharValues.Dot, Position = 9628 })));
            var link = new Hyperlink { Anchor = bookmark, History = true };
            link.Append(TextRun($"{heading.Label}. {heading.Text}", heading.TextLanguage));
            link.Append(new Run(new TabChar()));
            link.Append(FieldStart($" PAGEREF {bookmark} \\h "));
            link.Append(TextRun("1", doc.Language));
            link.Append(FieldEnd());
            p.Append(link);
            Add(p);
        }
        Add(PageBreak());
    }

    /// <summary>A node's paragraph (a heading for parts, chapters and sections) and, for an action, its record as a table kept with it.</summary>
    public void Node(ExportNode node, IReadOnlyList<Piece> pieces, Change? paragraphMark = null, IReadOnlyList<RecordRow>? record = null)
    {
        var heading = ExportDocument.IsHeading(node.Kind);
        var style = heading ? $"Heading{Math.Min(node.Depth, 3)}" : node.Kind == NodeKind.Point ? "Point" : "Action";
        var rows = record ?? node.Attributes.Select(r => new RecordRow(r.Name, [new Piece(r.Value, doc.Language)])).ToList();
        var p = Para(style, pieces, paragraphMark, keepNext: rows.Count > 0 || heading);
        if (heading && paragraphMark?.Mark is not Mark.Deleted and not Mark.MovedFrom)
        {
            var id = (_nextId++).ToString();
            p.InsertAfter(new BookmarkStart { Name = BookmarkOf(node.Id), Id = id }, p.ParagraphProperties);
            p.Append(new BookmarkEnd { Id = id });
        }
        if (paragraphMark?.Mark is Mark.MovedFrom or Mark.MovedTo)
        {
            var (start, end) = MoveRange(paragraphMark);
            p.InsertAfter(start, p.ParagraphProperties);
            p.Append(end);
        }
        Add(p);
        if (rows.Count > 0) Add(RecordTable(rows));
    }

    /// <summary>A node's label and text as pieces: "Глава 2. " in the labels' language, then its text, marked when untranslated.</summary>
    public List<Piece> PiecesOf(ExportNode node, Change? change = null)
    {
        var pieces = new List<Piece> { new($"{node.Label}. ", doc.Lang.LabelsLanguage, change, Bold: !ExportDocument.IsHeading(node.Kind)) };
        if (node.Untranslated)
            pieces.Add(new Piece(doc.UntranslatedMarker(node.TextLanguage) + " ", doc.Lang.LabelsLanguage, change, Untranslated: true));
        pieces.Add(new Piece(node.Text, node.TextLanguage, change));
        return pieces;
    }

    public Paragraph Para(string style, IEnumerable<Piece> pieces, Change? paragraphMark = null, bool keepNext = false)
    {
        var properties = new ParagraphProperties(new ParagraphStyleId { Val = style });
        if (keepNext) properties.Append(new KeepNext());
        if (paragraphMark is not null) properties.Append(new ParagraphMarkRunProperties(MarkElement(paragraphMark)));
        var p = new Paragraph(properties);
        foreach (var piece in pieces) p.Append(Tracked(piece));
        return p;
    }

    /// <summary>The action record: field and value per row; rows never split across pages and each keeps with the next, so the record stays with its
    /// action.</summary>
    public Table RecordTable(IReadOnlyList<RecordRow> rows)
    {
        BorderType Border<T>() where T : BorderType, new() => new T { Val = BorderValues.Single, Size = 4U, Color = "999999" };
        var table = new Table(new TableProperties(
                new TableStyle { Val = "TableGrid" },
                new TableWidth { Width = "5000", Type = TableWidthUnitValues.Pct },
                new TableBorders(Border<TopBorder>(), Border<LeftBorder>(), Border<BottomBorder>(), Border<RightBorder>(),
                    Border<InsideHorizontalBorder>(), Border<InsideVerticalBorder>())),
            new TableGrid(new GridColumn { Width = "2600" }, new GridColumn { Width = "7000" }));
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var keepNext = i < rows.Count - 1;
            var rowProperties = new TableRowProperties(new CantSplit());
            if (row.Mark is { } mark) rowProperties.Append(mark.Mark is Mark.Deleted or Mark.MovedFrom
                ? new Deleted { Author = mark.Author, Date = mark.At.UtcDateTime, Id = (_nextId++).ToString() }
                : new Inserted { Author = mark.Author, Date = mark.At.UtcDateTime, Id = (_nextId++).ToString() });
            table.Append(new TableRow(rowProperties,
                Cell([new Piece(row.Name, doc.Lang.LabelsLanguage, row.Mark, Bold: true)], "2600", keepNext),
                Cell(row.Value, "7000", keepNext)));
        }
        return table;
    }

    private TableCell Cell(IEnumerable<Piece> pieces, string width, bool keepNext) =>
        new(new TableCellProperties(new TableCellWidth { Width = width, Type = TableWidthUnitValues.Dxa }),
            Para("TableText", pieces, keepNext: keepNext));

    private OpenXmlElement Tracked(Piece piece)
    {
        var run = piece.Change?.Mark is Mark.Deleted or Mark.MovedFrom
            ? new Run(RunProps(piece), new DeletedText(Text(piece.Text)) { Space = SpaceProcessingModeValues.Preserve })
            : new Run(RunProps(piece), new Text(Text(piece.Text)) { Space = SpaceProcessingModeValues.Preserve });
        if (piece.Change is not { } c) return run;
        var id = (_nextId++).ToString();
        OpenXmlElement wrapper = c.Mark switch
        {
            Mark.Inserted => new InsertedRun(run) { Author = c.Author, Date = c.At.UtcDateTime, Id = id },
            Mark.Deleted => new DeletedRun(run) { Author = c.Author, Date = c.At.UtcDateTime, Id = id },
            Mark.MovedFrom => new MoveFromRun(run) { Author = c.Author, Date = c.At.UtcDateTime, Id = id },
            _ => new MoveToRun(run) { Author = c.Author, Date = c.At.UtcDateTime, Id = id },
        };
        return wrapper;
    }

    /// <summary>The start and end of a named move range around a moved paragraph's content, so Word pairs the two places.</summary>
    public (OpenXmlElement Start, OpenXmlElement End) MoveRange(Change change)
    {
        var id = (_nextId++).ToString();
        return change.Mark == Mark.MovedFrom
            ? (new MoveFromRangeStart { Id = id, Name = change.MoveName, Author = change.Author, Date = change.At.UtcDateTime },
                new MoveFromRangeEnd { Id = id })
            : (new MoveToRangeStart { Id = id, Name = change.MoveName, Author = change.Author, Date = change.At.UtcDateTime },
                new MoveToRangeEnd { Id = id });
    }

    private OpenXmlElement MarkElement(Change c)
    {
        var id = (_nextId++).ToString();
        return c.Mark switch
        {
            Mark.Inserted => new Inserted { Author = c.Author, Date = c.At.UtcDateTime, Id = id },
            Mark.Deleted => new Deleted { Author = c.Author, Date = c.At.UtcDateTime, Id = id },
            Mark.MovedFrom => new MoveFrom { Author = c.Author, Date = c.At.UtcDateTime, Id = id },
            _ => new MoveTo { Author = c.Author, Date = c.At.UtcDateTime, Id = id },
        };
    }

    private RunProperties RunProps(Piece piece)
    {
        var properties = new RunProperties();
        if (piece.Bold) properties.Append(new Bold());
        if (piece.Untranslated)
        {
            properties.Append(new Italic());
            properties.Append(new Color { Val = "C00000" });
        }
        properties.Append(new Languages { Val = ExportLanguage.Of(piece.Language).Tag });
        return properties;
    }

    private Run TextRun(string text, string language) =>
        new(new RunProperties(new Languages { Val = ExportLanguage.Of(language).Tag }),
            new Text(Text(text)) { Space = SpaceProcessingModeValues.Preserve });

    private static OpenXmlElement[] FieldStart(string instruction) =>
    [
        new Run(new FieldChar { FieldCharType = FieldCharValues.Begin }),
        new Run(new FieldCode(instruction) { Space = SpaceProcessingModeValues.Preserve }),
        new Run(new FieldChar { FieldCharType = FieldCharValues.Separate }),
    ];

    private static Run FieldEnd() => new(new FieldChar { FieldCharType = FieldCharValues.End });

    private static Paragraph PageBreak() => new(new Run(new Break { Type = BreakValues.Page }));

    private string BookmarkOf(Guid nodeId)
    {
        if (!_bookmarks.TryGetValue(nodeId, out var name)) _bookmarks[nodeId] = name = $"_Toc{_bookmarks.Count + 1:D6}";
        return name;
    }

    public static string Text(string s) => AknExport.XmlSafe(s);
}

/// <summary>One row of an action record in Word: the field, its value as pieces (tracked when it changed), and a mark for a row that came or
/// went.</summary>
public sealed record RecordRow(string Name, IReadOnlyList<Piece> Value, Change? Mark = null);
