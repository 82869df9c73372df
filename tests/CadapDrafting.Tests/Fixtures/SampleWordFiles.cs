using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using CadapDrafting.Import;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>Word files as ministries have them (made the way Word and LibreOffice make them), and files that must be refused.</summary>
public static class SampleWordFiles
{
    /// <summary>Headings and paragraphs in one multi-level Word list ("1.", "1.1.", "1.1.1."), points in a letter list ("а)").</summary>
    public static byte[] StrategyWithAutomaticNumbering()
    {
        var word = new WordWriter();
        var outline = word.List(("decimal", "%1."), ("decimal", "%1.%2."), ("decimal", "%1.%2.%3."));
        var letters = word.List(("russianLower", "%1)"));
        word.Title("Стратегия противодействия наркотикам (пример)")
            .Heading(1, "Общие положения", outline, 0)
            .Heading(2, "Цели", outline, 1)
            .Paragraph("Стратегия определяет меры.", outline, 2)
            .Paragraph("Запрет немедицинского потребления.", letters)
            .Paragraph("Доступ к лечению без постановки на учет.", letters)
            .Paragraph("Меры пересматриваются каждые два года.", outline, 2)
            .Heading(1, "Профилактика", outline, 0)
            .Heading(2, "Школы", outline, 1)
            .Paragraph("Программы профилактики в школах.", outline, 2)
            .Paragraph("Обучение учителей.", word.Restart(letters));
        return word.ToBytes();
    }

    private static readonly string[] RussianHeader =
        ["№", "Мероприятие", "Срок исполнения", "Ответственные исполнители", "Индикатор", "Источник финансирования", "Форма завершения",
            "Направление", "Партнеры"];

    /// <summary>Typed labels ("Глава 1."), an action table with a row spanning it, a column nobody maps ("Партнеры").</summary>
    public static byte[] RussianActionPlan(bool includeNote = true)
    {
        var word = new WordWriter().Title("План действий по профилактике (пример)").Paragraph("Глава 1. Профилактика");
        if (includeNote) word.Paragraph("(в редакции от 1 марта 2023 года)");
        word.Table(RussianHeader,
        [
            ["1.1. Профилактика в школах"],
            ["1", "Внедрить программу профилактики, основанную на фактических данных, в 200 школах.", "2022–2024 гг.",
                "Министерство образования и науки; Министерство здравоохранения",
                "Доля школ с программой профилактики (базовое значение: 5% (2021); целевое значение: 60% (2026); источник: Министерство " +
                    "образования и науки; ежегодно)",
                "2 400 000 сом (республиканский бюджет)", "Отчет в Кабинет Министров", "Профилактика", "ЮНОДК"],
            ["2", "Провести обучение 500 учителей методам профилактики.", "IV квартал 2023 г.", "Министерство образования и науки",
                "Число обученных учителей (базовое значение: 0; целевое значение: 500)", "в пределах бюджета", "Приказ министерства", "Профилактика",
                    ""],
            ["3", "Проводить ежегодную информационную кампанию для молодежи.", "ежегодно",
                "Министерство культуры, информации и туризма; Государственная служба по контролю наркотиков",
                "Охват кампанией (целевое значение: 100 000 человек в год)", "150 000 евро (грант ЕС)", "Отчет", "Профилактика", "ЮНИСЕФ"],
        ]);
        return word.ToBytes();
    }

    public static byte[] EnglishActionPlan() =>
        new WordWriter().Title("Prevention action plan (example)").Paragraph("Chapter 1. Prevention")
            .Table(["No.", "Action", "Deadline", "Responsible", "Indicator", "Funding", "Form of completion", "Pillar"],
            [
                ["1.1. Prevention in schools"],
                ["1", "Introduce an evidence-based prevention programme in 200 schools.", "2022-2024",
                    "Ministry of Education and Science; Ministry of Health",
                    "Share of schools with a prevention programme (baseline: 5% (2021); target: 60% (2026); source: Ministry of Education and " +
                        "Science; annually)",
                    "KGS 2,400,000 (state budget)", "Report to the Cabinet of Ministers", "Prevention"],
                ["2", "Train 500 teachers in prevention methods.", "Q4 2023", "Ministry of Education and Science",
                    "Teachers trained (baseline: 0; target: 500)", "within the budget", "Order of the ministry", "Prevention"],
                ["3", "Run a yearly information campaign for young people.", "annually",
                    "Ministry of Culture, Information and Tourism; State Drug Control Service",
                    "People reached (target: 100,000 a year)", "EUR 150,000 (EU grant)", "Report", "Prevention"],
            ]).ToBytes();

