using CadapDrafting.Drafts;

namespace CadapDrafting.SignOff;

/// <summary>Who signed which revision, which signatures still stand, and how far the policy is from being met.</summary>
public sealed record SignOffStatusView(
    DraftStatus Status,
    int Edition,
    int Revision,
    string ContentHash,
    PolicyView? Policy,
    PolicyProgress? Progress,
    List<SignOffView> SignOffs,
    List<RefusalView> Refusals,
    List<AdoptionView> Adoptions)
{
    public static SignOffStatusView Of(Draft draft)
    {
        PolicyProgress? progress = null;
        if (draft.ApprovalPolicy is { } policy)
        {
            var signed = SignOffRules.Valid(draft).Where(s => policy.Approvers.Contains(s.Approver)).Select(s => s.Approver).ToList();
            progress = new PolicyProgress(signed.Count, policy.Required, signed.Count >= policy.Required, signed,
                policy.Approvers.Except(signed).ToList());
        }
        return new SignOffStatusView(draft.Status, draft.Edition, draft.Revision, Drafts.ContentHash.Of(draft),
            draft.ApprovalPolicy is { } p ? new PolicyView(p.Approvers, p.Required, p.SetBy, p.SetAt) : null,
            progress,
            draft.SignOffs.Select(s => new SignOffView(s.Id, s.Approver, s.Edition, s.Revision, s.ContentHash, s.SignedAt, s.State,
                s.DismissedAt, s.DismissedByRevision, s.DismissalReason)).ToList(),
            draft.SignOffRefusals.Select(r => new RefusalView(r.Approver, r.Edition, r.Revision, r.Reason, r.At)).ToList(),
            draft.Adoptions.Select(a => new AdoptionView(a.Edition, a.Revision, a.ContentHash, a.Position, a.ApprovedAt, a.SignedBy)).ToList());
    }
}

public sealed record PolicyView(List<string> Approvers, int Required, string SetBy, DateTimeOffset SetAt);

/// <summary>Signatures on the current revision that count towards the policy, and who has yet to sign.</summary>
public sealed record PolicyProgress(int Signed, int Required, bool Met, List<string> SignedBy, List<string> Outstanding);

public sealed record SignOffView(Guid Id, string Approver, int Edition, int Revision, string ContentHash, DateTimeOffset SignedAt,
    SignOffState State, DateTimeOffset? DismissedAt, int? DismissedByRevision, string? DismissalReason);

public sealed record RefusalView(string Approver, int Edition, int Revision, string Reason, DateTimeOffset At);

public sealed record AdoptionView(int Edition, int Revision, string ContentHash, long Position, DateTimeOffset ApprovedAt, List<string> SignedBy);
