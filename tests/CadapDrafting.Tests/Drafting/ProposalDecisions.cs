using CadapDrafting.Drafts;
using CadapDrafting.Proposals;

namespace CadapDrafting.Tests.Drafting;

/// <summary>The decision functions on their own: state + command → events or a refusal, no database.</summary>
public sealed class ProposalDecisions
{
    [Fact]
    public void A_direct_edit_is_a_proposal_accepted_in_the_same_command()
    {
        var plan = DraftInMemory.Created();
        var decision = plan.Run(new SubmitProposal(ProposalKind.Insert, null, null, "Needed", new() { ["en"] = "Prevention" },
            NodeKind: NodeKind.Chapter, AcceptNow: true));

        Assert.Collection(decision.Events,
            e => Assert.IsType<ProposalSubmitted>(e),
            e => Assert.Equal(1, Assert.IsType<ProposalAccepted>(e).Revision));
        Assert.Equal(1, plan.Draft.Revision);
    }

    [Fact]
    public void A_drafter_cannot_edit_directly()
    {
        var plan = DraftInMemory.Created();
        var decision = plan.Run(new SubmitProposal(ProposalKind.Insert, null, null, "Needed", new() { ["en"] = "Prevention" },
            NodeKind: NodeKind.Chapter, AcceptNow: true), DraftInMemory.Drafter());

        Assert.Equal(403, decision.Refusal?.Status);
        Assert.Empty(plan.Draft.Nodes);
    }

    [Fact]
    public void Accepting_against_a_moved_on_node_is_a_conflict_not_a_merge()
    {
        var plan = DraftInMemory.Created();
        var action = plan.Insert(NodeKind.Action, "Treatment in every region");
        var first = plan.Run(new SubmitProposal(ProposalKind.Amend, action, 1, "a", new() { ["en"] = "Voluntary treatment in every region" }));
        var second = plan.Run(new SubmitProposal(ProposalKind.Amend, action, 1, "b", new() { ["en"] = "Treatment in every district" }));
        plan.Run(new AcceptProposal(Id(first)));

        var refused = plan.Run(new AcceptProposal(Id(second)));

        Assert.Equal(409, refused.Refusal?.Status);
        Assert.Equal(2, refused.Refusal!.Extensions!["currentRevision"]);
        Assert.Equal("Voluntary treatment in every region", plan.Draft.Nodes[action].Text["en"]);
        Assert.NotNull(plan.Draft.Proposals[Id(second)].StaleReason(plan.Draft));
    }

    [Fact]
    public void Moving_a_node_does_not_make_proposals_on_its_text_stale()
    {
        var plan = DraftInMemory.Created();
        var chapterA = plan.Insert(NodeKind.Chapter, "Demand");
        var chapterB = plan.Insert(NodeKind.Chapter, "Supply", after: chapterA);
        var action = plan.Insert(NodeKind.Action, "Border training", chapterA);
        var wording = plan.Run(new SubmitProposal(ProposalKind.Amend, action, 1, "wording", new() { ["en"] = "Border officer training" }));

        var move = plan.Run(new SubmitProposal(ProposalKind.Move, action, null, "belongs to supply", ParentId: chapterB, AcceptNow: true));

        Assert.Null(move.Refusal);
        Assert.Equal(chapterB, plan.Draft.Nodes[action].ParentId);
        Assert.Null(plan.Draft.Proposals[Id(wording)].StaleReason(plan.Draft));
        Assert.Null(plan.Run(new AcceptProposal(Id(wording))).Refusal);
    }

    [Fact]
    public void A_node_cannot_move_into_its_own_children()
    {
        var plan = DraftInMemory.Created(kind: DraftKind.Law);
        var article = plan.Insert(NodeKind.Article, "Article");
        var point = plan.Insert(NodeKind.Point, "Point", article);
        var inner = plan.Insert(NodeKind.Point, "Inner point", point);

        var decision = plan.Run(new SubmitProposal(ProposalKind.Move, point, null, "loop", ParentId: inner, AcceptNow: true));

        Assert.Equal(422, decision.Refusal?.Status);
        Assert.Contains("parentId", decision.Refusal!.Errors!.Keys);
    }

    [Fact]
    public void Structure_rules_keep_points_under_articles_and_actions()
    {
        var plan = DraftInMemory.Created();
        var decision = plan.Run(new SubmitProposal(ProposalKind.Insert, null, null, "x", new() { ["en"] = "Loose point" },
            NodeKind: NodeKind.Point, AcceptNow: true));

        Assert.Equal(422, decision.Refusal?.Status);
        Assert.Contains("parentId", decision.Refusal!.Errors!.Keys);
    }

    [Fact]
    public void Only_actions_carry_action_attributes_and_they_are_validated()
    {
        var plan = DraftInMemory.Created();
        var chapter = plan.Insert(NodeKind.Chapter, "Demand");
        var onChapter = plan.Run(new SubmitProposal(ProposalKind.Amend, chapter, 1, "x",
            Attributes: AttributePatch.Whole(new ActionAttributes { Pillar = Pillar.Prevention })));
        Assert.Contains("attributes", onChapter.Refusal!.Errors!.Keys);

        var action = plan.Insert(NodeKind.Action, "Prevention", chapter);
        var badCurrency = plan.Run(new SubmitProposal(ProposalKind.Amend, action, 1, "x",
            Attributes: AttributePatch.Whole(new ActionAttributes { Budget = new Budget(100, "som") })));
        Assert.Contains("attributes.budget.currency", badCurrency.Refusal!.Errors!.Keys);
    }

    [Fact]
    public void Only_the_author_withdraws_and_a_decided_proposal_stays_decided()
    {
        var plan = DraftInMemory.Created();
        var action = plan.Insert(NodeKind.Action, "Outreach");
        var proposal = Id(plan.Run(new SubmitProposal(ProposalKind.Amend, action, 1, "a", new() { ["en"] = "Mobile outreach" }),
            DraftInMemory.Drafter()));

        Assert.Equal(403, plan.Run(new WithdrawProposal(proposal)).Refusal?.Status);
        Assert.Null(plan.Run(new WithdrawProposal(proposal), DraftInMemory.Drafter()).Refusal);
        Assert.Equal(409, plan.Run(new AcceptProposal(proposal)).Refusal?.Status);
        Assert.Equal(ProposalStatus.Withdrawn, plan.Draft.Proposals[proposal].Status);
    }

    [Fact]
    public void Numbers_follow_position_articles_run_through_the_document_and_points_nest()
    {
        var law = DraftInMemory.Created(kind: DraftKind.Law);
        var chapter1 = law.Insert(NodeKind.Chapter, "General");
        var chapter2 = law.Insert(NodeKind.Chapter, "Health", after: chapter1);
        var article1 = law.Insert(NodeKind.Article, "Scope", chapter1);
        var article2 = law.Insert(NodeKind.Article, "Access to care", chapter2);
        var point = law.Insert(NodeKind.Point, "Naloxone", article2);

        var numbers = Numbering.Of(law.Draft);

        Assert.Equal(["1", "2", "1", "2", "2.1"], new[] { chapter1, chapter2, article1, article2, point }.Select(id => numbers[id]));
    }

    private static Guid Id(Infrastructure.Decision decision) => decision.Events.OfType<ProposalSubmitted>().Single().ProposalId;
}
