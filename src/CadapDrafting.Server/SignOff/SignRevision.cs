using System.Text.Json.Serialization;
using CadapDrafting.Drafts;
using CadapDrafting.Evidence;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using CadapDrafting.Lifecycle;

namespace CadapDrafting.SignOff;

/// <summary>
/// An approver signs the revision under review. The revision (and, when given, the content hash the
/// approver's client showed) must be the current one, so nobody signs text they did not see. When the
/// signature meets the approval policy the draft is approved in the same command. The sign-off records the signed head of
/// the draft's log it was made at (<see cref="Head"/>): the server fills it in, the client cannot.
/// </summary>
public sealed record SignRevision(int Revision, string? ContentHash = null, string? Reason = null) : IDraftCommand
{
    public DraftAction Action => DraftAction.SignOff;

    /// <summary>
    /// The signed head the server made sure covers the draft's position before sending the command (docs/evidence.md §11); never
    /// read from the request (and not part of the command's fingerprint, so a retry with a later head is the same command). Null only
    /// when no head could be signed.
    /// </summary>
    [JsonIgnore]
    public SignedHeadStatement? Head { get; init; }

    public Decision Decide(Draft draft, CommandContext context)
    {
        if (SignOffChecks.Refusal(draft, context, Revision, ContentHash) is { } refused) return refused;
        var approver = context.Actor.UserId;
        if (SignOffRules.Valid(draft).Any(s => s.Approver == approver))
            return Problem.Conflict($"You have signed revision {draft.Revision} already.");
        if (Head is not null && SignOffChecks.HeadRefusal(draft, Head) is { } uncovered) return uncovered;

        var hash = Drafts.ContentHash.Of(draft);
        var signOffId = context.NewId("sign-off");
        var signed = new RevisionSignedOff(signOffId, approver, draft.Edition, draft.Revision, hash, Head);
        if (!SignOffRules.PolicyMet(draft, extraSignatures: 1))
            return Decision.Emit(new SignOffResult(signOffId, draft.Revision, hash, Approved: false), signed);

        var signers = SignOffRules.Valid(draft).Select(s => s.Approver).Append(approver).ToList();
        return Decision.Emit(new SignOffResult(signOffId, draft.Revision, hash, Approved: true),
            signed, new DraftApproved(draft.Edition, draft.Revision, hash, signers, Head));
    }
}

/// <summary>
/// An approver signed a revision: its content hash, and the signed head of the log the sign-off was made at (null in sign-offs
/// recorded before heads were, and when no head could be signed).
/// </summary>
public sealed record RevisionSignedOff(Guid SignOffId, string Approver, int Edition, int Revision, string ContentHash,
    SignedHeadStatement? SignedHead = null) : IDraftEvent
{
    public void ApplyTo(Draft draft, EventContext context) =>
        draft.SignOffs.Add(new SignOffRecord
        {
            Id = SignOffId, Approver = Approver, Edition = Edition, Revision = Revision, ContentHash = ContentHash, SignedAt = context.At,
            Position = context.Position, SignedHead = SignedHead,
        });
}

/// <summary>The approval policy was met: the revision is adopted and the draft is immutable from here.</summary>
public sealed record DraftApproved(int Edition, int Revision, string ContentHash, List<string> SignedBy, SignedHeadStatement? SignedHead = null)
    : IDraftEvent
{
    public void ApplyTo(Draft draft, EventContext context)
    {
        draft.Status = DraftStatus.Approved;
        draft.CurrentRoundIsPublic = false;
        draft.Adoptions.Add(new Adoption
        {
            Edition = Edition, Revision = Revision, ContentHash = ContentHash, Position = context.Position, ApprovedAt = context.At,
            SignedBy = [.. SignedBy], SignedHead = SignedHead,
        });
    }
}

/// <summary>An approver declines to sign the revision under review, saying why.</summary>
public sealed record RefuseSignOff(int Revision, string Reason) : IDraftCommand
{
    public DraftAction Action => DraftAction.SignOff;
    string? IDraftCommand.Reason => Reason;

    public Decision Decide(Draft draft, CommandContext context)
    {
        if (SignOffChecks.Refusal(draft, context, Revision, null) is { } refused) return refused;
        if (string.IsNullOrWhiteSpace(Reason)) return Problem.Invalid("reason", "Say why you do not sign.");
        if (SignOffRules.Valid(draft).Any(s => s.Approver == context.Actor.UserId))
            return Problem.Conflict($"You have signed revision {draft.Revision}; a signature stands until the content changes.");
        return Decision.Emit(new SignOffRefusalResult(draft.Revision),
            new SignOffRefused(context.Actor.UserId, draft.Edition, draft.Revision, Reason.Trim()));
    }
}

