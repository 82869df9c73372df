using System.IO.Compression;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using CadapDrafting.Drafts;
using CadapDrafting.History;
using CadapDrafting.History.Exports;
using CadapDrafting.Proposals;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using W = DocumentFormat.OpenXml.Wordprocessing;
using static CadapDrafting.Tests.History.ExportConsumers;

namespace CadapDrafting.Tests.History;

[Collection(ServerCollection.Name)]
public sealed class ExportingADraft(AppFixture app)
{
    private const string Hostile = "Harm reduction <script>alert('x')</script> & *stars* [link](http://x) # not a heading | pipe";

    /// <summary>An action plan in English with a chapter, a section, actions with records and points, and text hostile to every format.</summary>
    private async Task<(Guid Draft, Person Editor, int FirstRevision)> AnActionPlan(string country)
    {
        var editor = await Person.SignIn(app, $"{country.ToLowerInvariant()}-editor");
        var draft = await editor.CreatesDraft(country, title: "Anti-Drug Programme 2022–2026");
        var chapter = await editor.Inserts(draft, NodeKind.Chapter, "Demand reduction");
        var section = await editor.Inserts(draft, NodeKind.Section, "Prevention", chapter);
        var first = await editor.Inserts(draft, NodeKind.Action, "Introduce evidence-based prevention in schools", section, attributes: new {
            objective = "Delay first use among adolescents",
            responsibleBodies = new[] { "Ministry of Education", "Ministry of Health" },
            timeline = new { start = "2025-01-01", end = "2026-12-31" },
            indicators = new[] {
                new { name = "Schools covered", baseline = "0", target = "500", dataSource = "Ministry of Education", recordedAnnually = true } },
            budget = new { amount = 120000.50m, currency = "KGS" },
            pillar = "HarmReduction",
            sdgTargets = new[] { "3.5" },
            genderMarker = true,
        });
        await editor.Inserts(draft, NodeKind.Point, "Train teachers", first);
        var revision = (await editor.Reads(draft)).Revision;
        await editor.Inserts(draft, NodeKind.Action, Hostile, section, first);
        return (draft, editor, revision);
    }

