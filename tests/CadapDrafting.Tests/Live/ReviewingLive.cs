using CadapDrafting.Comments;
using CadapDrafting.Drafts;
using CadapDrafting.History;

namespace CadapDrafting.Tests.Live;

[Collection(ServerCollection.Name)]
public sealed class ReviewingLive(LiveServer live)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Comments_arrive_live_and_an_internal_thread_never_reaches_an_eu_expert()
    {
        var editor = await live.SignIn("uz-editor");
        var drafter = await live.SignIn("uz-drafter");
        var expert = await live.SignIn("eu-expert-2");
        var draft = await editor.CreatesDraft("UZ");
        var action = await editor.Inserts(draft, NodeKind.Action, "Separate programmes for recreational and escapist use");
        await editor.OpensRound(draft);
        await using var draftersView = await live.Watches(drafter, draft);
        await using var expertsView = await live.Watches(expert, draft);

        var internalThread = await drafter.StartsThread(draft, action, "Ministry position: keep the budget confidential",
            ThreadVisibility.Internal);
        var shared = await expert.StartsThread(draft, action, "Consider evaluating both programmes separately");
        var lastPosition = (await drafter.Reads(draft)).Position;
        await draftersView.WaitForPositionAsync(lastPosition, Soon);
        await expertsView.WaitForPositionAsync(lastPosition, Soon);

        Assert.Contains(draftersView.History, u => u.Parts.Any(p => p.Kind == "thread" && p.Id == internalThread.ThreadId));
        Assert.Contains(draftersView.History, u => u.Parts.Any(p => p.Kind == "thread" && p.Id == shared.ThreadId));
        var expertSaw = expertsView.History.ToList();
        Assert.Contains(expertSaw, u => u.Parts.Any(p => p.Kind == "thread" && p.Id == shared.ThreadId));
        Assert.DoesNotContain(expertSaw, u => u.Parts.Any(p => p.Id == internalThread.ThreadId));
        var hidden = expertSaw.Single(u => u.Type == "restricted");
        Assert.Empty(hidden.Parts);
        Assert.Equal("", hidden.Actor);
        Assert.Equal(Enumerable.Range(1, (int)lastPosition).Select(i => (long)i), expertSaw.Select(u => u.Position).Order());

        // Looking back shows the expert no more than looking live.
        var activity = await expert.Read<List<ActivityEntry>>($"/api/drafts/{draft}/activity?limit=100");
        Assert.DoesNotContain(activity, a => JsonSerializer.Serialize(a.Data).Contains(internalThread.ThreadId.ToString()));
        Assert.Contains(activity, a => JsonSerializer.Serialize(a.Data).Contains(shared.ThreadId.ToString()));
        var timeline = await expert.Read<TimelinePage>($"/api/drafts/{draft}/history/timeline");
        Assert.DoesNotContain(timeline.Entries, e => e.Data.GetRawText().Contains(internalThread.ThreadId.ToString()));
        var asOf = await expert.Read<JsonElement>($"/api/drafts/{draft}/history/as-of?position={lastPosition}");
        Assert.DoesNotContain(internalThread.ThreadId.ToString(), asOf.GetRawText());
        Assert.Contains(shared.ThreadId.ToString(), asOf.GetRawText());
        await Expect.Problem(await expert.Http.GetAsync($"/api/drafts/{draft}/history/export"), HttpStatusCode.Forbidden);

        var caughtUp = await expert.Read<JsonElement>($"/api/drafts/{draft}/updates?after=0");
        Assert.DoesNotContain(internalThread.ThreadId.ToString(), caughtUp.GetRawText());
    }

    [Fact]
    public async Task Adding_a_supply_reduction_action_moves_the_balance_and_the_new_balance_is_pushed()
    {
        var editor = await live.SignIn("kg-editor");
        var drafter = await live.SignIn("kg-drafter");
        var draft = await editor.CreatesDraft("KG");
        await editor.Inserts(draft, NodeKind.Action, "Prevention in schools", attributes: new { pillar = "Prevention" });
        await using var view = await live.Watches(drafter, draft);

        var response = await editor.Proposes(draft, new {
            kind = "Insert", nodeKind = NodeKind.Action, text = new { en = "Precursor control at border crossings" },
            attributes = new { pillar = "SupplyReduction" }, rationale = "Balance supply and demand", acceptNow = true,
        });
        var accepted = await Person.Accepted(response);
        await view.WaitForPositionAsync(accepted.Position, Soon);

        var programme = view.History.Single(u => u.Position == accepted.Position).Parts.Single(p => p.Kind == "programme").Data;
        var groups = programme.GetProperty("balance").GetProperty("groups").EnumerateArray()
            .ToDictionary(g => g.GetProperty("name").GetString()!, g => g.GetProperty("count").GetInt32());
        Assert.Equal(2, programme.GetProperty("balance").GetProperty("actions").GetInt32());
        Assert.Equal(1, groups.Single(g => g.Key.Contains("upply")).Value);
        Assert.Equal(1, groups.Single(g => g.Key.Contains("emand")).Value);
    }
}