    /// <summary>A law written in LibreOffice: headings, and articles in a list whose second level is "а)", continued after the next
    /// chapter.</summary>
    public static string LawAsFlatOdt() => """
        <?xml version="1.0" encoding="UTF-8"?>
        <office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
          xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
          office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
          <office:styles>
            <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:default-outline-level="1"/>
          </office:styles>
          <office:automatic-styles>
            <text:list-style style:name="L1">
              <text:list-level-style-number text:level="1" style:num-suffix="." style:num-format="1"/>
              <text:list-level-style-number text:level="2" style:num-suffix=")" style:num-format="а, б, .., аа, аб, ... (ru)"/>
            </text:list-style>
          </office:automatic-styles>
          <office:body>
            <office:text>
              <text:p>Закон о профилактике (пример)</text:p>
              <text:h text:style-name="Heading_20_1" text:outline-level="1">Глава 1. Общие положения</text:h>
              <text:list xml:id="articles" text:style-name="L1">
                <text:list-item><text:p>Настоящий Закон устанавливает меры реагирования.</text:p>
                  <text:list>
                    <text:list-item><text:p>профилактика;</text:p></text:list-item>
                    <text:list-item><text:p>лечение.</text:p></text:list-item>
                  </text:list>
                </text:list-item>
                <text:list-item><text:p>Налоксон доступен без рецепта.</text:p></text:list-item>
              </text:list>
              <text:h text:style-name="Heading_20_1" text:outline-level="1">Глава 2. Заключительные положения</text:h>
              <text:list text:continue-list="articles" text:style-name="L1">
                <text:list-item><text:p>Закон вступает в силу через десять дней.</text:p></text:list-item>
              </text:list>
            </office:text>
          </office:body>
        </office:document>
        """;

    /// <summary>Converts a flat ODF text document to DOCX with LibreOffice (soffice --headless --convert-to docx).</summary>
    public static async Task<byte[]> ConvertedByLibreOffice(string flatOdt)
    {
        var work = Directory.CreateTempSubdirectory("cadap-lo-");
        try
        {
            var input = Path.Combine(work.FullName, "law.fodt");
            await File.WriteAllTextAsync(input, flatOdt);
            var start = new ProcessStartInfo("soffice", ["--headless", "--norestore", $"-env:UserInstallation=file://{work.FullName}/profile",
                "--convert-to", "docx:MS Word 2007 XML", "--outdir", work.FullName, input])
            { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);
            var output = Path.Combine(work.FullName, "law.docx");
            Assert.True(File.Exists(output), $"LibreOffice made no DOCX: {await process.StandardError.ReadToEndAsync()}");
            return await File.ReadAllBytesAsync(output);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static readonly byte[] CompoundFile = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    public static (byte[] File, string Name) Refused(string kind) => kind switch
    {
        "notDocx" => (Encoding.UTF8.GetBytes("Plan of measures, typed as plain text."), "plan.docx"),
        "legacyDoc" => ([.. CompoundFile, .. new byte[4096]], "plan.doc"),
        // How Word stores a password-protected DOCX: a compound file holding EncryptionInfo and EncryptedPackage.
        "encrypted" => ([.. CompoundFile, .. new byte[512], .. Encoding.Unicode.GetBytes("EncryptionInfo"),
            .. Encoding.Unicode.GetBytes("EncryptedPackage"), .. new byte[512]],
            "secret.docx"),
        "macros" => (MacroEnabled(), "plan.docm"),
        "zipBomb" => (ZipBomb(), "bomb.docx"),
        "tooLarge" => ([(byte)'P', (byte)'K', .. new byte[21 * 1024 * 1024]], "huge.docx"),
        "noStructure" =>
            (new WordWriter().Paragraph("Письмо министерства").Paragraph("Просим рассмотреть проект.").Paragraph("С уважением, министр").ToBytes(),
            "letter.docx"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static byte[] MacroEnabled()
    {
        using var stream = new MemoryStream();
        using (var word = WordprocessingDocument.Create(stream, DocumentFormat.OpenXml.WordprocessingDocumentType.MacroEnabledDocument))
        {
            word.AddMainDocumentPart().Document = new Document(new Body(new Paragraph(new Run(new Text("Глава 1. Общие положения")))));
        }
        return stream.ToArray();
    }

    /// <summary>A small package that unpacks to 60 MB of nothing.</summary>
    private static byte[] ZipBomb()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var types = new StreamWriter(zip.CreateEntry("[Content_Types].xml").Open())) types.Write("<Types/>");
            using var document = zip.CreateEntry("word/document.xml", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 60; i++) document.Write(zeros);
        }
        return stream.ToArray();
    }
}
