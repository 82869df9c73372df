using CadapDrafting.Drafts;
using CadapDrafting.Programme;
using CadapDrafting.Proposals;

namespace CadapDrafting.Tests.Programme;

[Collection(ServerCollection.Name)]
public sealed class ExchangingGoodPractice(AppFixture app)
{
    [Fact]
    public async Task A_good_practice_citation_links_the_two_countries_drafts_both_ways()
    {
        var tajikEditor = await Person.SignIn(app, "tj-editor");
        var tajikPlan = await tajikEditor.CreatesDraft("TJ");
        var practice = await tajikEditor.InsertsAction(tajikPlan, new() { ["en"] = "Naloxone distributed to families of people who inject drugs" },
            ProgrammeVocabulary.Complete(Pillar.HarmReduction, "3.5"));
        await Expect.Status(await tajikEditor.MarksGoodPractice(tajikPlan, practice), HttpStatusCode.OK);

        var kyrgyzDrafter = await Person.SignIn(app, "kg-drafter");
        var kyrgyzPlan = await (await Person.SignIn(app, "kg-editor")).CreatesDraft("KG");
        var found = Assert.Single(await kyrgyzDrafter.SearchesGoodPractice("?q=naloxone&country=TJ&pillar=HarmReduction&sdg=3.5"),
            e => e.DraftId == tajikPlan);
        var response = await kyrgyzDrafter.ProposesAdaptation(kyrgyzPlan, found.DraftId, found.NodeId,
            "Naloxone for families, adapted from Tajikistan");
        await Expect.Status(response, HttpStatusCode.OK);
        var proposalId = (await Person.Accepted(response)).Result!.Value.GetProperty("proposalId").GetGuid();

        var proposal = (await kyrgyzDrafter.ReadsProposals(kyrgyzPlan)).Single(p => p.Id == proposalId);
        Assert.Equal((tajikPlan, practice, "TJ", "1"), (proposal.AdaptedFrom!.DraftId, proposal.AdaptedFrom.NodeId,
            proposal.AdaptedFrom.Country, proposal.AdaptedFrom.Number));
        Assert.Equal(proposalId, Assert.Single((await kyrgyzDrafter.ReadsGoodPractice(kyrgyzPlan)).AdaptedFrom).ProposalId);

        var cited = await Eventually.Until(() => tajikEditor.ReadsGoodPractice(tajikPlan), g => g.Offered[0].CitedBy.Count > 0);
        var link = Assert.Single(Assert.Single(cited.Offered).CitedBy);
        // The Tajik editor may not read the Kyrgyz draft: the citation names the country, never the draft, proposal or person.
        Assert.Equal(((Guid?)null, "KG", (Guid?)null, (string?)null), (link.DraftId, link.Country, link.ProposalId, link.CitedBy));
        var seenByCiter = Assert.Single(Assert.Single(await kyrgyzDrafter.SearchesGoodPractice("?country=TJ"), e => e.NodeId == practice).CitedBy);
        Assert.Equal((kyrgyzPlan, proposalId, "kg-drafter"), (seenByCiter.DraftId, seenByCiter.ProposalId, seenByCiter.CitedBy));
        var inLibrary = (await kyrgyzDrafter.SearchesGoodPractice("?country=TJ")).Single(e => e.NodeId == practice);
        Assert.Equal(proposalId, Assert.Single(inLibrary.CitedBy).ProposalId);
    }

    [Fact]
    public async Task A_marked_action_is_published_as_it_was_when_marked_and_later_private_edits_never_show()
    {
        var turkmenEditor = await Person.SignIn(app, "tm-editor");
        var plan = await turkmenEditor.CreatesDraft("TM", title: "Private plan with one shared practice");
        var practice = await turkmenEditor.InsertsAction(plan, new() { ["en"] = "Yearly publication of seizure statistics" },
            ProgrammeVocabulary.Complete(Pillar.CrossCutting, "16.10"));
        await Expect.Status(await turkmenEditor.MarksGoodPractice(plan, practice), HttpStatusCode.OK);
        await turkmenEditor.Amends(plan, practice, new() { ["en"] = "Seizure statistics withheld: internal channel only" },
            ProgrammeVocabulary.Complete(Pillar.SupplyReduction) with { Objective = "Internal objective" });

        var kyrgyzDrafter = await Person.SignIn(app, "kg-drafter");
        var entry = (await kyrgyzDrafter.SearchesGoodPractice("?country=TM")).Single(e => e.NodeId == practice);
        Assert.Equal("Yearly publication of seizure statistics", entry.Text["en"]);
        Assert.Equal(Pillar.CrossCutting, entry.Attributes!.Pillar);
        var kyrgyzPlan = await (await Person.SignIn(app, "kg-editor")).CreatesDraft("KG");
        var adaptation = await kyrgyzDrafter.ProposesAdaptation(kyrgyzPlan, plan, practice, "Publish seizure statistics yearly");
        await Expect.Status(adaptation, HttpStatusCode.OK);
        var cited = (await kyrgyzDrafter.ReadsProposals(kyrgyzPlan)).Single(p => p.AdaptedFrom is not null).AdaptedFrom!;
        Assert.Equal("Yearly publication of seizure statistics", cited.Text!["en"]);
        var library = JsonSerializer.Serialize(await kyrgyzDrafter.SearchesGoodPractice(), Person.Json);
        Assert.DoesNotContain("withheld", library);
        Assert.DoesNotContain("Internal objective", library);

        // Marking again publishes the action as it is now.
        await Expect.Status(await turkmenEditor.MarksGoodPractice(plan, practice, "Reviewed again"), HttpStatusCode.OK);
        var remarked = (await kyrgyzDrafter.SearchesGoodPractice("?country=TM")).Single(e => e.NodeId == practice);
        Assert.Equal("Seizure statistics withheld: internal channel only", remarked.Text["en"]);
        Assert.Equal("Reviewed again", remarked.Reason);
    }

