using System.Security.Cryptography;
using CadapDrafting.Drafts;
using CadapDrafting.Import;

namespace CadapDrafting.Tests.Import;

/// <summary>A ministry brings its strategy or action plan in as the Word file it already has: review the outline, then import.</summary>
[Collection(ServerCollection.Name)]
public sealed class ImportingAWordFile(AppFixture app)
{
    [Fact]
    public async Task A_strategy_numbered_by_Word_imports_with_the_numbers_a_reader_sees_and_each_node_traces_back_to_its_paragraph()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var file = SampleWordFiles.StrategyWithAutomaticNumbering();

        var preview = await editor.PreviewOf(file, "strategy.docx", new { kind = "Strategy", periodStart = 2022, periodEnd = 2026 });

        Assert.Equal("ru", preview.Language);
        Assert.Equal("Стратегия противодействия наркотикам (пример)", preview.Title);
        var nodes = preview.Lines.Where(l => l.BecomesNode).ToList();
        Assert.Equal(
            [
                (LineKind.Chapter, 1, "1."), (LineKind.Section, 2, "1.1."), (LineKind.Article, 3, "1.1.1."), (LineKind.Point, 4, "а)"),
                    (LineKind.Point, 4, "б)"),
                (LineKind.Article, 3, "1.1.2."), (LineKind.Chapter, 1, "2."), (LineKind.Section, 2, "2.1."), (LineKind.Article, 3, "2.1.1."),
                (LineKind.Point, 4, "а)"),
            ],
            nodes.Select(l => (l.Kind, l.Level, l.Number)));
        Assert.Equal("Общие положения", nodes[0].Text);
        Assert.All(nodes, l => Assert.InRange(l.Confidence, 0.7, 1.0));
        Assert.Contains("Word numbering", nodes[2].Why);

        var commandId = Guid.NewGuid();
        var draftId = await editor.ImportsDraft(file, "strategy.docx",
            new { country = "KG", kind = "Strategy", periodStart = 2022, periodEnd = 2026, language = "ru" }, commandId);

        var draft = await editor.Reads(draftId);
        Assert.Equal(2, draft.Position); // created and imported: one command
        Assert.Equal("Стратегия противодействия наркотикам (пример)", draft.Title["ru"]);
        var chapters = draft.Nodes;
        Assert.Equal(["Общие положения", "Профилактика"], chapters.Select(c => c.Text["ru"]));
        var article = chapters[0].Children[0].Children[0];
        Assert.Equal((NodeKind.Article, "1"), (article.Kind, article.Number));
        Assert.Equal(["Запрет немедицинского потребления.", "Доступ к лечению без постановки на учет."], article.Children.Select(p => p.Text["ru"]));

        var lineage = await editor.ReadsLineage(draftId, article.Children[1].Id);
        var source = Assert.Single(lineage.ImportedFrom!);
        Assert.Equal(("strategy.docx", Convert.ToHexStringLower(SHA256.HashData(file)), "ru", "б)"),
            (source.FileName, source.Sha256, source.Language, source.Number));
        Assert.Equal($"¶{nodes[4].Paragraph}", source.Paragraph);

