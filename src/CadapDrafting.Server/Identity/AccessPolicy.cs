using CadapDrafting.Drafts;

namespace CadapDrafting.Identity;

/// <summary>What someone wants to do with a draft; every endpoint and hub method names one.</summary>
public enum DraftAction
{
    Read,
    Create,
    Propose,
    DecideProposal,
    Comment,
    DisposeComment,
    ManageLifecycle,
    SignOff,
    /// <summary>Take the draft's whole record (every event, internal comments included) as an evidence bundle.</summary>
    ExportEvidence,
    /// <summary>Search the cross-country library of actions marked as good practice (not about one draft).</summary>
    BrowseGoodPractice,
    /// <summary>
    /// See how the servers and the cross-draft audit index are doing (global event sequence, lag, nodes): figures that
    /// reveal activity in every country, so not about one draft and not for everyone.
    /// </summary>
    ReadOperations,
}

/// <summary>Where a role's permission reaches.</summary>
public enum Reach
{
    Nowhere,
    /// <summary>Drafts of the actor's own country.</summary>
    OwnCountry,
    /// <summary>Drafts that have been shared with reviewers (read) or are in consultation now (write).</summary>
    SharedForConsultation,
    /// <summary>Drafts that have been opened to the public (read) or are in public consultation now (write).</summary>
    PublicConsultation,
    /// <summary>Every draft of every country.</summary>
    Everywhere,
}

/// <summary>
/// Who may do what, as one table. Deny by default: a role/action pair missing here reaches nowhere.
/// The authorisation tests are generated from <see cref="Table"/>.
/// </summary>
public static class AccessPolicy
{
    public static readonly IReadOnlyDictionary<(Role Role, DraftAction Action), Reach> Table =
        new Dictionary<(Role, DraftAction), Reach>
        {
            [(Role.Drafter, DraftAction.Read)] = Reach.OwnCountry,
            [(Role.Drafter, DraftAction.Create)] = Reach.OwnCountry,
            [(Role.Drafter, DraftAction.Propose)] = Reach.OwnCountry,
            [(Role.Drafter, DraftAction.Comment)] = Reach.OwnCountry,

            [(Role.Editor, DraftAction.Read)] = Reach.OwnCountry,
            [(Role.Editor, DraftAction.Create)] = Reach.OwnCountry,
            [(Role.Editor, DraftAction.Propose)] = Reach.OwnCountry,
            [(Role.Editor, DraftAction.DecideProposal)] = Reach.OwnCountry,
            [(Role.Editor, DraftAction.Comment)] = Reach.OwnCountry,
            [(Role.Editor, DraftAction.DisposeComment)] = Reach.OwnCountry,
            [(Role.Editor, DraftAction.ManageLifecycle)] = Reach.OwnCountry,

            [(Role.Approver, DraftAction.Read)] = Reach.OwnCountry,
            [(Role.Approver, DraftAction.SignOff)] = Reach.OwnCountry,
            // Approvers are asked questions (@mentioned) and answer them, in Review too; they never propose.
            [(Role.Approver, DraftAction.Comment)] = Reach.OwnCountry,

            [(Role.EuExpert, DraftAction.Read)] = Reach.SharedForConsultation,
            [(Role.EuExpert, DraftAction.Propose)] = Reach.SharedForConsultation,
            [(Role.EuExpert, DraftAction.Comment)] = Reach.SharedForConsultation,

            [(Role.Cso, DraftAction.Read)] = Reach.PublicConsultation,
            [(Role.Cso, DraftAction.Comment)] = Reach.PublicConsultation,

            [(Role.Auditor, DraftAction.Read)] = Reach.Everywhere,

            // The evidence bundle holds every event, internal discussion included: the country's people and auditors.
            [(Role.Drafter, DraftAction.ExportEvidence)] = Reach.OwnCountry,
            [(Role.Editor, DraftAction.ExportEvidence)] = Reach.OwnCountry,
            [(Role.Approver, DraftAction.ExportEvidence)] = Reach.OwnCountry,
            [(Role.Auditor, DraftAction.ExportEvidence)] = Reach.Everywhere,

            // Good practice is there to be shared between countries: drafting teams and reviewers of any country.
            [(Role.Drafter, DraftAction.BrowseGoodPractice)] = Reach.Everywhere,
            [(Role.Editor, DraftAction.BrowseGoodPractice)] = Reach.Everywhere,
            [(Role.EuExpert, DraftAction.BrowseGoodPractice)] = Reach.Everywhere,
            [(Role.Auditor, DraftAction.BrowseGoodPractice)] = Reach.Everywhere,

            // Operations status: the people who run the servers and the auditors who check them.
            [(Role.Operator, DraftAction.ReadOperations)] = Reach.Everywhere,
            [(Role.Auditor, DraftAction.ReadOperations)] = Reach.Everywhere,
        };

