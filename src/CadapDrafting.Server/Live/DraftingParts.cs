using CadapDrafting.Drafts;
using CadapDrafting.Proposals;

namespace CadapDrafting.Live;

/// <summary>What the drafting and proposal events change for viewers.</summary>
public static class DraftingParts
{
    public static IServiceCollection AddDraftingUpdateParts(this IServiceCollection services) => services
        .AddUpdateParts<DraftCreated>((view, _) => [view.Lifecycle(), view.Outline()])
        .AddUpdateParts<ProposalSubmitted>((view, e) => [view.Proposal(e.ProposalId), .. NodeIfPresent(view, e.NodeId), view.Lifecycle()])
        .AddUpdateParts<ProposalRebased>((view, e) => [view.Proposal(e.ProposalId)])
        .AddUpdateParts<ProposalAccepted>(Accepted)
        .AddUpdateParts<ProposalRejected>((view, e) => Closed(view, e.ProposalId))
        .AddUpdateParts<ProposalWithdrawn>((view, e) => Closed(view, e.ProposalId))
        .AddUpdateParts<ProposalSuperseded>((view, e) => Closed(view, e.ProposalId));

    private static IEnumerable<UpdatePart> Accepted(UpdateView view, ProposalAccepted e)
    {
        yield return view.Proposal(e.ProposalId);
        // The node changed (or went), and with it whether the other open proposals on it are stale.
        yield return view.Node(e.NodeId);
        foreach (var other in view.Draft.Proposals.Values.Where(p => p.IsOpen && p.NodeId == e.NodeId && p.Id != e.ProposalId))
            yield return view.Proposal(other.Id);
        if (e.Kind != ProposalKind.Amend)
        {
            // Structure and numbering changed: the outline, and the parent whose children changed.
            yield return view.Outline();
            if (view.Draft.Proposals.GetValueOrDefault(e.ProposalId)?.ParentId is { } parent) yield return view.Node(parent);
        }
        yield return view.Lifecycle();
    }

    private static IEnumerable<UpdatePart> Closed(UpdateView view, Guid proposalId)
    {
        yield return view.Proposal(proposalId);
        if (view.Draft.Proposals.GetValueOrDefault(proposalId) is { } p && view.Draft.Nodes.ContainsKey(p.NodeId))
            yield return view.Node(p.NodeId);
        yield return view.Lifecycle();
    }

    private static IEnumerable<UpdatePart> NodeIfPresent(UpdateView view, Guid nodeId) =>
        view.Draft.Nodes.ContainsKey(nodeId) ? [view.Node(nodeId)] : [];
}
