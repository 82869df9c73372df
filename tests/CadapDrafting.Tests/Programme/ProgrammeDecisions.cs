using CadapDrafting.Drafts;
using CadapDrafting.Programme;
using CadapDrafting.Proposals;

namespace CadapDrafting.Tests.Programme;

/// <summary>The programme's rules decided on drafts in memory.</summary>
public sealed class ProgrammeDecisions
{
    [Fact]
    public void A_translation_written_together_with_the_changed_source_text_stays_current()
    {
        var plan = DraftInMemory.Created("KG");
        var action = plan.Insert(NodeKind.Action, "Outreach");
        plan.Run(new SubmitProposal(ProposalKind.Amend, action, 1, "both", new() { ["ru"] = "Аутрич", ["ky"] = "Аутрич иштери" }, AcceptNow: true));
        plan.Run(new SubmitProposal(ProposalKind.Amend, action, 2, "source and English",
            new() { ["ru"] = "Аутрич в регионах", ["en"] = "Outreach in the regions" }, AcceptNow: true));

        var node = plan.Draft.Nodes[action];
        Assert.Equal(2, node.SourceTextRevision);
        Assert.Equal(TranslationState.UpToDate, Translations.StateOf(node, "en", "ru"));
        Assert.Equal(TranslationState.Stale, Translations.StateOf(node, "ky", "ru"));
    }

    [Fact]
    public void Rewriting_the_source_text_with_the_same_words_makes_nothing_stale()
    {
        var plan = DraftInMemory.Created("TJ");
        var action = plan.Insert(NodeKind.Action, "Treatment");
        plan.Run(new SubmitProposal(ProposalKind.Amend, action, 1, "source", new() { ["ru"] = "Лечение", ["en"] = "Treatment" }, AcceptNow: true));
        plan.Run(new SubmitProposal(ProposalKind.Amend, action, 2, "same again", new() { ["ru"] = "Лечение", ["tg"] = "Табобат" }, AcceptNow: true));
        plan.Run(new SubmitProposal(ProposalKind.Amend, action, 3, "same", new() { ["ru"] = "Лечение" }, AcceptNow: true));

        Assert.All(new[] { "en", "tg" }, l => Assert.NotEqual(TranslationState.Stale, Translations.StateOf(plan.Draft.Nodes[action], l, "ru")));
    }

    [Fact]
    public void Only_actions_are_good_practice_and_marking_again_replaces_the_published_snapshot()
    {
        var plan = DraftInMemory.Created("UZ");
        var chapter = plan.Insert(NodeKind.Chapter, "Prevention");
        var action = plan.Insert(NodeKind.Action, "Family skills programme", chapter);

        Assert.Equal(422, plan.Run(new MarkGoodPractice(chapter, "Good")).Refusal?.Status);
        Assert.Equal(422, plan.Run(new MarkGoodPractice(action, " ")).Refusal?.Status);
        Assert.Null(plan.Run(new MarkGoodPractice(action, "Evaluated in three regions")).Refusal);
        Assert.Null(plan.Run(new MarkGoodPractice(action, "Again, after the evaluation")).Refusal);
        Assert.Equal(403, plan.Run(new MarkGoodPractice(action, "Drafters do not decide"), DraftInMemory.Drafter("UZ")).Refusal?.Status);
        Assert.Equal("Again, after the evaluation", Assert.Single(GoodPracticeLibrary.EntriesOf(plan.Draft, readsDraft: true)).Reason);
    }

    [Fact]
    public void A_recorded_citation_is_recorded_once_however_often_it_is_delivered()
    {
        var plan = DraftInMemory.Created("KZ");
        var action = plan.Insert(NodeKind.Action, "Take-home naloxone");
        var citing = Guid.NewGuid();
        var proposal = Guid.NewGuid();
        var record = new RecordGoodPracticeCitation(action, citing, "KG", proposal, "kg-drafter", DraftInMemory.Now);

        var first = record.Decide(plan.Draft, new(GoodPracticeCitedHandler.Library, DraftInMemory.Now, Guid.NewGuid()));
        plan.Run(record, GoodPracticeCitedHandler.Library);
        var second = record.Decide(plan.Draft, new(GoodPracticeCitedHandler.Library, DraftInMemory.Now, Guid.NewGuid()));

        Assert.Single(first.Events);
        Assert.Empty(second.Events);
        Assert.Single(plan.Draft.GoodPracticeCitations);
    }

    [Fact]
    public void A_citation_of_the_drafts_own_action_or_one_not_looked_up_is_refused()
    {
        var plan = DraftInMemory.Created("KG");
        var own = new CitedGoodPractice(plan.Draft.Id, Guid.NewGuid(), "KG", "1", new() { ["en"] = "x" });
        var unresolved = new CitedGoodPractice(Guid.NewGuid(), Guid.NewGuid());

        foreach (var cited in new[] { own, unresolved })
        {
            var decision = plan.Run(new SubmitProposal(ProposalKind.Insert, null, null, "adapted", new() { ["en"] = "Adapted action" },
                NodeKind: NodeKind.Action, AdaptedFrom: cited));
            Assert.Equal(422, decision.Refusal?.Status);
        }
    }
}
