using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CadapDrafting.History.Exports;

/// <summary>A file attached to the PDF/A-3 with its relationship to the document (Source, Supplement, Data …).</summary>
public sealed record PdfAttachment(string Name, string MimeType, string Relationship, string Description, byte[] Content);

/// <summary>
/// Attaches files to a PDF/A-3 the way the standard asks (an embedded file stream with its MIME type, size,
/// date and checksum; a file specification with its relationship, listed in the catalog's EmbeddedFiles name tree
/// and its /AF array) as an incremental update: the converter's bytes stay as they were and a new catalog, the new
/// objects, a cross-reference section and a trailer pointing back to the old one follow them.
/// </summary>
public static partial class PdfArchive
{
    public static byte[] Finish(byte[] pdf, ExportStamp stamp, IReadOnlyList<PdfAttachment> attachments)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var startXref = long.Parse(StartXref().Matches(text)[^1].Groups[1].Value, CultureInfo.InvariantCulture);
        var trailer = text[text.LastIndexOf("trailer", StringComparison.Ordinal)..];
        var size = int.Parse(Entry(trailer, "Size"), CultureInfo.InvariantCulture);
        var root = int.Parse(Entry(trailer, "Root"), CultureInfo.InvariantCulture);
        var info = Match(trailer, @"/Info\s+(\d+)\s+0\s+R");
        var id = Match(trailer, @"/ID\s*(\[[^\]]*\])");
        var catalog = CatalogDictionary(text, root);
        if (catalog.Contains("/Names", StringComparison.Ordinal) || catalog.Contains("/AF", StringComparison.Ordinal))
            throw new InvalidOperationException("The converter's catalog already has a name tree or associated files; attaching to it is not " +
                "supported.");

        var output = new MemoryStream();
        output.Write(pdf);
        if (pdf[^1] != (byte)'\n') output.WriteByte((byte)'\n');
        var offsets = new SortedDictionary<int, long>();
        void Object(int number, string head, byte[]? stream = null)
        {
            offsets[number] = output.Position;
            Ascii(output, $"{number} 0 obj\n{head}\n");
            if (stream is not null)
            {
                Ascii(output, "stream\n");
                output.Write(stream);
                Ascii(output, "\nendstream\n");
            }
            Ascii(output, "endobj\n");
        }

        var date = "D:" + stamp.MadeAt.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "Z";
        var specs = new List<(string Name, int Spec)>();
        var next = size;
        foreach (var file in attachments)
        {
            var streamNumber = next++;
            var specNumber = next++;
            var checksum = Convert.ToHexString(MD5.HashData(file.Content));
            Object(streamNumber,
                $"<</Type/EmbeddedFile/Subtype/{Name(file.MimeType)}/Params<</Size " +
                    $"{file.Content.Length}/ModDate({date})/CheckSum<{checksum}>>>/Length {file.Content.Length}>>",
                file.Content);
            Object(specNumber,
                $"<</Type/Filespec/F({PdfString(file.Name)})/UF({PdfString(file.Name)})" +
                $"/Desc({PdfString(file.Description)})/AFRelationship/{file.Relationship}" +
                $"/EF<</F {streamNumber} 0 R/UF {streamNumber} 0 R>>>>");
            specs.Add((file.Name, specNumber));
        }
        var names = string.Join(" ", specs.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => $"({PdfString(s.Name)}) {s.Spec} 0 R"));
        var associated = string.Join(" ", specs.Select(s => $"{s.Spec} 0 R"));
        Object(root, catalog[..catalog.LastIndexOf(">>", StringComparison.Ordinal)] +
                     $"/Names<</EmbeddedFiles<</Names[{names}]>>>>/AF[{associated}]>>");

        var xref = output.Position;
        var table = new StringBuilder("xref\n");
        foreach (var run in Runs(offsets.Keys))
        {
            table.Append(CultureInfo.InvariantCulture, $"{run.First} {run.Count}\n");
            for (var n = run.First; n < run.First + run.Count; n++) table.Append(CultureInfo.InvariantCulture, $"{offsets[n]:D10} 00000 n \n");
        }
        table.Append(CultureInfo.InvariantCulture,
            $"trailer\n<</Size {next}/Root {root} 0 R{(info is null ? "" : $"/Info {info} 0 R")}{(id is null ? "" : $"/ID {id}")}/Prev " +
            $"{startXref}>>\n");
        table.Append(CultureInfo.InvariantCulture, $"startxref\n{xref}\n%%EOF\n");
        Ascii(output, table.ToString());
        return output.ToArray();
    }

    /// <summary>The catalog object's dictionary as the converter wrote it.</summary>
    private static string CatalogDictionary(string pdf, int root)
    {
        var header = new Regex($@"(?:^|\s){root}\s+0\s+obj\s*").Matches(pdf)[^1];
        var start = header.Index + header.Length;
        var end = pdf.IndexOf("endobj", start, StringComparison.Ordinal);
        return pdf[start..end].TrimEnd();
    }

    private static IEnumerable<(int First, int Count)> Runs(IEnumerable<int> numbers)
    {
        int? first = null, last = null;
        foreach (var n in numbers)
        {
            if (first is not null && n == last + 1) { last = n; continue; }
            if (first is { } f) yield return (f, last!.Value - f + 1);
            first = last = n;
        }
        if (first is { } start) yield return (start, last!.Value - start + 1);
    }

    private static string Entry(string dictionary, string key) =>
        Match(dictionary, $@"/{key}\s+(\d+)") ?? throw new InvalidOperationException($"The PDF trailer has no /{key}.");

    private static string? Match(string s, string pattern) => Regex.Match(s, pattern) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>A MIME type as a PDF name: "/" written as #2F.</summary>
    private static string Name(string mime) => mime.Replace("/", "#2F");

    /// <summary>A literal string of printable ASCII, with the characters PDF strings reserve escaped.</summary>
    private static string PdfString(string s) =>
        new string(s.Select(c => c is >= ' ' and <= '~' ? c : '_').ToArray()).Replace("\\", "\\\\").Replace("(", "\\(").Replace(")", "\\)");

    private static void Ascii(Stream output, string s) => output.Write(Encoding.ASCII.GetBytes(s));

    /// <summary>Where a PDF's cross-reference section starts, as its trailer says (the last one counts).</summary>
    [GeneratedRegex(@"startxref\s+(\d+)")]
    internal static partial Regex StartXref();
}
