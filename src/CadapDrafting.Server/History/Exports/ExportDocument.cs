using CadapDrafting.Drafts;

namespace CadapDrafting.History.Exports;

/// <summary>
/// A node as every export format writes it. <see cref="Untranslated"/> says the node has no text in the export's
/// language and <see cref="Text"/> is the source text (in <see cref="TextLanguage"/>), which formats mark visibly.
/// </summary>
public sealed record ExportNode(Guid Id, NodeKind Kind, string Number, string Label, string Text, string TextLanguage, bool Untranslated,
    int Depth, IReadOnlyList<(string Name, string Value)> Attributes, ActionAttributes? Record, IReadOnlyList<ExportNode> Children);

/// <summary>
/// A draft at one revision as every export format writes it: numbered nodes with their text in one language of the
/// draft, labels and action records in that language, and the stamp of what it was made from.
/// </summary>
public sealed record ExportDocument(Draft State, ExportLanguage Lang, string Title, string TitleLanguage, ExportStamp Stamp,
    IReadOnlyList<ExportNode> Nodes)
{
    public bool TitleUntranslated => TitleLanguage != Lang.Code;
    public Guid DraftId => State.Id;
    public string Country => State.Country;
    public DraftKind Kind => State.Kind;
    public string Language => Lang.Code;
    public string SourceLanguage => State.SourceLanguage;
    public DraftStatus Status => State.Status;
    public int Revision => Stamp.Revision;
    public long Position => Stamp.Position;
    public DateTimeOffset AsOf => Stamp.MadeAt;
    public ExportLabels Labels => Lang.Labels;

    /// <summary>The problem for a language the draft is not written in (null when it is, or none was asked for).</summary>
    public static Infrastructure.Problem? RefuseLanguage(Draft state, string? language) =>
        language is null || state.Languages.Contains(language)
            ? null
            : Infrastructure.Problem.Invalid("lang",
                $"This draft is written in {string.Join(", ", state.Languages)}; there is no '{language}' text to export.");

    /// <summary>
    /// The draft in <paramref name="language"/> (a language of the draft; its source language when null), stamped with
    /// <paramref name="signedHead"/>, the earliest signed head of the draft's log covering the draft's position.
    /// </summary>
    public static ExportDocument Of(Draft draft, string? language, Evidence.SignedTreeHead? signedHead = null)
    {
        var lang = ExportLanguage.Of(language ?? draft.SourceLanguage);
        var numbers = Numbering.Of(draft);
        List<ExportNode> Build(IEnumerable<Guid> ids, int depth) => ids.Select(id =>
        {
            var node = draft.Nodes[id];
            var number = numbers[id];
            var (text, textLanguage) = TextIn(node.Text, lang.Code, draft.SourceLanguage);
            return new ExportNode(id, node.Kind, number, lang.Label(node.Kind, number), text, textLanguage, textLanguage != lang.Code,
                depth, AttributeRows(node.Attributes, lang), node.Attributes, Build(node.ChildIds, depth + 1));
        }).ToList();
        var (title, titleLanguage) = TextIn(draft.Title, lang.Code, draft.SourceLanguage);
        var canonical = ContentHash.Canonical(draft);
        return new ExportDocument(draft, lang, title, titleLanguage, ExportStamp.Of(draft, ContentHash.Of(canonical), signedHead),
            Build(draft.RootNodeIds, 1))
        {
            EmbeddedContent = Evidence.ExportContent.Embeddable(canonical, lang.Code, draft.SourceLanguage),
        };
    }

    /// <summary>
    /// The content this file renders, as every format embeds it (docs/evidence.md §10.1): the canonical JSON its
    /// content hash is taken over, with the export's language and the draft's source language.
    /// </summary>
    public required string EmbeddedContent { get; init; }

    public IEnumerable<ExportNode> InDocumentOrder()
    {
        IEnumerable<ExportNode> Walk(IEnumerable<ExportNode> nodes) => nodes.SelectMany(n => new[] { n }.Concat(Walk(n.Children)));
        return Walk(Nodes);
    }

    public string CountryName => Labels.Countries.GetValueOrDefault(Country.ToUpperInvariant(), Country);

    public string Period => $"{State.PeriodStart}–{State.PeriodEnd}";

    public string StatusName => Labels.Statuses[Status];

    public string KindName => Labels.Kinds[Kind];

    /// <summary>"Kyrgyz Republic · Action plan 2022–2026 · Draft in preparation · 28 November 2026 · Revision 11".</summary>
    public string Subtitle =>
        $"{CountryName} · {KindName} {Period} · {StatusName} · {Lang.Date(AsOf)} · {Labels.Revision} {Revision}";

    /// <summary>The marker put before a text shown in its source language: "[not translated; Russian original]".</summary>
    public string UntranslatedMarker(string textLanguage) => string.Format(Labels.Untranslated, Lang.LanguageName(textLanguage));

    /// <summary>A draft is marked DRAFT until it is approved.</summary>
    public bool IsDraft => Status != DraftStatus.Approved;

    public static bool IsHeading(NodeKind kind) => kind is NodeKind.Part or NodeKind.Chapter or NodeKind.Section;

    private static (string Text, string Language) TextIn(IReadOnlyDictionary<string, string> text, string lang, string source) =>
        text.TryGetValue(lang, out var t) && !string.IsNullOrWhiteSpace(t) ? (t, lang)
        : text.TryGetValue(source, out var s) ? (s, source)
        : text.FirstOrDefault() is { Key: not null } any ? (any.Value, any.Key) : ("", lang);

    /// <summary>The action record as rows of field and value, every word of them in the export's language.</summary>
    public static IReadOnlyList<(string Name, string Value)> AttributeRows(ActionAttributes? a, ExportLanguage lang)
    {
        if (a is null) return [];
        var l = lang.Labels;
        var rows = new List<(string, string)>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) rows.Add((name, value));
        }
        Add(l.Objective, a.Objective);
        Add(l.ResponsibleBodies, string.Join("; ", a.ResponsibleBodies));
        if (a.Timeline is { } t) Add(l.Timeline, $"{lang.Date(t.Start)} – {lang.Date(t.End)}");
        foreach (var i in a.Indicators)
            Add(l.Indicator, string.Join("; ", new[]
            {
                i.Name, i.Baseline is null ? null : $"{l.Baseline} {i.Baseline}", i.Target is null ? null : $"{l.Target} {i.Target}",
                i.DataSource is null ? null : $"{l.DataSource}: {i.DataSource}", i.RecordedAnnually ? l.RecordedAnnually : l.NotRecordedAnnually,
            }.Where(x => x is not null)));
        if (a.Budget is { } b) Add(l.Budget, $"{lang.Amount(b.Amount)} {b.Currency}{(b.Source is null ? "" : $" ({b.Source})")}");
        Add(l.CompletionForm, a.CompletionForm);
        if (a.Pillar is { } pillar) Add(l.Pillar, l.Pillars[pillar]);
        if (a.UseResponse is { } use) Add(l.UseResponse, l.UseResponses[use]);
        Add(l.Commitments, string.Join("; ", a.Commitments));
        Add(l.SdgTargets, string.Join(", ", a.SdgTargets));
        Add(l.HumanRightsMarker, a.HumanRightsMarker ? l.Yes : l.No);
        Add(l.GenderMarker, a.GenderMarker ? l.Yes : l.No);
        Add(l.Evidence, string.Join("; ", a.EvidenceReferences));
        return rows;
    }
}
