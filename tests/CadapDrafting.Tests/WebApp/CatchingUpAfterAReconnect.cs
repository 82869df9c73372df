using CadapDrafting.Drafts;

namespace CadapDrafting.Tests.WebApp;

[Collection(ServerCollection.Name)]
public sealed class CatchingUpAfterAReconnect(LiveServer server, Chromium chromium)
{
    [Fact]
    public async Task After_the_connection_drops_the_page_says_so_and_catches_up_on_what_happened_meanwhile()
    {
        var editor = await server.SignIn("kg-editor");
        var draft = await editor.CreatesDraft("KG", title: "Programme against drug trafficking");
        var first = await editor.Inserts(draft, NodeKind.Action, "Joint border patrols");

        await using var network = new LoopbackProxy(server.Address);
        await using var drafter = await chromium.OpensTheAppAs(server, "kg-drafter", "reconnect-and-catch-up", via: network.Address);
        await drafter.OpensDraft(draft);

        network.Cut();
        await drafter.Sees(drafter.Page.GetByTestId("live-status")).ToHaveTextAsync("Connection lost — reconnecting…");
        await drafter.Screenshot("connection-lost");
        await editor.Inserts(draft, NodeKind.Action, "Precursor control at customs", afterNodeId: first);
        await editor.Inserts(draft, NodeKind.Action, "Container control programme", afterNodeId: first);

        network.Restore();
        await drafter.Sees(drafter.Page.GetByTestId("live-status")).ToHaveTextAsync("Live again");
        await drafter.Sees(drafter.Page.GetByRole(Microsoft.Playwright.AriaRole.Status).Filter(new() { HasText = "Reconnected" }))
            .ToContainTextAsync("caught up on");
        await drafter.Sees(drafter.Node("Action 2")).ToContainTextAsync("Container control programme");
        await drafter.Sees(drafter.Node("Action 3")).ToContainTextAsync("Precursor control at customs");
        await drafter.Screenshot("caught-up-after-reconnecting");
    }
}
