using System.Text;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using CadapDrafting.Drafts;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace CadapDrafting.Tests.History;

[Collection(ServerCollection.Name)]
public sealed class ExportingADraft(AppFixture app)
{
    private const string Hostile = "Harm reduction <script>alert('x')</script> & *stars* [link](http://x) # not a heading | pipe";

    /// <summary>An action plan with a chapter, a section, actions with attributes and points, and text that is hostile to every format.</summary>
    private async Task<(Guid Draft, Person Editor, int FirstRevision)> AnActionPlan(string country)
    {
        var editor = await Person.SignIn(app, $"{country.ToLowerInvariant()}-editor");
        var draft = await editor.CreatesDraft(country, title: "Anti-Drug Programme 2022–2026");
        var chapter = await editor.Inserts(draft, NodeKind.Chapter, "Demand reduction");
        var section = await editor.Inserts(draft, NodeKind.Section, "Prevention", chapter);
        var first = await editor.Inserts(draft, NodeKind.Action, "Introduce evidence-based prevention in schools", section, attributes: new
        {
            objective = "Delay first use among adolescents",
            responsibleBodies = new[] { "Ministry of Education", "Ministry of Health" },
            timeline = new { start = "2025-01-01", end = "2026-12-31" },
            indicators = new[] { new { name = "Schools covered", baseline = "0", target = "500", dataSource = "Ministry of Education", recordedAnnually = true } },
            budget = new { amount = 120000.50m, currency = "KGS" },
            pillar = "Prevention",
            sdgTargets = new[] { "3.5" },
            genderMarker = true,
        });
        await editor.Inserts(draft, NodeKind.Point, "Train teachers", first);
        var revision = (await editor.Reads(draft)).Revision;
        await editor.Inserts(draft, NodeKind.Action, Hostile, section, first);
        return (draft, editor, revision);
    }

    [Fact]
    public async Task The_Akoma_Ntoso_export_validates_against_the_official_schema()
    {
        var (draft, editor, _) = await AnActionPlan("KG");
        var xml = await editor.Exports(draft, "akn");

        var errors = ValidateAkn(xml);
        Assert.Empty(errors);
        var doc = XDocument.Parse(Encoding.UTF8.GetString(xml));
        XNamespace akn = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0";
        var actions = doc.Descendants(akn + "hcontainer").Where(e => (string?)e.Attribute("name") == "action").ToList();
        Assert.Equal(["1", "2"], actions.Select(a => a.Element(akn + "num")!.Value));
        Assert.Equal(Hostile, actions[1].Element(akn + "content")!.Element(akn + "p")!.Value);
        Assert.Contains(actions[0].Descendants(akn + "td"), td => td.Value == "Ministry of Education; Ministry of Health");
        Assert.Single(actions[0].Descendants(akn + "point"));
    }

    [Fact]
    public async Task The_Word_export_passes_the_Open_XML_validator_with_headings_numbered_actions_and_attribute_tables()
    {
        var (draft, editor, _) = await AnActionPlan("KZ");
        var bytes = await editor.Exports(draft, "docx");

        using var word = WordprocessingDocument.Open(new MemoryStream(bytes), false);
        var errors = new OpenXmlValidator().Validate(word).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.Empty(errors);
        var paragraphs = word.MainDocumentPart!.Document!.Body!.Elements<W.Paragraph>()
            .Select(p => (Style: p.ParagraphProperties?.ParagraphStyleId?.Val?.Value, Text: p.InnerText)).ToList();
        Assert.Contains(("Heading1", "Chapter 1. Demand reduction"), paragraphs);
        Assert.Contains(("Heading2", "Section 1.1. Prevention"), paragraphs);
        Assert.Contains(("Action", "Action 1. Introduce evidence-based prevention in schools"), paragraphs);
        Assert.Contains(("Action", $"Action 2. {Hostile}"), paragraphs);
        Assert.Contains(("Point", "1.1. Train teachers"), paragraphs);
        var table = Assert.Single(word.MainDocumentPart.Document.Body.Elements<W.Table>());
        Assert.Contains(table.Elements<W.TableRow>(), r => r.InnerText == "Budget120,000.50 KGS");
        Assert.Contains(table.Elements<W.TableRow>(), r => r.InnerText == "SDG targets3.5");
    }

    [Fact]
    public async Task HTML_and_Markdown_carry_the_text_inert_and_an_export_of_a_past_revision_shows_that_revision()
    {
        var (draft, editor, earlier) = await AnActionPlan("TJ");

        var html = Encoding.UTF8.GetString(await editor.Exports(draft, "html"));
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; *stars*", html);
        Assert.Contains("<h2", html);
        Assert.Contains("<th>Objective</th><td>Delay first use among adolescents</td>", html);

        var markdown = Encoding.UTF8.GetString(await editor.Exports(draft, "md"));
        Assert.Contains("## Chapter 1. Demand reduction", markdown);
        Assert.Contains("\\*stars\\* \\[link\\]\\(http://x\\) \\# not a heading \\| pipe", markdown);
        Assert.DoesNotContain("<script>", markdown);
        Assert.Contains("| Pillar | Prevention |", markdown);

        var past = Encoding.UTF8.GetString(await editor.Exports(draft, "md", $"revision={earlier}"));
        Assert.DoesNotContain("stars", past);
        Assert.Contains("Introduce evidence\\-based prevention in schools", past);
        var pastAkn = await editor.Exports(draft, "akn", $"revision={earlier}");
        Assert.Empty(ValidateAkn(pastAkn));

        var unknown = await Expect.Problem(await editor.Http.GetAsync($"/api/drafts/{draft}/history/export/pdf"), HttpStatusCode.UnprocessableEntity);
        Assert.True(unknown.GetProperty("errors").TryGetProperty("format", out _));
        var auditor = await Person.SignIn(app, "auditor");
        Assert.NotEmpty(await auditor.Exports(draft, "docx", "revision=0"));
        Assert.Empty(ValidateAkn(await auditor.Exports(draft, "akn", "revision=0")));
    }

    private static List<string> ValidateAkn(byte[] xml)
    {
        var schemas = new XmlSchemaSet { XmlResolver = new XmlUrlResolver() };
        var folder = Path.Combine(AppContext.BaseDirectory, "History", "akn");
        schemas.Add("http://docs.oasis-open.org/legaldocml/ns/akn/3.0", Path.Combine(folder, "akomantoso30.xsd"));
        schemas.Compile();
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = schemas };
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity} line {e.Exception?.LineNumber}: {e.Message}");
        using var reader = XmlReader.Create(new MemoryStream(xml), settings);
        while (reader.Read()) { }
        return errors;
    }
}