    [Fact]
    public async Task Citing_an_action_that_is_not_good_practice_is_refused_and_changes_nothing()
    {
        var uzbekEditor = await Person.SignIn(app, "uz-editor");
        var uzbekPlan = await uzbekEditor.CreatesDraft("UZ");
        var ordinary = await uzbekEditor.InsertsAction(uzbekPlan, new() { ["en"] = "Annual narcology research conference" });
        var marked = await uzbekEditor.InsertsAction(uzbekPlan, new() { ["en"] = "Evidence-based family prevention" });
        await Expect.Status(await uzbekEditor.MarksGoodPractice(uzbekPlan, marked), HttpStatusCode.OK);
        await Expect.Status(await uzbekEditor.UnmarksGoodPractice(uzbekPlan, marked), HttpStatusCode.OK);
        var kazakhEditor = await Person.SignIn(app, "kz-editor");
        var kazakhPlan = await kazakhEditor.CreatesDraft("KZ");
        var before = await kazakhEditor.Reads(kazakhPlan);

        foreach (var node in new[] { ordinary, marked })
        {
            var refused = await Expect.Problem(await kazakhEditor.ProposesAdaptation(kazakhPlan, uzbekPlan, node, "Copied"),
                HttpStatusCode.UnprocessableEntity);
            Assert.True(refused.GetProperty("errors").TryGetProperty("adaptedFrom", out _));
        }

        Assert.Equal(before.Position, (await kazakhEditor.Reads(kazakhPlan)).Position);
        Assert.DoesNotContain(await kazakhEditor.SearchesGoodPractice(), e => e.DraftId == uzbekPlan);
        await Expect.Problem(await uzbekEditor.MarksGoodPractice(uzbekPlan, Guid.NewGuid()), HttpStatusCode.NotFound);
        await Expect.Problem(await (await Person.SignIn(app, "uz-drafter")).MarksGoodPractice(uzbekPlan, ordinary), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Outsiders_see_of_a_private_draft_only_its_marked_action_in_the_library_and_nothing_in_the_comparison()
    {
        var turkmenEditor = await Person.SignIn(app, "tm-editor");
        var privatePlan = await turkmenEditor.CreatesDraft("TM", title: "Private framework");
        var chapter = await turkmenEditor.Inserts(privatePlan, NodeKind.Chapter, "Supply reduction");
        var unmarked = await turkmenEditor.InsertsAction(privatePlan, new() { ["en"] = "Confidential operational measure" },
            ProgrammeVocabulary.Complete(Pillar.SupplyReduction), chapter);
        var practice = await turkmenEditor.InsertsAction(privatePlan, new() { ["en"] = "Yearly publication of seizure statistics" },
            ProgrammeVocabulary.Complete(Pillar.CrossCutting, "16.10"), chapter);
        await Expect.Status(await turkmenEditor.MarksGoodPractice(privatePlan, practice), HttpStatusCode.OK);
        await turkmenEditor.ProposesText(privatePlan, unmarked, 1, "Still confidential");

        foreach (var outsider in new[] { await Person.SignIn(app, "kg-drafter"), await Person.SignIn(app, "eu-expert-1") })
        {
            Assert.DoesNotContain((await outsider.ReadsComparison()).Drafts, d => d.DraftId == privatePlan);
            await Expect.Problem(await outsider.Http.GetAsync($"/api/drafts/{privatePlan}"), HttpStatusCode.NotFound);
            await Expect.Problem(await outsider.Http.GetAsync($"/api/drafts/{privatePlan}/good-practice"), HttpStatusCode.NotFound);

            var raw = await outsider.Http.GetStringAsync($"/api/good-practice?country=TM");
            Assert.Contains("Yearly publication of seizure statistics", raw);
            Assert.DoesNotContain("Confidential", raw);
            Assert.DoesNotContain("Still confidential", raw);
            var entry = Assert.Single(await outsider.SearchesGoodPractice("?country=TM"), e => e.DraftId == privatePlan);
            Assert.Equal((practice, "1"), (entry.NodeId, entry.Number)); // inserted last, at the top of the chapter
        }

        var own = (await turkmenEditor.ReadsComparison()).Drafts.Single(d => d.DraftId == privatePlan);
        Assert.Equal((2, 1), (own.Actions, own.GoodPractices));
        Assert.Equal(1, own.SdgTargets["16.10"]);
        await Expect.Problem(await (await Person.SignIn(app, "cso-1")).Http.GetAsync("/api/good-practice"), HttpStatusCode.Forbidden);
    }
}
