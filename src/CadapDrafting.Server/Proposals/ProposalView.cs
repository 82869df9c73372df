using CadapDrafting.Drafts;

namespace CadapDrafting.Proposals;

/// <summary>A proposal as reviewers see it: what it changes, shown as a word diff against the current text, and whether it is stale.</summary>
public sealed record ProposalView(
    Guid Id,
    ProposalKind Kind,
    ProposalStatus Status,
    Guid NodeId,
    string? NodeNumber,
    NodeKind? NodeKind,
    Guid? ParentId,
    Guid? AfterNodeId,
    int Revision,
    int BaseNodeRevision,
    int? CurrentNodeRevision,
    bool Stale,
    string? StaleReason,
    string Author,
    DateTimeOffset SubmittedAt,
    string Rationale,
    Dictionary<string, string>? Text,
    ActionAttributes? Attributes,
    Dictionary<string, IReadOnlyList<DiffSegment>> Diff,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? DecisionReason,
    int? AcceptedAsRevision,
    Programme.CitedGoodPractice? AdaptedFrom = null)
{
    public static ProposalView Of(Draft draft, Proposal p, IReadOnlyDictionary<Guid, string> numbers)
    {
        var node = draft.Nodes.GetValueOrDefault(p.NodeId);
        var current = node?.Text ?? (p.Kind == ProposalKind.Insert ? new Dictionary<string, string>() : p.BaseText);
        var proposed = p.Kind switch
        {
            ProposalKind.Delete => new Dictionary<string, string>(),
            ProposalKind.Move => current,
            _ => Merge(p.Status == ProposalStatus.Accepted ? p.BaseText : current, p.Text),
        };
        var before = p.Status == ProposalStatus.Accepted ? p.BaseText : current;
        var stale = p.StaleReason(draft);
        return new ProposalView(p.Id, p.Kind, p.Status, p.NodeId, numbers.GetValueOrDefault(p.NodeId),
            p.NodeKind ?? node?.Kind, p.ParentId, p.AfterNodeId, p.Revision, p.BaseNodeRevision, node?.Revision, stale is not null,
            stale, p.Author, p.SubmittedAt, p.Rationale, p.Text, p.Attributes, WordDiff.Between(before, proposed), p.DecidedBy,
            p.DecidedAt, p.DecisionReason, p.AcceptedAsRevision, p.AdaptedFrom);
    }

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> current, Dictionary<string, string>? changes)
    {
        var merged = current.ToDictionary(t => t.Key, t => t.Value);
        foreach (var (lang, text) in changes ?? new()) merged[lang] = text;
        return merged;
    }
}
