using CadapDrafting.Import;
using DocumentFormat.OpenXml.Packaging;

namespace CadapDrafting.Tests.Drafting;

/// <summary>
/// The demo programmes in seeds/word are what <see cref="DemoProgrammes"/> writes. To write them again after changing it:
/// <c>CADAP_WRITE_DEMO_WORD=1 dotnet test tests/CadapDrafting.Tests --filter "FullyQualifiedName~DemoWordFiles"</c>.
/// </summary>
public sealed class DemoWordFiles
{
    [Fact]
    public void The_Word_files_in_seeds_are_the_demo_programmes_as_written_by_their_generator()
    {
        var folder = Path.Combine(Repository.Root, "seeds", "word");
        foreach (var (fileName, content) in DemoProgrammes.Files())
        {
            var path = Path.Combine(folder, fileName);
            if (Environment.GetEnvironmentVariable("CADAP_WRITE_DEMO_WORD") == "1") File.WriteAllBytes(path, content);
            Assert.True(File.Exists(path), $"{path} is missing: write it with CADAP_WRITE_DEMO_WORD=1");
            Assert.Equal(BodyOf(content), BodyOf(File.ReadAllBytes(path)));
        }
    }

    [Fact]
    public void The_demo_programmes_read_as_75_and_43_actions_each_with_a_complete_record()
    {
        foreach (var (programme, count, start, end) in new[] { (DemoProgrammes.KyrgyzProgramme(), 75, 2022, 2026),
            (DemoProgrammes.TajikStrategy(), 43, 2021, 2025) })
            foreach (var (file, language) in new[] { (programme.Russian, "ru"), (programme.English, "en") })
            {
                var (document, refusal) = WordFile.Read(file, $"{programme.Key}.{language}.docx");
                Assert.Null(refusal);
                var (outline, unrecognised) =
                    RecogniseOutline.From(document!, programme.Key.StartsWith("kg") ? Drafts.DraftKind.ActionPlan : Drafts.DraftKind.Strategy,
                    start, end, ImportCorrections.None);
                Assert.Null(unrecognised);
                Assert.Empty(outline!.Problems);
                Assert.Equal(language, outline.Language);
                Assert.Empty(outline.UnknownColumns);
                var actions = outline.Lines.Where(l => l.Kind == LineKind.Action).ToList();
                Assert.Equal(count, actions.Count);
                Assert.All(actions, a =>
                {
                    var r = a.Attributes!;
                    Assert.True(r.Objective is not null && r.ResponsibleBodies.Count > 0 && r.Timeline is not null && r.Budget is not null
                                && r.Pillar is not null && r.SdgTargets.Count > 0 && r.CompletionForm is not null,
                                    $"{a.Source} has an incomplete record");
                    var indicator = Assert.Single(r.Indicators);
                    Assert.True(indicator.IsMeasurable, $"{a.Source}: {indicator}");
                    Assert.Empty(a.Notes);
                });
            }
    }

    private static string BodyOf(byte[] docx)
    {
        using var word = WordprocessingDocument.Open(new MemoryStream(docx), false);
        return word.MainDocumentPart!.Document!.OuterXml + word.MainDocumentPart.NumberingDefinitionsPart?.Numbering?.OuterXml;
    }
}
