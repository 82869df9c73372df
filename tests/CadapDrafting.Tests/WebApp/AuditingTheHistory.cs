using System.Text;
using CadapDrafting.Drafts;
using Microsoft.Playwright;

namespace CadapDrafting.Tests.WebApp;

[Collection(ServerCollection.Name)]
public sealed class AuditingTheHistory(LiveServer server, Chromium chromium)
{
    [Fact]
    public async Task An_auditor_scrubs_back_to_the_first_revision_compares_and_verifies_the_chain()
    {
        const string story = "auditor-scrubs-and-verifies";
        var editor = await server.SignIn("uz-editor");
        var draft = await editor.CreatesDraft("UZ", title: "Plan of evidence-based measures");
        var research = await editor.Inserts(draft, NodeKind.Action, "Research in narcology");
        var amended = await editor.ProposesText(draft, research, 1, "Research in narcology: prevention, diagnosis and treatment");
        await Expect.Status(await editor.Accepts(draft, amended), HttpStatusCode.OK);
        await editor.Inserts(draft, NodeKind.Action, "Inter-agency collaboration on data", afterNodeId: research);
        var events = (await editor.Reads(draft)).Position;

        await using var auditor = await chromium.OpensTheAppAs(server, "auditor", story);
        await auditor.OpensDraft(draft);
        await auditor.Sees(auditor.Node("Action 2")).ToContainTextAsync("Inter-agency collaboration");
        await auditor.Sees(auditor.Page.GetByRole(AriaRole.Button, new() { Name = "Suggestion mode" })).ToBeDisabledAsync();
        await auditor.Screenshot("opens-the-current-draft");

        var slider = auditor.Page.GetByRole(AriaRole.Slider, new() { Name = "Scrub through revisions" });
        await slider.FocusAsync();
        await auditor.Page.Keyboard.PressAsync("Home");
        await auditor.Page.Keyboard.PressAsync("ArrowRight");
        await auditor.Sees(auditor.Page.GetByTestId("history-position")).ToHaveTextAsync("Revision 1 of 3");
        await auditor.Sees(auditor.Page.GetByText("You are looking at revision 1")).ToBeVisibleAsync();
        await auditor.Sees(auditor.Node("Action 1").Locator(".node-text")).ToHaveTextAsync("Research in narcology");
        await auditor.Sees(auditor.Node("Action 2")).ToHaveCountAsync(0);
        await auditor.Screenshot("scrubbed-back-to-revision-1");

        await auditor.Page.GetByLabel("From", new() { Exact = true }).SelectOptionAsync("1");
        await auditor.Page.GetByLabel("To", new() { Exact = true }).SelectOptionAsync("2");
        await auditor.Page.GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();
        await auditor.Sees(auditor.Page.Locator(".diff-result ins").Last).ToContainTextAsync("diagnosis and treatment");
        await auditor.Screenshot("compares-revisions-1-and-2");

        await auditor.Page.GetByRole(AriaRole.Button, new() { Name = "Verify the chain" }).ClickAsync();
        await auditor.Sees(auditor.Page.GetByTestId("verify-result")).ToContainTextAsync($"Chain intact: {events} events");
        await auditor.Screenshot("verifies-the-chain");

        var markdown = await auditor.Page.RunAndWaitForDownloadAsync(() =>
            auditor.Page.GetByRole(AriaRole.Button, new() { Name = "Export as Markdown" }).ClickAsync());
        // The file is named by revision and language: the revision shown, in the language it is read in.
        Assert.EndsWith("-r1-en.md", markdown.SuggestedFilename);
        var exported = await File.ReadAllTextAsync(await markdown.PathAsync());
        Assert.Contains("Research in narcology", exported);
        Assert.DoesNotContain("diagnosis", exported);

        var pdf = await auditor.Page.RunAndWaitForDownloadAsync(() =>
            auditor.Page.GetByRole(AriaRole.Button, new() { Name = "Export as PDF" }).ClickAsync(), new() { Timeout = 120_000 });
        Assert.EndsWith("-r1-en.pdf", pdf.SuggestedFilename);
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString((await File.ReadAllBytesAsync(await pdf.PathAsync()))[..5]));