    /// <summary>Kyrgyzstan's programme written in Russian (with English for some nodes), with a full action record in Russian.</summary>
    private async Task<(Guid Draft, Person Editor, Guid Action)> ARussianProgramme()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var created = await editor.Command("/api/drafts", new {
            country = "KG", kind = DraftKind.ActionPlan, periodStart = 2022, periodEnd = 2026,
            title = new { ru = "Антинаркотическая программа на 2022–2026 годы", en = "Anti-Drug Programme 2022–2026" },
        });
        await Expect.Status(created, HttpStatusCode.Created);
        var draft = (await Person.Accepted(created)).Result!.Value.GetProperty("draftId").GetGuid();
        var chapter = await InsertsNode(editor, draft, NodeKind.Chapter, new() { ["ru"] = "Сокращение спроса", ["en"] = "Demand reduction" }, null,
            null);
        await editor.Amends(draft, chapter, new() { ["ru"] = "Сокращение спроса на наркотики" });
        var opening = await InsertsNode(editor, draft, NodeKind.Action, new() { ["ru"] = "Провести национальное исследование употребления" }, chapter,
            null);
        var action = await InsertsNode(editor, draft, NodeKind.Action, new() { ["ru"] = "Внедрить доказательные программы профилактики в школах" },
            chapter, opening, new ActionAttributes
            {
                Objective = "Отсрочить первое употребление среди подростков",
                ResponsibleBodies = ["Министерство образования и науки", "Министерство здравоохранения"],
                Timeline = new Drafts.Timeline(new DateOnly(2025, 1, 1), new DateOnly(2026, 12, 31)),
                Indicators = [new Indicator("Охваченные школы", "0", "500", "Министерство образования и науки", RecordedAnnually: true)],
                Budget = new Budget(120_000.50m, "KGS", "Республиканский бюджет"),
                Pillar = Pillar.HarmReduction,
                UseResponse = UseResponse.Both,
                Commitments = ["Итоговый документ СГООН 2016 года"],
                SdgTargets = ["3.5"],
                GenderMarker = true,
                EvidenceReferences = ["Стандарты УНП ООН по профилактике"],
                CompletionForm = "Отчет в Кабинет Министров",
            });
        return (draft, editor, action);
    }

    private static async Task<Guid> InsertsNode(Person editor, Guid draft, NodeKind kind, Dictionary<string, string> text, Guid? parentId,
        Guid? afterNodeId, ActionAttributes? attributes = null)
    {
        var response = await editor.Proposes(draft, new {
            kind = ProposalKind.Insert, nodeKind = kind, parentId, afterNodeId, text, attributes, rationale = "Structure of the programme",
            acceptNow = true,
        });
        await Expect.Status(response, HttpStatusCode.OK);
        return (await Person.Accepted(response)).Result!.Value.GetProperty("nodeId").GetGuid();
    }

    [Fact]
    public async Task The_Akoma_Ntoso_export_validates_against_the_official_schema()
    {
        var (draft, editor, _) = await AnActionPlan("KG");
        var xml = await editor.Exports(draft, "akn", "lang=en");

        Assert.Empty(ValidateAkn(xml));
        Assert.Equal("", await XmllintErrors(xml));
        var doc = XDocument.Parse(Encoding.UTF8.GetString(xml));
        XNamespace akn = AknExport.Namespace;
        var actions = doc.Descendants(akn + "hcontainer").Where(e => (string?)e.Attribute("name") == "action").ToList();
        Assert.Equal(["1", "2"], actions.Select(a => a.Element(akn + "num")!.Value));
        Assert.Equal(["action_1", "action_2"], actions.Select(a => (string)a.Attribute("eId")!));
        Assert.Equal(Hostile, actions[1].Element(akn + "content")!.Element(akn + "p")!.Value);
        Assert.Equal("action_1__point_1", (string)Assert.Single(actions[0].Descendants(akn + "point")).Attribute("eId")!);
        Assert.Equal("chp_1__sec_1", (string)doc.Descendants(akn + "section").Single().Attribute("eId")!);

        // Responsible bodies are organisations the references name; the timeline is two dates.
        var organizations = actions[0].Descendants(akn + "organization").ToList();
        Assert.Equal(["Ministry of Education", "Ministry of Health"], organizations.Select(o => o.Value));
        var references = doc.Descendants(akn + "TLCOrganization").ToDictionary(o => "#" + (string)o.Attribute("eId")!, o =>
            (string)o.Attribute("showAs")!);
        Assert.Equal("Ministry of Health", references[(string)organizations[1].Attribute("refersTo")!]);
        Assert.Equal(["2025-01-01", "2026-12-31"], actions[0].Descendants(akn + "date").Select(d => (string)d.Attribute("date")!));
    }

    [Fact]
    public async Task A_draft_law_is_a_bill_whose_Work_address_stays_while_its_dated_Expression_and_lifecycle_follow_the_revisions()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var draft = await editor.CreatesDraft("KZ", DraftKind.Law, "On narcotic drugs and psychotropic substances");
        var chapter = await editor.Inserts(draft, NodeKind.Chapter, "General provisions");
        var article = await editor.Inserts(draft, NodeKind.Article, "Scope", chapter);
        await editor.Inserts(draft, NodeKind.Article, "Definitions", chapter, article);
        await editor.Inserts(draft, NodeKind.Point, "This law applies to every person", article);
        var earlier = (await editor.Reads(draft)).Revision;
        await Expect.Status(await editor.Command($"/api/drafts/{draft}/versions", new { name = "Submitted to the Mazhilis" }), HttpStatusCode.OK);
        await editor.Inserts(draft, NodeKind.Point, "and to every organisation", article, null);

        var now = await editor.Exports(draft, "akn", "lang=en");
        var before = await editor.Exports(draft, "akn", $"lang=en&revision={earlier}");
        Assert.Equal("", await XmllintErrors(now));
        Assert.Equal("", await XmllintErrors(before));

        XNamespace akn = AknExport.Namespace;
        var doc = XDocument.Parse(Utf8(now));
        var bill = Assert.Single(doc.Root!.Elements(akn + "bill"));
        Assert.NotNull(bill.Element(akn + "body"));
        Assert.Equal(["chp_1", "art_1", "art_2", "art_1__para_1", "art_1__para_2"],
            doc.Descendants().Where(e => e.Name.LocalName is "chapter" or "article" or "paragraph").Select(e =>
                (string)e.Attribute("eId")!).Order(StringComparer.Ordinal)
                .OrderBy(e => e.StartsWith("chp") ? 0 : e.Contains("__") ? 2 : 1));

        string Frbr(XDocument d, string level, string element) =>
            (string)d.Descendants(akn + level).Single().Element(akn + element)!.Attribute(element == "FRBRdate" ? "date" : "value")!;
        var old = XDocument.Parse(Utf8(before));
        Assert.Equal(Frbr(old, "FRBRWork", "FRBRuri"), Frbr(doc, "FRBRWork", "FRBRuri"));
        Assert.StartsWith("/akn/kz/bill/", Frbr(doc, "FRBRWork", "FRBRuri"));
        Assert.NotEqual(Frbr(old, "FRBRExpression", "FRBRuri"), Frbr(doc, "FRBRExpression", "FRBRuri"));
        Assert.Matches(@"/eng@\d{4}-\d{2}-\d{2}_r\d+$", Frbr(doc, "FRBRExpression", "FRBRuri"));

        // The lifecycle: created, then the named version (as of the later revision only).
        var events = doc.Descendants(akn + "eventRef").ToList();
        Assert.Equal(["generation", "amendment"], events.Select(e => (string)e.Attribute("type")!));
        var named = doc.Descendants(akn + "TLCEvent").Single(e => "#" + (string)e.Attribute("eId")! == (string)events[1].Attribute("refersTo")!);
        Assert.StartsWith("Submitted to the Mazhilis", (string)named.Attribute("showAs")!);
        Assert.Single(old.Descendants(akn + "eventRef"));
    }

    [Fact]
    public async Task An_approved_law_is_exported_without_the_draft_mark_and_with_its_adoption_in_the_lifecycle()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var approver = await Person.SignIn(app, "kz-approver-1");
        var draft = await editor.CreatesDraft("KZ", DraftKind.Law, "On narcotic drugs");
        await editor.Inserts(draft, NodeKind.Article, "Health-oriented responses to traditional opioid use");
        var draftDocx = await editor.Exports(draft, "docx", "lang=en");
        await editor.SetsApprovalPolicy(draft, 1, "kz-approver-1");
        await Expect.Status(await editor.StartsReview(draft), HttpStatusCode.OK);
        await Expect.Status(await approver.SignsOff(draft, 1), HttpStatusCode.OK);

        using (var before = WordprocessingDocument.Open(new MemoryStream(draftDocx), false))
            Assert.Equal("DRAFT", Assert.Single(before.MainDocumentPart!.HeaderParts).Header!.InnerText);
        var docx = await editor.Exports(draft, "docx", "lang=en");
        using (var word = WordprocessingDocument.Open(new MemoryStream(docx), false))
        {
            Assert.Empty(word.MainDocumentPart!.HeaderParts);
            Assert.Contains(word.MainDocumentPart.Document!.Body!.Elements<W.Paragraph>(), p => p.InnerText == "Status: Approved");
        }

        XNamespace akn = AknExport.Namespace;
        var xml = await editor.Exports(draft, "akn", "lang=en");
        Assert.Equal("", await XmllintErrors(xml));
        var doc = XDocument.Parse(Utf8(xml));
        var adoption = doc.Descendants(akn + "eventRef").Last();
        var adopted = doc.Descendants(akn + "TLCEvent").Single(e => "#" + (string)e.Attribute("eId")! == (string)adoption.Attribute("refersTo")!);
        Assert.StartsWith("Approved (Revision 1, sha256:", (string)adopted.Attribute("showAs")!);
    }

    [Fact]
    public async Task The_Word_export_passes_the_Open_XML_validator_with_headings_numbered_actions_and_attribute_tables()
    {
        var (draft, editor, _) = await AnActionPlan("KZ");
        var bytes = await editor.Exports(draft, "docx", "lang=en");

        using var word = WordprocessingDocument.Open(new MemoryStream(bytes), false);
        var errors = new OpenXmlValidator().Validate(word).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.Empty(errors);
        var body = word.MainDocumentPart!.Document!.Body!;
        var paragraphs = body.Elements<W.Paragraph>()
            .Select(p => (Style: p.ParagraphProperties?.ParagraphStyleId?.Val?.Value, Text: p.InnerText)).ToList();
        Assert.Contains(("Heading1", "Chapter 1. Demand reduction"), paragraphs);
        Assert.Contains(("Heading2", "Section 1.1. Prevention"), paragraphs);
        Assert.Contains(("Action", "Action 1. Introduce evidence-based prevention in schools"), paragraphs);
        Assert.Contains(("Action", $"Action 2. {Hostile}"), paragraphs);
        Assert.Contains(("Point", "1.1. Train teachers"), paragraphs);
        var table = Assert.Single(body.Elements<W.Table>());
        Assert.Contains(table.Elements<W.TableRow>(), r => r.InnerText == "Budget120,000.50 KGS");
        Assert.Contains(table.Elements<W.TableRow>(), r => r.InnerText == "SDG targets3.5");
        Assert.Contains(table.Elements<W.TableRow>(), r => r.InnerText == "PillarHarm reduction");
        Assert.Contains(table.Elements<W.TableRow>(), r => r.InnerText == "Human rights markerno");

        // Headings are Word's own, so the navigation pane and the contents find them.
        var styles = word.MainDocumentPart.StyleDefinitionsPart!.Styles!.Elements<W.Style>().ToDictionary(s => s.StyleId!.Value!);
        Assert.Equal("heading 1", styles["Heading1"].StyleName!.Val!.Value);
        Assert.Equal(0, styles["Heading1"].StyleParagraphProperties!.OutlineLevel!.Val!.Value);
    }

    [Fact]
    public async Task The_Word_export_has_a_title_page_contents_page_numbers_a_draft_mark_language_tags_and_records_kept_with_their_action()
    {
        var (draft, editor, _) = await ARussianProgramme();
        var bytes = await editor.Exports(draft, "docx", "lang=ru");

        using var word = WordprocessingDocument.Open(new MemoryStream(bytes), false);
        Assert.Empty(new OpenXmlValidator().Validate(word).Select(e => $"{e.Path?.XPath}: {e.Description}"));
        var main = word.MainDocumentPart!;
        var body = main.Document!.Body!;
        var paragraphs = body.Elements<W.Paragraph>().ToList();

        // The title page, then the contents with a page reference to each heading's bookmark.
        Assert.Equal("Кыргызская Республика", paragraphs[0].InnerText);
        Assert.Equal("План действий 2022–2026", paragraphs[1].InnerText);
        Assert.Equal("Антинаркотическая программа на 2022–2026 годы", paragraphs[2].InnerText);
        Assert.Contains(paragraphs, p => p.InnerText == "Статус: Проект в разработке");
        Assert.Contains(paragraphs, p => p.InnerText == "Содержание");
        var bookmarks = body.Descendants<W.BookmarkStart>().Select(b => b.Name!.Value).ToHashSet();
        var references = body.Descendants<W.FieldCode>().Select(f => f.Text.Trim()).Where(f => f.StartsWith("PAGEREF")).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.Contains(r.Split(' ')[1], bookmarks));

        // Page numbers and the stamp in the footer, the DRAFT mark in the header while not approved.
        var footer = Assert.Single(main.FooterParts).Footer!;
        Assert.Equal(["PAGE", "NUMPAGES"], footer.Descendants<W.SimpleField>().Select(f => f.Instruction!.Value!.Trim()));
        var stamp = footer.Elements<W.Paragraph>().Last().InnerText;
        var properties = CustomProperties(bytes);
        Assert.Equal($"Редакция {properties["cadap.revision"]} · позиция {properties["cadap.position"]} · содержание " +
            $"{properties["cadap.contentHash"]} · вершина цепочки {properties["cadap.chainHead"]} · подписанная вершина журнала " +
            $"{properties["cadap.headSize"]}:{properties["cadap.headRoot"]} (ключ {properties["cadap.headKeyId"][..16]})", stamp);
        var chain = await editor.Read<JsonElement>($"/api/drafts/{draft}/history/verify");
        Assert.Equal(chain.GetProperty("headHash").GetString(), properties["cadap.chainHead"]);
        Assert.Equal("ПРОЕКТ", Assert.Single(main.HeaderParts).Header!.InnerText);

        // Every run says its language, so Word checks Russian spelling as Russian.
        Assert.All(body.Descendants<W.Run>().Where(r => r.InnerText.Length > 0 && r.Parent is not W.Hyperlink),
            r => Assert.NotNull(r.RunProperties?.Languages?.Val));
        Assert.Contains(body.Descendants<W.Run>(), r => r.InnerText.Contains("Внедрить") && r.RunProperties!.Languages!.Val == "ru-RU");

        // The action keeps with its record; the record's rows do not split and keep together.
        var action = paragraphs.Single(p => p.InnerText.StartsWith("Мероприятие 2."));
        Assert.NotNull(action.ParagraphProperties!.KeepNext);
        Assert.IsType<W.Table>(action.NextSibling());
        var rows = ((W.Table)action.NextSibling()!).Elements<W.TableRow>().ToList();
        Assert.All(rows, r => Assert.NotNull(r.TableRowProperties!.GetFirstChild<W.CantSplit>()));
        Assert.All(rows.SkipLast(1), r => Assert.NotNull(r.Descendants<W.KeepNext>().FirstOrDefault()));

        // LibreOffice opens it and reads the same text.
        var text = Normalised(await TextOfWord(bytes));
        Assert.Contains("Мероприятие 2. Внедрить доказательные программы профилактики в школах", text);
        Assert.Contains("Бюджет 120 000,50 KGS (Республиканский бюджет)", text);
    }

    [Fact]
    public async Task In_a_Russian_export_every_label_value_amount_and_date_is_Russian_and_no_English_label_remains()
    {
        var (draft, editor, _) = await ARussianProgramme();
        var docx = Normalised(await TextOfWord(await editor.Exports(draft, "docx", "lang=ru")));
        var pdf = Normalised(await TextOfPdf(await editor.Exports(draft, "pdf", "lang=ru")));
        var html = Normalised(TextOfHtml(Utf8(await editor.Exports(draft, "html", "lang=ru"))));
        // What a reader of the Markdown sees: the stamp's machine-readable comment (names, not labels) is not rendered.
        var markdown = Normalised(Regex.Replace(Utf8(await editor.Exports(draft, "md", "lang=ru")), "<!--.*?-->", "", RegexOptions.Singleline));

        foreach (var (format, text) in new[] { ("docx", docx), ("pdf", pdf), ("html", html), ("md", markdown) })
        {
            Assert.Contains("Кыргызская Республика", text);
            Assert.Contains("План действий 2022–2026", text);
            Assert.Contains("Проект в разработке", text);
            Assert.Contains("Мероприятие 2", text);
            Assert.Contains("Снижение вреда", text);
            Assert.Contains("Рекреационное и проблемное употребление", text);
            Assert.Contains("120 000,50 KGS", text);
            Assert.Contains("1 января 2025 г. – 31 декабря 2026 г.", text);
            Assert.Contains("Гендерный маркер", text);
            Assert.Contains("Форма завершения", text);
            Assert.Contains("Отчет в Кабинет Министров", text);
            Assert.DoesNotContain("KG, 2022", text);
            foreach (var label in EnglishLabels())
                Assert.False(Regex.IsMatch(text, $@"(?<![\p{{L}}]){Regex.Escape(label)}(?![\p{{L}}])"),
                    $"The Russian {format} export still says \"{label}\"");
        }
    }

    [Fact]
    public async Task A_language_the_draft_does_not_have_is_refused_and_a_node_without_a_translation_shows_its_source_text_marked()
    {
        var (draft, editor, _) = await ARussianProgramme();

        var refused = await Expect.Problem(await editor.Http.GetAsync($"/api/drafts/{draft}/history/export/docx?lang=tk"),
            HttpStatusCode.UnprocessableEntity);
        Assert.Contains("ru, en, ky", refused.GetProperty("errors").GetProperty("lang")[0].GetString());

        // Kyrgyz is a language of the draft, but nothing is translated yet: the Russian text shows, marked in Kyrgyz.
        var kyrgyz = Utf8(await editor.Exports(draft, "html", "lang=ky"));
        Assert.Contains("<html lang=\"ky-KG\">", kyrgyz);
        Assert.Contains("<span class=\"untranslated\">[которулган эмес; түп нуска: орус тили]</span> <span lang=\"ru-RU\">Внедрить", kyrgyz);
        var english = Utf8(await editor.Exports(draft, "md", "lang=en"));
        Assert.Contains("**Action 2.** _\\[not translated; Russian original\\]_ Внедрить доказательные программы", english);
        Assert.Contains("Demand reduction", english);
        // The Russian file shows no English text; its embedded content (a comment, not shown) holds every language's.
        var russian = Utf8(await editor.Exports(draft, "md", "lang=ru"));
        Assert.DoesNotContain("Demand reduction", Regex.Replace(russian, "<!--.*?-->", "", RegexOptions.Singleline));
        Assert.Contains("Demand reduction", russian);
    }

    [Fact]
    public async Task The_same_revision_exported_twice_is_byte_identical_and_states_what_it_was_made_from()
    {
        var (draft, editor, action) = await ARussianProgramme();
        var revision = (await editor.Reads(draft)).Revision;
        foreach (var format in new[] { "docx", "html", "md", "akn", "tracked" })
        {
            var first = await editor.Exports(draft, format, $"lang=ru&revision={revision}");
            await editor.Inserts(draft, NodeKind.Point, $"Later change before the {format} export", action);
            var second = await editor.Exports(draft, format, $"lang=ru&revision={revision}");
            Assert.True(first.SequenceEqual(second), $"The {format} export of revision {revision} changed between two requests");
        }

        // The PDF: asked for twice, with a change to the draft in between, the same bytes. (A fresh conversion by another
        // renderer usually gives the same bytes too, under the stopped clock, but not always yet: see the README.)
        var served = await editor.Exports(draft, "pdf", $"lang=ru&revision={revision}");
        await editor.Inserts(draft, NodeKind.Point, "Later change before the second PDF", action);
        var servedAgain = await editor.Exports(draft, "pdf", $"lang=ru&revision={revision}");
        Assert.True(served.SequenceEqual(servedAgain), $"The pdf export of revision {revision} changed between two requests");
        var properties = CustomProperties(await editor.Exports(draft, "docx", $"lang=ru&revision={revision}"));

        var html = Utf8(await editor.Exports(draft, "html", $"lang=ru&revision={revision}"));
        Assert.Contains($"<meta name=\"cadap.contentHash\" content=\"{properties["cadap.contentHash"]}\">", html);
        Assert.Contains($"подписанная вершина журнала {properties["cadap.headSize"]}:{properties["cadap.headRoot"]}", html);
        Assert.Contains($"<meta name=\"cadap.headSignature\" content=\"{properties["cadap.headSignature"]}\">", html);
        var akn = XDocument.Parse(Utf8(await editor.Exports(draft, "akn", $"lang=ru&revision={revision}")));
        Assert.Equal(properties["cadap.chainHead"], (string)akn.Descendants().Single(e => e.Name.LocalName == "stamp").Attribute("chainHead")!);
    }

    [Fact]
    public async Task The_PDF_is_an_archivable_PDF_A_with_the_Russian_text_embedded_fonts_page_numbers_and_its_sources_attached()
    {
        var (draft, editor, _) = await ARussianProgramme();
        var pdf = await editor.Exports(draft, "pdf", "lang=ru");
        var path = await Save(pdf, "export.pdf");

        var text = Normalised(await TextOfPdf(pdf));
        Assert.Contains("Внедрить доказательные программы профилактики в школах", text);
        Assert.Contains("Страница 1 из", text);
        Assert.Contains("ПРОЕКТ", text);

        var (infoCode, info) = await Run("pdfinfo", "-meta", path);
        Assert.Equal(0, infoCode);
        Assert.Contains("<pdfaid:part>3</pdfaid:part>", info);
        Assert.DoesNotContain("Syntax Error", info);
        var (_, fonts) = await Run("pdffonts", path);
        var fontLines = fonts.Split('\n').Skip(2).Where(l => l.Trim().Length > 0).ToList();
        Assert.NotEmpty(fontLines);
        Assert.All(fontLines, l => Assert.Matches(@"\syes\s+yes\s", l));

        // The Akoma Ntoso file, the evidence manifest and the content it renders are attached, and say what the PDF was made from.
        var (listCode, list) = await Run("pdfdetach", "-list", path);
        Assert.Equal(0, listCode);
        Assert.Contains("3 embedded files", list);
        Assert.Contains(CadapDrafting.Evidence.ExportContent.PdfName, list);
        var folder = Path.GetDirectoryName(path)!;
        Assert.Equal(0, (await Run("pdfdetach", "-saveall", "-o", folder, path)).Code);
        var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(folder, ExportStamp.ManifestName))).RootElement;
        var properties = CustomProperties(await editor.Exports(draft, "docx", "lang=ru"));
        Assert.Equal(properties["cadap.contentHash"], manifest.GetProperty("contentHash").GetString());
        Assert.Equal(properties["cadap.chainHead"], manifest.GetProperty("chainHead").GetString());
        var attachedAkn = await File.ReadAllBytesAsync(Path.Combine(folder, manifest.GetProperty("aknFile").GetString()!));
        Assert.Equal("", await XmllintErrors(attachedAkn));

        // A server without the converter answers with a 503 that points to the Word export, never a 500.
        var state = await app.Host.Services.GetRequiredService<DraftHistory>().StateAtAsync(draft, long.Parse(properties["cadap.position"]));
        var withoutConverter = new PdfRenderer(NullLogger<PdfRenderer>.Instance,
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Exports:Soffice"] = "/nonexistent/soffice"
            }).Build());
        var (none, unavailable) = await withoutConverter.RenderAsync(ExportDocument.Of(state!, "ru"), CancellationToken.None);
        Assert.Null(none);
        Assert.Equal(503, unavailable!.Status);
        Assert.Contains("Word export", unavailable.Detail);
    }

    [Fact]
    public async Task The_tracked_changes_export_shows_in_LibreOffice_each_change_by_its_author_at_its_time()
    {
        var editor = await Person.SignIn(app, "uz-editor");
        var drafter = await Person.SignIn(app, "uz-drafter");
        var draft = await editor.CreatesDraft("UZ", title: "Plan 2021-2025");
        var chapter = await editor.Inserts(draft, NodeKind.Chapter, "Prevention");
        var first = await editor.Inserts(draft, NodeKind.Action, "Train school psychologists", chapter);
        var second = await editor.Inserts(draft, NodeKind.Action, "Print leaflets for parents", chapter, first);
        var third = await editor.Inserts(draft, NodeKind.Action, "Run a helpline", chapter, second);
        var fourth = await editor.Inserts(draft, NodeKind.Action, "Open youth centres", chapter, third);
        var from = (await editor.Reads(draft)).Revision;

        var proposal = await drafter.ProposesText(draft, first, 1, "Train school psychologists and nurses in every region");
        await Expect.Status(await editor.Accepts(draft, proposal), HttpStatusCode.OK);
        await Expect.Status(await editor.Proposes(draft,
            new { kind = ProposalKind.Delete, nodeId = second, baseRevision = 1, rationale = "Not evidence-based", acceptNow = true }),
            HttpStatusCode.OK);
        await Expect.Status(await editor.Proposes(draft,
            new { kind = ProposalKind.Move, nodeId = fourth, parentId = chapter, rationale = "First", acceptNow = true }),
            HttpStatusCode.OK);
        await editor.Inserts(draft, NodeKind.Action, "Evaluate the programme", chapter, first);

        var bytes = await editor.Exports(draft, "tracked", $"lang=en&from={from}");
        using (var word = WordprocessingDocument.Open(new MemoryStream(bytes), false))
        {
            Assert.Empty(new OpenXmlValidator().Validate(word).Select(e => $"{e.Path?.XPath}: {e.Description}"));
            var body = word.MainDocumentPart!.Document!.Body!;
            Assert.Contains(body.Descendants<W.InsertedRun>(), r => r.InnerText.Contains("and nurses in every region") && r.Author == drafter.UserId);
            Assert.Contains(body.Descendants<W.DeletedRun>(), r => r.InnerText.Contains("Print leaflets for parents") && r.Author == editor.UserId);
            Assert.Contains(body.Descendants<W.MoveFromRun>(), r => r.InnerText.Contains("Open youth centres"));
            Assert.Contains(body.Descendants<W.MoveToRun>(), r => r.InnerText.Contains("Open youth centres"));
            Assert.Contains(body.Descendants<W.InsertedRun>(), r => r.InnerText.Contains("Evaluate the programme"));
        }
        // The verifier reads it as the later revision, its changes accepted (docs/evidence.md §10.1).
        var rendering = CadapDrafting.Evidence.ExportClaim.Read(await Save(bytes, "tracked.docx")).Rendering!;
        Assert.True(rendering.Differences.Count == 0 && rendering.Proven.Count == 2, string.Join("; ", rendering.Differences));

        var accepted = await editor.Read<JsonElement>($"/api/drafts/{draft}/proposals/{proposal}");
        var acceptedAt = accepted.GetProperty("decidedAt").GetDateTimeOffset();
        var changes = await TrackedChangesLibreOfficeReads(bytes);
        Assert.Contains(changes, c => c.Kind == "insertion" && c.Author == drafter.UserId &&
                                      DateTime.Parse(c.Date) ==
                                      new DateTime(acceptedAt.UtcDateTime.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond));
        Assert.Contains(changes, c => c.Kind == "deletion" && c.Author == editor.UserId);
        Assert.DoesNotContain(changes, c => c.Author == "Unknown Author");

        var refused = await Expect.Problem(await editor.Http.GetAsync($"/api/drafts/{draft}/history/export/tracked?from=99"),
            HttpStatusCode.UnprocessableEntity);
        Assert.True(refused.GetProperty("errors").TryGetProperty("from", out _));
    }

    [Fact]
    public async Task HTML_and_Markdown_carry_the_text_inert_and_an_export_of_a_past_revision_shows_that_revision()
    {
        var (draft, editor, earlier) = await AnActionPlan("TJ");

        var response = await editor.Http.GetAsync($"/api/drafts/{draft}/history/export/html?lang=en");
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.EndsWith("-en.html", response.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; *stars*", html);
        Assert.Contains("<h2", html);
        Assert.Contains("<th>Objective</th><td>Delay first use among adolescents</td>", html);

        var markdown = Encoding.UTF8.GetString(await editor.Exports(draft, "md", "lang=en"));
        Assert.Contains("## Chapter 1. Demand reduction", markdown);
        Assert.Contains("\\*stars\\* \\[link\\](http://x) # not a heading \\| pipe", markdown);
        Assert.DoesNotMatch(@"(?<!\\)<script", markdown);
        Assert.Contains("| Pillar | Harm reduction |", markdown);
        // Ordinary hyphens and dots stay as written.
        Assert.Contains("**Action 1.** Introduce evidence-based prevention in schools", markdown);
        Assert.Contains("| SDG targets | 3.5 |", markdown);
        // The verifier reads the hostile text back from each format's visible text, its markup and escapes undone (docs/evidence.md §10.1).
        foreach (var format in new[] { "html", "md", "akn", "docx" })
        {
            var file = await Save(await editor.Exports(draft, format, "lang=en"), format == "akn" ? "export.akn.xml" : $"export.{format}");
            var rendering = CadapDrafting.Evidence.ExportClaim.Read(file).Rendering!;
            Assert.True(rendering.Differences.Count == 0 && rendering.Proven.Count == 2, $"{format}: {string.Join("; ", rendering.Differences)}");
        }

        var past = Encoding.UTF8.GetString(await editor.Exports(draft, "md", $"lang=en&revision={earlier}"));
        Assert.DoesNotContain("stars", past);
        Assert.Contains("Introduce evidence-based prevention in schools", past);
        var pastAkn = await editor.Exports(draft, "akn", $"lang=en&revision={earlier}");
        Assert.Empty(ValidateAkn(pastAkn));

        var unknown = await Expect.Problem(await editor.Http.GetAsync($"/api/drafts/{draft}/history/export/rtf"), HttpStatusCode.UnprocessableEntity);
        Assert.True(unknown.GetProperty("errors").TryGetProperty("format", out _));
        var auditor = await Person.SignIn(app, "auditor");
        Assert.NotEmpty(await auditor.Exports(draft, "docx", "revision=0"));
        Assert.Empty(ValidateAkn(await auditor.Exports(draft, "akn", "revision=0")));
    }

    /// <summary>Every word the English exports write around the text, formats stripped of their placeholders.</summary>
    private static IEnumerable<string> EnglishLabels()
    {
        var labels = ExportLabels.English;
        foreach (var property in typeof(ExportLabels).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.Name == nameof(ExportLabels.DateFormat)) continue;
            var value = property.GetValue(labels);
            var words = value switch
            {
                string s => [s],
                System.Collections.IDictionary d => d.Values.Cast<string>(),
                _ => [],
            };
            foreach (var word in words)
                foreach (var part in Regex.Split(word, @"\{\d\}|[\[\];]").Select(p => p.Trim()).Where(p => p.Length > 1))
                    yield return part;
        }
        foreach (var month in System.Globalization.CultureInfo.GetCultureInfo("en-GB").DateTimeFormat.MonthNames.Where(m => m.Length > 0))
            yield return month;
    }

    private static Dictionary<string, string> CustomProperties(byte[] docx)
    {
        using var word = WordprocessingDocument.Open(new MemoryStream(docx), false);
        return word.CustomFilePropertiesPart!.Properties!.Elements<DocumentFormat.OpenXml.CustomProperties.CustomDocumentProperty>()
            .ToDictionary(p => p.Name!.Value!, p => p.InnerText);
    }

    private static List<string> ValidateAkn(byte[] xml)
    {
        var schemas = new XmlSchemaSet { XmlResolver = new XmlUrlResolver() };
        schemas.Add(AknExport.Namespace, AknSchema);
        schemas.Compile();
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = schemas };
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity} line {e.Exception?.LineNumber}: {e.Message}");
        using var reader = XmlReader.Create(new MemoryStream(xml), settings);
        while (reader.Read()) { }
        return errors;
    }
}
