using System.Globalization;
using System.Text.RegularExpressions;
using CadapDrafting.Drafts;

namespace CadapDrafting.Import;

/// <summary>
/// Action-plan tables as ministries write them: a header row naming the columns in Russian or English, one row per
/// action. Names the columns and reads each cell into the action's record.
/// </summary>
public static class ActionTableColumns
{
    // Order matters: "Целевое значение индикатора" is a target, not an indicator; "Срок" before "Ответственные".
    private static readonly (ActionField Field, Regex Header)[] Headers =
    [
        (ActionField.Number, Rx(@"^(№|no\.?|n|#|№\s*п/?п|п/п|nr\.?)$")),
        (ActionField.Baseline, Rx(@"базов|исходн|baseline")),
        (ActionField.Target, Rx(@"целев(ое|ой) (значени|показател)|^target")),
        (ActionField.Indicators, Rx(@"индикатор|показател|indicator")),
        (ActionField.CompletionForm,
            Rx(@"форм\w* (завершени|исполнени|отчетност)|ожидаем\w* результат|form of completion|completion form|output|deliverable")),
        (ActionField.Funding, Rx(@"финансир|бюджет|стоимост|funding|budget|cost")),
        (ActionField.Timeline, Rx(@"срок|период исполн|deadline|timeline|time ?frame|timing|period")),
        (ActionField.Responsible, Rx(@"ответствен|исполнител|responsible|implementing|lead agenc")),
        (ActionField.Objective, Rx(@"^цел|задач|objective|goal")),
        (ActionField.Pillar, Rx(@"направлени|pillar|area of intervention")),
        (ActionField.SdgTargets, Rx(@"цур|sdg|2030")),
        (ActionField.Text, Rx(@"мероприяти|наименовани|содержани|меры|action|measure|activit")),
    ];

    private static Regex Rx(string pattern) => new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

    public static ActionField? FieldOf(string header)
    {
        var h = Regex.Replace(header.Trim().TrimEnd(':', '.'), @"\s+", " ");
        foreach (var (field, pattern) in Headers)
            if (pattern.IsMatch(h)) return field;
        return null;
    }

    /// <summary>A table is an action plan when its header names the action and at least one field of its record.</summary>
    public static bool IsActionTable(IReadOnlyList<ActionField?> fields) =>
        fields.Contains(ActionField.Text) && fields.Count(f => f is not null and not ActionField.Text and not ActionField.Number) >= 1;

    public static ActionAttributes Read(IReadOnlyList<ActionField?> fields, IReadOnlyList<string> cells, int periodStart, int periodEnd,
        List<string> notes)
    {
        string? Cell(ActionField field) => string.Join("\n", fields.Select((f, i) => (f, i))
            .Where(x => x.f == field && x.i < cells.Count && cells[x.i].Length > 0).Select(x => cells[x.i])) is { Length: > 0 } s ? s : null;

        var indicators = Cell(ActionField.Indicators) is { } indicatorCell ? Indicators(indicatorCell) : [];
        if (indicators.Count == 1 && (Cell(ActionField.Baseline) is { } baseline || Cell(ActionField.Target) is not null))
            indicators[0] = indicators[0] with
            {
                Baseline = indicators[0].Baseline ?? Cell(ActionField.Baseline),
                Target = indicators[0].Target ?? Cell(ActionField.Target),
            };

        Budget? budget = null;
        if (Cell(ActionField.Funding) is { } funding)
        {
            budget = Funding(funding);
            if (budget is null) notes.Add($"Funding '{funding}' names no amount and currency; it is not recorded as a budget.");
        }
        Timeline? timeline = null;
        if (Cell(ActionField.Timeline) is { } deadline)
        {
            timeline = Deadline(deadline, periodStart, periodEnd);
            if (timeline is null) notes.Add($"Deadline '{deadline}' names no year; no timeline recorded.");
        }

        return new ActionAttributes
        {
            Objective = Cell(ActionField.Objective),
            ResponsibleBodies = Cell(ActionField.Responsible) is { } r ? Bodies(r) : [],
            Timeline = timeline,
            Indicators = indicators,
            Budget = budget,
            Pillar = Cell(ActionField.Pillar) is { } p ? PillarOf(p) : null,
            SdgTargets = Cell(ActionField.SdgTargets) is { } sdg
                ? Regex.Matches(sdg, @"\b(1[0-7]|[1-9])\.([1-9][0-9]?|[a-z])\b").Select(m => m.Value).Distinct().ToList() : [],
            CompletionForm = Cell(ActionField.CompletionForm),
        };
    }

