using System.Text.RegularExpressions;
using CadapDrafting.Drafts;
using CadapDrafting.Infrastructure;

namespace CadapDrafting.Import;

/// <summary>
/// Recognises a draft's structure the way ministries write it: labels (Раздел, Глава, Статья, Пункт, Part, Chapter,
/// Article, Section), heading styles and outline levels, Word's automatic numbering and typed numbers, and
/// action-plan tables. Pure: the same file and corrections give the same outline.
/// </summary>
public static class RecogniseOutline
{
    private const int PartRank = 1, ChapterRank = 2, SectionRank = 3, ItemRank = 4, PointRank = 5;

    private static readonly (LineKind Kind, Regex Label)[] Labels =
    [
        (LineKind.Part, Label(@"раздел|часть|part")),
        (LineKind.Chapter, Label(@"глава|chapter")),
        (LineKind.Section, Label(@"подраздел|параграф|§|section")),
        (LineKind.Article, Label(@"статья|article")),
        (LineKind.Action, Label(@"мероприятие|мера|action|measure")),
        (LineKind.Point, Label(@"пункт|point|paragraph")),
    ];

    // The label in any case ("ГЛАВА", "Глава"), then a space; its number is case-sensitive, so "Measures are …" is no label.
    private static Regex Label(string words) => new(
        $@"^(?<label>(?i:{words}))(?:\s+|(?<=§)|$)(?<n>[IVXLC]+|\d+(?:\.\d+)*|[А-ЯA-Z])?\s*[.:)—–-]?\s*(?<rest>.*)$",
        RegexOptions.CultureInvariant);

    private static readonly Regex TypedNumber = new(@"^(?<n>\d{1,3}(?:\.\d{1,3})*)(?:\.|\)|\.\))?\s+(?<rest>\S.*)$");
    private static readonly Regex TypedLetter = new(@"^(?<n>[а-яa-z])\)\s+(?<rest>\S.*)$");
    private static readonly Regex TypedRoman = new(@"^(?<n>[IVXLC]{1,6})\.\s+(?<rest>\S.*)$");
    private static readonly Regex AutoNumberParts = new(@"\d+|[IVXLC]+|[а-яa-z]");

