using System.Text.Json;
using CadapDrafting.Drafts;
using CadapDrafting.Infrastructure;

namespace CadapDrafting.Proposals;

public enum ProposalKind { Amend, Insert, Delete, Move }

public enum ProposalStatus { Open, Accepted, Rejected, Withdrawn, Superseded }

/// <summary>An event that changes one proposal (and perhaps the tree besides).</summary>
public interface IProposalEvent : IDraftEvent
{
    Guid ProposalId { get; }
}

/// <summary>
/// A suggested change to one node, written against the node's revision at the time. It is applied
/// only when that revision is still current; otherwise it is stale and must be rebased.
/// </summary>
public sealed class Proposal
{
    public Guid Id { get; set; }
    public ProposalKind Kind { get; set; }
    /// <summary>The node changed, deleted or moved; for an insert, the id the new node will have.</summary>
    public Guid NodeId { get; set; }
    /// <summary>For an insert: the kind of the new node.</summary>
    public NodeKind? NodeKind { get; set; }
    /// <summary>For an insert or move: the parent (null = top level) and the sibling it follows (null = first).</summary>
    public Guid? ParentId { get; set; }
    public Guid? AfterNodeId { get; set; }
    /// <summary>The node revision the proposal was written against.</summary>
    public int BaseNodeRevision { get; set; }
    /// <summary>The node's text at that revision, so reviewers see what the author saw.</summary>
    public Dictionary<string, string> BaseText { get; set; } = new();
    /// <summary>New text per language; languages not named stay as they are.</summary>
    public Dictionary<string, string>? Text { get; set; }
    /// <summary>A whole record that replaces the action's attributes: how proposals were recorded before field-level changes.</summary>
    public ActionAttributes? Attributes { get; set; }
    /// <summary>The fields of the action's record the proposal changes, as a merge patch (null removes a field).</summary>
    public Dictionary<string, JsonElement>? AttributeChanges { get; set; }
    /// <summary>The action's record at the node revision the proposal was written against (null for an insert).</summary>
    public ActionAttributes? BaseAttributes { get; set; }
    public string Rationale { get; set; } = "";
    public string Author { get; set; } = "";
    public DateTimeOffset SubmittedAt { get; set; }
    /// <summary>1 when submitted; each rebase records a new revision of the proposal.</summary>
    public int Revision { get; set; } = 1;
    public ProposalStatus Status { get; set; } = ProposalStatus.Open;
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecisionReason { get; set; }
    /// <summary>The document revision its acceptance produced.</summary>
    public int? AcceptedAsRevision { get; set; }
    /// <summary>The good practice of another draft this proposal is adapted from, if any.</summary>
    public Programme.CitedGoodPractice? AdaptedFrom { get; set; }

    public bool IsOpen => Status == ProposalStatus.Open;

    public bool ChangesAttributes => Attributes is not null || AttributeChanges is not null;

    /// <summary>The action's record once the proposal is applied to <paramref name="current"/>.</summary>
    public ActionAttributes? AttributesAfter(ActionAttributes? current) =>
        Attributes ?? (AttributeChanges is { } changes ? AttributePatch.Apply(current, changes) : current);

    /// <summary>Each field the proposal changes, before → after, against the record it would change.</summary>
    public List<FieldChange> FieldChanges(ActionAttributes? current) =>
        ChangesAttributes ? AttributePatch.Changes(current, AttributesAfter(current), AttributeChanges?.Keys) : [];

    /// <summary>Records the decision that ended the proposal: who, when, why.</summary>
    public void Close(ProposalStatus status, EventContext context, string? reason)
    {
        Status = status;
        DecidedBy = context.Actor;
        DecidedAt = context.At;
        DecisionReason = reason;
    }

    /// <summary>
    /// Whether the proposal can no longer be applied as written. Text and attribute changes and
    /// deletions depend on the node's revision; inserts and moves depend only on where they go, so
    /// an edit of a node's text does not make its move stale (and a move does not make text edits stale).
    /// </summary>
    public string? StaleReason(Draft draft)
    {
        if (!IsOpen) return null;
        switch (Kind)
        {
            case ProposalKind.Amend or ProposalKind.Delete:
                if (!draft.Nodes.TryGetValue(NodeId, out var node)) return "The node has been deleted.";
                return node.Revision != BaseNodeRevision
                    ? $"The node has moved on from revision {BaseNodeRevision} to {node.Revision}."
                    : null;
            case ProposalKind.Move:
                if (!draft.Nodes.ContainsKey(NodeId)) return "The node has been deleted.";
                return PlacementProblem(draft);
            default:
                return PlacementProblem(draft);
        }
    }

    /// <summary>Why the proposed place (parent, preceding sibling) no longer exists, if it does not.</summary>
    public string? PlacementProblem(Draft draft)
    {
        if (ParentId is { } parent && !draft.Nodes.ContainsKey(parent)) return "The parent node has been deleted.";
        if (AfterNodeId is { } after && !draft.ChildrenOf(ParentId).Contains(after))
            return "The node it was to follow is no longer in that place.";
        if (Kind == ProposalKind.Move && ParentId is { } p && draft.Nodes.ContainsKey(NodeId) && draft.IsWithin(p, NodeId))
            return "A node cannot move into itself.";
        return null;
    }
}
