using CadapDrafting.Identity;
using CadapDrafting.Lifecycle;

namespace CadapDrafting.Drafts;

/// <summary>
/// What the caller may do on a draft now, from the access policy and the lifecycle rules, so a client offers only
/// the controls that can work instead of keeping its own copy of the rules. The decisions still check everything.
/// </summary>
public static class AllowedActions
{
    public const string ProposeChange = nameof(ProposeChange);
    public const string DecideProposal = nameof(DecideProposal);
    public const string Comment = nameof(Comment);
    public const string ResolveAnyThread = nameof(ResolveAnyThread);
    public const string DisposeComment = nameof(DisposeComment);
    public const string OpenConsultation = nameof(OpenConsultation);
    public const string CloseConsultation = nameof(CloseConsultation);
    public const string SetApprovalPolicy = nameof(SetApprovalPolicy);
    public const string StartReview = nameof(StartReview);
    public const string ReturnToDrafting = nameof(ReturnToDrafting);
    public const string Withdraw = nameof(Withdraw);
    public const string StartNewEdition = nameof(StartNewEdition);
    public const string NameVersion = nameof(NameVersion);
    public const string SignOff = nameof(SignOff);
    public const string ExportEvidence = nameof(ExportEvidence);

    public static IReadOnlyList<string> For(Actor actor, Draft draft)
    {
        bool May(DraftAction action) => AccessPolicy.Allows(actor, action, draft);
        var status = draft.Status;
        var notClosed = LifecycleRules.CheckOpenForChange(draft, "") is null;
        var manage = May(DraftAction.ManageLifecycle);
        var allowed = new List<string>();
        void Add(string name, bool when) { if (when) allowed.Add(name); }

        Add(ProposeChange, draft.AcceptsContentChanges && May(DraftAction.Propose));
        Add(DecideProposal, draft.AcceptsContentChanges && May(DraftAction.DecideProposal));
        Add(Comment, notClosed && May(DraftAction.Comment));
        Add(ResolveAnyThread, notClosed && Comments.Audience.IsDraftingTeam(actor, draft));
        Add(DisposeComment, notClosed && May(DraftAction.DisposeComment));
        Add(OpenConsultation, manage && LifecycleRules.Allows(status, DraftStatus.Consultation));
        Add(CloseConsultation, manage && status == DraftStatus.Consultation && draft.CurrentRound() is not null);
        // The policy is set before review: changing it during review would let someone satisfy it by changing it.
        Add(SetApprovalPolicy, manage && draft.AcceptsContentChanges);
        Add(StartReview, manage && LifecycleRules.Allows(status, DraftStatus.Review));
        Add(ReturnToDrafting, manage && status == DraftStatus.Review);
        Add(Withdraw, manage && LifecycleRules.Allows(status, DraftStatus.Withdrawn));
        Add(StartNewEdition, manage && status == DraftStatus.Approved);
        Add(NameVersion, manage && status != DraftStatus.Withdrawn);
        Add(SignOff, status == DraftStatus.Review && May(DraftAction.SignOff) &&
                     draft.ApprovalPolicy?.Approvers.Contains(actor.UserId) == true &&
                     !CadapDrafting.SignOff.SignOffRules.Valid(draft).Any(s => s.Approver == actor.UserId));
        Add(ExportEvidence, May(DraftAction.ExportEvidence));
        return allowed;
    }
}
