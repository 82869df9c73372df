using CadapDrafting.Drafts;

namespace CadapDrafting.SignOff;

/// <summary>Who must sign, and how many of them: e.g. 2 of 3 named approvers.</summary>
public sealed class ApprovalPolicy
{
    public List<string> Approvers { get; set; } = [];
    public int Required { get; set; }
    public string SetBy { get; set; } = "";
    public DateTimeOffset SetAt { get; set; }
}

public enum SignOffState { Valid, Dismissed }

/// <summary>An approver's signature on the exact content of one revision.</summary>
public sealed class SignOffRecord
{
    public Guid Id { get; set; }
    public string Approver { get; set; } = "";
    public int Edition { get; set; }
    public int Revision { get; set; }
    public string ContentHash { get; set; } = "";
    public DateTimeOffset SignedAt { get; set; }
    /// <summary>The position of the sign-off's own event: the signed heads of the log that cover it prove it.</summary>
    public long Position { get; set; }
    /// <summary>The signed head of the log the sign-off was made at, as its event states it; null for sign-offs recorded before.</summary>
    public CadapDrafting.Evidence.SignedHeadStatement? SignedHead { get; set; }
    public SignOffState State { get; set; } = SignOffState.Valid;
    public DateTimeOffset? DismissedAt { get; set; }
    /// <summary>The revision whose acceptance changed the signed content.</summary>
    public int? DismissedByRevision { get; set; }
    public string? DismissalReason { get; set; }
}

public sealed class SignOffRefusal
{
    public string Approver { get; set; } = "";
    public int Edition { get; set; }
    public int Revision { get; set; }
    public string Reason { get; set; } = "";
    public DateTimeOffset At { get; set; }
}

/// <summary>One approval: the revision an edition adopted and what it said.</summary>
public sealed class Adoption
{
    public int Edition { get; set; }
    public int Revision { get; set; }
    public string ContentHash { get; set; } = "";
    public long Position { get; set; }
    public DateTimeOffset ApprovedAt { get; set; }
    public List<string> SignedBy { get; set; } = [];
    /// <summary>The signed head of the log the approval was made at, as its event states it; null for approvals recorded before.</summary>
    public CadapDrafting.Evidence.SignedHeadStatement? SignedHead { get; set; }
}

public static class SignOffRules
{
    /// <summary>Signatures that still count: of this edition and not dismissed by a later change.</summary>
    public static IEnumerable<SignOffRecord> Valid(Draft draft) =>
        draft.SignOffs.Where(s => s.State == SignOffState.Valid && s.Edition == draft.Edition && s.Revision == draft.Revision);

    public static bool PolicyMet(Draft draft, int extraSignatures = 0) =>
        draft.ApprovalPolicy is { } policy &&
        Valid(draft).Count(s => policy.Approvers.Contains(s.Approver)) + extraSignatures >= policy.Required;
}