    public static (ImportOutline? Outline, Problem? Refusal) From(SourceDocument document, DraftKind draftKind, int periodStart, int periodEnd,
        ImportCorrections corrections)
    {
        var mappings = corrections.Columns ?? [];
        var lines = new List<ImportLine>();
        var columns = new List<TableColumn>();
        var paragraphs = document.Paragraphs.Where(p => p.Text.Length > 0).ToList();
        var headingLevels = paragraphs.Where(p => p.OutlineLevel is not null && LabelOf(p.Text) is null).Select(p => p.OutlineLevel!.Value)
            .Distinct().Order().ToList();
        var hasLabels = paragraphs.Any(p => LabelOf(p.Text) is not null);
        var structuredByNumbers = headingLevels.Count == 0 && !hasLabels && !document.Tables.Any(t => IsActionTable(t, mappings));
        var deepestNumber = structuredByNumbers ? paragraphs.Select(p => NumberDepth(p)).DefaultIfEmpty(0).Max() : 0;

        var itemKind = draftKind == DraftKind.ActionPlan ? LineKind.Action : LineKind.Article;
        var anchorRank = 0; // rank of the last heading or labelled line: numbered and plain paragraphs sit under it
        // Since that anchor: per list (Word list id, or the shape of a typed number) the rank of its level 0, and the last numbered rank.
        var listBase = new Dictionary<string, int>();
        int? lastNumberedRank = null;
        void Anchor(int rank, SourceParagraph p, string? typedNumber)
        {
            anchorRank = rank;
            listBase.Clear();
            lastNumberedRank = null;
            if (ListOf(p, typedNumber) is { } list) listBase[list.Key] = rank - list.Level;
        }
        var structureSeen = false;
        var skipParagraph = -1;
        string? title = null;

        foreach (var block in document.Blocks)
        {
            if (block is SourceTable table)
            {
                var found = ReadTable(table, mappings, draftKind, periodStart, periodEnd, columns);
                if (found.Count > 0 && found.Any(l => l.Kind == LineKind.Action)) structureSeen = true;
                lines.AddRange(found);
                continue;
            }
            var p = (SourceParagraph)block;
            if (p.Text.Length == 0 || p.Index == skipParagraph) continue;
            var id = $"p{p.Index}";
            var source = $"¶{p.Index}";

            if (p.IsTitleStyle || !structureSeen && p.OutlineLevel is null && p.ListNumber is null && LabelOf(p.Text) is null
                && TypedNumberOf(p.Text) is null)
            {
                var kind = title is null ? LineKind.Title : LineKind.Ignore;
                title ??= p.Text;
                lines.Add(new ImportLine
                {
                    Id = id, Source = source, Paragraph = p.Index, Kind = kind, Text = p.Text, Confidence = p.IsTitleStyle ? 0.9 : 0.6,
                    Why = kind == LineKind.Title
                        ? (p.IsTitleStyle ? "Title style" : "the first paragraph, before any heading") : "text before the first heading",
                });
                continue;
            }

            if (LabelOf(p.Text) is { } labelled)
            {
                var text = labelled.Title;
                var paragraphRef = source;
                // "ГЛАВА 1" alone, its title in the next paragraph: one line.
                if (text.Length == 0 && Next(document, p) is { } next && LabelOf(next.Text) is null && next.ListNumber is null &&
                    TypedNumberOf(next.Text) is null)
                {
                    text = next.Text;
                    skipParagraph = next.Index;
                    paragraphRef = $"¶{p.Index}–{next.Index}";
                }
                var rank = labelled.Kind == LineKind.Point ? Math.Max(PointRank, anchorRank + 1) : RankOf(labelled.Kind);
                if (labelled.Kind != LineKind.Point) Anchor(rank, p, null);
                structureSeen = true;
                lines.Add(new ImportLine
                {
                    Id = id, Source = paragraphRef, Paragraph = p.Index, Kind = labelled.Kind, Rank = rank, Number = labelled.Number ?? p.ListNumber,
                    Text = text, Confidence = 0.95, Why = $"labelled '{labelled.Word}'",
                });
                continue;
            }

            var typed = TypedNumberOf(p.Text);
            var number = p.ListNumber ?? typed?.Number;
            var body = typed is not null && (p.ListNumber is null || typed.Value.Number == p.ListNumber) ? typed.Value.Body : p.Text;

            if (p.OutlineLevel is { } outlineLevel)
            {
                var rank = HeadingRank(headingLevels.IndexOf(outlineLevel), headingLevels.Count);
                Anchor(rank, p, typed?.Number);
                structureSeen = true;
                lines.Add(new ImportLine
                {
                    Id = id, Source = source, Paragraph = p.Index, Kind = KindOfRank(rank, itemKind), Rank = rank, Number = number, Text = body,
                    Confidence = number is null ? 0.8 : 0.9,
                    Why = (p.StyleName is { } style && style.StartsWith("heading", StringComparison.OrdinalIgnoreCase)
                              ? $"style '{style}'"
                              : $"outline level {outlineLevel + 1}") +
                          (number is null ? "" : p.ListNumber is null ? $", typed number {number}" : $", Word numbering {number}"),
                });
                continue;
            }

            if (number is not null)
            {
                var list = ListOf(p, typed?.Number)!.Value;
                var depth = list.Level + 1;
                int rank;
                if (structuredByNumbers && list.Key == "typed:digits") rank = NumberedRank(depth, deepestNumber);
                // "I.", "II." above "1.", "1.1.": the parts of a document structured by numbers.
                else if (structuredByNumbers && list.Key == "typed:roman") rank = Math.Max(PartRank, NumberedRank(1, deepestNumber) - 1);
                else if (listBase.TryGetValue(list.Key, out var levelZero)) rank = Math.Max(anchorRank + 1, levelZero + list.Level);
                else
                {
                    // A new list: items under the anchor, or, right after another list's item, points of that item ("1." then "а)").
                    rank = lastNumberedRank is { } last && last >= ItemRank ? last + 1 : Math.Max(ItemRank, anchorRank + 1);
                    listBase[list.Key] = rank - list.Level;
                }
                lastNumberedRank = rank;
                structureSeen = true;
                lines.Add(new ImportLine
                {
                    Id = id, Source = source, Paragraph = p.Index, Kind = KindOfRank(rank, itemKind), Rank = rank, Number = number, Text = body,
                    Confidence = p.ListNumber is null ? 0.7 : 0.75,
                    Why = p.ListNumber is null ? $"typed number {number}" : $"Word numbering {number} (list level {depth})",
                });
                continue;
            }

            var plainRank = Math.Max(ItemRank, anchorRank + 1);
            lines.Add(new ImportLine
            {
                Id = id, Source = source, Paragraph = p.Index, Kind = KindOfRank(plainRank, itemKind), Rank = plainRank, Text = p.Text,
                Confidence = 0.5, Why = "a paragraph without heading style, label or number",
            });
        }

        if (!structureSeen)
            return (null, NoStructure(document, paragraphs));

        AssignLevels(lines);
        var outline = new ImportOutline(document.Source, LanguageOf(paragraphs), title, lines, columns, paragraphs.Count, document.Tables.Count(),
            []);
        Correct(outline, corrections.Lines ?? []);
        Check(outline);
        return (outline, null);
    }

