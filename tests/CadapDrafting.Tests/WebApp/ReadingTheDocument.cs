using CadapDrafting.Drafts;
using CadapDrafting.Proposals;
using Microsoft.Playwright;

namespace CadapDrafting.Tests.WebApp;

[Collection(ServerCollection.Name)]
public sealed class ReadingTheDocument(LiveServer server, Chromium chromium)
{
    [Fact]
    public async Task A_drafter_reads_the_text_in_one_language_or_side_by_side_with_the_action_attributes_as_a_table()
    {
        var editor = await server.SignIn("kg-editor");
        var draft = await editor.CreatesDraft("KG", title: "Anti-Drug Programme, bilingual");
        var response = await editor.Proposes(draft, new {
            kind = ProposalKind.Insert, nodeKind = NodeKind.Action, rationale = "Structure of the plan", acceptNow = true,
            text = new { en = "Opioid agonist therapy in every region", ru = "Опиоидная заместительная терапия в каждом регионе" },
            attributes = new {
                objective = "Reduce overdose deaths", responsibleBodies = new[] { "Ministry of Health" },
                timeline = new { start = "2026-01-01", end = "2028-12-31" }, pillar = "Treatment", sdgTargets = new[] { "3.5" },
                budget = new { amount = 1_200_000, currency = "KGS" },
            },
        });
        await Expect.Status(response, HttpStatusCode.OK);

        await using var drafter = await chromium.OpensTheAppAs(server, "kg-drafter", "reading-the-document");
        await drafter.OpensDraft(draft);
        var action = drafter.Node("Action 1");
        await drafter.Sees(action.Locator(".node-text")).ToHaveTextAsync("Opioid agonist therapy in every region");
        var attributes = action.GetByRole(AriaRole.Table, new() { Name = "Action attributes" });
        await drafter.Sees(attributes.GetByRole(AriaRole.Row, new() { Name = "Responsible Ministry of Health" })).ToBeVisibleAsync();
        await drafter.Sees(attributes.GetByRole(AriaRole.Row, new() { Name = "Timeline 2026-01-01 – 2028-12-31" })).ToBeVisibleAsync();
        await drafter.Sees(attributes.GetByRole(AriaRole.Row, new() { Name = "2030 Agenda SDG 3.5" })).ToBeVisibleAsync();

        await drafter.Page.GetByLabel("Text language").SelectOptionAsync("ru");
        await drafter.Sees(action.Locator(".node-text")).ToHaveTextAsync("Опиоидная заместительная терапия в каждом регионе");
        await drafter.Screenshot("reads-the-russian-text");

        await drafter.Page.GetByLabel("All languages side by side").CheckAsync();
        await drafter.Sees(action.Locator(".node-text[lang=en]")).ToContainTextAsync("Opioid agonist therapy in every region");
        await drafter.Sees(action.Locator(".node-text[lang=ru]")).ToContainTextAsync("Опиоидная заместительная терапия");
        await drafter.Screenshot("reads-all-languages-side-by-side");
    }
}
