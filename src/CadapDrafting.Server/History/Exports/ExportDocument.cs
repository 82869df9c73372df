using System.Globalization;
using CadapDrafting.Drafts;

namespace CadapDrafting.History.Exports;

public sealed record ExportNode(Guid Id, NodeKind Kind, string Number, string Label, string Text, int Depth,
    IReadOnlyList<(string Name, string Value)> Attributes, IReadOnlyList<ExportNode> Children);

/// <summary>
/// A draft at one revision as every export format writes it: numbered nodes with their text in one language
/// (falling back to the source language, then any language the node has) and action attributes as rows.
/// </summary>
public sealed record ExportDocument(Guid DraftId, string Country, DraftKind Kind, string Title, string Language, int PeriodStart,
    int PeriodEnd, DraftStatus Status, int Revision, long Position, DateTimeOffset AsOf, IReadOnlyList<ExportNode> Nodes)
{
    public static ExportDocument Of(Draft draft, string? language)
    {
        var lang = language is not null && draft.Languages.Contains(language) ? language : draft.SourceLanguage;
        var numbers = Numbering.Of(draft);
        List<ExportNode> Build(IEnumerable<Guid> ids, int depth) => ids.Select(id =>
        {
            var node = draft.Nodes[id];
            var number = numbers[id];
            return new ExportNode(id, node.Kind, number, LabelOf(node.Kind, number), TextIn(node.Text, lang, draft.SourceLanguage), depth,
                AttributeRows(node.Attributes), Build(node.ChildIds, depth + 1));
        }).ToList();
        return new ExportDocument(draft.Id, draft.Country, draft.Kind, TextIn(draft.Title, lang, draft.SourceLanguage), lang,
            draft.PeriodStart, draft.PeriodEnd, draft.Status, draft.Revision, draft.Position, draft.LastChangedAt,
            Build(draft.RootNodeIds, 1));
    }

    public IEnumerable<ExportNode> InDocumentOrder()
    {
        IEnumerable<ExportNode> Walk(IEnumerable<ExportNode> nodes) => nodes.SelectMany(n => new[] { n }.Concat(Walk(n.Children)));
        return Walk(Nodes);
    }

    public string Subtitle => $"{Country}, {PeriodStart}–{PeriodEnd} · revision {Revision} (position {Position}) · {Status}";

    public static bool IsHeading(NodeKind kind) => kind is NodeKind.Part or NodeKind.Chapter or NodeKind.Section;

    private static string LabelOf(NodeKind kind, string number) => kind switch
    {
        NodeKind.Point => number,
        _ => $"{kind} {number}",
    };

    private static string TextIn(IReadOnlyDictionary<string, string> text, string lang, string source) =>
        text.TryGetValue(lang, out var t) ? t : text.TryGetValue(source, out var s) ? s : text.Values.FirstOrDefault() ?? "";

    public static IReadOnlyList<(string Name, string Value)> AttributeRows(ActionAttributes? a)
    {
        if (a is null) return [];
        var rows = new List<(string, string)>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) rows.Add((name, value));
        }
        Add("Objective", a.Objective);
        Add("Responsible bodies", string.Join("; ", a.ResponsibleBodies));
        if (a.Timeline is { } t)
            Add("Timeline", $"{t.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} – {t.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
        foreach (var i in a.Indicators)
            Add("Indicator", string.Join("; ", new[]
            {
                i.Name, i.Baseline is null ? null : $"baseline {i.Baseline}", i.Target is null ? null : $"target {i.Target}",
                i.DataSource is null ? null : $"source {i.DataSource}", i.RecordedAnnually ? "recorded annually" : null,
            }.Where(x => x is not null)));
        if (a.Budget is { } b)
            Add("Budget", $"{b.Amount.ToString("N2", CultureInfo.InvariantCulture)} {b.Currency}{(b.Source is null ? "" : $" ({b.Source})")}");
        Add("Pillar", a.Pillar?.ToString());
        Add("Use response", a.UseResponse?.ToString());
        Add("International commitments", string.Join("; ", a.Commitments));
        Add("SDG targets", string.Join(", ", a.SdgTargets));
        if (a.HumanRightsMarker) Add("Human rights marker", "yes");
        if (a.GenderMarker) Add("Gender marker", "yes");
        Add("Evidence", string.Join("; ", a.EvidenceReferences));
        return rows;
    }
}