    private static SourceParagraph? Next(SourceDocument document, SourceParagraph p) =>
        document.Blocks.SkipWhile(b => b != (object)p).Skip(1).OfType<SourceParagraph>().FirstOrDefault(n => n.Text.Length > 0);

    private static int RankOf(LineKind kind) => kind switch
    {
        LineKind.Part => PartRank,
        LineKind.Chapter => ChapterRank,
        LineKind.Section => SectionRank,
        LineKind.Article or LineKind.Action => ItemRank,
        _ => PointRank,
    };

    private static LineKind KindOfRank(int rank, LineKind itemKind) => rank switch
    {
        PartRank => LineKind.Part,
        ChapterRank => LineKind.Chapter,
        SectionRank => LineKind.Section,
        ItemRank => itemKind,
        _ => LineKind.Point,
    };

    /// <summary>Heading levels present, shallowest first: one level is chapters; four or more start with parts.</summary>
    private static int HeadingRank(int index, int levels) => levels >= 4 ? PartRank + index : ChapterRank + index;

    /// <summary>A document structured only by numbers ("1.", "1.1.", "1.1.1."): the deepest numbers are its items.</summary>
    private static int NumberedRank(int depth, int deepest) => deepest switch
    {
        <= 1 => ItemRank,
        2 => depth == 1 ? ChapterRank : ItemRank + depth - 2,
        _ => depth <= 2 ? ChapterRank + depth - 1 : ItemRank + depth - 3,
    };

    /// <summary>
    /// The list a numbered paragraph belongs to and its level in it: Word's list (its level from the paragraph), or for a
    /// typed number its shape ("2.1.3" is level 2 of the digits list, "а)" a letter list, "IV." a roman one).
    /// </summary>
    private static (string Key, int Level)? ListOf(SourceParagraph p, string? typedNumber)
    {
        if (p.ListNumber is not null) return ($"word:{p.ListId}", p.ListLevel ?? 0);
        if (typedNumber is null) return null;
        if (typedNumber.EndsWith(')') && !char.IsDigit(typedNumber[0])) return ("typed:letter", 0);
        if (!char.IsDigit(typedNumber[0])) return ("typed:roman", 0);
        return ("typed:digits", Depth(typedNumber) - 1);
    }

    private static int Depth(string number) => AutoNumberParts.Matches(number).Count is var n and > 0 ? n : 1;

    private static int NumberDepth(SourceParagraph p) =>
        p.ListNumber is not null ? (p.ListLevel ?? 0) + 1 : TypedNumberOf(p.Text) is { } t ? Depth(t.Number) : 0;

    private static (LineKind Kind, string Word, string? Number, string Title)? LabelOf(string text)
    {
        foreach (var (kind, pattern) in Labels)
        {
            var m = pattern.Match(text);
            // A label needs its number, or nothing after it: "Глава 1. …", "ГЛАВА I", "Статья 5"; not "Action taken by …".
            if (!m.Success || !m.Groups["n"].Success && m.Groups["rest"].Value.Length > 0) continue;
            if (m.Groups["n"].Success && m.Groups["rest"].Value.Length > 0 &&
                !Regex.IsMatch(text[(m.Groups["n"].Index + m.Groups["n"].Length)..], @"^\s*[.:)—–-]|^\s+\S"))
                continue;
            return (kind, m.Groups["label"].Value, m.Groups["n"].Success ? m.Groups["n"].Value : null, m.Groups["rest"].Value.Trim());
        }
        return null;
    }

    private static (string Number, string Body)? TypedNumberOf(string text)
    {
        foreach (var pattern in new[] { TypedNumber, TypedLetter, TypedRoman })
            if (pattern.Match(text) is { Success: true } m)
                return (m.Groups["n"].Value + (pattern == TypedLetter ? ")" : ""), m.Groups["rest"].Value.Trim());
        return null;
    }

    private static bool IsActionTable(SourceTable table, List<ColumnMapping> mappings) =>
        table.Rows.Count > 1 && ActionTableColumns.IsActionTable(FieldsOf(table, mappings));

