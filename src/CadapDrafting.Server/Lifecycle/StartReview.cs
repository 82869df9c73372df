using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;

namespace CadapDrafting.Lifecycle;

/// <summary>Freezes the content for sign-off; an open consultation round is closed first.</summary>
public sealed record StartReview(string? Reason = null) : IDraftCommand
{
    public DraftAction Action => DraftAction.ManageLifecycle;

    public Decision Decide(Draft draft, CommandContext context)
    {
        if (LifecycleRules.CheckTransition(draft, DraftStatus.Review, "start the review") is { } refused) return refused;
        return Decision.Emit(new LifecycleResult(DraftStatus.Review, draft.Revision),
            [.. LifecycleRules.ClosingTheOpenRound(draft), new ReviewStarted(draft.Revision)]);
    }
}

public sealed record ReviewStarted(int Revision) : IDraftEvent
{
    public void ApplyTo(Draft draft, EventContext context) => draft.Status = DraftStatus.Review;
}

/// <summary>
/// Takes a draft out of review to rework it (or to change its approval policy). Every signature of the
/// review is dismissed: signatures are collected under one policy in one review, never carried into the next.
/// </summary>
public sealed record ReturnToDrafting(string Reason) : IDraftCommand
{
    public DraftAction Action => DraftAction.ManageLifecycle;
    string? IDraftCommand.Reason => Reason;

    public Decision Decide(Draft draft, CommandContext context)
    {
        // Approved → Drafting is a new edition (StartNewRevision), never a silent reopening.
        if (draft.Status != DraftStatus.Review)
            return LifecycleRules.Refuse(draft, $"The draft is in {draft.Status}; only a draft in Review can be returned to Drafting.");
        if (string.IsNullOrWhiteSpace(Reason)) return Problem.Invalid("reason", "Say why the draft goes back to drafting.");
        return Decision.Emit(new LifecycleResult(DraftStatus.Drafting),
            [new ReturnedToDrafting(Reason.Trim()), .. SignOff.SignOffDismissed.OnReturnToDrafting(draft)]);
    }
}

public sealed record ReturnedToDrafting(string Reason) : IDraftEvent
{
    public void ApplyTo(Draft draft, EventContext context) => draft.Status = DraftStatus.Drafting;
}

/// <summary>Abandons a draft that is not approved. Final.</summary>
public sealed record WithdrawDraft(string Reason) : IDraftCommand
{
    public DraftAction Action => DraftAction.ManageLifecycle;
    string? IDraftCommand.Reason => Reason;

    public Decision Decide(Draft draft, CommandContext context)
    {
        if (LifecycleRules.CheckTransition(draft, DraftStatus.Withdrawn, "be withdrawn") is { } refused) return refused;
        if (string.IsNullOrWhiteSpace(Reason)) return Problem.Invalid("reason", "Say why the draft is withdrawn.");
        return Decision.Emit(new LifecycleResult(DraftStatus.Withdrawn),
            [.. LifecycleRules.ClosingTheOpenRound(draft), new DraftWithdrawn(Reason.Trim())]);
    }
}

public sealed record DraftWithdrawn(string Reason) : IDraftEvent
{
    public void ApplyTo(Draft draft, EventContext context)
    {
        draft.Status = DraftStatus.Withdrawn;
        draft.CurrentRoundIsPublic = false;
    }
}

/// <summary>
/// Starts the next edition of an approved draft: back to Drafting, the adopted revision kept in
/// <see cref="Draft.Adoptions"/> (and in the stream) as it was approved.
/// </summary>
public sealed record StartNewRevision(string Reason) : IDraftCommand
{
    public DraftAction Action => DraftAction.ManageLifecycle;
    string? IDraftCommand.Reason => Reason;

    public Decision Decide(Draft draft, CommandContext context)
    {
        if (draft.Status != DraftStatus.Approved)
            return LifecycleRules.Refuse(draft, $"The draft is in {draft.Status}; only an approved draft starts a new revision.");
        if (string.IsNullOrWhiteSpace(Reason)) return Problem.Invalid("reason", "Say why the approved text is revised.");
        return Decision.Emit(new NewEditionResult(draft.Edition + 1, draft.Revision),
            new NewEditionStarted(draft.Edition + 1, draft.Revision, Reason.Trim()));
    }
}

public sealed record NewEditionStarted(int Edition, int AdoptedRevision, string Reason) : IDraftEvent
{
    public void ApplyTo(Draft draft, EventContext context)
    {
        draft.Edition = Edition;
        draft.Status = DraftStatus.Drafting;
    }
}

/// <summary>The draft's status after a lifecycle step (and the revision under review when review starts).</summary>
public sealed record LifecycleResult(DraftStatus Status, int? Revision = null);

public sealed record NewEditionResult(int Edition, int AdoptedRevision);
