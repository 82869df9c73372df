using CadapDrafting.Drafts;
using Microsoft.Playwright;

namespace CadapDrafting.Tests.WebApp;

[Collection(ServerCollection.Name)]
public sealed class RebasingAStaleProposal(LiveServer server, Chromium chromium)
{
    [Fact]
    public async Task A_stale_proposal_is_explained_offers_rebase_not_accept_is_rebased_by_its_author_and_then_accepted()
    {
        const string story = "stale-proposal-rebased";
        var editor = await server.SignIn("kz-editor");
        var drafter = await server.SignIn("kz-drafter");
        var draft = await editor.CreatesDraft("KZ", title: "Drug legislation");
        var action = await editor.Inserts(draft, NodeKind.Action, "Access to harm reduction services");
        await drafter.ProposesText(draft, action, 1, "Access to harm reduction services for people who use opioids",
            rationale: "Say whom the services are for");
        var direct = await editor.ProposesText(draft, action, 1, "Access to harm reduction and treatment services");
        await Expect.Status(await editor.Accepts(draft, direct), HttpStatusCode.OK);

        await using var lead = await chromium.OpensTheAppAs(server, "kz-editor", story);
        await lead.OpensDraft(draft);
        var stale = lead.ProposalOn("Action 1", "Say whom the services are for");
        await lead.Sees(stale).ToContainTextAsync("Written against revision 1 of the node, which is now at revision 2");
        // A stale proposal offers rebase, never accept: it is not applied blindly.
        await lead.Sees(stale.GetByRole(AriaRole.Button, new() { NameRegex = new("^Accept") })).ToHaveCountAsync(0);
        await lead.Sees(stale.GetByRole(AriaRole.Button, new() { NameRegex = new("^Rebase") })).ToBeVisibleAsync();
        await lead.Sees(stale).ToContainTextAsync("Rebase it onto the current text, then it can be accepted.");
        await lead.Sees(lead.Node("Action 1").Locator(".node-text")).ToHaveTextAsync("Access to harm reduction and treatment services");
        await lead.Screenshot("the-stale-proposal-offers-rebase-not-accept");

        await using var author = await chromium.OpensTheAppAs(server, "kz-drafter", story);
        await author.OpensDraft(draft);
        var mine = author.ProposalOn("Action 1", "Say whom the services are for");
        await mine.GetByRole(AriaRole.Button, new() { NameRegex = new("^Rebase") }).ClickAsync();
        await author.Sees(mine).ToContainTextAsync("Access to harm reduction and treatment services");
        await mine.GetByLabel("Proposed text (EN)").FillAsync("Access to harm reduction and treatment services for people who use opioids");
        await author.Screenshot("rebases-onto-the-current-text");
        await mine.GetByRole(AriaRole.Button, new() { Name = "Rebase proposal" }).ClickAsync();
        await author.Sees(mine.Locator(".stale-badge")).ToHaveCountAsync(0);

        await lead.Sees(stale.Locator(".stale-badge")).ToHaveCountAsync(0);
        await lead.AcceptsProposal("Action 1", "Say whom the services are for");
        foreach (var person in new[] { lead, author })
        {
            await person.Sees(person.Node("Action 1").Locator(".node-text"))
                .ToHaveTextAsync("Access to harm reduction and treatment services for people who use opioids");
            await person.Screenshot("sees-the-rebased-text-accepted");
        }
    }

    [Fact]
    public async Task The_interface_speaks_Russian_when_asked_and_remembers_it()
    {
        await using var reviewer = await chromium.OpensTheAppAs(server, "eu-expert-2", "interface-in-russian");
        await reviewer.Page.GetByLabel("Interface language").SelectOptionAsync("ru");
        await reviewer.Sees(reviewer.Page.GetByRole(AriaRole.Heading, new() { Name = "Проекты" })).ToBeVisibleAsync();
        await reviewer.Sees(reviewer.Page.GetByRole(AriaRole.Combobox, new() { Name = "Страна" })).ToBeVisibleAsync();
        await reviewer.Page.ReloadAsync();
        await reviewer.Sees(reviewer.Page.GetByRole(AriaRole.Button, new() { Name = "Выйти" })).ToBeVisibleAsync();
        await reviewer.Sees(reviewer.Page.Locator("html")).ToHaveAttributeAsync("lang", "ru");
        await reviewer.Screenshot("draft-list-in-russian");
    }
}
