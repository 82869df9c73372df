using CadapDrafting.Programme;

namespace CadapDrafting.Tests.Programme;

[Collection(ServerCollection.Name)]
public sealed class KeepingTranslationsInStep(AppFixture app)
{
    [Fact]
    public async Task Editing_the_Russian_text_flags_the_English_and_national_language_texts_stale_until_updated_or_confirmed()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var draft = await editor.CreatesDraft("KG");
        var action = await editor.InsertsAction(draft, new()
        {
            ["ru"] = "Расширить программы заместительной терапии",
            ["en"] = "Expand opioid agonist therapy programmes",
            ["ky"] = "Опиоиддик агонисттик терапия программаларын кеңейтүү",
        });
        Assert.All((await editor.ReadsTranslations(draft)).Languages, l => Assert.Equal((1, 0, 0), (l.UpToDate, l.Stale, l.Missing)));

        await editor.Amends(draft, action, new() { ["ru"] = "Расширить программы заместительной терапии во всех областях" });

        var stale = await editor.ReadsTranslations(draft);
        Assert.Equal("ru", stale.SourceLanguage);
        Assert.Equal(0, Language(stale, "ru").Stale);
        Assert.Equal(action, Assert.Single(Language(stale, "en").StaleNodes).NodeId);
        Assert.Equal(action, Assert.Single(Language(stale, "ky").StaleNodes).NodeId);
        Assert.Equal(1, (await editor.ReadsProgramme(draft)).Translations.Languages.Single(l => l.Language == "en").Stale);

        await editor.Amends(draft, action, new() { ["en"] = "Expand opioid agonist therapy programmes in every region" });
        await Expect.Status(await editor.ConfirmsTranslation(draft, action, "ky"), HttpStatusCode.OK);

        var current = await editor.ReadsTranslations(draft);
        Assert.All(current.Languages, l => Assert.Equal(0, l.Stale));
    }

    [Fact]
    public async Task Editing_only_a_translation_leaves_the_others_current_and_confirming_a_current_one_is_refused()
    {
        var editor = await Person.SignIn(app, "tj-editor");
        var draft = await editor.CreatesDraft("TJ");
        var action = await editor.InsertsAction(draft, new() { ["ru"] = "Обучить пограничников", ["en"] = "Train border guards" });

        await editor.Amends(draft, action, new() { ["en"] = "Train border guards and customs officers" });

        var status = await editor.ReadsTranslations(draft);
        Assert.Equal(0, Language(status, "en").Stale);
        Assert.Equal(action, Assert.Single(Language(status, "tg").MissingNodes).NodeId);
        var refused = await Expect.Problem(await editor.ConfirmsTranslation(draft, action, "en"), HttpStatusCode.Conflict);
        Assert.Equal("UpToDate", refused.GetProperty("translation").GetString());
        var missing = await Expect.Problem(await editor.ConfirmsTranslation(draft, action, "tg"), HttpStatusCode.Conflict);
        Assert.Contains("Propose a translation", missing.GetProperty("detail").GetString());
        var drafter = await Person.SignIn(app, "tj-drafter");
        await Expect.Problem(await drafter.ConfirmsTranslation(draft, action, "en"), HttpStatusCode.Forbidden);
        Assert.Equal(status.Languages.Select(l => l.UpToDate), (await editor.ReadsTranslations(draft)).Languages.Select(l => l.UpToDate));
    }

    private static LanguageStatus Language(TranslationStatus status, string language) => status.Languages.Single(l => l.Language == language);
}