    private static List<ActionField?> FieldsOf(SourceTable table, List<ColumnMapping> mappings) =>
        table.Rows[0].Select((header, i) => mappings.FirstOrDefault(m => m.Table == table.Index && m.Column == i)?.Field
                                            ?? ActionTableColumns.FieldOf(header)).ToList();

    private static List<ImportLine> ReadTable(SourceTable table, List<ColumnMapping> mappings, DraftKind draftKind, int periodStart,
        int periodEnd, List<TableColumn> columns)
    {
        var lines = new List<ImportLine>();
        if (table.Rows.Count == 0) return lines;
        var fields = FieldsOf(table, mappings);
        if (table.Rows.Count < 2 || !ActionTableColumns.IsActionTable(fields))
        {
            for (var r = 0; r < table.Rows.Count; r++)
                if (string.Join(" | ", table.Rows[r].Where(c => c.Length > 0)) is { Length: > 0 } text)
                    lines.Add(new ImportLine
                    {
                        Id = $"t{table.Index}r{r + 1}", Source = $"table {table.Index}, row {r + 1}", Paragraph = table.FirstParagraph,
                        Kind = LineKind.Ignore, Text = text, Confidence = 0.6, Why = "a table whose header names no action-plan columns",
                    });
            return lines;
        }

        for (var c = 0; c < fields.Count; c++)
            columns.Add(new TableColumn(table.Index, c, table.Rows[0][c], fields[c],
                table.Rows.Skip(1).Select(row => c < row.Count ? row[c] : "").Where(s => s.Length > 0).Take(2).ToList()));

        var textColumn = fields.IndexOf(ActionField.Text);
        var numberColumn = fields.IndexOf(ActionField.Number);
        for (var r = 1; r < table.Rows.Count; r++)
        {
            var row = table.Rows[r];
            var id = $"t{table.Index}r{r + 1}";
            var source = $"table {table.Index}, row {r + 1}";
            var filled = row.Where(c => c.Length > 0).ToList();
            if (filled.Count == 0) continue;
            if (filled.All(c => Regex.IsMatch(c, @"^\d{1,2}$"))) continue; // the row of column numbers under the header
            if (filled.Count == 1 && (row.Count < fields.Count || textColumn >= row.Count || row[textColumn].Length == 0))
            {
                // A row spanning the table ("Задача 1. Профилактика"): a section of the plan.
                var heading = LabelOf(filled[0]) is { } l ? l.Title : TypedNumberOf(filled[0])?.Body ?? filled[0];
                lines.Add(new ImportLine
                {
                    Id = id, Source = source, Paragraph = table.FirstParagraph, Kind = LineKind.Section, Rank = SectionRank,
                    Number = TypedNumberOf(filled[0])?.Number ?? LabelOf(filled[0])?.Number, Text = heading, Confidence = 0.7,
                    Why = "a row spanning the action table",
                });
                continue;
            }
            var notes = new List<string>();
            var attributes = ActionTableColumns.Read(fields, row, periodStart, periodEnd, notes);
            var text = textColumn < row.Count ? row[textColumn] : "";
            lines.Add(new ImportLine
            {
                Id = id, Source = source, Paragraph = table.FirstParagraph, Kind = LineKind.Action, Rank = ItemRank,
                Number = numberColumn >= 0 && numberColumn < row.Count && row[numberColumn].Length > 0 ? row[numberColumn].TrimEnd('.') : null,
                Text = text, Attributes = attributes, Confidence = text.Length > 0 ? 0.9 : 0.4, Notes = notes,
                Why = draftKind == DraftKind.ActionPlan ? "a row of the action table" : "a row of an action table (actions in a strategy)",
            });
        }
        return lines;
    }

    /// <summary>Each node's parent is the nearest line above it that ranks higher; its level is one below the parent's.</summary>
    private static void AssignLevels(List<ImportLine> lines)
    {
        var stack = new Stack<ImportLine>();
        foreach (var line in lines.Where(l => l.BecomesNode))
        {
            while (stack.Count > 0 && stack.Peek().Rank >= line.Rank) stack.Pop();
            line.Level = stack.Count + 1;
            stack.Push(line);
        }
    }

