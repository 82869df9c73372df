using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CadapDrafting.Tests.WebApp;

[Collection(ServerCollection.Name)]
public sealed class ImportingAWordFileInTheBrowser(LiveServer server, Chromium chromium)
{
    [Fact]
    public async Task An_editor_imports_an_action_plan_from_Word_after_reviewing_and_correcting_its_outline()
    {
        const string story = "editor-imports-word";
        await using var editor = await chromium.OpensTheAppAs(server, "kg-editor", story);
        var page = editor.Page;

        await page.GetByRole(AriaRole.Link, new() { Name = "Import a Word file" }).ClickAsync();
        await editor.Sees(page.GetByRole(AriaRole.Heading, new() { Name = "Import a Word file" })).ToBeVisibleAsync();
        await page.GetByLabel("Word file (.docx)").SetInputFilesAsync(new FilePayload
        {
            Name = "plan-ru.docx", MimeType = ImportVocabulary.DocxType, Buffer = SampleWordFiles.RussianActionPlan(),
        });
        await editor.Sees(page.GetByTestId("import-file-name")).ToHaveTextAsync("plan-ru.docx");
        await page.GetByLabel("Kind", new() { Exact = true }).SelectOptionAsync("ActionPlan");
        await page.GetByLabel("Period from").FillAsync("2022");
        await page.GetByLabel("Period to").FillAsync("2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Review the outline" }).ClickAsync();

        await editor.Sees(page.GetByTestId("import-summary")).ToContainTextAsync("plan-ru.docx: 6 nodes, 4 actions");
        var note = page.Locator(".import-line", new() { HasText = "(в редакции" });
        await editor.Sees(note).ToContainTextAsync("50%");
        await editor.FindsEveryControlLabelled();
        await editor.Screenshot("reviews-the-outline");

        // The unknown column is left out; the stray note joins the chapter heading above it.
        await page.GetByLabel(new Regex("Column “Партнеры” of table 1")).SelectOptionAsync("Ignore");
        await editor.Sees(page.GetByText("Table columns the importer does not know")).ToHaveCountAsync(0);
        await note.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Merge") }).ClickAsync();
        await editor.Sees(page.GetByTestId("import-summary")).ToContainTextAsync("5 nodes, 3 actions");
        await editor.Sees(page.Locator(".import-line", new() { HasText = "Профилактика (в редакции" })).ToBeVisibleAsync();
        await editor.Screenshot("corrects-the-outline");

        await page.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true }).ClickAsync();

        await editor.Sees(page.Locator("#draft-title")).ToContainTextAsync("План действий по профилактике (пример)");
        await editor.Sees(editor.Node("Action 3")).ToBeVisibleAsync();
        await editor.Screenshot("sees-the-imported-plan");

        // What the ministry sends: the imported plan as a PDF in Russian, its action records with their form of completion.
        await page.GetByLabel("Text language").SelectOptionAsync("ru");
        var pdf = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Button, new() { Name = "Export as PDF" }).ClickAsync(), new() { Timeout = 120_000 });
        Assert.EndsWith("-ru.pdf", pdf.SuggestedFilename);
        var text = History.ExportConsumers.Normalised(await History.ExportConsumers.TextOfPdf(await File.ReadAllBytesAsync(await pdf.PathAsync())));
        Assert.Contains("План действий по профилактике (пример)", text);
        Assert.Contains("Форма завершения", text);
        Assert.Contains("Отчет в Кабинет Министров", text);
        Assert.DoesNotContain("Action 1", text);

        // The same page in Russian.
        await page.GotoAsync("/import");
        await page.GetByLabel("Interface language").SelectOptionAsync("ru");
        await editor.Sees(page.GetByRole(AriaRole.Heading, new() { Name = "Импорт файла Word" })).ToBeVisibleAsync();
        await editor.Sees(page.GetByRole(AriaRole.Button, new() { Name = "Проверить структуру" })).ToBeVisibleAsync();
        await editor.Screenshot("sees-the-import-page-in-russian");
    }

    [Fact]
    public async Task A_file_that_is_not_a_Word_document_is_refused_next_to_the_form()
    {
        await using var drafter = await chromium.OpensTheAppAs(server, "tj-drafter", "drafter-import-refused");
        var page = drafter.Page;
        await page.GotoAsync("/import");
        await page.GetByLabel("Word file (.docx)").SetInputFilesAsync(new FilePayload
        {
            Name = "plan.docx", MimeType = ImportVocabulary.DocxType, Buffer = "Plan typed as text"u8.ToArray(),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Review the outline" }).ClickAsync();
        await drafter.Sees(page.GetByTestId("import-problem")).ToContainTextAsync("not a Word document");
        await drafter.Screenshot("sees-the-file-refused");
    }
}
