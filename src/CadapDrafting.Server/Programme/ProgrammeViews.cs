using CadapDrafting.Drafts;

namespace CadapDrafting.Programme;

/// <summary>
/// What the programme cares about, derived from a draft's state alone, so every view is exactly as current as the
/// draft and can be pushed with each change. Only action nodes count.
/// </summary>
public static class ProgrammeViews
{
    public const string DemandReduction = "DemandReduction";
    public const string SupplyReduction = "SupplyReduction";
    public const string CrossCutting = "CrossCutting";
    public const string Unassigned = "Unassigned";

    public static ProgrammeView Of(Draft draft) => Of(draft, Numbering.Of(draft));

    /// <summary>All views of the draft, numbered by the caller (a live update has numbered it already).</summary>
    public static ProgrammeView Of(Draft draft, IReadOnlyDictionary<Guid, string> numbers)
    {
        var actions = ActionsOf(draft, numbers);
        return new(draft.Id, draft.Position, draft.Revision, BalanceOf(actions), CoverageOf(actions), MarkersOf(actions),
            ResponsesOf(actions), QualityOf(actions, draft.SourceLanguage), Translations.StatusOf(draft, numbers));
    }

    public static IReadOnlyList<(DraftNode Node, string Number)> ActionsOf(Draft draft) => ActionsOf(draft, Numbering.Of(draft));

    public static IReadOnlyList<(DraftNode Node, string Number)> ActionsOf(Draft draft, IReadOnlyDictionary<Guid, string> numbers) =>
        draft.InDocumentOrder().Where(n => n.Kind == NodeKind.Action).Select(n => (n, numbers[n.Id])).ToList();

    public static string GroupOf(Pillar? pillar) => pillar switch
    {
        Pillar.Prevention or Pillar.Treatment or Pillar.HarmReduction or Pillar.Rehabilitation => DemandReduction,
        Pillar.SupplyReduction => SupplyReduction,
        Pillar.CrossCutting => CrossCutting,
        _ => Unassigned,
    };

    public static Balance BalanceOf(Draft draft) => BalanceOf(ActionsOf(draft));

    private static Balance BalanceOf(IReadOnlyList<(DraftNode Node, string Number)> actions)
    {
        var pillars = actions.Select(a => a.Node.Attributes?.Pillar).ToList();
        var total = pillars.Count;
        Portion ShareOf(string name, int count) => new(name, count, total == 0 ? 0 : Math.Round((double)count / total, 4));
        var groups = new[] { DemandReduction, SupplyReduction, CrossCutting, Unassigned }
            .Select(g => ShareOf(g, pillars.Count(p => GroupOf(p) == g))).ToList();
        var byPillar = Enum.GetValues<Pillar>().Select(p => ShareOf(p.ToString(), pillars.Count(x => x == p))).ToList();
        var demand = groups[0].Count;
        var supply = groups[1].Count;
        return new Balance(total, groups, byPillar, demand == 0 ? null : Math.Round((double)supply / demand, 4));
    }

    public static Coverage CoverageOf(Draft draft) => CoverageOf(ActionsOf(draft));

    private static Coverage CoverageOf(IReadOnlyList<(DraftNode Node, string Number)> actions)
    {
        List<Covered> Count(Func<ActionAttributes, IEnumerable<string>> keys, IComparer<string> order) =>
            actions.SelectMany(a => (a.Node.Attributes is { } attrs ? keys(attrs) : []).Distinct().Select(k => (Key: k, a.Number)))
                .GroupBy(x => x.Key)
                .OrderBy(g => g.Key, order)
                .Select(g => new Covered(g.Key, g.Count(), g.Select(x => x.Number).ToList()))
                .ToList();
        return new Coverage(actions.Count,
            Count(a => a.SdgTargets, SdgTargetOrder.Instance),
            Count(a => a.Commitments, StringComparer.Ordinal),
            actions.Where(a => a.Node.Attributes?.SdgTargets is not { Count: > 0 }).Select(a => a.Number).ToList(),
            actions.Where(a => a.Node.Attributes?.Commitments is not { Count: > 0 }).Select(a => a.Number).ToList());
    }

    public static Markers MarkersOf(Draft draft) => MarkersOf(ActionsOf(draft));

    private static Markers MarkersOf(IReadOnlyList<(DraftNode Node, string Number)> actions)
    {
        var total = actions.Count;
        Portion ShareOf(string name, Func<ActionAttributes, bool> has)
        {
            var count = actions.Count(a => has(a.Node.Attributes ?? new ActionAttributes()));
            return new(name, count, total == 0 ? 0 : Math.Round((double)count / total, 4));
        }
        return new Markers(total, ShareOf("HumanRights", a => a.HumanRightsMarker), ShareOf("Gender", a => a.GenderMarker),
            ShareOf("Both", a => a.HumanRightsMarker && a.GenderMarker), ShareOf("Neither", a => !a.HumanRightsMarker && !a.GenderMarker));
    }

    public static Responses ResponsesOf(Draft draft) => ResponsesOf(ActionsOf(draft));

