using System.Diagnostics;
using CadapDrafting.Consultation;
using CadapDrafting.Drafts;
using CadapDrafting.Proposals;
using CadapDrafting.Seeding;
using Microsoft.Extensions.DependencyInjection;

namespace CadapDrafting.Tests.Drafting;

[Collection(ServerCollection.Name)]
public sealed class DemoDrafts(AppFixture app)
{
    [Fact]
    public async Task The_five_countries_demo_drafts_load_through_commands_and_the_Word_importer_once_and_are_readable()
    {
        var seeder = app.Host.Services.GetRequiredService<DemoSeeder>();
        var clock = Stopwatch.StartNew();
        var ids = await seeder.SeedAsync(CancellationToken.None);
        var firstLoad = clock.Elapsed;
        var auditor = await Person.SignIn(app, "auditor");
        var before = await Task.WhenAll(ids.Select(auditor.Reads));

        var again = await seeder.SeedAsync(CancellationToken.None);

        Assert.Equal(ids, again);
        var after = await Task.WhenAll(ids.Select(auditor.Reads));
        Assert.Equal(before.Select(d => d.Position), after.Select(d => d.Position));
        Assert.Equal(["KG", "KZ", "TJ", "TM", "UZ"], after.Select(d => d.Country).Order());
        Assert.All(after, d => Assert.NotEmpty(d.Nodes));
        Assert.All(after, d => Assert.Contains("illustrative", d.Title["en"]));
        Assert.True(firstLoad < TimeSpan.FromSeconds(30), $"Seeding took {firstLoad}");

        var kyrgyz = after.Single(d => d.Country == "KG");
        Assert.Equal(DraftKind.ActionPlan, kyrgyz.Kind);
        Assert.Equal((2022, 2026), (kyrgyz.PeriodStart, kyrgyz.PeriodEnd));
        var actions = kyrgyz.AllNodes().Where(n => n.Kind == NodeKind.Action).ToList();
        Assert.Equal(75, actions.Count);
        Assert.Equal(Enumerable.Range(1, actions.Count).Select(i => i.ToString()), actions.Select(a => a.Number));
        Assert.All(actions, a => Assert.True(a.Text.ContainsKey("ru") && a.Text.ContainsKey("en") && a.Attributes!.Indicators.Single().IsMeasurable
                                             && a.Attributes.Budget is not null && a.Attributes.ResponsibleBodies.Count > 0, $"action {a.Number}"));
        Assert.Contains(actions, a => a.Attributes?.Pillar == Pillar.SupplyReduction);
        Assert.Equal(DraftStatus.Consultation, kyrgyz.Status);

        // A history a newcomer believes: proposals decided and open, EU experts' comments with dispositions, a named version.
        Assert.NotEmpty(await auditor.ReadsProposals(kyrgyz.Id, "?status=Accepted"));
        Assert.NotEmpty(await auditor.ReadsProposals(kyrgyz.Id, "?status=Rejected"));
        Assert.Contains(await auditor.ReadsProposals(kyrgyz.Id), p => p.Author == "eu-expert-1");
        var matrix = await auditor.Read<JsonElement>($"/api/drafts/{kyrgyz.Id}/rounds/1/matrix");
        var matrixText = matrix.GetRawText();
        foreach (var disposition in Enum.GetNames<DispositionKind>()) Assert.Contains(disposition, matrixText);
        Assert.Contains("eu-expert-2", matrixText);
        var versions = await auditor.Read<JsonElement>($"/api/drafts/{kyrgyz.Id}/versions");
        Assert.Contains("Submitted for inter-agency approval", versions.GetRawText());
        var history = await auditor.Read<List<ActivityEntry>>($"/api/drafts/{kyrgyz.Id}/activity?limit=500");
        Assert.Equal(kyrgyz.Position, history.Count);
        Assert.Equal(["eu-expert-1", "eu-expert-2", "kg-drafter", "kg-editor"], history.Select(e => e.Actor).Distinct().Order());

        var tajik = after.Single(d => d.Country == "TJ");
        Assert.Equal(43, tajik.AllNodes().Count(n => n.Kind == NodeKind.Action));
        Assert.Equal(DraftStatus.Review, tajik.Status);
        var signOffs = await auditor.Read<JsonElement>($"/api/drafts/{tajik.Id}/sign-offs");
        Assert.Contains("tj-approver-1", signOffs.GetRawText());
        // The demo sign-off is made at a signed head, as one through the endpoint is.
        var signOff = (await auditor.ReadsSignOffs(tajik.Id)).SignOffs.Single(s => s.Approver == "tj-approver-1");
        var seen = await auditor.Read<CadapDrafting.History.WhatTheApproverSaw>($"/api/drafts/{tajik.Id}/history/sign-offs/{signOff.Id}");
        Assert.True(seen.InLog is { SignedAtHeadHolds: true, InclusionHolds: true, ConsistencyHolds: true });

        var turkmen = after.Single(d => d.Country == "TM");
        Assert.All(turkmen.AllNodes().Where(n => n.Kind == NodeKind.Action).SelectMany(a => a.Attributes!.Indicators),
            i => Assert.False(i.RecordedAnnually));

        var kyrgyzDrafter = await Person.SignIn(app, "kg-drafter");
        Assert.Contains(await kyrgyzDrafter.Read<List<DraftSummary>>("/api/drafts"), d => d.Id == kyrgyz.Id);
        Assert.DoesNotContain(await kyrgyzDrafter.Read<List<DraftSummary>>("/api/drafts"), d => d.Country == "UZ");
    }
}