    private static void Correct(ImportOutline outline, List<LineCorrection> corrections)
    {
        var lines = outline.Lines;
        foreach (var (correction, index) in corrections.Select((c, i) => (c, i)))
        {
            var at = lines.FindIndex(l => l.Id == correction.Line);
            if (at < 0)
            {
                outline.Problems.Add($"Correction {index + 1}: there is no line '{correction.Line}'.");
                continue;
            }
            var line = lines[at];
            switch (correction.Op)
            {
                case "level" when correction.Level is >= 1 and <= 9:
                    line.Level = correction.Level.Value;
                    break;
                case "kind" when correction.Kind is { } kind:
                    line.Kind = kind;
                    if (line.BecomesNode && line.Level == 0) line.Level = 1;
                    break;
                case "ignore":
                    line.Kind = LineKind.Ignore;
                    break;
                case "merge" when at > 0:
                    var previous = lines[at - 1];
                    previous.Text = $"{previous.Text} {line.Text}".Trim();
                    previous.Notes.Add($"merged with {line.Source}");
                    lines.RemoveAt(at);
                    break;
                case "split" when correction.At is { } cut && cut > 0 && cut < line.Text.Length:
                    var rest = line.Text[cut..].Trim();
                    line.Text = line.Text[..cut].Trim();
                    lines.Insert(at + 1, line with
                    {
                        Id = NextSplitId(lines, line.Id),
                        Text = rest,
                        Number = null,
                        Attributes = null,
                        Notes = [$"split from {line.Id}"]
                    });
                    break;
                default:
                    outline.Problems.Add($"Correction {index + 1} ('{correction.Op}' on {correction.Line}) is not one of level (1-9), kind, merge " +
                        "(not on the first line), split (inside the text), ignore.");
                    break;
            }
            line.Confidence = 1.0;
            if (line.Why is var why && !why.EndsWith("(corrected)")) line.Why = why + " (corrected)";
        }
    }

    private static string NextSplitId(List<ImportLine> lines, string id)
    {
        var n = 2;
        while (lines.Any(l => l.Id == $"{id}.{n}")) n++;
        return $"{id}.{n}";
    }

    /// <summary>Every node must be allowed under its parent (see <see cref="NodeRules"/>) and carry text.</summary>
    public static void Check(ImportOutline outline)
    {
        var stack = new List<ImportLine>();
        foreach (var line in outline.Nodes)
        {
            while (stack.Count > 0 && stack[^1].Level >= line.Level) stack.RemoveAt(stack.Count - 1);
            var parent = stack.LastOrDefault();
            var kind = ImportLine.NodeKindOf(line.Kind)!.Value;
            if (!NodeRules.MayContain(parent is null ? null : ImportLine.NodeKindOf(parent.Kind), kind))
            {
                var problem =
                    $"{line.Source} ({line.Id}): a {line.Kind} cannot sit " +
                    $"{(parent is null ? "at the top level" : $"under the {parent.Kind} of {parent.Source} ({parent.Id})")}.";
                outline.Problems.Add(problem);
                line.Confidence = Math.Min(line.Confidence, 0.3);
            }
            if (string.IsNullOrWhiteSpace(line.Text)) outline.Problems.Add($"{line.Source} ({line.Id}): the {line.Kind} has no text.");
            // The level as it will be stored: one below its parent's.
            line.Level = parent is null ? 1 : parent.Level + 1;
            stack.Add(line);
        }
    }

    private static string LanguageOf(List<SourceParagraph> paragraphs)
    {
        var cyrillic = 0;
        var latin = 0;
        foreach (var c in paragraphs.Take(200).SelectMany(p => p.Text))
        {
            if (c is >= 'а' and <= 'я' or >= 'А' and <= 'Я') cyrillic++;
            else if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z') latin++;
        }
        return cyrillic > latin ? "ru" : "en";
    }

    private static Problem NoStructure(SourceDocument document, List<SourceParagraph> paragraphs)
    {
        var styles = paragraphs.GroupBy(p => p.StyleName ?? "Normal").OrderByDescending(g => g.Count()).Take(4)
            .Select(g => $"{g.Count()} × '{g.Key}'");
        var found = paragraphs.Count == 0
            ? "The file has no text."
            : $"Found {paragraphs.Count} paragraphs ({string.Join(", ", styles)}) and {document.Tables.Count()} tables, but no heading styles, " +
              "no labels (Раздел, Глава, Статья, Пункт, Part, Chapter, Article, Section), no numbered paragraphs and no action table " +
              "whose header names its columns (№, Мероприятие / Action, Срок / Deadline, Ответственные / Responsible …).";
        return WordFile.Refuse("file", $"No recognisable structure. {found}", "noStructure") with
        {
            Extensions = new Dictionary<string, object?>
            {
                ["reason"] = "noStructure", ["paragraphs"] = paragraphs.Count, ["tables"] = document.Tables.Count(),
                ["firstParagraphs"] = paragraphs.Take(5).Select(p => p.Text.Length > 80 ? p.Text[..80] + "…" : p.Text).ToList(),
            },
        };
    }
}
