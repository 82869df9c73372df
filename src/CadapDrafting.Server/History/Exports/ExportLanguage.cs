using System.Globalization;
using CadapDrafting.Drafts;

namespace CadapDrafting.History.Exports;

/// <summary>
/// Every word an export writes around the draft's own text: node labels, the action record's field names and
/// values, the status line, the title page and the stamp, in English, Russian and (in <c>ExportLabelsNational.cs</c>)
/// Kazakh, Kyrgyz, Tajik, Turkmen and Uzbek. A node label is its word followed by the number ("Глава 2") or, where
/// it holds "{0}", a pattern the number goes into ("2-бап", "Моддаи 3").
/// </summary>
public sealed partial record ExportLabels
{
    public required string Part { get; init; }
    public required string Chapter { get; init; }
    public required string Section { get; init; }
    public required string Article { get; init; }
    public required string Action { get; init; }

    public required string Objective { get; init; }
    public required string ResponsibleBodies { get; init; }
    public required string Timeline { get; init; }
    public required string Indicator { get; init; }
    public required string Baseline { get; init; }
    public required string Target { get; init; }
    public required string DataSource { get; init; }
    public required string RecordedAnnually { get; init; }
    public required string NotRecordedAnnually { get; init; }
    public required string Budget { get; init; }
    public required string Pillar { get; init; }
    public required string UseResponse { get; init; }
    public required string Commitments { get; init; }
    public required string SdgTargets { get; init; }
    public required string HumanRightsMarker { get; init; }
    public required string GenderMarker { get; init; }
    public required string Evidence { get; init; }
    /// <summary>How completion of an action is shown (a report, an order): the action plans' "Form of completion" column.</summary>
    public required string CompletionForm { get; init; }
    public required string Yes { get; init; }
    public required string No { get; init; }
    public required IReadOnlyDictionary<Pillar, string> Pillars { get; init; }
    public required IReadOnlyDictionary<UseResponse, string> UseResponses { get; init; }

    public required IReadOnlyDictionary<DraftStatus, string> Statuses { get; init; }
    public required IReadOnlyDictionary<DraftKind, string> Kinds { get; init; }
    public required IReadOnlyDictionary<string, string> Countries { get; init; }
    public required IReadOnlyDictionary<string, string> LanguageNames { get; init; }

    public required string DraftMark { get; init; }
    public required string Contents { get; init; }
    public required string Period { get; init; }
    public required string Status { get; init; }
    public required string Date { get; init; }
    public required string Revision { get; init; }
    public required string Position { get; init; }
    public required string ContentHash { get; init; }
    public required string ChainHead { get; init; }
    /// <summary>The signed head of the draft's log in the stamp, and its key; "none" when no head could be signed.</summary>
    public required string SignedHead { get; init; }
    public required string Key { get; init; }
    public required string None { get; init; }
    public required string Page { get; init; }
    public required string Of { get; init; }
    /// <summary>Marks a node shown in its source language because it has no text in the export's language; {0} names that language.</summary>
    public required string Untranslated { get; init; }
    public required string Empty { get; init; }
    public required string Field { get; init; }
    public required string Value { get; init; }
    /// <summary>The title of a tracked-changes export: {0} and {1} are the revisions compared.</summary>
    public required string ChangesBetween { get; init; }
    /// <summary>How a date is written, in the language's own month names.</summary>
    public required string DateFormat { get; init; }

