using CadapDrafting.Transparency;
using CadapDrafting.Drafts;
using CadapDrafting.History;
using CadapDrafting.History.Exports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using static CadapDrafting.Tests.History.ExportConsumers;

namespace CadapDrafting.Tests.History;

/// <summary>
/// The PDF of a revision is the same bytes however often and wherever it is converted: by the server that served
/// it, and by renderers that start from nothing (no kept file, their own new LibreOffice profiles and folders, as a
/// second node or a restarted server would), so an auditor who converts the revision again gets the file they hold.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ConvertingAPdfAfresh(AppFixture app)
{
    [Fact]
    public async Task Two_fresh_renderers_convert_the_same_revision_to_the_same_bytes_as_the_served_PDF()
    {
        var editor = await Person.SignIn(app, "tj-editor");
        var draft = await editor.CreatesDraft("TJ", title: "National Drug Strategy 2021–2025");
        var chapter = await editor.Inserts(draft, NodeKind.Chapter, "Demand reduction");
        for (var i = 1; i <= 6; i++)
            await editor.Inserts(draft, NodeKind.Action, $"Action {i}: open a treatment centre in region {i}", chapter, attributes: new {
                objective = "Treatment within reach of every district",
                responsibleBodies = new[] { "Ministry of Health and Social Protection" },
                timeline = new { start = "2022-01-01", end = "2025-12-31" },
                budget = new { amount = 250000m * i, currency = "TJS" },
                completionForm = "Report to the Government",
            });
        var read = await editor.Reads(draft);
        var query = $"lang=en&revision={read.Revision}";
        var served = await editor.Exports(draft, "pdf", query);

        var state = await app.Host.Services.GetRequiredService<DraftHistory>().StateAtAsync(draft, read.Position);
        // Stamped with the signed head the served file states: the earliest covering the position.
        await using var scope = app.Host.Services.CreateAsyncScope();
        var head = await app.Host.Services.GetRequiredService<SignedHeads>().EarliestCoveringAsync(
            scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>(), draft, read.Position, CancellationToken.None);
        var document = ExportDocument.Of(state!, "en", head);
        var renders = new List<byte[]>();
        for (var run = 0; run < 2; run++)
        {
            var folder = Path.Combine(Path.GetTempPath(), "cadap-export-tests", $"fresh-renderer-{Guid.NewGuid():N}");
            using var renderer = new PdfRenderer(NullLogger<PdfRenderer>.Instance, new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Exports:PdfWorkFolder"] = folder }).Build());
            var (pdf, problem) = await renderer.RenderAsync(document, CancellationToken.None);
            Assert.Null(problem);
            renders.Add(pdf!);
        }

        foreach (var (render, i) in renders.Select((r, i) => (r, i)))
            if (!render.SequenceEqual(served))
            {
                // Keep both files for a look at what differs (qpdf --qdf, or a byte diff).
                var kept = await Save(served, "served.pdf");
                await File.WriteAllBytesAsync(Path.Combine(Path.GetDirectoryName(kept)!, $"fresh-{i}.pdf"), render);
                Assert.Fail($"Fresh conversion {i} differs from the served PDF ({render.Length} and {served.Length} bytes); " +
                            $"both in {Path.GetDirectoryName(kept)}");
            }
    }

    /// <summary>
    /// LibreOffice once numbered the two embedded font subsets the other way round (a map keyed by where fonts sit in
    /// memory): the same page text, resource names and fonts, other object numbers and checksum. Both conversions, kept as
    /// the converter wrote them, settle to the same bytes, and poppler reads the settled file as it read the converter's.
    /// </summary>
    [Fact]
    public async Task A_conversion_that_numbered_its_fonts_the_other_way_round_settles_to_the_same_bytes()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "History", "pdf");
        var inOrder = await File.ReadAllBytesAsync(Path.Combine(folder, "fonts-in-order.pdf"));
        var swapped = await File.ReadAllBytesAsync(Path.Combine(folder, "fonts-swapped.pdf"));
        Assert.False(inOrder.SequenceEqual(swapped));

        var settled = PdfFontOrder.Settle(swapped);
        Assert.Equal(inOrder, settled);
        Assert.Same(inOrder, PdfFontOrder.Settle(inOrder));
        var path = await Save(settled, "settled.pdf");
        var (fontsCode, fonts) = await Run("pdffonts", path);
        Assert.Equal(0, fontsCode);
        Assert.Contains("BAAAAA+LiberationSans-Bold", fonts);
        Assert.Contains("CAAAAA+LiberationSans ", fonts);
        Assert.Equal(await TextOfPdf(swapped), await TextOfPdf(settled));
    }

    /// <summary>What is not a converter's PDF of this shape passes through untouched, and nothing in it makes the step fail.</summary>
    [Fact]
    public async Task A_file_of_another_shape_passes_through_as_it_is()
    {
        var swapped = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "History", "pdf", "fonts-swapped.pdf"));
        var text = System.Text.Encoding.Latin1.GetString(swapped);
        byte[][] odd =
        [
            [],
            "%PDF-1.6\nnot a pdf"u8.ToArray(),
            swapped[..(swapped.Length / 2)],
            swapped[..^40],
            System.Text.Encoding.Latin1.GetBytes(text.Replace("startxref", "startxref\n1\nstartxref")),
            System.Text.Encoding.Latin1.GetBytes(text.Replace("/F2 ", "/F1 ")),
            System.Text.Encoding.Latin1.GetBytes(text.Replace("xref\n0 ", "xref\n0 9")),
        ];
        foreach (var file in odd) Assert.Same(file, PdfFontOrder.Settle(file));
    }
}