    public static Reach ReachOf(Role role, DraftAction action) =>
        Table.TryGetValue((role, action), out var reach) ? reach : Reach.Nowhere;

    /// <summary>The facts about a draft the policy looks at.</summary>
    public sealed record DraftScope(string Country, bool SharedWithReviewers, bool SharedWithPublic,
        bool InConsultation, bool InPublicConsultation)
    {
        public static DraftScope Of(Draft draft) => new(draft.Country, draft.SharedWithReviewers, draft.SharedWithPublic,
            draft.Status == DraftStatus.Consultation, draft.Status == DraftStatus.Consultation && draft.CurrentRoundIsPublic);
    }

    public static bool Allows(Actor actor, DraftAction action, DraftScope draft) =>
        actor.Roles.Any(role => Reaches(ReachOf(role, action), action, actor, draft));

    public static bool Allows(Actor actor, DraftAction action, Draft draft) => Allows(actor, action, DraftScope.Of(draft));

    private static bool Reaches(Reach reach, DraftAction action, Actor actor, DraftScope draft) => reach switch
    {
        Reach.Everywhere => true,
        Reach.OwnCountry => actor.Country is not null && string.Equals(actor.Country, draft.Country, StringComparison.OrdinalIgnoreCase),
        // Reading stays possible once shared; writing only while the consultation is open.
        Reach.SharedForConsultation => action == DraftAction.Read ? draft.SharedWithReviewers : draft.InConsultation,
        Reach.PublicConsultation => action == DraftAction.Read ? draft.SharedWithPublic : draft.InPublicConsultation,
        _ => false,
    };

    /// <summary>
    /// The refusal for an actor who may not act: someone who may not even read the draft learns
    /// nothing of its existence (404); someone who may read it is told why not (403).
    /// </summary>
    public static Infrastructure.Problem? Check(Actor actor, DraftAction action, Draft draft)
    {
        if (!Allows(actor, DraftAction.Read, draft)) return Infrastructure.Problem.NotFound("The draft");
        if (Allows(actor, action, draft)) return null;
        return Infrastructure.Problem.Forbidden(
            $"Your role{(actor.Roles.Count == 1 ? "" : "s")} ({string.Join(", ", actor.Roles)}) may not {Describe(action)} on this draft" +
            $" ({draft.Country}, {draft.Status}).");
    }

    private static string Describe(DraftAction action) => action switch
    {
        DraftAction.Read => "read",
        DraftAction.Create => "create drafts",
        DraftAction.Propose => "propose changes",
        DraftAction.DecideProposal => "accept or reject proposals",
        DraftAction.Comment => "comment",
        DraftAction.DisposeComment => "record comment dispositions",
        DraftAction.ManageLifecycle => "change the draft's lifecycle",
        DraftAction.SignOff => "sign off",
        DraftAction.BrowseGoodPractice => "browse the good-practice library",
        DraftAction.ExportEvidence => "export the evidence bundle",
        DraftAction.ReadOperations => "read the operations status",
        _ => action.ToString(),
    };
}
