using CadapDrafting.Drafts;

namespace CadapDrafting.Proposals;

/// <summary>
/// A proposal as reviewers see it: what it changes, shown as a word diff against the current text and, for an action's
/// record, each field it names before → after (<see cref="FieldChanges"/>), and whether it is stale. <see cref="Attributes"/>
/// is the action's whole record as accepting the proposal would leave it.
/// </summary>
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
    Programme.CitedGoodPractice? AdaptedFrom = null,
    List<FieldChange>? FieldChanges = null)
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
        // Before acceptance the change applies to the record as it is now; after it, to the record it was written against.
        var attributesBefore = p.Status == ProposalStatus.Accepted ? p.BaseAttributes : node?.Attributes;
        return new ProposalView(p.Id, p.Kind, p.Status, p.NodeId, numbers.GetValueOrDefault(p.NodeId),
            p.NodeKind ?? node?.Kind, p.ParentId, p.AfterNodeId, p.Revision, p.BaseNodeRevision, node?.Revision, stale is not null,
            stale, p.Author, p.SubmittedAt, p.Rationale, p.Text, p.ChangesAttributes ? p.AttributesAfter(attributesBefore) : null,
            WordDiff.Between(before, proposed), p.DecidedBy, p.DecidedAt, p.DecisionReason, p.AcceptedAsRevision, p.AdaptedFrom,
            p.FieldChanges(attributesBefore));
    }

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> current, Dictionary<string, string>? changes)
    {
        var merged = current.ToDictionary(t => t.Key, t => t.Value);
        foreach (var (lang, text) in changes ?? new()) merged[lang] = text;
        return merged;
    }
}
