using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using CadapDrafting.Lifecycle;

namespace CadapDrafting.SignOff;

/// <summary>
/// Names the approvers and how many of them must sign. The HTTP edge checks that each is an approver of the
/// draft's country; this decides on the draft. Set during review, a policy already met approves the draft.
/// </summary>
public sealed record SetApprovalPolicy(List<string> Approvers, int Required, string? Reason = null) : IDraftCommand
{
    public DraftAction Action => DraftAction.ManageLifecycle;

    public Decision Decide(Draft draft, CommandContext context)
    {
        if (LifecycleRules.CheckOpenForChange(draft, "change its approval policy") is { } closed) return closed;
        var approvers = (Approvers ?? []).Select(a => a?.Trim() ?? "").ToList();
        var v = new Validation();
        v.Require(approvers.Count > 0, "approvers", "Name at least one approver.");
        v.Require(approvers.All(a => a.Length > 0), "approvers", "An approver's user id cannot be empty.");
        v.Require(approvers.Distinct().Count() == approvers.Count, "approvers", "Each approver is named once.");
        v.Require(Required >= 1 && Required <= approvers.Count, "required",
            $"The number of signatures required is between 1 and the number of approvers ({approvers.Count}).");
        if (v.ToProblem() is { } invalid) return invalid;

        var set = new ApprovalPolicySet(approvers, Required);
        var after = new ApprovalPolicy { Approvers = approvers, Required = Required };
        var met = draft.Status == DraftStatus.Review &&
                  SignOffRules.Valid(draft).Count(s => after.Approvers.Contains(s.Approver)) >= after.Required;
        if (!met) return Decision.Emit(new ApprovalPolicyResult(approvers, Required), set);
        var signers = SignOffRules.Valid(draft).Where(s => after.Approvers.Contains(s.Approver)).Select(s => s.Approver).ToList();
        return Decision.Emit(new ApprovalPolicyResult(approvers, Required, Approved: true),
            set, new DraftApproved(draft.Edition, draft.Revision, ContentHash.Of(draft), signers));
    }
}

public sealed record ApprovalPolicySet(List<string> Approvers, int Required) : IDraftEvent
{
    public void ApplyTo(Draft draft, EventContext context) =>
        draft.ApprovalPolicy = new ApprovalPolicy { Approvers = [.. Approvers], Required = Required, SetBy = context.Actor, SetAt = context.At };
}

/// <summary>The policy as set; <c>approved</c> is present when the signatures already given satisfy it.</summary>
public sealed record ApprovalPolicyResult(List<string> Approvers, int Required, bool? Approved = null);
