using CadapDrafting.Drafts;
using Microsoft.Playwright;

namespace CadapDrafting.Tests.WebApp;

/// <summary>
/// In suggestion mode, dragging a node does not move it: it proposes the move, which the lead drafter sees in the
/// margin and accepts like any other proposal; only then is the plan reordered, for everyone.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SuggestingAMoveByDragging(LiveServer server, Chromium chromium)
{
    [Fact]
    public async Task A_drafter_drags_an_action_in_suggestion_mode_and_the_move_waits_for_the_lead_drafter()
    {
        const string story = "dragging-as-a-proposal";
        var editor = await server.SignIn("uz-editor");
        var draft = await editor.CreatesDraft("UZ", title: "Programme against drug trafficking");
        var first = await editor.Inserts(draft, NodeKind.Action, "Drug seizure statistics published every quarter");
        await editor.Inserts(draft, NodeKind.Action, "Joint operations with the customs service", afterNodeId: first);

        await using var drafter = await chromium.OpensTheAppAs(server, "uz-drafter", story);
        await drafter.OpensDraft(draft);
        await drafter.TurnsOnSuggestionMode();
        await drafter.Node("Action 1").Locator(".node-number").DragToAsync(drafter.Node("Action 2"));
        var move = drafter.Node("Action 1").Locator(".proposal").Filter(new() { HasText = "Moves the node to another place." });
        await drafter.Sees(move).ToBeVisibleAsync();
        await drafter.Sees(drafter.Node("Action 1")).ToContainTextAsync("Drug seizure statistics published every quarter");
        await drafter.Screenshot("drags-an-action-down-as-a-proposal");

        await using var lead = await chromium.OpensTheAppAs(server, "uz-editor", story);
        await lead.OpensDraft(draft);
        var proposed = lead.Node("Action 1").Locator(".proposal").Filter(new() { HasText = "Moves the node to another place." });
        await lead.Sees(proposed).ToContainTextAsync("Dilnoza Yusupova");
        await lead.Screenshot("sees-the-proposed-move");
        await proposed.GetByRole(AriaRole.Button, new() { NameRegex = WebUser.StartingWith("Accept") }).ClickAsync();

        foreach (var person in new[] { lead, drafter })
        {
            await person.Sees(person.Node("Action 1")).ToContainTextAsync("Joint operations with the customs service");
            await person.Sees(person.Node("Action 2")).ToContainTextAsync("Drug seizure statistics published every quarter");
        }
        await drafter.Sees(drafter.Panel("My proposals").Locator(".status-Accepted")).ToHaveCountAsync(1);
        await drafter.Screenshot("sees-the-move-accepted");
    }
}
