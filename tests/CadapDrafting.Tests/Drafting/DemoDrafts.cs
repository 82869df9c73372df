using CadapDrafting.Drafts;
using CadapDrafting.Seeding;
using Microsoft.Extensions.DependencyInjection;

namespace CadapDrafting.Tests.Drafting;

[Collection(ServerCollection.Name)]
public sealed class DemoDrafts(AppFixture app)
{
    [Fact]
    public async Task The_five_countries_demo_drafts_load_through_commands_once_and_are_readable()
    {
        var seeder = app.Host.Services.GetRequiredService<DemoSeeder>();
        var ids = await seeder.SeedAsync(CancellationToken.None);
        var auditor = await Person.SignIn(app, "auditor");
        var before = await Task.WhenAll(ids.Select(auditor.Reads));

        var again = await seeder.SeedAsync(CancellationToken.None);

        Assert.Equal(ids, again);
        var after = await Task.WhenAll(ids.Select(auditor.Reads));
        Assert.Equal(before.Select(d => d.Position), after.Select(d => d.Position));
        Assert.Equal(["KG", "KZ", "TJ", "TM", "UZ"], after.Select(d => d.Country).Order());
        Assert.All(after, d => Assert.NotEmpty(d.Nodes));
        Assert.All(after, d => Assert.Contains("illustrative", d.Title["en"]));

        var kyrgyz = after.Single(d => d.Country == "KG");
        Assert.Equal(DraftKind.ActionPlan, kyrgyz.Kind);
        Assert.Equal((2022, 2026), (kyrgyz.PeriodStart, kyrgyz.PeriodEnd));
        var actions = kyrgyz.AllNodes().Where(n => n.Kind == NodeKind.Action).ToList();
        Assert.Equal(Enumerable.Range(1, actions.Count).Select(i => i.ToString()), actions.Select(a => a.Number));
        Assert.Contains(actions, a => a.Attributes?.Pillar == Pillar.SupplyReduction);

        var history = await auditor.Read<List<ActivityEntry>>($"/api/drafts/{kyrgyz.Id}/activity?limit=500");
        Assert.Equal(kyrgyz.Position, history.Count);
        Assert.All(history, e => Assert.Equal("kg-editor", e.Actor));

        var kyrgyzDrafter = await Person.SignIn(app, "kg-drafter");
        Assert.Contains(await kyrgyzDrafter.Read<List<DraftSummary>>("/api/drafts"), d => d.Id == kyrgyz.Id);
        Assert.DoesNotContain(await kyrgyzDrafter.Read<List<DraftSummary>>("/api/drafts"), d => d.Country == "UZ");
    }
}
