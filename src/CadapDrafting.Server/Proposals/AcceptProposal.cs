using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;

namespace CadapDrafting.Proposals;

/// <summary>Applies a proposal, only if what it was written against is still there.</summary>
public sealed record AcceptProposal(Guid ProposalId, string? Reason = null) : IDraftCommand
{
    public DraftAction Action => DraftAction.DecideProposal;

    public Decision Decide(Draft draft, CommandContext context)
    {
        if (!draft.Proposals.TryGetValue(ProposalId, out var proposal)) return Problem.NotFound($"Proposal {ProposalId}");
        return Accept(draft, proposal, Reason);
    }

    /// <summary>
    /// The acceptance rule, shared with direct edits: refused with what is needed to rebase when the
    /// node moved on; deleting a node supersedes every open proposal inside it.
    /// </summary>
    public static Decision Accept(Draft draft, Proposal proposal, string? reason)
    {
        if (!proposal.IsOpen)
            return Problem.Conflict($"The proposal is already {proposal.Status}.",
                new Dictionary<string, object?> { ["proposalStatus"] = proposal.Status.ToString() });
        if (!draft.AcceptsContentChanges)
            return Problem.Conflict($"The draft is in {draft.Status}; its content cannot change now.",
                new Dictionary<string, object?> { ["draftStatus"] = draft.Status.ToString() });

        if (proposal.StaleReason(draft) is { } stale)
        {
            return draft.Nodes.TryGetValue(proposal.NodeId, out var node) && proposal.Kind is ProposalKind.Amend or ProposalKind.Delete
                ? Rebase.StaleConflict(draft, node, proposal.BaseNodeRevision, proposal.Text, proposal)
                : Problem.Conflict($"The proposal cannot be applied: {stale} Rebase it onto the current document or withdraw it.",
                    new Dictionary<string, object?> { ["proposalId"] = proposal.Id, ["reason"] = stale });
        }

        var nodeRevision = proposal.Kind switch
        {
            ProposalKind.Insert => 1,
            ProposalKind.Amend => draft.Nodes[proposal.NodeId].Revision + 1,
            _ => draft.Nodes[proposal.NodeId].Revision,
        };
        var events = new List<IDraftEvent>
        {
            new ProposalAccepted(proposal.Id, proposal.NodeId, proposal.Kind, nodeRevision, draft.Revision + 1, reason),
        };

        if (proposal.Kind == ProposalKind.Delete)
        {
            var removed = draft.SubtreeOf(proposal.NodeId).ToHashSet();
            events.AddRange(draft.Proposals.Values
                .Where(p => p.IsOpen && p.Id != proposal.Id &&
                            (removed.Contains(p.NodeId) || p.ParentId is { } parent && removed.Contains(parent)))
                .Select(p => new ProposalSuperseded(p.Id, $"Node {proposal.NodeId} was deleted by proposal {proposal.Id}.")));
        }

        events.AddRange(SignOff.SignOffDismissed.For(draft, draft.Revision + 1));

        return Decision.Emit(new ProposalAcceptedResult(proposal.Id, proposal.NodeId, nodeRevision, draft.Revision + 1), events);
    }
}

public sealed record ProposalAccepted(Guid ProposalId, Guid NodeId, ProposalKind Kind, int NodeRevision, int Revision, string? Reason)
    : IProposalEvent
{
    public void ApplyTo(Draft draft, EventContext context)
    {
        var proposal = draft.Proposals[ProposalId];
        switch (proposal.Kind)
        {
            case ProposalKind.Amend:
                var node = draft.Nodes[proposal.NodeId];
                Programme.Translations.TrackAmendment(node, draft.SourceLanguage, proposal.Text);
                foreach (var (lang, text) in proposal.Text ?? new()) node.Text[lang] = text;
                if (proposal.ChangesAttributes) node.Attributes = proposal.AttributesAfter(node.Attributes);
                node.Revision = NodeRevision;
                break;
            case ProposalKind.Insert:
                draft.Nodes[proposal.NodeId] = new DraftNode
                {
                    Id = proposal.NodeId,
                    ParentId = proposal.ParentId,
                    Kind = proposal.NodeKind!.Value,
                    Text = new(proposal.Text ?? new()),
                    Attributes = proposal.AttributesAfter(null),
                    Revision = NodeRevision,
                };
                Place(draft, proposal.NodeId, proposal.ParentId, proposal.AfterNodeId);
                Programme.Translations.TrackNewNode(draft.Nodes[proposal.NodeId], draft.SourceLanguage);
                break;
            case ProposalKind.Delete:
                var removed = draft.SubtreeOf(proposal.NodeId).ToList();
                draft.ChildrenOf(draft.Nodes[proposal.NodeId].ParentId).Remove(proposal.NodeId);
                foreach (var id in removed) draft.Nodes.Remove(id);
                break;
            case ProposalKind.Move:
                var moving = draft.Nodes[proposal.NodeId];
                draft.ChildrenOf(moving.ParentId).Remove(moving.Id);
                moving.ParentId = proposal.ParentId;
                Place(draft, moving.Id, proposal.ParentId, proposal.AfterNodeId);
                break;
        }
        proposal.Close(ProposalStatus.Accepted, context, Reason);
        proposal.AcceptedAsRevision = Revision;
        draft.NextRevision(context.Position);
    }

    private static void Place(Draft draft, Guid nodeId, Guid? parentId, Guid? afterNodeId)
    {
        var siblings = draft.ChildrenOf(parentId);
        var index = afterNodeId is { } after ? siblings.IndexOf(after) + 1 : 0;
        siblings.Insert(index, nodeId);
    }
}

public sealed record ProposalSuperseded(Guid ProposalId, string Reason) : IProposalEvent
{
    public void ApplyTo(Draft draft, EventContext context)
    {
        var proposal = draft.Proposals[ProposalId];
        proposal.Close(ProposalStatus.Superseded, context, Reason);
    }
}

/// <summary>The accepted proposal, its node's revision after it, and the draft's new revision.</summary>
public sealed record ProposalAcceptedResult(Guid ProposalId, Guid NodeId, int NodeRevision, int Revision);
