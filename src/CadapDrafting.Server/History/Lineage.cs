using CadapDrafting.Drafts;
using CadapDrafting.Proposals;

namespace CadapDrafting.History;

public sealed record LineageStep(
    Guid ProposalId,
    ProposalKind Kind,
    int? Revision,
    string Author,
    DateTimeOffset SubmittedAt,
    string Rationale,
    Dictionary<string, IReadOnlyList<DiffSegment>> TextChange,
    ActionAttributes? Attributes,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? DecisionReason,
    List<TimelineEntry> Discussion);

/// <param name="ImportedFrom">The Word files (name, SHA-256) and paragraphs the node's text was imported from, per language.</param>
public sealed record NodeLineage(Guid DraftId, Guid NodeId, bool StillInDocument, List<LineageStep> Steps,
    List<Import.NodeSource>? ImportedFrom = null);

/// <summary>How a node came to read as it does: each accepted proposal on it, oldest first, with what was said about it.</summary>
public static class Lineage
{
    public static async Task<NodeLineage?> OfAsync(Draft draft, Guid nodeId, Timeline timeline, CancellationToken ct)
    {
        var accepted = draft.Proposals.Values
            .Where(p => p.NodeId == nodeId && p.Status == ProposalStatus.Accepted)
            .OrderBy(p => p.AcceptedAsRevision)
            .ToList();
        var imported = draft.NodeSources.GetValueOrDefault(nodeId) ?? [];
        if (accepted.Count == 0 && imported.Count == 0 && !draft.Nodes.ContainsKey(nodeId)) return null;

        var discussions = await timeline.MentionsAsync(draft.Id, accepted.Select(p => p.Id).ToList(), ct);
        var steps = accepted.Select(p => new LineageStep(p.Id, p.Kind, p.AcceptedAsRevision, p.Author, p.SubmittedAt, p.Rationale,
                WordDiff.Between(TextBefore(p), TextAfter(p)), p.ChangesAttributes ? p.AttributesAfter(p.BaseAttributes) : null, p.DecidedBy,
                    p.DecidedAt, p.DecisionReason, discussions[p.Id]))
            .ToList();
        return new NodeLineage(draft.Id, nodeId, draft.Nodes.ContainsKey(nodeId), steps, imported);
    }

    private static Dictionary<string, string>? TextBefore(Proposal p) => p.Kind == ProposalKind.Insert ? null : p.BaseText;

    private static Dictionary<string, string>? TextAfter(Proposal p) => p.Kind switch
    {
        ProposalKind.Delete => null,
        ProposalKind.Move => p.BaseText,
        _ => Merged(p),
    };

    /// <summary>Languages a proposal does not name stay as they were.</summary>
    private static Dictionary<string, string> Merged(Proposal p)
    {
        var text = new Dictionary<string, string>(p.BaseText);
        foreach (var (lang, value) in p.Text ?? new()) text[lang] = value;
        return text;
    }
}
