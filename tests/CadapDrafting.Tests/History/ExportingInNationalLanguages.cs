using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CadapDrafting.Drafts;
using CadapDrafting.History.Exports;
using CadapDrafting.Proposals;
using DocumentFormat.OpenXml.Packaging;
using W = DocumentFormat.OpenXml.Wordprocessing;
using static CadapDrafting.Tests.History.ExportConsumers;

namespace CadapDrafting.Tests.History;

/// <summary>
/// Exports in the national languages: every word around the draft's text (labels, record fields and values, the
/// status line, the title page, the stamp) in Kyrgyz or Uzbek, never English or Russian, with dates and amounts
/// written the way that language's culture writes them; and the action record's form of completion in every format.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ExportingInNationalLanguages(AppFixture app)
{
    /// <summary>A draft in a national language beside Russian: its title, a chapter and an action with a full record.</summary>
    private sealed record NationalDraft(string Country, string Language, string Currency, string Title, string Chapter, string Action,
        string Objective, string Body, string Indicator, string Source, string Completion);

    private static readonly NationalDraft Kyrgyz = new("KG", "ky", "KGS", "Баңгизаттарга каршы программа 2022–2026",
        "Суроо-талапты азайтуу", "Мектептерде далилдүү алдын алуу программаларын киргизүү", "Өспүрүмдөрдүн биринчи колдонуусун кечеңдетүү",
        "Кыргыз Республикасынын Билим берүү жана илим министрлиги", "Камтылган мектептер", "Республикалык бюджет",
        "Кыргыз Республикасынын Министрлер Кабинетине отчет");

    private static readonly NationalDraft Uzbek = new("UZ", "uz", "UZS", "Giyohvandlikka qarshi dastur 2022–2026",
        "Talabni kamaytirish", "Maktablarda dalillarga asoslangan profilaktika dasturlarini joriy etish",
        "Oʻsmirlarda birinchi isteʼmolni kechiktirish", "Oʻzbekiston Respublikasi Maktabgacha va maktab taʼlimi vazirligi",
        "Qamrab olingan maktablar", "Respublika byudjeti", "Oʻzbekiston Respublikasi Vazirlar Mahkamasiga hisobot");

    private async Task<(Guid Draft, Person Editor)> ADraftIn(NationalDraft d)
    {
        var editor = await Person.SignIn(app, $"{d.Country.ToLowerInvariant()}-editor");
        var created = await editor.Command("/api/drafts", new {
            country = d.Country, kind = DraftKind.ActionPlan, periodStart = 2022, periodEnd = 2026,
            title = new Dictionary<string, string> { ["ru"] = "Антинаркотическая программа на 2022–2026 годы", [d.Language] = d.Title },
        });
        await Expect.Status(created, HttpStatusCode.Created);
        var draft = (await Person.Accepted(created)).Result!.Value.GetProperty("draftId").GetGuid();
        var chapter = await Inserts(editor, draft, NodeKind.Chapter, new() { ["ru"] = "Сокращение спроса", [d.Language] = d.Chapter }, null);
        await Inserts(editor, draft, NodeKind.Action, new() { ["ru"] = "Внедрить программы профилактики в школах", [d.Language] = d.Action }, chapter,
            new ActionAttributes
            {
                Objective = d.Objective,
                ResponsibleBodies = [d.Body],
                Timeline = new Drafts.Timeline(new DateOnly(2025, 1, 1), new DateOnly(2026, 12, 31)),
                Indicators = [new Indicator(d.Indicator, "0", "500", d.Body, RecordedAnnually: true)],
                Budget = new Budget(1_234_567.50m, d.Currency, d.Source),
                Pillar = Pillar.HarmReduction,
                UseResponse = UseResponse.Both,
                SdgTargets = ["3.5"],
                GenderMarker = true,
                CompletionForm = d.Completion,
            });
        return (draft, editor);
    }

    private static async Task<Guid> Inserts(Person editor, Guid draft, NodeKind kind, Dictionary<string, string> text, Guid? parentId,
        ActionAttributes? attributes = null)
    {
        var response = await editor.Proposes(draft, new {
            kind = ProposalKind.Insert, nodeKind = kind, parentId, text, attributes, rationale = "Structure of the programme", acceptNow = true,
        });
        await Expect.Status(response, HttpStatusCode.OK);
        return (await Person.Accepted(response)).Result!.Value.GetProperty("nodeId").GetGuid();
    }

    [Fact]
    public async Task A_Kyrgyz_and_an_Uzbek_export_say_no_English_or_Russian_word_and_write_dates_and_amounts_as_their_cultures_do()
    {
        var expected = new Dictionary<string, string[]>
        {
            ["ky"] =
            [
                "Кыргыз Республикасы", "Иш-аракеттер планы 2022–2026", "Баңгизаттарга каршы программа 2022–2026", "Долбоор иштелип чыгууда",
                "1-бап", "1-иш-чара", "Зыянды азайтуу", "Көңүл ачуу үчүн жана көйгөйлүү колдонуу", "1 234 567,50 KGS",
                "2025-ж., 1-январь – 2026-ж., 31-декабрь", "Гендердик белги", "ооба", "Аяктоо формасы",
                "Кыргыз Республикасынын Министрлер Кабинетине отчет", "ДОЛБООР",
            ],
            ["uz"] =
            [
                "Oʻzbekiston Respublikasi", "Harakatlar rejasi 2022–2026", "Giyohvandlikka qarshi dastur 2022–2026", "Loyiha ishlab chiqilmoqda",
                "1-bob", "1-tadbir", "Zararni kamaytirish", "Koʻngilochar va muammoli isteʼmol", "1 234 567,50 UZS",
                "2025-yil 1-yanvar – 2026-yil 31-dekabr", "Gender belgisi", "Amalga oshirish shakli",
                "Oʻzbekiston Respublikasi Vazirlar Mahkamasiga hisobot", "LOYIHA",
            ],
        };
        foreach (var national in new[] { Kyrgyz, Uzbek })
        {
            var (draft, editor) = await ADraftIn(national);
            var lang = $"lang={national.Language}";
            var docx = await editor.Exports(draft, "docx", lang);
            var exports = new[]
            {
                ("docx", Normalised(await TextOfWord(docx) + " " + HeaderAndFooterText(docx))),
                ("pdf", Normalised(await TextOfPdf(await editor.Exports(draft, "pdf", lang)))),
                ("html", Normalised(TextOfHtml(Utf8(await editor.Exports(draft, "html", lang))))),
                // The Markdown as a reader sees it: the stamp's machine-readable comment (names, not labels) is not rendered.
                ("md", Normalised(Regex.Replace(Utf8(await editor.Exports(draft, "md", lang)), "<!--.*?-->", "", RegexOptions.Singleline))),
            };
            var labels = ExportLanguage.Of(national.Language).Labels;
            var foreign = WordsOf(ExportLabels.English, "en-GB").Concat(WordsOf(ExportLabels.Russian, "ru-RU"))
                .Except(WordsOf(labels, ExportLanguage.Of(national.Language).Culture.Name)).Distinct().ToList();
            Assert.Contains("Form of completion", foreign);
            Assert.Contains("Форма завершения", foreign);
            foreach (var (format, text) in exports)
            {
                foreach (var phrase in expected[national.Language])
                    Assert.True(text.Contains(phrase, StringComparison.Ordinal), $"The {national.Language} {format} export lacks \"{phrase}\"");
                foreach (var word in foreign)
                    Assert.False(Regex.IsMatch(text, $@"(?<![\p{{L}}]){Regex.Escape(word)}(?![\p{{L}}])"),
                        $"The {national.Language} {format} export still says \"{word}\"");
            }
            var pdf = exports.Single(e => e.Item1 == "pdf").Item2;
            Assert.Matches(national.Language == "ky" ? @"Бет 1 / \d+" : @"Sahifa 1 / \d+", pdf);

            // The Word file tags the labels with the national language, so Word checks their spelling as such.
            using (var word = WordprocessingDocument.Open(new MemoryStream(docx), false))
            {
                var tag = ExportLanguage.Of(national.Language).Tag;
                var labelRun = word.MainDocumentPart!.Document!.Body!.Descendants<W.Run>().First(r => r.InnerText.StartsWith("1-"));
                Assert.Equal(tag, labelRun.RunProperties!.Languages!.Val!.Value);
            }

            // Akoma Ntoso: the same record, the form of completion included, dates as <date> in the language.
            var aknBytes = await editor.Exports(draft, "akn", lang);
            var akn = XDocument.Parse(Utf8(aknBytes));
            var rows = akn.Descendants().Where(e => e.Name.LocalName == "tr")
                .ToDictionary(r => r.Elements().First().Value, r => r.Elements().Last().Value);
            Assert.Equal(national.Completion, rows[labels.CompletionForm]);
            Assert.Equal(expected[national.Language][9], rows[labels.Timeline]);
            Assert.Equal("", await XmllintErrors(aknBytes));

            // A language the draft does not have is still refused.
            var other = national.Language == "ky" ? "uz" : "ky";
            var refused = await editor.Http.GetAsync($"/api/drafts/{draft}/history/export/pdf?lang={other}");
            await Expect.Problem(refused, HttpStatusCode.UnprocessableEntity);
        }
    }

    [Fact]
    public async Task The_form_of_completion_is_in_the_record_of_every_format_in_each_language_of_the_draft()
    {
        var (draft, editor) = await ADraftIn(Kyrgyz);
        foreach (var language in new[] { "ru", "en", "ky" })
        {
            var labels = ExportLanguage.Of(language).Labels;
            var lang = $"lang={language}";
            using (var word = WordprocessingDocument.Open(new MemoryStream(await editor.Exports(draft, "docx", lang)), false))
            {
                var row = word.MainDocumentPart!.Document!.Body!.Descendants<W.TableRow>()
                    .Single(r => r.Elements<W.TableCell>().First().InnerText == labels.CompletionForm);
                Assert.Equal(Kyrgyz.Completion, row.Elements<W.TableCell>().Last().InnerText);
            }
            var html = Utf8(await editor.Exports(draft, "html", lang));
            Assert.Contains($"<tr><th>{System.Net.WebUtility.HtmlEncode(labels.CompletionForm)}</th><td>{Kyrgyz.Completion}</td></tr>", html);
            Assert.Contains($"| {labels.CompletionForm} | {Kyrgyz.Completion} |", Utf8(await editor.Exports(draft, "md", lang)));
            var akn = XDocument.Parse(Utf8(await editor.Exports(draft, "akn", lang)));
            Assert.Contains(akn.Descendants().Where(e => e.Name.LocalName == "tr"),
                r => r.Elements().First().Value == labels.CompletionForm && r.Elements().Last().Value == Kyrgyz.Completion);
        }
        Assert.Equal("Form of completion", ExportLabels.English.CompletionForm);
        Assert.Equal("Форма завершения", ExportLabels.Russian.CompletionForm);
        // The PDF is the Word file laid out: its record has the row too (the Kyrgyz PDF is read in the test above).
        var pdf = Normalised(await TextOfPdf(await editor.Exports(draft, "pdf", "lang=ru")));
        Assert.Contains("Форма завершения", pdf);
        Assert.Contains("Министрлер Кабинетине отчет", pdf);
    }

    [Fact]
    public void Every_national_label_set_is_complete_in_its_own_words_and_its_culture_formats_dates_and_amounts()
    {
        var date = new DateOnly(2025, 1, 1);
        var expected = new Dictionary<string, (string Date, string Chapter, string Action)>
        {
            ["kk"] = ("2025 ж. 1 қаңтар", "2-тарау", "14-іс-шара"),
            ["ky"] = ("2025-ж., 1-январь", "2-бап", "14-иш-чара"),
            ["tg"] = ("1 Январ 2025", "Боби 2", "Чорабинии 14"),
            ["tk"] = ("1 ýanwar 2025", "2-nji bap", "14-nji çäre"),
            ["uz"] = ("2025-yil 1-yanvar", "2-bob", "14-tadbir"),
        };
        var english = WordsOf(ExportLabels.English, "en-GB").ToHashSet();
        var russian = WordsOf(ExportLabels.Russian, "ru-RU").ToHashSet();
        foreach (var (code, (formatted, chapter, action)) in expected)
        {
            var lang = ExportLanguage.Of(code);
            Assert.Equal(code, lang.LabelsLanguage);
            // The culture is ICU's own (the app runs with globalization on), not the invariant one.
            Assert.False(CultureInfo.InvariantCulture.Equals(lang.Culture));
            Assert.Equal(formatted, lang.Date(date));
            Assert.Equal("1 234 567,50", Normalised(lang.Amount(1_234_567.50m)));
            Assert.Equal(chapter, lang.Label(NodeKind.Chapter, "2"));
            Assert.Equal(action, lang.Label(NodeKind.Action, "14"));

            var labels = lang.Labels;
            Assert.Equal(Enum.GetValues<Pillar>().Length, labels.Pillars.Count);
            Assert.Equal(Enum.GetValues<UseResponse>().Length, labels.UseResponses.Count);
            Assert.Equal(Enum.GetValues<DraftStatus>().Length, labels.Statuses.Count);
            Assert.Equal(Enum.GetValues<DraftKind>().Length, labels.Kinds.Count);
            Assert.Equal(ExportLabels.English.Countries.Keys.Order(), labels.Countries.Keys.Order());
            Assert.Equal(ExportLabels.English.LanguageNames.Keys.Order(), labels.LanguageNames.Keys.Order());
            Assert.Contains("{0}", labels.Untranslated);
            Assert.Contains("{1}", labels.ChangesBetween);
            // No word is left in English; only the loanword the language really uses is the same as in Russian (month
            // names are the culture's: Kyrgyz names the months as Russian does, in the nominative).
            var words = WordsOf(labels, culture: null).ToList();
            Assert.Equal([], words.Where(english.Contains).ToList());
            Assert.Equal([], words.Where(russian.Contains).Except(["Стратегия"]).ToList());
        }
        Assert.Equal(["1-nji", "2-nji", "6-njy", "9-njy", "10-njy", "20-nji", "30-njy", "40-njy", "2.10-njy", "100-nji"],
            new[] { "1", "2", "6", "9", "10", "20", "30", "40", "2.10", "100" }.Select(ExportLanguage.TurkmenOrdinal));
    }

    /// <summary>Every word a label set writes around the text (placeholders stripped) and, with a culture, its month names.</summary>
    internal static IEnumerable<string> WordsOf(ExportLabels labels, string? culture)
    {
        foreach (var property in typeof(ExportLabels).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.Name == nameof(ExportLabels.DateFormat)) continue;
            var words = property.GetValue(labels) switch
            {
                string s => [s],
                System.Collections.IDictionary d => d.Values.Cast<string>(),
                _ => [],
            };
            foreach (var word in words)
                foreach (var part in Regex.Split(word, @"\{\d\}|[\[\];]").Select(p => p.Trim().Trim('-').Trim()).Where(p => p.Length > 1))
                    yield return part;
        }
        if (culture is null) yield break;
        var months = CultureInfo.GetCultureInfo(culture).DateTimeFormat;
        foreach (var month in months.MonthGenitiveNames.Concat(months.MonthNames).Where(m => m.Length > 0).Distinct())
            yield return month;
    }

    /// <summary>The Word file's header and footer as text (LibreOffice's text export leaves them out).</summary>
    private static string HeaderAndFooterText(byte[] docx)
    {
        using var word = WordprocessingDocument.Open(new MemoryStream(docx), false);
        var main = word.MainDocumentPart!;
        return string.Join(" ", main.HeaderParts.Select(h => h.Header!.InnerText).Concat(main.FooterParts.Select(f => f.Footer!.InnerText)));
    }
}
