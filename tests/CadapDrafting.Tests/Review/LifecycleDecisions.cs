using CadapDrafting.Comments;
using CadapDrafting.Consultation;
using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using CadapDrafting.Lifecycle;
using CadapDrafting.Proposals;
using CadapDrafting.SignOff;

namespace CadapDrafting.Tests.Review;

/// <summary>The lifecycle's decisions on a draft built from events in memory: no database, no HTTP.</summary>
public sealed class LifecycleDecisions
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Editor = new("kg-editor", "Editor", "KG", new HashSet<Role> { Role.Drafter, Role.Editor });
    private static readonly Actor Approver1 = new("kg-approver-1", "Approver 1", "KG", new HashSet<Role> { Role.Approver });
    private static readonly Actor Approver2 = new("kg-approver-2", "Approver 2", "KG", new HashSet<Role> { Role.Approver });
    private static readonly Actor Expert = new("eu-expert-1", "Expert", null, new HashSet<Role> { Role.EuExpert });

    private readonly Draft _draft = new();
    private Guid _action;

    public LifecycleDecisions()
    {
        Record(Editor, new DraftCreated(Guid.NewGuid(), "KG", DraftKind.ActionPlan, new() { ["en"] = "Plan" }, 2025, 2030, "ru", ["ru", "en", "ky"]));
        var proposal = Guid.NewGuid();
        _action = Guid.NewGuid();
        Record(Editor, new ProposalSubmitted(proposal, ProposalKind.Insert, _action, NodeKind.Action, null, null, 0, new(),
            new() { ["en"] = "Prevention in schools" }, null, "Structure"));
        Record(Editor, new ProposalAccepted(proposal, _action, ProposalKind.Insert, 1, 1, null));
    }

    [Fact]
    public void Opening_a_public_round_shares_the_draft_with_reviewers_and_the_public()
    {
        Apply(Editor, new OpenConsultationRound(Now.AddDays(30), IsPublic: true));

        Assert.Equal(DraftStatus.Consultation, _draft.Status);
        Assert.True(_draft.SharedWithReviewers && _draft.SharedWithPublic && _draft.CurrentRoundIsPublic);
        Assert.True(AccessPolicy.Allows(Expert, DraftAction.Comment, _draft));
    }

    [Fact]
    public void Starting_the_review_during_a_consultation_closes_the_round_first()
    {
        Apply(Editor, new OpenConsultationRound(Now.AddDays(30), IsPublic: true));

        var decision = Apply(Editor, new StartReview());

        Assert.Equal([typeof(ConsultationRoundClosed), typeof(ReviewStarted)], decision.Events.Select(e => e.GetType()));
        Assert.Equal(DraftStatus.Review, _draft.Status);
        Assert.False(_draft.CurrentRoundIsPublic);
        Assert.Equal(Now, _draft.Rounds.Single().ClosedAt);
        Assert.False(AccessPolicy.Allows(Expert, DraftAction.Comment, _draft));
        Assert.True(AccessPolicy.Allows(Expert, DraftAction.Read, _draft));
    }

    [Theory]
    [InlineData(DraftStatus.Review)]
    [InlineData(DraftStatus.Approved)]
    [InlineData(DraftStatus.Withdrawn)]
    public void A_round_opens_only_from_drafting_and_the_refusal_names_the_current_state(DraftStatus status)
    {
        _draft.Status = status;

        var decision = new OpenConsultationRound(Now.AddDays(30)).Decide(_draft, Context(Editor));

        Assert.Equal(409, decision.Refusal!.Status);
        Assert.Equal(status.ToString(), decision.Refusal.Extensions!["draftStatus"]);
        Assert.Contains(status.ToString(), decision.Refusal.Detail);
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void Review_is_frozen_for_proposals_but_open_for_comments()
    {
        Apply(Editor, new StartReview());

        var proposal = new SubmitProposal(ProposalKind.Amend, _action, 1, "Late idea", new() { ["en"] = "Prevention everywhere" })
            .Decide(_draft, Context(Editor));
        var comment = new StartThread("Is this final?", NodeId: _action).Decide(_draft, Context(Editor));

        Assert.Equal(409, proposal.Refusal!.Status);
        Assert.False(comment.IsRefused);
    }

    [Fact]
    public void The_signature_that_meets_the_policy_approves_the_draft_in_the_same_decision()
    {
        Apply(Editor, new SetApprovalPolicy(["kg-approver-1", "kg-approver-2", "kg-approver-3"], 2));
        Apply(Editor, new StartReview());
        var hash = ContentHash.Of(_draft);

        var first = Apply(Approver1, new SignRevision(1, hash));
        var second = Apply(Approver2, new SignRevision(1));

        Assert.Single(first.Events);
        Assert.Equal([typeof(RevisionSignedOff), typeof(DraftApproved)], second.Events.Select(e => e.GetType()));
        Assert.Equal(DraftStatus.Approved, _draft.Status);
        var adoption = _draft.Adoptions.Single();
        Assert.Equal((1, hash), (adoption.Revision, adoption.ContentHash));
        Assert.Equal(409, new SignRevision(1).Decide(_draft, Context(Approver1)).Refusal!.Status);
    }

    [Fact]
    public void A_sign_off_is_made_at_a_signed_head_covering_the_content_it_signs_and_records_it()
    {
        Apply(Editor, new SetApprovalPolicy(["kg-approver-1"], 1));
        Apply(Editor, new StartReview());
        var reached = _draft.RevisionPositions[1];
        CadapDrafting.Evidence.SignedHeadStatement Head(long size) =>
            new(size, new string('a', 64), "2026-03-01T09:00:00.000000Z", new string('b', 64), Convert.ToBase64String(new byte[64]));

        var uncovered = new SignRevision(1) { Head = Head(reached - 1) }.Decide(_draft, Context(Approver1));
        var beyond = new SignRevision(1) { Head = Head(_draft.Position + 1) }.Decide(_draft, Context(Approver1));

        Assert.Equal(409, uncovered.Refusal!.Status);
        Assert.Contains($"does not cover position {reached}", uncovered.Refusal.Detail);
        Assert.Equal(409, beyond.Refusal!.Status);
        var signed = Apply(Approver1, new SignRevision(1) { Head = Head(reached) });
        Assert.All(signed.Events, e => Assert.Equal(reached, e switch
        {
            RevisionSignedOff s => s.SignedHead!.Size,
            DraftApproved a => a.SignedHead!.Size,
            _ => -1,
        }));
        Assert.Equal(reached, _draft.SignOffs.Single().SignedHead!.Size);
        Assert.Equal(reached, _draft.Adoptions.Single().SignedHead!.Size);
    }

    [Fact]
    public void Sign_offs_and_approvals_recorded_before_they_named_a_head_replay_without_one()
    {
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var signed = JsonSerializer.Deserialize<RevisionSignedOff>(
            """{"signOffId":"6b0f3a52-9a1e-4c55-8d57-0c1f2e3d4a5b","approver":"kg-approver-1","edition":1,"revision":1,"contentHash":"sha256:00"}""",
            web)!;
        var approved = JsonSerializer.Deserialize<DraftApproved>(
            """{"edition":1,"revision":1,"contentHash":"sha256:00","signedBy":["kg-approver-1"]}""", web)!;

        Record(Approver1, signed);
        Record(Approver1, approved);

        Assert.Null(_draft.SignOffs.Single().SignedHead);
        Assert.Equal(("sha256:00", null), (_draft.Adoptions.Single().ContentHash, _draft.Adoptions.Single().SignedHead));
    }

    [Fact]
    public void Returning_to_drafting_dismisses_every_signature_in_the_same_decision()
    {
        Apply(Editor, new SetApprovalPolicy(["kg-approver-1", "kg-approver-2"], 2));
        Apply(Editor, new StartReview());
        Apply(Approver1, new SignRevision(1));

        var decision = Apply(Editor, new ReturnToDrafting("Fix the wording"));

        Assert.Equal([typeof(ReturnedToDrafting), typeof(SignOffDismissed)], decision.Events.Select(e => e.GetType()));
        var signOff = _draft.SignOffs.Single();
        Assert.Equal((SignOffState.Dismissed, 1), (signOff.State, signOff.DismissedByRevision));
        Assert.Empty(SignOffRules.Valid(_draft));
    }

    [Fact]
    public void The_approval_policy_is_frozen_in_review_and_setting_one_never_approves()
    {
        Apply(Editor, new SetApprovalPolicy(["kg-approver-1", "kg-approver-2"], 2));
        Apply(Editor, new StartReview());
        Apply(Approver1, new SignRevision(1));

        var refused = new SetApprovalPolicy(["kg-approver-1"], 1).Decide(_draft, Context(Editor));

        Assert.Equal(409, refused.Refusal!.Status);
        Assert.Equal("Review", refused.Refusal.Extensions!["draftStatus"]);
        Assert.Empty(refused.Events);
        Assert.Equal(DraftStatus.Review, _draft.Status);
    }

    [Fact]
    public void An_approved_draft_refuses_every_change_until_a_new_revision_is_started()
    {
        var open = Apply(Editor, new SubmitProposal(ProposalKind.Amend, _action, 1, "Wording", new() { ["en"] = "Prevention in all schools" }))
            .Events.OfType<ProposalSubmitted>().Single().ProposalId;
        Apply(Editor, new SetApprovalPolicy(["kg-approver-1"], 1));
        Apply(Editor, new StartReview());
        Apply(Approver1, new SignRevision(1));

        Assert.Equal(409, new WithdrawDraft("No longer needed").Decide(_draft, Context(Editor)).Refusal!.Status);
        Assert.Equal(409, new StartThread("Typo", NodeId: _action).Decide(_draft, Context(Editor)).Refusal!.Status);
        Assert.Equal(409, new ReturnToDrafting("Reopen").Decide(_draft, Context(Editor)).Refusal!.Status);
        Assert.Equal(409, new RejectProposal(open, "Too late").Decide(_draft, Context(Editor)).Refusal!.Status);
        Assert.Equal(409, new AcceptProposal(open).Decide(_draft, Context(Editor)).Refusal!.Status);

        Apply(Editor, new StartNewRevision("Mid-term review"));

        Assert.Equal((DraftStatus.Drafting, 2), (_draft.Status, _draft.Edition));
        Assert.Equal(1, _draft.Adoptions.Single().Revision);
        Assert.Empty(SignOffRules.Valid(_draft));
    }

    [Fact]
    public void Withdrawing_during_a_consultation_closes_the_round_and_is_final()
    {
        Apply(Editor, new OpenConsultationRound(Now.AddDays(10)));

        Apply(Editor, new WithdrawDraft("Replaced"));

        Assert.Equal(DraftStatus.Withdrawn, _draft.Status);
        Assert.False(_draft.Rounds.Single().IsOpen);
        foreach (var command in new IDraftCommand[] { new StartReview(), new OpenConsultationRound(Now.AddDays(1)), new StartNewRevision("x") })
            Assert.Equal(409, command.Decide(_draft, Context(Editor)).Refusal!.Status);
    }

    [Fact]
    public void A_reviewer_writing_after_the_round_s_end_date_is_refused()
    {
        Apply(Editor, new OpenConsultationRound(Now.AddDays(1)));

        var late = new StartThread("Late remark", NodeId: _action).Decide(_draft, Context(Expert, Now.AddDays(2)));
        var team = new StartThread("Our own note", NodeId: _action).Decide(_draft, Context(Editor, Now.AddDays(2)));

        Assert.Equal(409, late.Refusal!.Status);
        Assert.False(team.IsRefused);
    }

    [Fact]
    public void The_content_hash_follows_the_content_only()
    {
        var before = ContentHash.Of(_draft);
        Apply(Editor, new StartThread("A remark changes no content", NodeId: _action));
        Apply(Editor, new OpenConsultationRound(Now.AddDays(3)));
        Assert.Equal(before, ContentHash.Of(_draft));

        Apply(Editor, new SubmitProposal(ProposalKind.Amend, _action, 1, "Wording", new() { ["en"] = "Prevention in all schools" }, AcceptNow: true));
        Assert.NotEqual(before, ContentHash.Of(_draft));
    }

    private Decision Apply(Actor actor, IDraftCommand command)
    {
        Assert.Null(AccessPolicy.Check(actor, command.Action, _draft));
        var decision = command.Decide(_draft, Context(actor));
        Assert.False(decision.IsRefused, decision.Refusal?.Detail);
        foreach (var e in decision.Events) Record(actor, e);
        return decision;
    }

    private void Record(Actor actor, IDraftEvent e) => _draft.Record(e, new EventContext(_draft.Position + 1, actor.UserId, Now));

    private static CommandContext Context(Actor actor, DateTimeOffset? at = null) => new(actor, at ?? Now, Guid.NewGuid());
}
