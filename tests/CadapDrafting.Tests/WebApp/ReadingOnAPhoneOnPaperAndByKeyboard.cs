using System.Diagnostics;
using CadapDrafting.Drafts;
using Microsoft.Playwright;

namespace CadapDrafting.Tests.WebApp;

[Collection(ServerCollection.Name)]
public sealed class ReadingOnAPhoneOnPaperAndByKeyboard(LiveServer server, Chromium chromium)
{
    private static async Task<Guid> ChapterWithActions(Person editor, string title)
    {
        var draft = await editor.CreatesDraft("KG", title: title);
        var chapter = await editor.Inserts(draft, NodeKind.Chapter, "Demand reduction");
        var first = await editor.Inserts(draft, NodeKind.Action, "School prevention programmes", parentId: chapter);
        await editor.Inserts(draft, NodeKind.Action, "Opioid agonist therapy in every region", parentId: chapter, afterNodeId: first);
        return draft;
    }

    [Fact]
    public async Task On_a_phone_the_document_comes_first_and_the_panels_are_one_tap_away()
    {
        var editor = await server.SignIn("kg-editor");
        var draft = await ChapterWithActions(editor, "Programme read on a phone");

        await using var drafter = await chromium.OpensTheAppAs(server, "kg-drafter", "reading-on-a-phone");
        await drafter.Page.SetViewportSizeAsync(390, 844);
        await drafter.OpensDraft(draft);
        var chapter = drafter.Page.GetByRole(AriaRole.Article, new() { Name = "Chapter 1", Exact = true });
        var box = await chapter.BoundingBoxAsync();
        Assert.True(box is not null && box.Y < 844, $"The document starts at {box?.Y} px, below the first screen");
        var history = drafter.Panel("History");
        await drafter.Sees(history).ToBeHiddenAsync();
        await drafter.SeesNoHorizontalOverflow();
        await drafter.Screenshot("phone-document-first");

        await drafter.Page.GetByRole(AriaRole.Button, new() { NameRegex = new("^Panels") }).ClickAsync();
        await drafter.Sees(drafter.Page.Locator("#draft-side")).ToBeInViewportAsync();
        await drafter.Sees(history).ToBeVisibleAsync();
        await drafter.Sees(drafter.Page.GetByRole(AriaRole.Button, new() { Name = "Back to the document" })).ToBeFocusedAsync();
        await drafter.Screenshot("phone-panels-one-tap-away");
        await drafter.FindsNoSeriousAccessibilityProblems("the draft page on a phone, panels open");

        await drafter.Page.GetByRole(AriaRole.Button, new() { Name = "Back to the document" }).ClickAsync();
        await drafter.Sees(history).ToBeHiddenAsync();
        await drafter.Sees(drafter.Node("Action 1")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Printing_a_draft_prints_the_document_and_none_of_the_controls()
    {
        var editor = await server.SignIn("kg-editor");
        var draft = await ChapterWithActions(editor, "Programme printed for the meeting");

        await using var lead = await chromium.OpensTheAppAs(server, "kg-editor", "printing-a-draft");
        await lead.OpensDraft(draft);
        await lead.Page.EmulateMediaAsync(new() { Media = Media.Print });
        await lead.Sees(lead.Node("Action 2")).ToContainTextAsync("Opioid agonist therapy in every region");
        await lead.Sees(lead.Page.GetByRole(AriaRole.Button).Filter(new() { Visible = true })).ToHaveCountAsync(0);
        await lead.Sees(lead.Panel("History")).ToBeHiddenAsync();
        await lead.Sees(lead.Page.Locator(".app-header")).ToBeHiddenAsync();
        await lead.Screenshot("print-preview");

        var pdf = Path.Combine(Repository.Root, "tests", "CadapDrafting.Tests", "TestResults", "screenshots", "printing-a-draft", "printed.pdf");
        await lead.Page.PdfAsync(new() { Path = pdf, Format = "A4" });
        var text = await PdfText(pdf);
        Assert.Contains("Opioid agonist therapy in every region", text);
        Assert.Contains("Programme printed for the meeting", text);
        foreach (var control in new[] { "Comment", "Suggestion mode", "Sign out", "Lineage", "Export", "Recent changes" })
            Assert.DoesNotContain(control, text);
    }

    [Fact]
    public async Task Every_control_on_a_node_is_named_with_the_node_s_kind_and_the_keyboard_reaches_it_with_visible_focus()
    {
        var editor = await server.SignIn("kg-editor");
        var draft = await editor.CreatesDraft("KG", title: "Programme with a chapter and an action numbered alike");
        // A chapter 1 and an action 1 side by side: "Comment on 1" would name two buttons.
        await editor.Inserts(draft, NodeKind.Chapter, "General provisions");
        await editor.Inserts(draft, NodeKind.Action, "Coordination council", afterNodeId: (await editor.Reads(draft)).Nodes[0].Id);

        await using var lead = await chromium.OpensTheAppAs(server, "kg-editor", "named-and-reached-by-keyboard");
        await lead.OpensDraft(draft);
        var names = await lead.Page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll(".node-tools button")].map((b) => b.getAttribute("aria-label") ?? b.textContent)
            """);
        Assert.NotEmpty(names);
        Assert.Equal(names.Length, names.Distinct().Count());
        Assert.Contains("Comment on Chapter 1", names);
        Assert.Contains("Comment on Action 1", names);

        // The keyboard alone: tab to the action's comment button, open the form, type, send.
        var comment = lead.Node("Action 1").GetByRole(AriaRole.Button, new() { Name = "Comment on Action 1" });
        await lead.Node("Action 1").FocusAsync();
        for (var i = 0; i < 30 && !await comment.EvaluateAsync<bool>("b => b === document.activeElement"); i++)
            await lead.Page.Keyboard.PressAsync("Tab");
        await lead.Sees(comment).ToBeFocusedAsync();
        var outline = await comment.EvaluateAsync<string>("b => getComputedStyle(b).outlineStyle + ' ' + getComputedStyle(b).outlineWidth");
        Assert.StartsWith("solid", outline);
        await lead.Screenshot("visible-focus-on-a-named-control");
        await lead.Page.Keyboard.PressAsync("Enter");
        var field = lead.Node("Action 1").GetByRole(AriaRole.Textbox, new() { Name = "Comment", Exact = true });
        await lead.Sees(field).ToBeFocusedAsync();
        await lead.Page.Keyboard.TypeAsync("Who chairs the council?");
        await lead.Page.Keyboard.PressAsync("Tab");
        await lead.Page.Keyboard.PressAsync("Enter");
        await lead.Sees(lead.CommentIn("Action 1", "Who chairs the council?")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Axe_core_finds_no_serious_or_critical_violation_on_the_main_pages()
    {
        var editor = await server.SignIn("kg-editor");
        var draft = await ChapterWithActions(editor, "Programme checked for accessibility");
        var proposal = await editor.ProposesText(draft, (await editor.Reads(draft)).Nodes[0].Children[0].Id, 1, "School and family prevention");
        var chapter = (await editor.Reads(draft)).Nodes[0].Id;
        await Expect.Status(await editor.Command($"/api/drafts/{draft}/threads", new { nodeId = chapter, text = "Is this complete?" }),
            HttpStatusCode.OK);

        await using var lead = await chromium.OpensTheAppAs(server, "kg-editor", "accessibility-of-the-main-pages");
        await lead.FindsNoSeriousAccessibilityProblems("the draft list");
        await lead.OpensDraft(draft);
        await lead.Sees(lead.ProposalOn("Action 1", "School and family prevention")).ToBeVisibleAsync();
        await lead.FindsNoSeriousAccessibilityProblems("the draft page");

        var slider = lead.Page.GetByRole(AriaRole.Slider, new() { Name = "Scrub through revisions" });
        await slider.FocusAsync();
        await lead.Page.Keyboard.PressAsync("Home");
        await lead.Page.Keyboard.PressAsync("ArrowRight");
        await lead.Sees(lead.Page.GetByText("You are looking at revision 1")).ToBeVisibleAsync();
        await lead.FindsNoSeriousAccessibilityProblems("the history (a past revision)");

        await lead.Page.GotoAsync("/import");
        await lead.Sees(lead.Page.GetByRole(AriaRole.Heading, new() { Name = "Import a Word file" })).ToBeVisibleAsync();
        await lead.FindsNoSeriousAccessibilityProblems("the import page");

        await lead.Page.GotoAsync("/programme/comparison");
        await lead.Sees(lead.Page.GetByTestId("comparison-drafts")).ToBeVisibleAsync();
        await lead.FindsNoSeriousAccessibilityProblems("the cross-country comparison");
        await lead.Page.GotoAsync("/programme/library");
        await lead.Sees(lead.Page.GetByRole(AriaRole.Heading, new() { Name = "Good-practice library" })).ToBeVisibleAsync();
        await lead.FindsNoSeriousAccessibilityProblems("the good-practice library");
        _ = proposal;
    }

    private static async Task<string> PdfText(string pdf)
    {
        using var process = Process.Start(new ProcessStartInfo("pdftotext", ["-layout", pdf, "-"]) { RedirectStandardOutput = true })!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return text;
    }
}
