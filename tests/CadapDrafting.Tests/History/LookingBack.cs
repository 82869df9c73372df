using CadapDrafting.Drafts;
using CadapDrafting.Evidence;
using CadapDrafting.History;
using CadapDrafting.Proposals;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CadapDrafting.Tests.History;

[Collection(ServerCollection.Name)]
public sealed class LookingBack(AppFixture app)
{
    [Fact]
    public async Task The_state_at_any_position_equals_a_replay_of_the_events_up_to_it_across_checkpoints()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var drafter = await Person.SignIn(app, "kg-drafter");
        var draft = await editor.CreatesDraft("KG");
        var action = await editor.Inserts(draft, NodeKind.Action, "Prevention in schools");
        var revision = 1;
        // Enough events to pass a checkpoint, with content changes on both sides of it.
        for (var round = 0; round < 6; round++)
        {
            var proposals = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
                drafter.ProposesText(draft, action, revision, $"Prevention in schools, round {round}, variant {i}")));
            await editor.Amends(draft, action, revision++, $"Prevention in schools and colleges, round {round}");
            Assert.NotEmpty(proposals);
        }
        var head = (await editor.Reads(draft)).Position;
        Assert.True(head > DraftCheckpoint.Interval);

        var store = app.Host.Services.GetRequiredService<IDocumentStore>();
        await using var session = store.QuerySession();
        Assert.NotNull(await session.LoadAsync<DraftCheckpoint>(DraftCheckpoint.IdOf(draft, DraftCheckpoint.Interval)));

        var auditor = await Person.SignIn(app, "auditor");
        foreach (var position in new long[] { 1, 2, 3, 500, 999, 1000, 1001, head - 1, head })
        {
            var replayed = await DraftReplay.StateAtAsync(session, draft, position);
            var asOf = await auditor.ReadsAsOf(draft, $"position={position}");
            Assert.Equal(position, asOf.Position);
            Assert.Equal(Canonical(replayed!), Canonical(asOf.State));
            Assert.Equal(Canonical(DraftDocument.Of(replayed!)), Canonical(asOf.Document));
        }
    }

    [Fact]
    public async Task A_past_revision_and_a_past_moment_show_the_text_as_it_was_then()
    {
        var editor = await Person.SignIn(app, "tj-editor");
        var draft = await editor.CreatesDraft("TJ");
        var action = await editor.Inserts(draft, NodeKind.Action, "Expand treatment services");
        var afterInsert = await editor.Reads(draft);
        await Task.Delay(20);
        var between = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        await editor.Amends(draft, action, 1, "Expand voluntary treatment services in every region");

        var byRevision = await editor.ReadsAsOf(draft, $"revision={afterInsert.Revision}");
        Assert.Equal("Expand treatment services", byRevision.Document.Node(action).Text["en"]);
        Assert.Equal(afterInsert.Position, byRevision.Position);

        var byMoment = await editor.ReadsAsOf(draft, $"at={Uri.EscapeDataString(between.ToString("O"))}");
        Assert.Equal(afterInsert.Position, byMoment.Position);
        Assert.Equal("Expand treatment services", byMoment.Document.Node(action).Text["en"]);
        Assert.Single(byMoment.State.Proposals);

        var now = await editor.ReadsAsOf(draft, "");
        Assert.Equal("Expand voluntary treatment services in every region", now.Document.Node(action).Text["en"]);
    }

    [Fact]
    public async Task Asking_for_a_point_that_does_not_exist_is_refused_naming_the_field_and_other_countries_see_nothing()
    {
        var editor = await Person.SignIn(app, "uz-editor");
        var draft = await editor.CreatesDraft("UZ");
        await editor.Inserts(draft, NodeKind.Action, "Research in narcology");

        var tooFar = await Expect.Problem(await editor.Http.GetAsync($"/api/drafts/{draft}/history/as-of?revision=7"),
            HttpStatusCode.UnprocessableEntity);
        Assert.True(tooFar.GetProperty("errors").TryGetProperty("revision", out _));
        var both = await Expect.Problem(await editor.Http.GetAsync($"/api/drafts/{draft}/history/as-of?revision=0&position=1"),
            HttpStatusCode.UnprocessableEntity);
        Assert.True(both.GetProperty("errors").TryGetProperty("position", out _));
        var before = await Expect.Problem(await editor.Http.GetAsync($"/api/drafts/{draft}/history/as-of?at=2001-01-01T00:00:00Z"),
            HttpStatusCode.UnprocessableEntity);
        Assert.True(before.GetProperty("errors").TryGetProperty("at", out _));

        var neighbour = await Person.SignIn(app, "kz-editor");
        await Expect.Problem(await neighbour.Http.GetAsync($"/api/drafts/{draft}/history/as-of?revision=0"), HttpStatusCode.NotFound);
        await Expect.Problem(await neighbour.Http.GetAsync($"/api/drafts/{draft}/history/timeline"), HttpStatusCode.NotFound);
        await Expect.Problem(await neighbour.Http.GetAsync($"/api/drafts/{draft}/history/export"), HttpStatusCode.NotFound);

        var auditor = await Person.SignIn(app, "auditor");
        Assert.Equal(0, (await auditor.ReadsAsOf(draft, "revision=0")).Revision);
        var write = await auditor.Proposes(draft,
            new { kind = ProposalKind.Insert, nodeKind = NodeKind.Action, text = new { en = "x" }, rationale = "x" });
        await Expect.Problem(write, HttpStatusCode.Forbidden);
    }

    private static string Canonical<T>(T value) => CanonicalJson.From(JsonSerializer.Serialize(value, Person.Json));
}
