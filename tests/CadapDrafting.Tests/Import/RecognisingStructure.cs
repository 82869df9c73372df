using CadapDrafting.Drafts;
using CadapDrafting.Import;

namespace CadapDrafting.Tests.Import;

/// <summary>The rules by which the importer reads numbers and structure, without a server.</summary>
public sealed class RecognisingStructure
{
    [Theory]
    [InlineData(4, "upperRoman", "IV")]
    [InlineData(1994, "upperRoman", "MCMXCIV")]
    [InlineData(9, "lowerRoman", "ix")]
    [InlineData(3, "russianLower", "в")]
    [InlineData(10, "russianLower", "к")] // Word's Russian letters skip й
    [InlineData(29, "russianLower", "аа")]
    [InlineData(27, "lowerLetter", "aa")]
    [InlineData(2, "upperLetter", "B")]
    [InlineData(7, "decimalZero", "07")]
    public void Word_list_numbers_are_written_as_Word_shows_them(int value, string format, string shown) =>
        Assert.Equal(shown, WordNumbering.Format(value, format));

    [Fact]
    public void A_document_structured_only_by_typed_numbers_takes_its_levels_from_them()
    {
        var file = new WordWriter()
            .Paragraph("ЗАКОН О ПРОФИЛАКТИКЕ (ПРИМЕР)")
            .Paragraph("I. ОБЩАЯ ЧАСТЬ")
            .Paragraph("1. Общие положения")
            .Paragraph("1.1. Цели закона")
            .Paragraph("1.1.1. Закон устанавливает меры.")
            .Paragraph("а) профилактика;")
            .Paragraph("б) лечение.")
            .Paragraph("1.1.2. Меры пересматриваются.")
            .Paragraph("II. ОСОБЕННАЯ ЧАСТЬ")
            .Paragraph("2. Профилактика")
            .Paragraph("2.1. Школы")
            .Paragraph("2.1.1. Программы в школах.")
            .ToBytes();
        var (document, _) = WordFile.Read(file, "law.docx");

        var (outline, refusal) = RecogniseOutline.From(document!, DraftKind.Law, 2025, 2030, ImportCorrections.None);

        Assert.Null(refusal);
        Assert.Empty(outline!.Problems);
        Assert.Equal("ЗАКОН О ПРОФИЛАКТИКЕ (ПРИМЕР)", outline.Title);
        Assert.Equal(
            [
                (LineKind.Part, 1, "I", "ОБЩАЯ ЧАСТЬ"), (LineKind.Chapter, 2, "1", "Общие положения"), (LineKind.Section, 3, "1.1", "Цели закона"),
                (LineKind.Article, 4, "1.1.1", "Закон устанавливает меры."), (LineKind.Point, 5, "а)", "профилактика;"),
                    (LineKind.Point, 5, "б)", "лечение."),
                (LineKind.Article, 4, "1.1.2", "Меры пересматриваются."), (LineKind.Part, 1, "II", "ОСОБЕННАЯ ЧАСТЬ"),
                    (LineKind.Chapter, 2, "2", "Профилактика"),
                (LineKind.Section, 3, "2.1", "Школы"), (LineKind.Article, 4, "2.1.1", "Программы в школах."),
            ],
            outline.Nodes.Select(l => (l.Kind, l.Level, l.Number, l.Text)));
        Assert.All(outline.Nodes, l => Assert.Equal(0.7, l.Confidence));
    }

    [Fact]
    public void Action_records_are_read_from_cells_as_ministries_fill_them()
    {
        var notes = new List<string>();
        ActionField?[] fields = [ActionField.Text, ActionField.Timeline, ActionField.Responsible, ActionField.Indicators, ActionField.Funding];

        var record = ActionTableColumns.Read(fields,
            ["Провести обучение.", "до IV квартала 2024 г.", "МВД, Минздрав, ГСКН",
                "Число обученных (исходное значение: 0; целевое значение: 120; не ежегодно)", "1,5 млн сом (донорские средства)"],
            2022, 2026, notes);

        Assert.Equal(["МВД", "Минздрав", "ГСКН"], record.ResponsibleBodies);
        Assert.Equal(new Timeline(new DateOnly(2022, 1, 1), new DateOnly(2024, 12, 31)), record.Timeline);
        Assert.Equal(new Indicator("Число обученных", "0", "120", null, RecordedAnnually: false), record.Indicators.Single());
        Assert.Equal(new Budget(1_500_000m, "KGS", "донорские средства"), record.Budget);
        Assert.Empty(notes);

        ActionTableColumns.Read(fields, ["Провести обучение.", "по мере необходимости", "", "", "в пределах средств"], 2022, 2026, notes);
        Assert.Equal(2, notes.Count); // no year and no amount: said, not guessed
    }
}
