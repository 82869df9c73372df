using CadapDrafting.Drafts;
using Microsoft.Playwright;

namespace CadapDrafting.Tests.WebApp;

[Collection(ServerCollection.Name)]
public sealed class KeepingTranslationsInStep(LiveServer server, Chromium chromium)
{
    private static readonly Dictionary<string, string> Bilingual = new()
    {
        ["en"] = "Opioid agonist therapy in every region",
        ["ru"] = "Опиоидная заместительная терапия в каждом регионе",
    };

    [Fact]
    public async Task Editing_the_Russian_source_text_flags_the_English_one_live_and_the_lead_drafter_confirms_or_updates_it_in_the_page()
    {
        var colleague = await server.SignIn("kg-editor");
        var draft = await colleague.CreatesDraft("KG", title: "Anti-Drug Programme, in two languages");
        var action = await colleague.InsertsAction(draft, Bilingual);

        await using var lead = await chromium.OpensTheAppAs(server, "kg-editor", "keeping-translations-in-step");
        await lead.OpensDraft(draft);
        var node = lead.Node("Action 1");
        var translations = lead.Page.GetByTestId("translations");
        // Kyrgyzstan drafts in Russian (the source language); English and Kyrgyz follow it.
        await lead.Sees(translations).ToContainTextAsync("Source language: Russian");
        await lead.Sees(translations.GetByTestId("translation-summary-en")).ToHaveTextAsync("English: 1 up to date, 0 stale, 0 missing");
        await lead.Sees(translations.GetByTestId("translation-summary-ky")).ToHaveTextAsync("Kyrgyz: 0 up to date, 0 stale, 1 missing");
        await lead.Sees(node.GetByTestId("stale-en")).ToHaveCountAsync(0);

        // A colleague rewords the Russian (source) text only: the English text is flagged at once, without a reload.
        await colleague.Amends(draft, action, new() { ["ru"] = "Опиоидная заместительная терапия в каждом регионе и в тюрьмах" });
        await lead.Sees(node.GetByTestId("stale-en")).ToContainTextAsync("English translation stale since source text revision 2");
        await lead.Sees(node.GetByTestId("stale-en")).ToContainTextAsync("the English text still follows revision 1");
        await lead.Sees(translations.GetByTestId("translation-summary-en")).ToHaveTextAsync("English: 0 up to date, 1 stale, 0 missing");
        await lead.Screenshot("english-flagged-after-a-russian-edit");
        await lead.FindsNoSeriousAccessibilityProblems("the draft page with a stale translation");

        // The English text still says the same: the lead drafter confirms it.
        await node.GetByRole(AriaRole.Button, new() { Name = "Confirm the English translation of Action 1" }).ClickAsync();
        await lead.Sees(node.GetByTestId("stale-en")).ToHaveCountAsync(0);
        await lead.Sees(translations.GetByTestId("translation-summary-en")).ToHaveTextAsync("English: 1 up to date, 0 stale, 0 missing");
        var status = await colleague.ReadsTranslations(draft);
        Assert.Equal(0, status.Languages.Single(l => l.Language == "en").Stale);

        // The next Russian edit changes the meaning: the lead drafter updates the English text from the flag.
        await colleague.Amends(draft, action, new() { ["ru"] = "Опиоидная заместительная терапия в каждом регионе, в тюрьмах и в СИЗО" });
        await lead.Sees(node.GetByTestId("stale-en")).ToContainTextAsync("since source text revision 3");
        await node.GetByRole(AriaRole.Button, new() { Name = "Update the English translation of Action 1" }).ClickAsync();
        var english = node.GetByLabel("Proposed text (EN)");
        await lead.Sees(english).ToBeFocusedAsync();
        await english.FillAsync("Opioid agonist therapy in every region, in prisons and in pre-trial detention");
        await node.GetByLabel("Why (rationale)").FillAsync("English text follows the Russian");
        await node.GetByRole(AriaRole.Button, new() { Name = "Submit proposal" }).ClickAsync();
        await lead.Sees(node.Locator(".node-text")).ToHaveTextAsync("Opioid agonist therapy in every region, in prisons and in pre-trial detention");
        await lead.Sees(node.GetByTestId("stale-en")).ToHaveCountAsync(0);
        await lead.Screenshot("english-updated-from-the-flag");
        Assert.Equal(0, (await colleague.ReadsTranslations(draft)).Languages.Single(l => l.Language == "en").Stale);
    }

    [Fact]
    public async Task A_drafter_sees_the_stale_translation_but_only_the_lead_drafter_may_confirm_it()
    {
        var editor = await server.SignIn("kg-editor");
        var draft = await editor.CreatesDraft("KG", title: "Programme with a stale translation");
        var action = await editor.InsertsAction(draft, Bilingual);
        await editor.Amends(draft, action, new() { ["ru"] = "Опиоидная заместительная терапия во всех регионах" });

        await using var drafter = await chromium.OpensTheAppAs(server, "kg-drafter", "stale-translation-seen-by-a-drafter");
        await drafter.OpensDraft(draft);
        var node = drafter.Node("Action 1");
        await drafter.Sees(node.GetByTestId("stale-en")).ToContainTextAsync("English translation stale since source text revision 2");
        await drafter.Sees(node.GetByRole(AriaRole.Button, new() { NameRegex = new("^Confirm the English translation") })).ToHaveCountAsync(0);
        await drafter.Sees(node.GetByRole(AriaRole.Button, new() { Name = "Update the English translation of Action 1" })).ToBeVisibleAsync();

        var refused = await (await server.SignIn("kg-drafter")).ConfirmsTranslation(draft, action, "en");
        await Expect.Problem(refused, HttpStatusCode.Forbidden);
        // Confirming the source language itself is refused with the reason, not taken.
        await Expect.Problem(await editor.ConfirmsTranslation(draft, action, "ru"), HttpStatusCode.UnprocessableEntity);
        await drafter.Sees(node.GetByTestId("stale-en")).ToBeVisibleAsync();
    }
}