    /// <summary>One body per line or semicolon; a single line of short names is a comma-separated list ("МВД, Минздрав, ГСКН").</summary>
    public static List<string> Bodies(string cell)
    {
        var parts = cell.Split(['\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (parts.Count == 1 && parts[0].Split(',') is { Length: > 1 } commas && commas.All(c => c.Trim().Length is > 1 and <= 40))
            parts = commas.Select(c => c.Trim()).ToList();
        return parts.Select(p => p.TrimEnd('.')).Where(p => p.Length > 0).ToList();
    }

    private static readonly Regex BaselinePart =
        Rx(@"(базов\w*( значени\w*)?|исходн\w*( значени\w*)?|baseline)\s*[:\-–—]?\s*(?<v>[^;()]+(\(\d{4}\))?)");
    private static readonly Regex TargetPart = Rx(@"(целев\w*( значени\w*| показател\w*)?|target)\s*[:\-–—]?\s*(?<v>[^;()]+(\(\d{4}\))?)");
    private static readonly Regex SourcePart = Rx(@"(источник\w*( данных)?|data source|source)\s*[:\-–—]?\s*(?<v>[^;()]+)");
    private static readonly Regex Annually = Rx(@"ежегодн|annual|every year|каждый год|yearly");
    private static readonly Regex NotAnnually =
        Rx(@"не ежегодн|не каждый год|not annual|not every year|not recorded every year|нерегулярн|irregular");

    /// <summary>
    /// One indicator per line: "Name (baseline: 12% (2021); target: 60% (2026); source: Ministry of Health; annually)".
    /// </summary>
    public static List<Indicator> Indicators(string cell) =>
        cell.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line =>
        {
            var cut = line.IndexOfAny(['(', ';']);
            var firstLabel = new[] { BaselinePart, TargetPart, SourcePart }.Select(r => r.Match(line)).Where(m => m.Success)
                .Select(m => m.Index).DefaultIfEmpty(line.Length).Min();
            var nameEnd = Math.Min(cut < 0 ? line.Length : cut, firstLabel);
            var name = line[..nameEnd].Trim().TrimEnd(',', ':', '—', '-', '–').Trim();
            if (name.Length == 0) name = line;
            string? Value(Regex r) => r.Match(line) is { Success: true } m ? m.Groups["v"].Value.Trim().TrimEnd(',', '.').Trim() : null;
            return new Indicator(name, Value(BaselinePart), Value(TargetPart), Value(SourcePart),
                RecordedAnnually: Annually.IsMatch(line) && !NotAnnually.IsMatch(line));
        }).ToList();

    private static readonly (string Code, Regex Name)[] Currencies =
    [
        ("KGS", Rx(@"\bсом\b|\bсомов\b|\bKGS\b")), ("TJS", Rx(@"сомони|\bTJS\b")), ("KZT", Rx(@"тенге|\bKZT\b|₸")),
        ("UZS", Rx(@"\bсум\b|\bсумов\b|\bUZS\b")), ("TMT", Rx(@"манат|\bTMT\b")), ("EUR", Rx(@"евро|\bEUR\b|€")),
        ("USD", Rx(@"доллар|\bUSD\b|\$")), ("RUB", Rx(@"рубл|\bRUB\b")),
    ];

    private static readonly Regex Amount =
        Rx(@"(?<n>\d{1,3}(?:[\s\u00a0\u202f]\d{3})+|\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:[.,](?<f>\d+))?\s*" +
            @"(?<m>тыс\.?|млн\.?|млрд\.?|thousand|million|billion|k\b|m\b)?");

    /// <summary>"2 400 000 сом (республиканский бюджет)", "EUR 150,000 — EU grant": an amount, a currency and where it comes from.</summary>
    public static Budget? Funding(string cell)
    {
        var currency = Currencies.FirstOrDefault(c => c.Name.IsMatch(cell)).Code;
        var match = Amount.Matches(cell).FirstOrDefault(m => m.Groups["n"].Value.Replace(" ", "").Length >= 1 && !IsYear(m.Value));
        if (currency is null || match is null) return null;
        var digits = Regex.Replace(match.Groups["n"].Value, @"[\s\u00a0\u202f,]", "");
        // "150,000" is thousands in English; "1,5 млн" is a decimal comma in Russian.
        var fraction = match.Groups["f"].Value;
        var multiplier = match.Groups["m"].Value.ToLowerInvariant() switch
        {
            var m when m.StartsWith("тыс") || m.StartsWith("thousand") || m == "k" => 1_000m,
            var m when m.StartsWith("млн") || m.StartsWith("million") || m == "m" => 1_000_000m,
            var m when m.StartsWith("млрд") || m.StartsWith("billion") => 1_000_000_000m,
            _ => 1m,
        };
        decimal amount;
        if (fraction.Length == 3 && multiplier == 1m) amount = decimal.Parse(digits + fraction, CultureInfo.InvariantCulture);
        else amount = decimal.Parse(fraction.Length > 0 ? $"{digits}.{fraction}" : digits, CultureInfo.InvariantCulture) * multiplier;
        var source = Regex.Match(cell, @"\(([^)]+)\)") is { Success: true } inParens ? inParens.Groups[1].Value.Trim()
            : cell.Replace(match.Value, "").Split(['—', '–', ';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => Currencies.Aggregate(s, (t, c) => c.Name.Replace(t, "")).Trim(' ', '-', '.', ':'))
                .FirstOrDefault(s => s.Length > 2);
        return new Budget(amount, currency, string.IsNullOrWhiteSpace(source) ? null : source);
    }

    private static bool IsYear(string value) => Regex.IsMatch(value.Trim(), @"^(19|20)\d{2}$");

    private static readonly Regex Quarter =
        Rx(@"\b(?<q>I{1,3}|IV|[1-4])\s*(кв\w*|квартал\w*)\s*(?<y>(19|20)\d{2})|\bQ(?<q>[1-4])\s*(?<y>(19|20)\d{2})");
    private static readonly Regex Half = Rx(@"\b(?<h>I{1,2}|[12])\s*(полугоди\w*)\s*(?<y>(19|20)\d{2})|\bH(?<h>[12])\s*(?<y>(19|20)\d{2})");
    private static readonly Regex Date = Rx(@"\b(?<d>\d{1,2})\.(?<m>\d{1,2})\.(?<y>(19|20)\d{2})\b");
    private static readonly Regex Year = Rx(@"\b(19|20)\d{2}\b");
    private static readonly Regex Continuous = Rx(@"ежегодн|постоянн|в течение|весь период|annual|ongoing|continuous|throughout");

    /// <summary>"2022–2024 гг.", "IV квартал 2023", "Q2 2024", "31.12.2025", "ежегодно" (the draft's period).</summary>
    public static Timeline? Deadline(string cell, int periodStart, int periodEnd)
    {
        var points = new List<(DateOnly Start, DateOnly End)>();
        foreach (Match m in Quarter.Matches(cell))
        {
            var q = RomanOrNumber(m.Groups["q"].Value);
            var y = int.Parse(m.Groups["y"].Value);
            points.Add((new DateOnly(y, (q - 1) * 3 + 1, 1), new DateOnly(y, q * 3, 1).AddMonths(1).AddDays(-1)));
        }
        foreach (Match m in Half.Matches(cell))
        {
            var h = RomanOrNumber(m.Groups["h"].Value);
            var y = int.Parse(m.Groups["y"].Value);
            points.Add((new DateOnly(y, h == 1 ? 1 : 7, 1), new DateOnly(y, h == 1 ? 6 : 12, h == 1 ? 30 : 31)));
        }
        foreach (Match m in Date.Matches(cell))
            if (DateOnly.TryParseExact($"{m.Groups["d"].Value.PadLeft(2, '0')}.{m.Groups["m"].Value.PadLeft(2, '0')}.{m.Groups["y"].Value}",
                    "dd.MM.yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                points.Add((d, d));
        if (points.Count == 0)
            foreach (Match m in Year.Matches(cell))
            {
                var y = int.Parse(m.Value);
                points.Add((new DateOnly(y, 1, 1), new DateOnly(y, 12, 31)));
            }
        if (points.Count == 0)
            return Continuous.IsMatch(cell) && periodStart > 0
                ? new Timeline(new DateOnly(periodStart, 1, 1), new DateOnly(periodEnd, 12, 31)) : null;
        var start = points.Min(p => p.Start);
        var end = points.Max(p => p.End);
        // A single deadline inside the period ("by Q4 2023") runs from the period's start, as plans read.
        if (points.Count == 1 && periodStart > 0 && periodStart <= start.Year
            && Regex.IsMatch(cell, @"^\s*(до|не позднее|by|until|no later)", RegexOptions.IgnoreCase))
            start = new DateOnly(periodStart, 1, 1);
        return new Timeline(start, end);
    }

    private static int RomanOrNumber(string value) => value.ToUpperInvariant() switch
    {
        "I" => 1,
        "II" => 2,
        "III" => 3,
        "IV" => 4,
        var n => int.Parse(n),
    };

    public static Pillar? PillarOf(string cell) => cell.ToLowerInvariant() switch
    {
        var c when c.Contains("снижени") && c.Contains("вред") || c.Contains("harm reduction") => Drafts.Pillar.HarmReduction,
        var c when c.Contains("профилакт") || c.Contains("prevent") => Drafts.Pillar.Prevention,
        var c when c.Contains("реабилит") || c.Contains("rehabilit") || c.Contains("reintegr") => Drafts.Pillar.Rehabilitation,
        var c when c.Contains("лечени") || c.Contains("treatment") => Drafts.Pillar.Treatment,
        var c when c.Contains("предложени") || c.Contains("оборот") || c.Contains("supply") || c.Contains("traffick") =>
            Drafts.Pillar.SupplyReduction,
        var c when c.Contains("сквозн") || c.Contains("общ") || c.Contains("cross") || c.Contains("coordinat") || c.Contains("координац") =>
            Drafts.Pillar.CrossCutting,
        _ => null,
    };
}
