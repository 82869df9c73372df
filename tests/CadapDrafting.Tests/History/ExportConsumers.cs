using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace CadapDrafting.Tests.History;

/// <summary>
/// The programs people open exports with, run for real: LibreOffice (headless) for Word files, poppler's pdftotext,
/// pdffonts, pdfinfo and pdfdetach for PDFs, xmllint for Akoma Ntoso.
/// </summary>
public static class ExportConsumers
{
    public static string AknSchema => Path.Combine(AppContext.BaseDirectory, "History", "akn", "akomantoso30.xsd");

    /// <summary>A scratch folder for one story, with the exported file written into it.</summary>
    public static async Task<string> Save(byte[] content, string fileName)
    {
        var folder = Path.Combine(Path.GetTempPath(), "cadap-export-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, fileName);
        await File.WriteAllBytesAsync(path, content);
        return path;
    }

    /// <summary>LibreOffice converts a file to another format (e.g. "txt:Text", "fodt", "pdf"); returns the converted file's path.</summary>
    public static async Task<string> LibreOfficeConverts(string path, string target, string extension)
    {
        var folder = Path.GetDirectoryName(path)!;
        var profile = new Uri(Path.Combine(folder, "profile") + "/").AbsoluteUri;
        var (code, output) = await Run("soffice", $"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", target,
            "--outdir", folder, path);
        var converted = Path.ChangeExtension(path, extension);
        Assert.True(code == 0 && File.Exists(converted), $"LibreOffice could not convert {Path.GetFileName(path)}: {output}");
        return converted;
    }

    /// <summary>The text a reader sees in a Word file, as LibreOffice extracts it.</summary>
    public static async Task<string> TextOfWord(byte[] docx) =>
        await File.ReadAllTextAsync(await LibreOfficeConverts(await Save(docx, "export.docx"), "txt:Text (encoded):UTF8", ".txt"));

    public static async Task<string> TextOfPdf(byte[] pdf)
    {
        var path = await Save(pdf, "export.pdf");
        var (code, text) = await Run("pdftotext", "-enc", "UTF-8", path, "-");
        Assert.Equal(0, code);
        return text;
    }

    /// <summary>Xmllint's verdict against the official Akoma Ntoso schema: empty when valid.</summary>
    public static async Task<string> XmllintErrors(byte[] xml)
    {
        var path = await Save(xml, "export.akn.xml");
        var (code, output) = await Run("xmllint", "--noout", "--schema", AknSchema, path);
        return code == 0 ? "" : output;
    }

    /// <summary>HTML as text: data blocks (the embedded content, never shown) and tags removed, entities decoded.</summary>
    public static string TextOfHtml(string html) => System.Net.WebUtility.HtmlDecode(
        Regex.Replace(Regex.Replace(html, "<script[^>]*>.*?</script>", " ", RegexOptions.Singleline), "<[^>]+>", " "));

    /// <summary>Spaces of every kind (Russian amounts group digits with no-break spaces) as one plain space.</summary>
    public static string Normalised(string text) => Regex.Replace(text, @"[\s\u00a0\u202f]+", " ");

    public static async Task<(int Code, string Output)> Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["HOME"] = Path.GetTempPath();
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }

    /// <summary>The tracked changes LibreOffice reads from a Word file: kind (insertion, deletion, …), author and date per change.</summary>
    public static async Task<List<(string Kind, string Author, string Date)>> TrackedChangesLibreOfficeReads(byte[] docx)
    {
        var flat = await LibreOfficeConverts(await Save(docx, "changes.docx"), "fodt", ".fodt");
        XNamespace text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
        XNamespace office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
        XNamespace dc = "http://purl.org/dc/elements/1.1/";
        var document = XDocument.Load(flat);
        return document.Descendants(text + "changed-region")
            .Select(region => region.Elements().First())
            .Select(change => (change.Name.LocalName, change.Element(office + "change-info")!.Element(dc + "creator")!.Value,
                change.Element(office + "change-info")!.Element(dc + "date")!.Value))
            .ToList();
    }

    public static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
