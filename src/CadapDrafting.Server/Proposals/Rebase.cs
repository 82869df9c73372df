using System.Text.Json;
using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;

namespace CadapDrafting.Proposals;

/// <summary>
/// Moves an open proposal onto the node's current revision, with new content where the author
/// reconciled it. Records a new revision of the proposal; nothing is merged automatically.
/// </summary>
public sealed record RebaseProposal(
    Guid ProposalId,
    int BaseRevision,
    [TextLimit(ProposalChange.MaxTextLength)] Dictionary<string, string>? Text = null,
    Dictionary<string, JsonElement>? Attributes = null,
    Guid? ParentId = null,
    Guid? AfterNodeId = null,
    string? Reason = null) : IDraftCommand
{
    public DraftAction Action => DraftAction.Propose;

    public Decision Decide(Draft draft, CommandContext context)
    {
        if (!draft.Proposals.TryGetValue(ProposalId, out var proposal)) return Problem.NotFound($"Proposal {ProposalId}");
        if (!proposal.IsOpen) return Problem.Conflict($"The proposal is already {proposal.Status}.");
        if (!draft.AcceptsContentChanges)
            return Problem.Conflict($"The draft is in {draft.Status}; proposals cannot change now.",
                new Dictionary<string, object?> { ["draftStatus"] = draft.Status.ToString() });
        if (proposal.Author != context.Actor.UserId && !AccessPolicy.Allows(context.Actor, DraftAction.DecideProposal, draft))
            return Problem.Forbidden("Only the proposal's author or an editor may rebase it.");

        DraftNode? node = null;
        if (proposal.Kind != ProposalKind.Insert)
        {
            if (!draft.Nodes.TryGetValue(proposal.NodeId, out node))
                return Problem.Conflict("The node has been deleted; the proposal cannot be rebased. Withdraw it.");
            if (BaseRevision != node.Revision) return Rebase.StaleConflict(draft, node, BaseRevision, Text ?? proposal.Text, proposal);
        }

        // A rebase that names attributes replaces the proposal's attribute change with a merge patch; one that does not keeps it.
        var wholeRecord = Attributes is null ? proposal.Attributes : null;
        var change = new ProposalChange(Text ?? proposal.Text, Attributes ?? proposal.AttributeChanges ??
            (wholeRecord is null ? null : AttributePatch.Whole(wholeRecord)),
            proposal.Kind is ProposalKind.Insert or ProposalKind.Move ? ParentId ?? proposal.ParentId : null,
            proposal.Kind is ProposalKind.Insert or ProposalKind.Move ? AfterNodeId : null);
        var v = new Validation();
        var kind = node?.Kind ?? proposal.NodeKind!.Value;
        change.Validate(v, draft, proposal.Kind, kind, node?.Attributes);
        if (proposal.Kind is ProposalKind.Insert or ProposalKind.Move) change.ValidatePlacement(v, draft, kind, node?.Id);
        if (v.ToProblem() is { } invalid) return invalid;

        return Decision.Emit(new ProposalRebasedResult(proposal.Id, proposal.Revision + 1),
            new ProposalRebased(proposal.Id, proposal.Revision + 1, node?.Revision ?? 0, node is null ? new() : new(node.Text),
                change.Text, wholeRecord, change.ParentId, change.AfterNodeId, wholeRecord is null ? change.Attributes : null, node?.Attributes));
    }
}

/// <summary>A proposal moved onto a node's current revision; <see cref="Attributes"/> and <see cref="AttributeChanges"/> as in <see
/// cref="ProposalSubmitted"/>.</summary>
public sealed record ProposalRebased(
    Guid ProposalId,
    int ProposalRevision,
    int BaseNodeRevision,
    Dictionary<string, string> BaseText,
    Dictionary<string, string>? Text,
    ActionAttributes? Attributes,
    Guid? ParentId,
    Guid? AfterNodeId,
    Dictionary<string, JsonElement>? AttributeChanges = null,
    ActionAttributes? BaseAttributes = null) : IProposalEvent
{
    public void ApplyTo(Draft draft, EventContext context)
    {
        var proposal = draft.Proposals[ProposalId];
        proposal.Revision = ProposalRevision;
        proposal.BaseNodeRevision = BaseNodeRevision;
        proposal.BaseText = new(BaseText);
        proposal.Text = Text is null ? null : new(Text);
        proposal.Attributes = Attributes;
        proposal.AttributeChanges = AttributeChanges;
        proposal.BaseAttributes = BaseAttributes;
        proposal.ParentId = ParentId;
        proposal.AfterNodeId = AfterNodeId;
    }
}

public static class Rebase
{
    /// <summary>
    /// The 409 for a change written against an old node revision, carrying what a client needs to
    /// rebase: the current revision and text, what changed since the base, and the word diff from the
    /// current text to the proposed one.
    /// </summary>
    public static Problem StaleConflict(Draft draft, DraftNode node, int baseRevision,
        Dictionary<string, string>? proposedText, Proposal? proposal = null)
    {
        var proposed = node.Text.ToDictionary(t => t.Key, t => t.Value);
        foreach (var (lang, text) in proposedText ?? new()) proposed[lang] = text;
        var extensions = new Dictionary<string, object?>
        {
            ["nodeId"] = node.Id,
            ["baseRevision"] = baseRevision,
            ["currentRevision"] = node.Revision,
            ["currentText"] = new Dictionary<string, string>(node.Text), // a copy: the answer is written after later commands change the node
            ["currentAttributes"] = node.Attributes,
            ["diffToProposed"] = WordDiff.Between(node.Text, proposed),
            ["nextStep"] = proposal is null
                ? $"Write the change against revision {node.Revision} and send it again."
                : $"Rebase proposal {proposal.Id} onto revision {node.Revision} (POST .../proposals/{proposal.Id}/rebase), then accept it.",
        };
        if (proposal is not null)
        {
            extensions["proposalId"] = proposal.Id;
            extensions["changesSinceBase"] = WordDiff.Between(proposal.BaseText, node.Text);
        }
        return Problem.Conflict(
            $"The node is at revision {node.Revision}, but the change was written against revision {baseRevision}. " +
            "It is not applied blindly: rebase it onto the current text.", extensions);
    }
}

public sealed record ProposalRebasedResult(Guid ProposalId, int ProposalRevision);
