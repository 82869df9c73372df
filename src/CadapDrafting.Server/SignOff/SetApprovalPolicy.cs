using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using CadapDrafting.Lifecycle;

namespace CadapDrafting.SignOff;

/// <summary>
/// Names the approvers and how many of them must sign. The HTTP edge checks that each is an approver of the
/// draft's country; this decides on the draft. The policy is set before review and frozen during it: changing
/// it means returning to Drafting, which dismisses every signature, so a policy is never met by changing it.
/// </summary>
public sealed record SetApprovalPolicy(List<string> Approvers, int Required, string? Reason = null) : IDraftCommand
{
    public DraftAction Action => DraftAction.ManageLifecycle;

    public Decision Decide(Draft draft, CommandContext context)
    {
        if (LifecycleRules.CheckOpenForChange(draft, "change its approval policy") is { } closed) return closed;
        if (draft.Status == DraftStatus.Review)
            return LifecycleRules.Refuse(draft,
                "The draft is in Review; its approval policy is frozen while approvers sign. To change it, return the draft to Drafting " +
                "(POST .../lifecycle/drafting), which dismisses every signature, set the policy, and start the review again.");
        var approvers = (Approvers ?? []).Select(a => a?.Trim() ?? "").ToList();
        var v = new Validation();
        v.Require(approvers.Count > 0, "approvers", "Name at least one approver.");
        v.Require(approvers.All(a => a.Length > 0), "approvers", "An approver's user id cannot be empty.");
        v.Require(approvers.Distinct().Count() == approvers.Count, "approvers", "Each approver is named once.");
        v.Require(Required >= 1 && Required <= approvers.Count, "required",
            $"The number of signatures required is between 1 and the number of approvers ({approvers.Count}).");
        if (v.ToProblem() is { } invalid) return invalid;

        return Decision.Emit(new ApprovalPolicyResult(approvers, Required), new ApprovalPolicySet(approvers, Required));
    }
}

public sealed record ApprovalPolicySet(List<string> Approvers, int Required) : IDraftEvent
{
    public void ApplyTo(Draft draft, EventContext context) =>
        draft.ApprovalPolicy = new ApprovalPolicy { Approvers = [.. Approvers], Required = Required, SetBy = context.Actor, SetAt = context.At };
}

/// <summary>The policy as set.</summary>
public sealed record ApprovalPolicyResult(List<string> Approvers, int Required);
