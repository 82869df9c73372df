using Microsoft.Playwright;

namespace CadapDrafting.Tests.WebApp;

[Collection(ServerCollection.Name)]
public sealed class KeepingDraftsPrivate(LiveServer server, Chromium chromium)
{
    [Fact]
    public async Task A_civil_society_organisation_cannot_see_a_draft_that_was_never_opened_to_the_public()
    {
        var editor = await server.SignIn("uz-editor");
        var draft = await editor.CreatesDraft("UZ", title: "Private plan of the working group");
        await editor.Inserts(draft, Drafts.NodeKind.Action, "Confidential working text");

        await using var cso = await chromium.OpensTheAppAs(server, "cso-1", "cso-cannot-see-private-draft");
        await cso.Sees(cso.Page.GetByRole(AriaRole.Link, new() { Name = "Private plan of the working group" })).ToHaveCountAsync(0);
        await cso.Screenshot("draft-list-without-the-private-draft");

        await cso.GoesToDraft(draft);
        await cso.Sees(cso.Page.GetByRole(AriaRole.Heading, new() { Name = "This draft is not available" })).ToBeVisibleAsync();
        await cso.Sees(cso.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("does not exist or is not visible to you");
        await cso.Sees(cso.Page.GetByText("Confidential working text")).ToHaveCountAsync(0);
        await cso.Screenshot("opening-the-private-draft-by-its-address");
    }
}
