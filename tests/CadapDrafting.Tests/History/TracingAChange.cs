using CadapDrafting.Drafts;
using CadapDrafting.Proposals;

namespace CadapDrafting.Tests.History;

[Collection(ServerCollection.Name)]
public sealed class TracingAChange(AppFixture app)
{
    [Fact]
    public async Task The_timeline_of_a_node_shows_what_touched_it_with_who_when_and_why_and_nothing_else()
    {
        var editor = await Person.SignIn(app, "uz-editor");
        var drafter = await Person.SignIn(app, "uz-drafter");
        var draft = await editor.CreatesDraft("UZ");
        var prevention = await editor.Inserts(draft, NodeKind.Action, "School-based prevention");
        var treatment = await editor.Inserts(draft, NodeKind.Action, "Evidence-based treatment", afterNodeId: prevention);
        var accepted = await drafter.ProposesText(draft, prevention, 1, "Family and school-based prevention", "Families matter most");
        await Expect.Status(await editor.Accepts(draft, accepted), HttpStatusCode.OK);
        var rejected = await drafter.ProposesText(draft, prevention, 2, "Prevention campaigns", "Broader reach");
        await Expect.Status(await editor.Command($"/api/drafts/{draft}/proposals/{rejected}/reject", new { reason = "Campaigns alone do not work" }),
            HttpStatusCode.OK);
        await drafter.ProposesText(draft, treatment, 1, "Voluntary evidence-based treatment");

        var auditor = await Person.SignIn(app, "auditor");
        var timeline = (await auditor.ReadsTimeline(draft, $"node={prevention}")).Entries;
        Assert.Equal(["proposal_submitted", "proposal_accepted", "proposal_submitted", "proposal_accepted", "proposal_submitted",
            "proposal_rejected"],
            timeline.Select(e => e.Type));
        Assert.All(timeline, e => Assert.DoesNotContain(treatment.ToString(), e.Data.GetRawText()));
        var rejection = timeline[^1];
        Assert.Equal("uz-editor", rejection.Actor);
        Assert.Equal("Campaigns alone do not work", rejection.Reason);
        Assert.NotNull(rejection.ActorName);
        Assert.True(rejection.At > DateTimeOffset.UtcNow.AddMinutes(-5));

        var byDrafter = (await auditor.ReadsTimeline(draft, "actor=uz-drafter")).Entries;
        Assert.Equal(3, byDrafter.Count);
        Assert.All(byDrafter, e => Assert.Equal("proposal_submitted", e.Type));
        var rejections = (await auditor.ReadsTimeline(draft, "type=proposal_rejected")).Entries;
        Assert.Equal(rejection.Position, Assert.Single(rejections).Position);

        var all = (await auditor.ReadsTimeline(draft)).Entries;
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all.Select(e => e.Position));
        var since = all[4].At;
        var until = all[^1].At;
        var period = (await auditor.ReadsTimeline(draft,
            $"from={Uri.EscapeDataString(since.ToString("O"))}&to={Uri.EscapeDataString(until.ToString("O"))}")).Entries;
        Assert.Equal(all.Where(e => e.At >= since && e.At < until).Select(e => e.Position), period.Select(e => e.Position));
        Assert.Contains(all[4].Position, period.Select(e => e.Position));
        Assert.DoesNotContain(all[^1].Position, period.Select(e => e.Position));

        var first = await auditor.ReadsTimeline(draft, "limit=3");
        Assert.Equal([1L, 2, 3], first.Entries.Select(e => e.Position));
        var second = await auditor.ReadsTimeline(draft, $"limit=3&after={first.NextAfter}");
        Assert.Equal([4L, 5, 6], second.Entries.Select(e => e.Position));

        await Expect.Problem(await auditor.Http.GetAsync($"/api/drafts/{draft}/history/timeline?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z"),
            HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task The_lineage_of_a_node_lists_each_accepted_change_with_its_rationale_decision_and_discussion()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var drafter = await Person.SignIn(app, "kg-drafter");
        var draft = await editor.CreatesDraft("KG");
        var action = await editor.Inserts(draft, NodeKind.Action, "Rehabilitation centres");
        var mine = await drafter.ProposesText(draft, action, 1, "Rehabilitation centres in every oblast", "Regional coverage");
        var theirs = await editor.ProposesText(draft, action, 1, "Community rehabilitation centres", "Community-based care");
        await Expect.Status(await editor.Accepts(draft, theirs), HttpStatusCode.OK);
        await Expect.Status(await drafter.Rebases(draft, mine, 2, "Community rehabilitation centres in every oblast"), HttpStatusCode.OK);
        await Expect.Status(await editor.Accepts(draft, mine), HttpStatusCode.OK);
        var rejected = await drafter.ProposesText(draft, action, 3, "Private rehabilitation centres", "Cheaper");
        await Expect.Status(await editor.Command($"/api/drafts/{draft}/proposals/{rejected}/reject", new { reason = "Not affordable for clients" }),
            HttpStatusCode.OK);

        var lineage = await (await Person.SignIn(app, "auditor")).ReadsLineage(draft, action);

        Assert.True(lineage.StillInDocument);
        Assert.Equal(3, lineage.Steps.Count);
        Assert.Equal(ProposalKind.Insert, lineage.Steps[0].Kind);
        var community = lineage.Steps[1];
        Assert.Equal(theirs, community.ProposalId);
        Assert.Equal("Community-based care", community.Rationale);
        Assert.Equal("kg-editor", community.DecidedBy);
        Assert.Equal("Agreed in the working group", community.DecisionReason);
        var oblast = lineage.Steps[2];
        Assert.Equal(mine, oblast.ProposalId);
        Assert.Equal("kg-drafter", oblast.Author);
        Assert.Contains(oblast.TextChange["en"], s =>
            s is { Op: DiffOp.Insert, Text: " in every oblast" } or { Op: DiffOp.Insert, Text: "in every oblast" });
        Assert.Equal(["proposal_submitted", "proposal_rebased", "proposal_accepted"], oblast.Discussion.Select(e => e.Type));
        Assert.DoesNotContain(lineage.Steps, s => s.ProposalId == rejected);

        await Expect.Problem(await editor.Http.GetAsync($"/api/drafts/{draft}/history/nodes/{Guid.NewGuid()}/lineage"), HttpStatusCode.NotFound);
    }
}
