using CadapDrafting.Drafts;
using Microsoft.Playwright;

namespace CadapDrafting.Tests.WebApp;

/// <summary>
/// A discussion is settled and, when it turns out not to be, opened again: the lead drafter resolves a drafter's
/// thread, the drafter (its author) reopens it and replies. An approver, who is neither the author nor on the
/// drafting team, is not offered either.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SettlingADiscussion(LiveServer server, Chromium chromium)
{
    [Fact]
    public async Task The_lead_drafter_resolves_a_thread_and_its_author_reopens_it_while_an_approver_may_do_neither()
    {
        const string story = "resolving-and-reopening";
        var editor = await server.SignIn("tm-editor");
        var draft = await editor.CreatesDraft("TM", title: "Prevention programme for young people");
        await editor.Inserts(draft, NodeKind.Action, "Sport and culture instead of the street");

        await using var drafter = await chromium.OpensTheAppAs(server, "tm-drafter", story);
        await drafter.OpensDraft(draft);
        await drafter.CommentsOn("Action 1", "Which ministry pays for the sport clubs?");
        var thread = drafter.Node("Action 1").Locator(".thread");

        await using var lead = await chromium.OpensTheAppAs(server, "tm-editor", story);
        await lead.OpensDraft(draft);
        var seenByLead = lead.Node("Action 1").Locator(".thread");
        await seenByLead.GetByRole(AriaRole.Button, new() { Name = "Resolve thread “Which ministry pays for the sport clubs?”" }).ClickAsync();
        await lead.Sees(seenByLead.Locator(".badge").First).ToHaveTextAsync("resolved");
        await lead.Sees(seenByLead.GetByRole(AriaRole.Textbox, new() { Name = "Reply" })).ToHaveCountAsync(0);
        await drafter.Sees(thread.Locator(".badge").First).ToHaveTextAsync("resolved");
        await lead.Screenshot("resolves-the-thread");

        await using var approver = await chromium.OpensTheAppAs(server, "tm-approver-1", story);
        await approver.OpensDraft(draft);
        var seenByApprover = approver.Node("Action 1").Locator(".thread");
        await approver.Sees(seenByApprover).ToContainTextAsync("Which ministry pays for the sport clubs?");
        await approver.Sees(seenByApprover.GetByRole(AriaRole.Button, new() { NameRegex = WebUser.StartingWith("Reopen") })).ToHaveCountAsync(0);

        await thread.GetByRole(AriaRole.Button, new() { Name = "Reopen thread “Which ministry pays for the sport clubs?”" }).ClickAsync();
        await drafter.Sees(thread.Locator(".badge").First).ToHaveTextAsync("open");
        await thread.GetByRole(AriaRole.Textbox, new() { Name = "Reply" }).FillAsync("The answer in the minutes covers only 2026.");
        await thread.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await lead.Sees(seenByLead).ToContainTextAsync("The answer in the minutes covers only 2026.");
        await lead.Sees(seenByLead.Locator(".badge").First).ToHaveTextAsync("open");
        await approver.Sees(seenByApprover.GetByRole(AriaRole.Button, new() { NameRegex = WebUser.StartingWith("Resolve") })).ToHaveCountAsync(0);
        await drafter.Screenshot("reopens-and-replies");
    }
}
