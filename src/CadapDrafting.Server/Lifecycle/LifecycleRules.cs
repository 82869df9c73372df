using CadapDrafting.Drafts;
using CadapDrafting.Infrastructure;

namespace CadapDrafting.Lifecycle;

/// <summary>
/// How a draft moves: Drafting → Consultation → Review → Approved, back to Drafting to rework it or as a
/// new edition of an approved text, and Withdrawn from anywhere but Approved. One table, so every refusal
/// names the current state and what can be done from it.
/// </summary>
public static class LifecycleRules
{
    /// <summary>Leaving consultation (for review, or withdrawn) closes its open round first.</summary>
    public static IEnumerable<IDraftEvent> ClosingTheOpenRound(Draft draft) =>
        draft.Status == DraftStatus.Consultation && draft.CurrentRound() is { } round ? [new Consultation.ConsultationRoundClosed(round.Number)] : [];

    public static readonly IReadOnlyDictionary<DraftStatus, DraftStatus[]> Transitions = new Dictionary<DraftStatus, DraftStatus[]>
    {
        [DraftStatus.Drafting] = [DraftStatus.Consultation, DraftStatus.Review, DraftStatus.Withdrawn],
        [DraftStatus.Consultation] = [DraftStatus.Drafting, DraftStatus.Review, DraftStatus.Withdrawn],
        [DraftStatus.Review] = [DraftStatus.Drafting, DraftStatus.Approved, DraftStatus.Withdrawn],
        [DraftStatus.Approved] = [DraftStatus.Drafting],
        [DraftStatus.Withdrawn] = [],
    };

    public static bool Allows(DraftStatus from, DraftStatus to) => Transitions[from].Contains(to);

    /// <summary>The 409 for a move the current state does not allow, or null when it does.</summary>
    public static Problem? CheckTransition(Draft draft, DraftStatus to, string action) =>
        Allows(draft.Status, to) ? null : Refuse(draft, $"The draft is in {draft.Status}; it cannot {action}.");

    /// <summary>Refuses a change to an approved or withdrawn draft: both are closed to any change.</summary>
    public static Problem? CheckOpenForChange(Draft draft, string action) =>
        draft.Status is DraftStatus.Approved or DraftStatus.Withdrawn
            ? Refuse(draft, $"The draft is {draft.Status}; you cannot {action}.")
            : null;

    public static Problem Refuse(Draft draft, string detail) =>
        Problem.Conflict($"{detail} {NextStep(draft.Status)}", new Dictionary<string, object?>
        {
            ["draftStatus"] = draft.Status.ToString(),
            ["allowedTransitions"] = Transitions[draft.Status].Select(s => s.ToString()).ToArray(),
            ["nextStep"] = NextStep(draft.Status),
        });

    public static string NextStep(DraftStatus status) => status switch
    {
        DraftStatus.Drafting => "From Drafting you can open a consultation round, start the review, or withdraw the draft.",
        DraftStatus.Consultation => "From Consultation you can close the round, start the review, or withdraw the draft.",
        DraftStatus.Review => "In Review the content is frozen: approvers sign off, or the editor returns it to Drafting or withdraws it.",
        DraftStatus.Approved => "An approved draft is immutable: start a new revision (POST .../lifecycle/new-revision) to change it.",
        DraftStatus.Withdrawn => "A withdrawn draft is final: create a new draft.",
        _ => "",
    };
}