        // The same upload with the same command id is the same import: nothing appended.
        var again = await editor.Imports(file, "strategy.docx",
            new { country = "KG", kind = "Strategy", periodStart = 2022, periodEnd = 2026, language = "ru" }, commandId);
        await Expect.Status(again, HttpStatusCode.Created);
        Assert.True((await Person.Accepted(again)).Replayed);
        Assert.Equal(2, (await editor.Reads(draftId)).Position);
    }

    [Fact]
    public async Task A_Russian_action_plan_with_typed_numbers_and_an_action_table_imports_complete_action_records_after_review()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var file = SampleWordFiles.RussianActionPlan();
        var fields = new { country = "KG", kind = "ActionPlan", periodStart = 2022, periodEnd = 2026, language = "ru" };

        var preview = await editor.PreviewOf(file, "plan-ru.docx", fields);

        var unknown = Assert.Single(preview.UnknownColumns);
        Assert.Equal("Партнеры", unknown.Header);
        Assert.Equal([(LineKind.Chapter, "1", "Профилактика"), (LineKind.Section, "1.1", "Профилактика в школах")],
            preview.Lines.Where(l => l.Kind is LineKind.Chapter or LineKind.Section).Take(2).Select(l => (l.Kind, l.Number, l.Text)));
        var note = preview.Lines.Single(l => l.Text.StartsWith("(в редакции"));
        Assert.Equal(0.5, note.Confidence); // a paragraph with no style, label or number: the importer is unsure of it
        var actions = preview.Lines.Where(l => l.Kind == LineKind.Action && l != note).ToList();
        Assert.Equal(["1", "2", "3"], actions.Select(a => a.Number));
        Assert.Equal("table 1, row 3", actions[0].Source);

        // The review: the unknown column is left out on purpose, the stray note line is merged into the chapter before it.
        var corrections = new {
            columns = new[] { new { table = unknown.Table, column = unknown.Column, field = ActionField.Ignore } },
            lines = new[] { new { line = note.Id, op = "merge" } },
        };
        var reviewed = await editor.PreviewOf(file, "plan-ru.docx", new { fields.kind, fields.periodStart, fields.periodEnd, corrections });
        Assert.Empty(reviewed.UnknownColumns);
        Assert.DoesNotContain(reviewed.Lines, l => l.Text.StartsWith("(в редакции"));
        Assert.Empty(reviewed.Problems);

        var draftId = await editor.ImportsDraft(file, "plan-ru.docx",
            new { fields.country, fields.kind, fields.periodStart, fields.periodEnd, fields.language, corrections });

        var draft = await editor.Reads(draftId);
        var imported = draft.AllNodes().Where(n => n.Kind == NodeKind.Action).ToList();
        Assert.Equal(3, imported.Count);
        var first = imported[0].Attributes!;
        Assert.Equal("Внедрить программу профилактики, основанную на фактических данных, в 200 школах.", imported[0].Text["ru"]);
        Assert.Equal(["Министерство образования и науки", "Министерство здравоохранения"], first.ResponsibleBodies);
        Assert.Equal(new Timeline(new DateOnly(2022, 1, 1), new DateOnly(2024, 12, 31)), first.Timeline);
        var indicator = Assert.Single(first.Indicators);
        Assert.Equal(("Доля школ с программой профилактики", "5% (2021)", "60% (2026)", "Министерство образования и науки", true),
            (indicator.Name, indicator.Baseline, indicator.Target, indicator.DataSource, indicator.RecordedAnnually));
        Assert.Equal(new Budget(2_400_000m, "KGS", "республиканский бюджет"), first.Budget);
        Assert.Equal("Отчет в Кабинет Министров", first.CompletionForm);
        Assert.Equal(Pillar.Prevention, first.Pillar);
        Assert.Equal(new Timeline(new DateOnly(2023, 10, 1), new DateOnly(2023, 12, 31)), imported[1].Attributes!.Timeline);
        Assert.Equal(new Timeline(new DateOnly(2022, 1, 1), new DateOnly(2026, 12, 31)), imported[2].Attributes!.Timeline); // "ежегодно"
        Assert.Equal(new Budget(150_000m, "EUR", "грант ЕС"), imported[2].Attributes!.Budget);
        Assert.StartsWith("Профилактика (в редакции", draft.Nodes[0].Text["ru"]);

        var lineage = await editor.ReadsLineage(draftId, imported[1].Id);
        Assert.Equal(("table 1, row 4", "2"), (lineage.ImportedFrom![0].Paragraph, lineage.ImportedFrom[0].Number));
    }

    [Fact]
    public async Task The_English_version_of_a_plan_imports_as_its_second_language_aligned_node_by_node()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var draftId = await editor.ImportsDraft(SampleWordFiles.RussianActionPlan(includeNote: false), "plan-ru.docx",
            new { country = "KG", kind = "ActionPlan", periodStart = 2022, periodEnd = 2026, language = "ru" });
        var english = SampleWordFiles.EnglishActionPlan();

        var preview = await editor.PreviewOf(english, "plan-en.docx", new { kind = "ActionPlan", periodStart = 2022, periodEnd = 2026 });
        Assert.Equal("en", preview.Language);
        Assert.Empty(preview.UnknownColumns);
        var action = preview.Lines.First(l => l.Kind == LineKind.Action).Attributes!;
        Assert.Equal(["Ministry of Education and Science", "Ministry of Health"], action.ResponsibleBodies);
        Assert.Equal(("Share of schools with a prevention programme", "5% (2021)", "60% (2026)"),
            (action.Indicators[0].Name, action.Indicators[0].Baseline, action.Indicators[0].Target));
        Assert.Equal(new Budget(2_400_000m, "KGS", "state budget"), action.Budget);
        Assert.Equal("Report to the Cabinet of Ministers", action.CompletionForm);

        var response = await editor.ImportsLanguage(draftId, english, "plan-en.docx", new { language = "en" });
        await Expect.Status(response, HttpStatusCode.OK);

        var draft = await editor.Reads(draftId);
        Assert.All(draft.AllNodes(), n => Assert.True(n.Text.ContainsKey("en") && n.Text.ContainsKey("ru"), $"{n.Number} has both languages"));
        Assert.Equal("Prevention", draft.Nodes[0].Text["en"]);
        var firstAction = draft.AllNodes().First(n => n.Kind == NodeKind.Action);
        Assert.Equal("Introduce an evidence-based prevention programme in 200 schools.", firstAction.Text["en"]);
        var lineage = await editor.ReadsLineage(draftId, firstAction.Id);
        Assert.Equal([("plan-ru.docx", "ru"), ("plan-en.docx", "en")], lineage.ImportedFrom!.Select(s => (s.FileName, s.Language)));

        // A file whose structure does not match the draft's is refused, saying where alignment breaks; nothing changes.
        var position = draft.Position;
        var mismatched = await editor.ImportsLanguage(draftId, SampleWordFiles.StrategyWithAutomaticNumbering(), "other.docx",
            new { language = "en" });
        var problem = await Expect.Problem(mismatched, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("must match one by one", problem.GetProperty("detail").GetString());
        Assert.Equal(position, (await editor.Reads(draftId)).Position);
    }

    [Fact]
    public async Task A_list_numbered_in_LibreOffice_and_saved_as_docx_imports_with_its_numbers()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var file = await SampleWordFiles.ConvertedByLibreOffice(SampleWordFiles.LawAsFlatOdt());

        var preview = await editor.PreviewOf(file, "law-libreoffice.docx", new { kind = "Law", periodStart = 2025, periodEnd = 2030 });

        var nodes = preview.Lines.Where(l => l.BecomesNode).ToList();
        Assert.Equal(
            [
                (LineKind.Chapter, "Глава 1", "Общие положения"), (LineKind.Article, "1.", "Настоящий Закон устанавливает меры реагирования."),
                (LineKind.Point, "а)", "профилактика;"), (LineKind.Point, "б)", "лечение."),
                (LineKind.Article, "2.", "Налоксон доступен без рецепта."), (LineKind.Chapter, "Глава 2", "Заключительные положения"),
                (LineKind.Article, "3.", "Закон вступает в силу через десять дней."),
            ],
            nodes.Select(l => (l.Kind, l.Kind == LineKind.Chapter ? $"Глава {l.Number}" : l.Number, l.Text)));
        Assert.Equal([1, 2, 3, 3, 2, 1, 2], nodes.Select(l => l.Level));
    }

    [Fact]
    public async Task The_review_step_relevels_splits_and_marks_lines_and_says_which_correction_does_not_apply()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var file = SampleWordFiles.StrategyWithAutomaticNumbering();
        var preview = await editor.PreviewOf(file, "strategy.docx", new { kind = "Strategy" });
        var article = preview.Lines.First(l => l.Kind == LineKind.Article);
        var secondArticle = preview.Lines.Where(l => l.Kind == LineKind.Article).ElementAt(1);

        var corrections = new {
            lines = new object[]
            {
                new { line = secondArticle.Id, op = "split", at = secondArticle.Text.IndexOf(' ') },
                new { line = article.Id, op = "kind", kind = LineKind.Section },
                new { line = "p999", op = "merge" },
            },
        };
        var reviewed = await editor.PreviewOf(file, "strategy.docx", new { kind = "Strategy", corrections });

        var split = reviewed.Lines.Where(l => l.Id.StartsWith(secondArticle.Id)).ToList();
        Assert.Equal([secondArticle.Id, $"{secondArticle.Id}.2"], split.Select(l => l.Id));
        Assert.Equal(secondArticle.Text, $"{split[0].Text} {split[1].Text}");
        Assert.Equal(1.0, split[0].Confidence);
        Assert.Contains(reviewed.Problems, p => p.Contains("there is no line 'p999'"));
        // A section inside a section is not a structure a draft can have: the line is flagged and the import would be refused.
        Assert.Contains(reviewed.Problems, p => p.Contains($"({article.Id}): a Section cannot sit under the Section"));

        var refused = await editor.Imports(file, "strategy.docx",
            new { country = "KG", kind = "Strategy", periodStart = 2022, periodEnd = 2026, language = "ru", corrections });
        await Expect.Problem(refused, HttpStatusCode.UnprocessableEntity);
    }

    public static TheoryData<string, string> RefusedFiles => new()
    {
        { "notDocx", "not a Word document" },
        { "legacyDoc", "Word 97-2003" },
        { "encrypted", "password-protected" },
        { "macros", "macros" },
        { "zipBomb", "zip bomb" },
        { "tooLarge", "at most 20 MB" },
        { "noStructure", "No recognisable structure" },
    };

    [Theory]
    [MemberData(nameof(RefusedFiles))]
    public async Task A_file_that_cannot_be_imported_is_refused_with_a_reason_and_nothing_is_stored(string kind, string expected)
    {
        var editor = await Person.SignIn(app, "tj-editor");
        var (file, name) = SampleWordFiles.Refused(kind);
        var before = (await editor.Read<List<DraftSummary>>("/api/drafts")).Count;
        var commandId = Guid.NewGuid();

        var previewed = await editor.Previews(file, name, new { kind = "Strategy" });
        var imported = await editor.Imports(file, name,
            new { country = "TJ", kind = "Strategy", periodStart = 2021, periodEnd = 2025, language = "ru" }, commandId);

        foreach (var response in new[] { previewed, imported })
        {
            var problem = await Expect.Problem(response, HttpStatusCode.UnprocessableEntity);
            Assert.Equal(422, problem.GetProperty("status").GetInt32());
            Assert.Contains(expected, problem.GetProperty("detail").GetString());
        }
        Assert.Equal(before, (await editor.Read<List<DraftSummary>>("/api/drafts")).Count);
        var notThere = await editor.Http.GetAsync($"/api/drafts/{CadapDrafting.Infrastructure.DeterministicGuid.Create(commandId, "draft")}");
        Assert.Equal(HttpStatusCode.NotFound, notThere.StatusCode);
    }

    [Fact]
    public async Task Only_a_countrys_drafters_and_editors_import_and_only_into_their_own_country()
    {
        var file = SampleWordFiles.StrategyWithAutomaticNumbering();
        foreach (var outsider in new[] { "eu-expert-1", "cso-1", "auditor", "kg-approver-1" })
        {
            var person = await Person.SignIn(app, outsider);
            await Expect.Problem(await person.Previews(file, "s.docx"), HttpStatusCode.Forbidden);
        }
        var uzbekEditor = await Person.SignIn(app, "uz-editor");
        var refused = await uzbekEditor.Imports(file, "s.docx",
            new { country = "KG", kind = "Strategy", periodStart = 2022, periodEnd = 2026, language = "ru" });
        await Expect.Problem(refused, HttpStatusCode.Forbidden);
    }
}
