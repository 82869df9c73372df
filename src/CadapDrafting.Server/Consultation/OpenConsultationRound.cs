using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using CadapDrafting.Lifecycle;

namespace CadapDrafting.Consultation;

/// <summary>Shares the draft with EU experts (and CSOs, when public) for comment until the end date.</summary>
public sealed record OpenConsultationRound(DateTimeOffset EndsAt, bool IsPublic = false, string? Reason = null) : IDraftCommand
{
    public DraftAction Action => DraftAction.ManageLifecycle;

    public Decision Decide(Draft draft, CommandContext context)
    {
        if (LifecycleRules.CheckTransition(draft, DraftStatus.Consultation, "open a consultation round") is { } refused) return refused;
        if (EndsAt <= context.Now) return Problem.Invalid("endsAt", "The round must end in the future.");
        var number = draft.Rounds.Count + 1;
        return Decision.Emit(new RoundResult(number), new ConsultationRoundOpened(number, EndsAt, IsPublic));
    }
}

public sealed record ConsultationRoundOpened(int Number, DateTimeOffset EndsAt, bool IsPublic) : IDraftEvent
{
    public void ApplyTo(Draft draft, EventContext context)
    {
        draft.Rounds.Add(new ConsultationRound
        {
            Number = Number, IsPublic = IsPublic, EndsAt = EndsAt, OpenedAt = context.At, OpenedBy = context.Actor,
        });
        draft.Status = DraftStatus.Consultation;
        // Reviewers keep reading once shared; they write only while a round is open (see AccessPolicy).
        draft.SharedWithReviewers = true;
        if (IsPublic) draft.SharedWithPublic = true;
        draft.CurrentRoundIsPublic = IsPublic;
    }
}

/// <summary>Ends the open round; the draft returns to Drafting so the team can work the comments in.</summary>
public sealed record CloseConsultationRound(string? Reason = null) : IDraftCommand
{
    public DraftAction Action => DraftAction.ManageLifecycle;

    public Decision Decide(Draft draft, CommandContext context)
    {
        if (draft.Status != DraftStatus.Consultation || draft.CurrentRound() is not { } round)
            return LifecycleRules.Refuse(draft, $"The draft is in {draft.Status}; there is no open consultation round to close.");
        return Decision.Emit(new RoundResult(round.Number), new ConsultationRoundClosed(round.Number));
    }
}

public sealed record ConsultationRoundClosed(int Number) : IDraftEvent
{
    public void ApplyTo(Draft draft, EventContext context)
    {
        var round = draft.Rounds.First(r => r.Number == Number);
        round.ClosedAt = context.At;
        round.ClosedBy = context.Actor;
        draft.Status = DraftStatus.Drafting;
        draft.CurrentRoundIsPublic = false;
    }
}

/// <summary>The answer to opening or closing a consultation round: its number.</summary>
public sealed record RoundResult(int Round);
