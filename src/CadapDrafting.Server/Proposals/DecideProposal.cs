using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;

namespace CadapDrafting.Proposals;

public sealed record RejectProposal(Guid ProposalId, string Reason) : IDraftCommand
{
    public DraftAction Action => DraftAction.DecideProposal;
    string? IDraftCommand.Reason => Reason;

    public Decision Decide(Draft draft, CommandContext context)
    {
        if (!draft.Proposals.TryGetValue(ProposalId, out var proposal)) return Problem.NotFound($"Proposal {ProposalId}");
        if (!proposal.IsOpen) return Problem.Conflict($"The proposal is already {proposal.Status}.");
        if (Lifecycle.LifecycleRules.CheckOpenForChange(draft, "reject proposals") is { } closed) return closed;
        if (string.IsNullOrWhiteSpace(Reason)) return Problem.Invalid("reason", "Say why the proposal is rejected.");
        return Decision.Emit(new ProposalResult(ProposalId), new ProposalRejected(ProposalId, Reason.Trim()));
    }
}

public sealed record ProposalRejected(Guid ProposalId, string Reason) : IProposalEvent
{
    public void ApplyTo(Draft draft, EventContext context)
    {
        var proposal = draft.Proposals[ProposalId];
        proposal.Close(ProposalStatus.Rejected, context, Reason);
    }
}

/// <summary>The author takes back an open proposal.</summary>
public sealed record WithdrawProposal(Guid ProposalId, string? Reason = null) : IDraftCommand
{
    public DraftAction Action => DraftAction.Propose;

    public Decision Decide(Draft draft, CommandContext context)
    {
        if (!draft.Proposals.TryGetValue(ProposalId, out var proposal)) return Problem.NotFound($"Proposal {ProposalId}");
        if (!proposal.IsOpen) return Problem.Conflict($"The proposal is already {proposal.Status}.");
        if (Lifecycle.LifecycleRules.CheckOpenForChange(draft, "withdraw proposals") is { } closed) return closed;
        if (proposal.Author != context.Actor.UserId) return Problem.Forbidden("Only the proposal's author may withdraw it.");
        return Decision.Emit(new ProposalResult(ProposalId), new ProposalWithdrawn(ProposalId, Reason));
    }
}

public sealed record ProposalWithdrawn(Guid ProposalId, string? Reason) : IProposalEvent
{
    public void ApplyTo(Draft draft, EventContext context)
    {
        var proposal = draft.Proposals[ProposalId];
        proposal.Close(ProposalStatus.Withdrawn, context, Reason);
    }
}

public sealed record ProposalResult(Guid ProposalId);