        await auditor.Page.GetByRole(AriaRole.Button, new() { Name = "Back to the current text" }).ClickAsync();
        await auditor.Node("Action 1").GetByRole(AriaRole.Button, new() { Name = "Lineage of Action 1" }).ClickAsync();
        var lineage = auditor.Page.Locator("ol.lineage");
        await auditor.Sees(lineage).ToContainTextAsync("Clearer wording");
        await auditor.Sees(lineage.Locator("ins").Last).ToContainTextAsync("treatment");
        await auditor.Screenshot("traces-the-lineage-of-action-1");
    }

    [Fact]
    public async Task An_auditor_sees_the_text_an_approver_signed_after_a_later_change_dismissed_the_signature()
    {
        var editor = await server.SignIn("kg-editor");
        var approver = await server.SignIn("kg-approver-1");
        var draft = await editor.CreatesDraft("KG", title: "Anti-Drug Programme, cabinet edition");
        var action = await editor.Inserts(draft, NodeKind.Action, "Rehabilitation in every oblast centre");
        await editor.SetsApprovalPolicy(draft, 2, "kg-approver-1", "kg-approver-2", "kg-approver-3");
        await Expect.Status(await editor.StartsReview(draft), HttpStatusCode.OK);
        await Expect.Status(await approver.SignsOff(draft, 1), HttpStatusCode.OK);
        await Expect.Status(await editor.ReturnsToDrafting(draft), HttpStatusCode.OK);
        var change = await editor.ProposesText(draft, action, 1, "Rehabilitation and reintegration in every oblast centre");
        await Expect.Status(await editor.Accepts(draft, change), HttpStatusCode.OK);

        await using var auditor = await chromium.OpensTheAppAs(server, "auditor", "auditor-sees-what-was-signed");
        await auditor.OpensDraft(draft);
        var signed = auditor.Page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Nurgul Asanova signed revision 1" });
        await auditor.Sees(signed).ToContainTextAsync("dismissed");
        await signed.GetByRole(AriaRole.Button, new() { Name = "Show revision 1 signed by Nurgul Asanova" }).ClickAsync();
        var banner = auditor.Page.Locator(".past-banner");
        await auditor.Sees(banner).ToContainTextAsync("You are looking at revision 1");
        await auditor.Sees(banner).ToContainTextAsync("This is what Nurgul Asanova signed");
        await auditor.Sees(banner).ToContainTextAsync("The text still has the content hash that was signed");
        // The signed head the sign-off was made at, proven against the current log.
        await auditor.Sees(banner).ToContainTextAsync("It was signed at the log's signed head of size");
        await auditor.Sees(banner).ToContainTextAsync("the sign-off is in the current log");
        await auditor.Sees(auditor.Node("Action 1").Locator(".node-text")).ToHaveTextAsync("Rehabilitation in every oblast centre");
        await auditor.Screenshot("the-text-the-approver-signed");

        await auditor.Page.GetByRole(AriaRole.Button, new() { Name = "Back to the current text" }).ClickAsync();
        await auditor.Sees(auditor.Node("Action 1").Locator(".node-text")).ToHaveTextAsync("Rehabilitation and reintegration in every oblast centre");

        // An auditor whose browser speaks Russian reads the same proof in Russian.
        await using var russian = await chromium.OpensTheAppAs(server, "auditor", "auditor-sees-what-was-signed-in-russian", language: "ru");
        await russian.OpensDraft(draft);
        var signedRu = russian.Page.GetByRole(AriaRole.Listitem).Filter(new() { HasTextRegex = new("подписал\\(а\\) редакцию 1") });
        await signedRu.GetByRole(AriaRole.Button, new() { NameRegex = new("^Показать редакцию 1, подписанную") }).ClickAsync();
        var bannerRu = russian.Page.Locator(".past-banner");
        await russian.Sees(bannerRu).ToContainTextAsync("Подпись поставлена при подписанной вершине журнала размером");
        await russian.Sees(bannerRu).ToContainTextAsync("подпись утверждающего входит в текущий журнал");
        await russian.Screenshot("the-text-the-approver-signed-in-russian");
    }
}