    private static Responses ResponsesOf(IReadOnlyList<(DraftNode Node, string Number)> actions)
    {
        List<string> With(UseResponse? response) =>
            actions.Where(a => a.Node.Attributes?.UseResponse == response).Select(a => a.Number).ToList();
        var recreational = With(UseResponse.Recreational);
        var problematic = With(UseResponse.Problematic);
        var both = With(UseResponse.Both);
        var untagged = With(null);
        return new Responses(actions.Count, recreational.Count, problematic.Count, both.Count, untagged.Count,
            new Dictionary<string, List<string>>
            {
                [nameof(UseResponse.Recreational)] = recreational,
                [nameof(UseResponse.Problematic)] = problematic,
                [nameof(UseResponse.Both)] = both,
                ["Untagged"] = untagged,
            });
    }

    /// <summary>Actions that cannot be monitored or carried out as written, each naming what is missing.</summary>
    public static List<QualityIssue> QualityOf(Draft draft) => QualityOf(ActionsOf(draft), draft.SourceLanguage);

    private static List<QualityIssue> QualityOf(IReadOnlyList<(DraftNode Node, string Number)> actions, string sourceLanguage) =>
        actions
            .Select(a => (a.Node, a.Number, Missing: MissingOf(a.Node.Attributes)))
            .Where(x => x.Missing.Count > 0)
            .Select(x => new QualityIssue(x.Node.Id, x.Number, x.Node.Text.GetValueOrDefault(sourceLanguage)
                ?? x.Node.Text.Values.FirstOrDefault() ?? "", x.Missing))
            .ToList();

    public static List<MissingItem> MissingOf(ActionAttributes? attributes)
    {
        var missing = new List<MissingItem>();
        var indicators = attributes?.Indicators ?? [];
        if (indicators.Count == 0)
            missing.Add(new("indicators", "No indicator: add one with a baseline, a target, a data source, recorded every year."));
        else if (!indicators.Any(i => i.IsMeasurable))
            missing.Add(new("measurableIndicator", "No indicator can be measured: " + string.Join("; ", indicators.Select(i =>
                $"'{i.Name}' lacks {string.Join(", ", GapsOf(i))}"))));
        if (attributes?.ResponsibleBodies is not { Count: > 0 })
            missing.Add(new("responsibleBodies", "No responsible body."));
        if (attributes?.Timeline is null)
            missing.Add(new("timeline", "No timeline (start and end)."));
        if (attributes?.Budget is null)
            missing.Add(new("budget", "No budget."));
        return missing;
    }

    private static IEnumerable<string> GapsOf(Indicator i)
    {
        if (string.IsNullOrWhiteSpace(i.Baseline)) yield return "a baseline";
        if (string.IsNullOrWhiteSpace(i.Target)) yield return "a target";
        if (string.IsNullOrWhiteSpace(i.DataSource)) yield return "a data source";
        if (!i.RecordedAnnually) yield return "yearly data";
    }

    /// <summary>Orders "3.5" before "16.a": by goal, then target, numbers before letters.</summary>
    public sealed class SdgTargetOrder : IComparer<string>
    {
        public static readonly SdgTargetOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            static (int Goal, int Number, string Suffix) Split(string? s)
            {
                var parts = (s ?? "").Split('.', 2);
                var goal = int.TryParse(parts[0], out var g) ? g : int.MaxValue;
                var rest = parts.Length > 1 ? parts[1] : "";
                return (goal, int.TryParse(rest, out var n) ? n : int.MaxValue, rest);
            }
            var (a, b) = (Split(x), Split(y));
            return (a.Goal, a.Number, a.Suffix).CompareTo((b.Goal, b.Number, b.Suffix));
        }
    }
}

public sealed record ProgrammeView(Guid DraftId, long Position, int Revision, Balance Balance, Coverage Coverage, Markers Markers,
    Responses Responses, List<QualityIssue> Quality, TranslationStatus Translations);

/// <summary>A count among the draft's actions and its share of them (0..1).</summary>
public sealed record Portion(string Name, int Count, double Share);

/// <summary>Actions by pillar group (demand reduction = prevention, treatment, harm reduction, rehabilitation) and by pillar.</summary>
public sealed record Balance(int Actions, List<Portion> Groups, List<Portion> Pillars, double? SupplyPerDemandAction);

public sealed record Covered(string Key, int Actions, List<string> ActionNumbers);

public sealed record Coverage(int Actions, List<Covered> SdgTargets, List<Covered> Commitments, List<string> ActionsWithoutSdgTarget,
    List<string> ActionsWithoutCommitment);

public sealed record Markers(int Actions, Portion HumanRights, Portion Gender, Portion Both, Portion Neither);

public sealed record Responses(int Actions, int Recreational, int Problematic, int Both, int Untagged,
    Dictionary<string, List<string>> ActionNumbers);

public sealed record MissingItem(string Field, string Detail);

public sealed record QualityIssue(Guid NodeId, string Number, string Text, List<MissingItem> Missing);
