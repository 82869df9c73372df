using System.Text.RegularExpressions;
using CadapDrafting.Infrastructure;

namespace CadapDrafting.Drafts;

/// <summary>The programme's pillars. The first four are demand reduction.</summary>
public enum Pillar { Prevention, Treatment, HarmReduction, Rehabilitation, SupplyReduction, CrossCutting }

/// <summary>Which pattern of use an action answers (the programme asks for differentiated responses).</summary>
public enum UseResponse { Recreational, Problematic, Both }

public sealed record Timeline(DateOnly Start, DateOnly End);

public sealed record Indicator(string Name, string? Baseline = null, string? Target = null, string? DataSource = null,
    bool RecordedAnnually = false)
{
    public bool IsMeasurable => !string.IsNullOrWhiteSpace(Baseline) && !string.IsNullOrWhiteSpace(Target)
                                && !string.IsNullOrWhiteSpace(DataSource) && RecordedAnnually;
}

public sealed record Budget(decimal Amount, string Currency, string? Source = null);

/// <summary>What an action in an action plan carries besides its text.</summary>
public sealed record ActionAttributes
{
    public string? Objective { get; init; }
    public List<string> ResponsibleBodies { get; init; } = [];
    public Timeline? Timeline { get; init; }
    public List<Indicator> Indicators { get; init; } = [];
    public Budget? Budget { get; init; }
    public Pillar? Pillar { get; init; }
    public UseResponse? UseResponse { get; init; }
    /// <summary>International commitments the action answers, e.g. "UNGASS 2016 outcome document, ch. 1".</summary>
    public List<string> Commitments { get; init; } = [];
    /// <summary>2030 Agenda targets, e.g. "3.5".</summary>
    public List<string> SdgTargets { get; init; } = [];
    public bool HumanRightsMarker { get; init; }
    public bool GenderMarker { get; init; }
    public List<string> EvidenceReferences { get; init; } = [];
    /// <summary>How completion is shown ("report to the Cabinet", "order of the ministry"): a column of most action plans.</summary>
    public string? CompletionForm { get; init; }

    private static readonly Regex SdgTarget = new(@"^(1[0-7]|[1-9])\.([1-9][0-9]?|[a-z])$", RegexOptions.Compiled);

    /// <summary>Names every bad field with its path under <paramref name="prefix"/>.</summary>
    public void Validate(Validation v, string prefix)
    {
        if (Timeline is { } t && t.End < t.Start)
            v.Add($"{prefix}.timeline.end", $"The end ({t.End:yyyy-MM-dd}) is before the start ({t.Start:yyyy-MM-dd}).");
        for (var i = 0; i < Indicators.Count; i++)
            v.Require(!string.IsNullOrWhiteSpace(Indicators[i].Name), $"{prefix}.indicators[{i}].name", "An indicator needs a name.");
        if (Budget is { } b)
        {
            v.Require(b.Amount >= 0, $"{prefix}.budget.amount", "A budget cannot be negative.");
            v.Require(Regex.IsMatch(b.Currency ?? "", "^[A-Z]{3}$"), $"{prefix}.budget.currency",
                "The currency is a three-letter ISO 4217 code, e.g. KGS or EUR.");
        }
        for (var i = 0; i < SdgTargets.Count; i++)
            v.Require(SdgTarget.IsMatch(SdgTargets[i] ?? ""), $"{prefix}.sdgTargets[{i}]",
                $"'{SdgTargets[i]}' is not a 2030 Agenda target (goal.target, e.g. 3.5 or 16.a).");
        for (var i = 0; i < ResponsibleBodies.Count; i++)
            v.Require(!string.IsNullOrWhiteSpace(ResponsibleBodies[i]), $"{prefix}.responsibleBodies[{i}]", "A responsible body needs a name.");
    }
}
