using System.Text.RegularExpressions;
using CadapDrafting.Drafts;
using Microsoft.Playwright;

namespace CadapDrafting.Tests.WebApp;

/// <summary>
/// An approved plan is not the end: when the budget law changes, the lead drafter starts a new edition in the browser,
/// being told that the adopted text stays as it was, and drafts again; the adoption and its signatures stay on record.
/// Only the lead drafter is offered a new edition; an approved draft takes no edits until then. The reason field counts
/// characters near its limit, the command shows that it is running until the server answers, and a hostile,
/// 19,000-character word written into the plan stays text and never widens the page.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class StartingANewEdition(LiveServer server, Chromium chromium)
{
    [Fact]
    public async Task After_approval_the_lead_drafter_starts_a_new_edition_and_drafts_again_while_the_adoption_stays()
    {
        const string story = "new-edition";
        var editor = await server.SignIn("kz-editor");
        var approver = await server.SignIn("kz-approver-1");
        var draft = await editor.CreatesDraft("KZ", title: "Comprehensive plan against drug addiction");
        await editor.Inserts(draft, NodeKind.Action, "Needle and syringe programmes in every regional centre");
        await editor.SetsApprovalPolicy(draft, 1, "kz-approver-1", "kz-approver-2");
        await Expect.Status(await editor.StartsReview(draft), HttpStatusCode.OK);
        var adopted = (await editor.Reads(draft)).Revision;
        await Expect.Status(await approver.SignsOff(draft, adopted), HttpStatusCode.OK);

        await using var drafter = await chromium.OpensTheAppAs(server, "kz-drafter", story);
        await drafter.OpensDraft(draft);
        await drafter.Sees(drafter.Page.GetByTestId("draft-status")).ToHaveTextAsync("Approved");
        await drafter.Sees(drafter.Page.GetByRole(AriaRole.Button, new() { Name = "New edition…" })).ToHaveCountAsync(0);
        await drafter.Sees(drafter.Node("Action 1").GetByRole(AriaRole.Button, new() { Name = "Suggest new text for Action 1" })).ToHaveCountAsync(0);

        await using var lead = await chromium.OpensTheAppAs(server, "kz-editor", story);
        await lead.OpensDraft(draft);
        await lead.Sees(lead.Page.GetByTestId("approved")).ToContainTextAsync("Saule Akhmetova");
        await lead.Page.GetByRole(AriaRole.Button, new() { Name = "New edition…" }).ClickAsync();
        await lead.Sees(lead.Dialog()).ToContainTextAsync("The approved text stays as adopted");
        var why = lead.Dialog().GetByLabel("Why the approved text is revised");
        await why.FillAsync(new string('x', 1_900));
        await lead.Sees(lead.Dialog().Locator(".char-counter")).ToHaveTextAsync("1900 of 2000 characters");
        await why.FillAsync("The 2027 budget law moved the funding to the regions");
        await lead.Sees(lead.Dialog().Locator(".char-counter")).ToBeHiddenAsync();
        await lead.Screenshot("is-told-the-adopted-text-stays");

        // While the server has not answered, the confirmation is busy and cannot be clicked twice.
        var answer = new TaskCompletionSource();
        await lead.Page.RouteAsync("**/lifecycle/new-revision", async route => { await answer.Task; await route.ContinueAsync(); });
        var confirm = lead.Dialog().GetByRole(AriaRole.Button, new() { Name = "Start a new edition" });
        await confirm.ClickAsync();
        await lead.Sees(confirm).ToBeDisabledAsync();
        await lead.Sees(confirm).ToHaveAttributeAsync("aria-busy", "true");
        await lead.Sees(lead.Page.Locator(".busy-indicator")).ToHaveTextAsync("Working…");
        await lead.Screenshot("waits-while-the-command-runs");
        answer.SetResult();
        await lead.Sees(lead.Page.GetByTestId("draft-status")).ToHaveTextAsync("Drafting");
        await lead.Sees(lead.Page.Locator(".busy-indicator")).ToBeHiddenAsync();
        await lead.Sees(lead.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "A new edition has started." })).ToBeVisibleAsync();

        await lead.RewritesDirectly("Action 1", "Needle and syringe programmes in every regional centre, funded by the regions",
            "Funding follows the 2027 budget law");
        await drafter.Sees(drafter.Page.GetByTestId("draft-status")).ToHaveTextAsync("Drafting");
        await drafter.Sees(drafter.Node("Action 1")).ToContainTextAsync("funded by the regions");
        await lead.Screenshot("drafts-the-new-edition");

        var hostile = "<img src=x onerror=alert(1)>" + new string('Ш', 19_000);
        await lead.RewritesDirectly("Action 1", hostile, "<script>alert(2)</script>");
        await drafter.Sees(drafter.Node("Action 1").Locator(".node-text").First).ToHaveTextAsync(hostile);
        await drafter.Sees(drafter.Page.Locator(".document img")).ToHaveCountAsync(0);
        foreach (var person in new[] { lead, drafter }) await person.SeesNoHorizontalOverflow();
        await drafter.Screenshot("a-19000-character-word-wraps");

        var record = await editor.ReadsSignOffs(draft);
        Assert.Contains(record.Adoptions, a => a.Revision == adopted && a.SignedBy.Contains("kz-approver-1"));
        await lead.Sees(lead.Panel("History")).ToContainTextAsync(new Regex($"Saule Akhmetova signed revision {adopted}"));
    }
}
