using CadapDrafting.Drafts;
using CadapDrafting.Programme;

namespace CadapDrafting.Tests.Programme;

[Collection(ServerCollection.Name)]
public sealed class SeeingTheProgrammeWhileDrafting(AppFixture app)
{
    [Fact]
    public async Task Adding_a_supply_reduction_action_shifts_the_balance_between_supply_and_demand_reduction()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var draft = await editor.CreatesDraft("KG");
        await editor.InsertsAction(draft, new() { ["en"] = "Prevention programmes in schools" },
            ProgrammeVocabulary.Complete(Pillar.Prevention, "3.5"));
        await editor.InsertsAction(draft, new() { ["en"] = "Opioid agonist therapy in every region" },
            ProgrammeVocabulary.Complete(Pillar.Treatment, "3.5"));
        var before = await editor.ReadsProgramme(draft);
        Assert.Equal((2, 0), (Group(before, ProgrammeViews.DemandReduction).Count, Group(before, ProgrammeViews.SupplyReduction).Count));
        Assert.Equal(0, before.Balance.SupplyPerDemandAction);

        await editor.InsertsAction(draft, new() { ["en"] = "Joint border patrols against precursor trafficking" },
            ProgrammeVocabulary.Complete(Pillar.SupplyReduction, "16.4"));

        var after = await editor.ReadsProgramme(draft);
        Assert.Equal(3, after.Balance.Actions);
        Assert.Equal(1, Group(after, ProgrammeViews.SupplyReduction).Count);
        Assert.Equal(0.3333, Group(after, ProgrammeViews.SupplyReduction).Share);
        Assert.Equal(0.6667, Group(after, ProgrammeViews.DemandReduction).Share);
        Assert.Equal(0.5, after.Balance.SupplyPerDemandAction);
        Assert.Equal(["3.5", "16.4"], after.Coverage.SdgTargets.Select(c => c.Key));
        Assert.Equal(before.Position + 2, after.Position); // proposal submitted and accepted
    }

    [Fact]
    public async Task An_action_without_measurable_indicators_is_on_the_quality_list_until_it_is_completed()
    {
        var editor = await Person.SignIn(app, "tj-editor");
        var draft = await editor.CreatesDraft("TJ");
        var complete = await editor.InsertsAction(draft, new() { ["en"] = "Needle and syringe programmes" },
            ProgrammeVocabulary.Complete(Pillar.HarmReduction));
        var vague = await editor.InsertsAction(draft, new() { ["en"] = "Improve drug situation monitoring" }, new ActionAttributes
        {
            Pillar = Pillar.CrossCutting,
            Indicators = [new Indicator("Seizure data published", Target: "Every year")],
        });

        var listed = Assert.Single((await editor.ReadsProgramme(draft)).Quality);
        Assert.Equal(vague, listed.NodeId);
        Assert.Equal(["measurableIndicator", "responsibleBodies", "timeline", "budget"], listed.Missing.Select(m => m.Field));
        Assert.Contains("'Seizure data published' lacks a baseline, a data source, yearly data",
            listed.Missing.Single(m => m.Field == "measurableIndicator").Detail);
        Assert.DoesNotContain((await editor.ReadsProgramme(draft)).Quality, q => q.NodeId == complete);

        await editor.Amends(draft, vague, attributes: ProgrammeVocabulary.Complete(Pillar.CrossCutting) with
        {
            Indicators = [new Indicator("Seizure data published", "Not published (2024)", "Published every year", "Drug Control Agency", true)],
        });

        Assert.Empty((await editor.ReadsProgramme(draft)).Quality);
    }

    [Fact]
    public async Task Responses_to_recreational_and_problematic_use_and_the_rights_markers_are_counted()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var draft = await editor.CreatesDraft("KZ");
        await editor.InsertsAction(draft, new() { ["en"] = "Night-life risk reduction" },
            ProgrammeVocabulary.Complete(Pillar.HarmReduction) with { UseResponse = UseResponse.Recreational, GenderMarker = true });
        await editor.InsertsAction(draft, new() { ["en"] = "Access to opioid agonist therapy in prisons" },
            ProgrammeVocabulary.Complete(Pillar.Treatment) with
            {
                UseResponse = UseResponse.Problematic,
                HumanRightsMarker = true,
                GenderMarker = true
            });
        await editor.InsertsAction(draft, new() { ["en"] = "Customs training" }, ProgrammeVocabulary.Complete(Pillar.SupplyReduction));

        var view = await editor.ReadsProgramme(draft);

        Assert.Equal((1, 1, 0, 1), (view.Responses.Recreational, view.Responses.Problematic, view.Responses.Both, view.Responses.Untagged));
        Assert.Equal(["1"], view.Responses.ActionNumbers["Untagged"]); // inserted last, at the top
        Assert.Equal((1, 2, 1), (view.Markers.HumanRights.Count, view.Markers.Gender.Count, view.Markers.Neither.Count));
        Assert.Equal(0.6667, view.Markers.Gender.Share);
    }

    [Fact]
    public async Task Nobody_outside_the_country_sees_a_private_drafts_programme_view()
    {
        var editor = await Person.SignIn(app, "uz-editor");
        var outsider = await Person.SignIn(app, "kg-editor");
        var draft = await editor.CreatesDraft("UZ");

        var response = await outsider.Http.GetAsync($"/api/drafts/{draft}/programme");

        await Expect.Problem(response, HttpStatusCode.NotFound);
    }

    private static Portion Group(ProgrammeView view, string name) => view.Balance.Groups.Single(g => g.Name == name);
}
