using CadapDrafting.Drafts;

namespace CadapDrafting.Programme;

/// <summary>The drafts a reader may see, side by side by pillar and 2030 Agenda target. Drafts they may not read are simply absent.</summary>
public sealed record Comparison(List<string> SdgTargets, List<ComparedDraft> Drafts)
{
    public static Comparison Of(IEnumerable<Draft> visible)
    {
        var drafts = visible.OrderBy(d => d.Country).ThenBy(d => d.PeriodStart).Select(ComparedDraft.Of).ToList();
        var targets = drafts.SelectMany(d => d.SdgTargets.Keys).Distinct().Order(ProgrammeViews.SdgTargetOrder.Instance).ToList();
        return new Comparison(targets, drafts);
    }
}

public sealed record ComparedDraft(
    Guid DraftId,
    string Country,
    Dictionary<string, string> Title,
    DraftKind Kind,
    DraftStatus Status,
    int PeriodStart,
    int PeriodEnd,
    long Position,
    int Actions,
    List<Portion> Groups,
    List<Portion> Pillars,
    Dictionary<string, int> SdgTargets,
    int GoodPractices)
{
    public static ComparedDraft Of(Draft draft)
    {
        var balance = ProgrammeViews.BalanceOf(draft);
        var coverage = ProgrammeViews.CoverageOf(draft);
        return new ComparedDraft(draft.Id, draft.Country, draft.Title, draft.Kind, draft.Status, draft.PeriodStart, draft.PeriodEnd,
            draft.Position, balance.Actions, balance.Groups, balance.Pillars, coverage.SdgTargets.ToDictionary(c => c.Key, c => c.Actions),
            GoodPracticeLibrary.EntriesOf(draft, readsDraft: true).Count());
    }
}
