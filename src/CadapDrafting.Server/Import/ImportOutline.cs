using CadapDrafting.Drafts;

namespace CadapDrafting.Import;

/// <summary>What a line of the Word file becomes: a node of a kind, the title of the draft, or nothing.</summary>
public enum LineKind { Title, Part, Chapter, Section, Article, Action, Point, Ignore }

/// <summary>Where a table column's cells go in an action's record.</summary>
public enum ActionField
{
    Number, Text, Objective, Timeline, Responsible, Indicators, Baseline, Target, Funding, CompletionForm, Pillar, SdgTargets,
    /// <summary>A known column left out on purpose, or an unknown one nobody mapped.</summary>
    Ignore,
}

/// <summary>
/// One line of the outline as recognised: the node it becomes, how deep, how sure the importer is (0–1) and why,
/// and where in the Word file it came from (<see cref="Source"/>: "¶12", "table 2, row 5").
/// </summary>
public sealed record ImportLine
{
    public required string Id { get; init; }
    public required string Source { get; init; }
    public int Paragraph { get; init; }
    public LineKind Kind { get; set; }
    public int Level { get; set; }
    public double Confidence { get; set; }
    /// <summary>The number the reader sees in Word, typed or automatic ("2.1.3", "а)", "IV").</summary>
    public string? Number { get; init; }
    public string Text { get; set; } = "";
    public ActionAttributes? Attributes { get; init; }
    public required string Why { get; set; }
    public List<string> Notes { get; init; } = [];
    /// <summary>Rank in the document's hierarchy while recognising (1 part … 5+ point); levels follow from it.</summary>
    internal int Rank { get; set; }

    public bool BecomesNode => Kind is not (LineKind.Title or LineKind.Ignore);

    public static NodeKind? NodeKindOf(LineKind kind) => kind switch
    {
        LineKind.Part => NodeKind.Part,
        LineKind.Chapter => NodeKind.Chapter,
        LineKind.Section => NodeKind.Section,
        LineKind.Article => NodeKind.Article,
        LineKind.Action => NodeKind.Action,
        LineKind.Point => NodeKind.Point,
        _ => null,
    };
}

/// <summary>A column of an action-plan table, with the record field it fills (null: unknown, listed for the user to map).</summary>
public sealed record TableColumn(int Table, int Column, string Header, ActionField? Field, List<string> Samples);

/// <summary>The Word file as the importer understood it, before anything is stored.</summary>
public sealed record ImportOutline(
    ImportSource Source,
    string Language,
    string? Title,
    List<ImportLine> Lines,
    List<TableColumn> Columns,
    int Paragraphs,
    int Tables,
    List<string> Problems)
{
    public List<TableColumn> UnknownColumns => Columns.Where(c => c.Field is null).ToList();
    public IEnumerable<ImportLine> Nodes => Lines.Where(l => l.BecomesNode);
    public int Actions => Nodes.Count(l => l.Kind == LineKind.Action);
}

/// <summary>The user's corrections in the review step, applied in order to the recognised outline.</summary>
public sealed record ImportCorrections(List<LineCorrection>? Lines = null, List<ColumnMapping>? Columns = null)
{
    public static readonly ImportCorrections None = new();
}

/// <summary>
/// One correction: <c>level</c> (move the line to <see cref="Level"/>), <c>kind</c> (make it <see cref="Kind"/>),
/// <c>merge</c> (join it to the line before), <c>split</c> (cut its text at character <see cref="At"/>), <c>ignore</c>.
/// </summary>
public sealed record LineCorrection(string Line, string Op, int? Level = null, LineKind? Kind = null, int? At = null);

public sealed record ColumnMapping(int Table, int Column, ActionField Field);