    public static readonly ExportLabels English = new()
    {
        Part = "Part", Chapter = "Chapter", Section = "Section", Article = "Article", Action = "Action",
        Objective = "Objective", ResponsibleBodies = "Responsible bodies", Timeline = "Timeline", Indicator = "Indicator",
        Baseline = "baseline", Target = "target", DataSource = "data source", RecordedAnnually = "recorded every year",
        NotRecordedAnnually = "not recorded every year", Budget = "Budget", Pillar = "Pillar", UseResponse = "Pattern of use",
        Commitments = "International commitments", SdgTargets = "SDG targets", HumanRightsMarker = "Human rights marker",
        GenderMarker = "Gender marker", Evidence = "Evidence", CompletionForm = "Form of completion", Yes = "yes", No = "no",
        Pillars = new Dictionary<Pillar, string>
        {
            [Drafts.Pillar.Prevention] = "Prevention", [Drafts.Pillar.Treatment] = "Treatment",
            [Drafts.Pillar.HarmReduction] = "Harm reduction", [Drafts.Pillar.Rehabilitation] = "Rehabilitation",
            [Drafts.Pillar.SupplyReduction] = "Supply reduction", [Drafts.Pillar.CrossCutting] = "Cross-cutting",
        },
        UseResponses = new Dictionary<UseResponse, string>
        {
            [Drafts.UseResponse.Recreational] = "Recreational use", [Drafts.UseResponse.Problematic] = "Problematic use",
            [Drafts.UseResponse.Both] = "Recreational and problematic use",
        },
        Statuses = new Dictionary<DraftStatus, string>
        {
            [DraftStatus.Drafting] = "Draft in preparation", [DraftStatus.Consultation] = "Draft under consultation",
            [DraftStatus.Review] = "Draft under review for approval", [DraftStatus.Approved] = "Approved",
            [DraftStatus.Withdrawn] = "Withdrawn",
        },
        Kinds = new Dictionary<DraftKind, string>
        {
            [DraftKind.Strategy] = "Strategy", [DraftKind.ActionPlan] = "Action plan", [DraftKind.Law] = "Draft law",
        },
        Countries = new Dictionary<string, string>
        {
            ["KZ"] = "Republic of Kazakhstan", ["KG"] = "Kyrgyz Republic", ["TJ"] = "Republic of Tajikistan",
            ["TM"] = "Turkmenistan", ["UZ"] = "Republic of Uzbekistan",
        },
        LanguageNames = new Dictionary<string, string>
        {
            ["en"] = "English", ["ru"] = "Russian", ["kk"] = "Kazakh", ["ky"] = "Kyrgyz", ["tg"] = "Tajik", ["tk"] = "Turkmen",
            ["uz"] = "Uzbek",
        },
        DraftMark = "DRAFT", Contents = "Contents", Period = "Period", Status = "Status", Date = "Date", Revision = "Revision",
        Position = "position", ContentHash = "content", ChainHead = "chain head",
        SignedHead = "signed head", Key = "key", None = "none", Page = "Page", Of = "of",
        Untranslated = "[not translated; {0} original]", Empty = "This revision has no content yet.", Field = "Field",
        Value = "Value", ChangesBetween = "Changes from revision {0} to revision {1}", DateFormat = "d MMMM yyyy",
    };

    public static readonly ExportLabels Russian = new()
    {
        Part = "Часть", Chapter = "Глава", Section = "Раздел", Article = "Статья", Action = "Мероприятие",
        Objective = "Цель", ResponsibleBodies = "Ответственные органы", Timeline = "Срок исполнения", Indicator = "Индикатор",
        Baseline = "исходное значение", Target = "целевое значение", DataSource = "источник данных",
        RecordedAnnually = "учитывается ежегодно", NotRecordedAnnually = "учитывается не ежегодно", Budget = "Бюджет",
        Pillar = "Направление", UseResponse = "Модель употребления", Commitments = "Международные обязательства",
        SdgTargets = "Задачи ЦУР", HumanRightsMarker = "Маркер прав человека", GenderMarker = "Гендерный маркер",
        Evidence = "Доказательная база", CompletionForm = "Форма завершения", Yes = "да", No = "нет",
        Pillars = new Dictionary<Pillar, string>
        {
            [Drafts.Pillar.Prevention] = "Профилактика", [Drafts.Pillar.Treatment] = "Лечение",
            [Drafts.Pillar.HarmReduction] = "Снижение вреда", [Drafts.Pillar.Rehabilitation] = "Реабилитация",
            [Drafts.Pillar.SupplyReduction] = "Сокращение предложения", [Drafts.Pillar.CrossCutting] = "Сквозные вопросы",
        },
        UseResponses = new Dictionary<UseResponse, string>
        {
            [Drafts.UseResponse.Recreational] = "Рекреационное употребление", [Drafts.UseResponse.Problematic] = "Проблемное употребление",
            [Drafts.UseResponse.Both] = "Рекреационное и проблемное употребление",
        },
        Statuses = new Dictionary<DraftStatus, string>
        {
            [DraftStatus.Drafting] = "Проект в разработке", [DraftStatus.Consultation] = "Проект на обсуждении",
            [DraftStatus.Review] = "Проект на утверждении", [DraftStatus.Approved] = "Утверждено",
            [DraftStatus.Withdrawn] = "Отозвано",
        },
        Kinds = new Dictionary<DraftKind, string>
        {
            [DraftKind.Strategy] = "Стратегия", [DraftKind.ActionPlan] = "План действий", [DraftKind.Law] = "Законопроект",
        },
        Countries = new Dictionary<string, string>
        {
            ["KZ"] = "Республика Казахстан", ["KG"] = "Кыргызская Республика", ["TJ"] = "Республика Таджикистан",
            ["TM"] = "Туркменистан", ["UZ"] = "Республика Узбекистан",
        },
        LanguageNames = new Dictionary<string, string>
        {
            ["en"] = "английский", ["ru"] = "русский", ["kk"] = "казахский", ["ky"] = "кыргызский", ["tg"] = "таджикский",
            ["tk"] = "туркменский", ["uz"] = "узбекский",
        },
        DraftMark = "ПРОЕКТ", Contents = "Содержание", Period = "Период", Status = "Статус", Date = "Дата", Revision = "Редакция",
        Position = "позиция", ContentHash = "содержание", ChainHead = "вершина цепочки",
        SignedHead = "подписанная вершина журнала", Key = "ключ", None = "нет", Page = "Страница", Of = "из",
        Untranslated = "[перевод отсутствует; оригинал: {0}]", Empty = "В этой редакции пока нет текста.", Field = "Поле",
        Value = "Значение", ChangesBetween = "Изменения с редакции {0} по редакцию {1}", DateFormat = "d MMMM yyyy 'г.'",
    };
}