public sealed record SignOffRefused(string Approver, int Edition, int Revision, string Reason) : IDraftEvent
{
    public void ApplyTo(Draft draft, EventContext context) =>
        draft.SignOffRefusals.Add(new SignOffRefusal
        {
            Approver = Approver, Edition = Edition, Revision = Revision, Reason = Reason,
            At = context.At
        });
}

/// <summary>
/// Any accepted change after a sign-off voids it: the signature was on content that no longer exists.
/// Recorded as an event of its own, in the same command as the change.
/// </summary>
public sealed record SignOffDismissed(Guid SignOffId, string Approver, int SignedRevision, int DismissedByRevision, string Reason)
    : IDraftEvent
{
    public static IEnumerable<SignOffDismissed> For(Draft draft, int newRevision) =>
        Standing(draft, newRevision, s => $"Revision {newRevision} changed the content signed at revision {s.Revision}.");

    /// <summary>Returning a draft from Review to Drafting ends the review and every signature given in it.</summary>
    public static IEnumerable<SignOffDismissed> OnReturnToDrafting(Draft draft) =>
        Standing(draft, draft.Revision, _ =>
            $"The draft was returned to Drafting from Review at revision {draft.Revision}; signatures are given again in the next review.");

    private static IEnumerable<SignOffDismissed> Standing(Draft draft, int byRevision, Func<SignOffRecord, string> why) =>
        draft.SignOffs.Where(s => s.State == SignOffState.Valid && s.Edition == draft.Edition)
            .Select(s => new SignOffDismissed(s.Id, s.Approver, s.Revision, byRevision, why(s)));

    public void ApplyTo(Draft draft, EventContext context)
    {
        var record = draft.SignOffs.FirstOrDefault(s => s.Id == SignOffId);
        if (record is null) return;
        record.State = SignOffState.Dismissed;
        record.DismissedAt = context.At;
        record.DismissedByRevision = DismissedByRevision;
        record.DismissalReason = Reason;
    }
}

internal static class SignOffChecks
{
    public static Problem? Refusal(Draft draft, CommandContext context, int revision, string? contentHash)
    {
        if (draft.Status != DraftStatus.Review)
            return LifecycleRules.Refuse(draft, $"The draft is in {draft.Status}; revisions are signed off in Review.");
        if (draft.ApprovalPolicy is not { } policy)
            return LifecycleRules.Refuse(draft, "The draft has no approval policy yet; the editor names the approvers first.");
        if (!policy.Approvers.Contains(context.Actor.UserId))
            return Problem.Forbidden($"You are not one of this draft's named approvers ({string.Join(", ", policy.Approvers)}).");
        if (revision != draft.Revision || contentHash is not null && contentHash != ContentHash.Of(draft))
            return Problem.Conflict(
                $"The draft is at revision {draft.Revision}; what you reviewed (revision {revision}) is not what would be signed. Review the " +
                    "current revision.",
                new Dictionary<string, object?>
                {
                    ["currentRevision"] = draft.Revision, ["currentContentHash"] = ContentHash.Of(draft), ["draftStatus"] = draft.Status.ToString(),
                });
        return null;
    }

    /// <summary>
    /// The signed head a sign-off is made at must cover the event that states the content of the revision signed (docs/evidence.md
    /// §3.1), and cannot reach beyond the draft's position: otherwise what the head proves is not what is signed.
    /// </summary>
    public static Problem? HeadRefusal(Draft draft, SignedHeadStatement head)
    {
        var reached = draft.Revision < draft.RevisionPositions.Count ? draft.RevisionPositions[draft.Revision] : 0;
        var stated = draft.StatedContentRevision == draft.Revision ? Math.Max(reached, draft.StatedContentPosition) : reached;
        if (head.Size > draft.Position)
            return Problem.Conflict($"The signed head of size {head.Size} reaches beyond the draft's position {draft.Position}.");
        if (head.Size < stated)
            return Problem.Conflict(
                $"The signed head of size {head.Size} does not cover position {stated}, the event stating the content of revision " +
                    $"{draft.Revision}; sign again.",
                new Dictionary<string, object?> { ["headSize"] = head.Size, ["contentStatedAt"] = stated });
        return null;
    }
}

/// <summary>The answer to a sign-off: its id, the revision and content hash signed, and whether the draft is now approved.</summary>
public sealed record SignOffResult(Guid SignOffId, int Revision, string ContentHash, bool Approved);

public sealed record SignOffRefusalResult(int Revision);