/// <summary>
/// A language an export is written in: its labels (and the language they are in, for language tags), the culture
/// its numbers and dates follow, its BCP 47 tag for Word and its ISO 639-2 code for Akoma Ntoso.
/// </summary>
public sealed record ExportLanguage(string Code, string Tag, string Iso6392, CultureInfo Culture, ExportLabels Labels, string LabelsLanguage)
{
    private static readonly Dictionary<string, ExportLanguage> Known = new()
    {
        ["en"] = new("en", "en-GB", "eng", CultureInfo.GetCultureInfo("en-GB"), ExportLabels.English, "en"),
        ["ru"] = new("ru", "ru-RU", "rus", CultureInfo.GetCultureInfo("ru-RU"), ExportLabels.Russian, "ru"),
        ["kk"] = new("kk", "kk-KZ", "kaz", CultureInfo.GetCultureInfo("kk-KZ"), ExportLabels.Kazakh, "kk"),
        ["ky"] = new("ky", "ky-KG", "kir", CultureInfo.GetCultureInfo("ky-KG"), ExportLabels.Kyrgyz, "ky"),
        ["tg"] = new("tg", "tg-Cyrl-TJ", "tgk", CultureInfo.GetCultureInfo("tg-Cyrl-TJ"), ExportLabels.Tajik, "tg"),
        ["tk"] = new("tk", "tk-TM", "tuk", CultureInfo.GetCultureInfo("tk-TM"), ExportLabels.Turkmen, "tk"),
        ["uz"] = new("uz", "uz-Latn-UZ", "uzb", CultureInfo.GetCultureInfo("uz-Latn-UZ"), ExportLabels.Uzbek, "uz"),
    };

    /// <summary>A language a draft may be written in; any other code gets the English conventions under its own tag.</summary>
    public static ExportLanguage Of(string code) =>
        Known.TryGetValue(code, out var known) ? known : new(code, code, "und", CultureInfo.InvariantCulture, ExportLabels.English, "en");

    public string Date(DateOnly date) => date.ToString(Labels.DateFormat, Culture);

    public string Date(DateTimeOffset moment) => Date(DateOnly.FromDateTime(moment.UtcDateTime));

    public string Amount(decimal amount) => amount.ToString("N2", Culture);

    /// <summary>"Глава 2", "Action 14", "2-бап", "Моддаи 3", "14-nji çäre"; points are only numbered.</summary>
    public string Label(NodeKind kind, string number)
    {
        var word = kind switch
        {
            NodeKind.Part => Labels.Part,
            NodeKind.Chapter => Labels.Chapter,
            NodeKind.Section => Labels.Section,
            NodeKind.Article => Labels.Article,
            NodeKind.Action => Labels.Action,
            _ => null,
        };
        if (word is null) return number;
        if (!word.Contains("{0}", StringComparison.Ordinal)) return $"{word} {number}";
        return string.Format(CultureInfo.InvariantCulture, word, Code == "tk" ? TurkmenOrdinal(number) : number);
    }

    /// <summary>
    /// A Turkmen ordinal written with digits: "1-nji", "6-njy", "2.10-njy". The suffix follows the vowel harmony of the
    /// last number word read aloud (bir, iki … alty, dokuz, on, otuz …): back-vowel words take -njy, the others -nji.
    /// </summary>
    public static string TurkmenOrdinal(string number)
    {
        var last = number.Split('.')[^1];
        if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n == 0) return number;
        // The word read last is that of the lowest non-zero digit's place: 6 → alty, 30 → otuz, 100 → ýüz, 2000 → müň.
        var place = 1L;
        while (n % 10 == 0)
        {
            n /= 10;
            place *= 10;
        }
        var digit = n % 10;
        var back = place switch
        {
            1 => digit is 6 or 9,
            10 => digit is 1 or 3 or 4 or 6 or 9,
            _ => false,
        };
        return $"{number}-{(back ? "njy" : "nji")}";
    }

    public string LanguageName(string code) => Labels.LanguageNames.GetValueOrDefault(code, code);
}
