using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CadapDrafting.History.Exports;

/// <summary>
/// Puts the converter's embedded fonts in one order. LibreOffice numbers the objects of its font subsets (font, descriptor,
/// font file, its length, the glyph-to-text map) in the order of a map keyed by where each font sits in memory, so two
/// conversions of the same revision can give the same fonts under swapped object numbers (and a different
/// <c>/DocChecksum</c>, its digest of the bytes). Everything else, the resource names the pages use included, is the same.
/// Here each font's objects take the numbers in the order of the font's resource name (/F1 before /F2), which is what the
/// converter writes when memory happens to lie that way; the cross-reference table and the checksum are written again.
/// A file of another shape (cross-reference streams, fonts sharing objects) is returned as it is: a rare difference in
/// bytes is better than a damaged file.
/// </summary>
public static partial class PdfFontOrder
{
    public static byte[] Settle(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        return Parse(text) is { } file && Renumbering(file) is { } renumbered ? Write(file, renumbered) : pdf;
    }

    private sealed record PdfObject(int Number, int Start, int End, string Head, string Body, string Tail);

    private sealed record PdfFile(string Text, int FirstObject, int Xref, IReadOnlyList<PdfObject> Objects);

    /// <summary>The objects of a file with one classic cross-reference table (what the converter writes), or null.</summary>
    private static PdfFile? Parse(string text)
    {
        var starts = PdfArchive.StartXref().Matches(text);
        if (starts.Count != 1 || !int.TryParse(starts[0].Groups[1].Value, CultureInfo.InvariantCulture, out var xref)) return null;
        var table = XrefTable().Match(text, Math.Min(xref, text.Length));
        if (!table.Success || table.Index != xref) return null;
        var count = int.Parse(table.Groups[1].Value, CultureInfo.InvariantCulture);
        var entriesAt = table.Index + table.Length;
        if (entriesAt + count * 20 > text.Length) return null;
        var offsets = new List<(int Number, int Offset)>();
        for (var n = 1; n < count; n++)
        {
            var entry = text.Substring(entriesAt + n * 20, 20);
            if (entry[17] != 'n') continue;
            if (!int.TryParse(entry[..10], CultureInfo.InvariantCulture, out var offset) || offset >= xref) return null;
            offsets.Add((n, offset));
        }
        offsets.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        var objects = new List<PdfObject>();
        for (var i = 0; i < offsets.Count; i++)
        {
            var (number, start) = offsets[i];
            var end = i + 1 < offsets.Count ? offsets[i + 1].Offset : xref;
            var head = $"{number} 0 obj";
            if (string.CompareOrdinal(text, start, head, 0, head.Length) != 0) return null;
            var span = text[(start + head.Length)..end];
            // References are rewritten only outside stream data: in the dictionary before "stream" and after "endstream".
            var stream = StreamStart().Match(span);
            var streamEnd = stream.Success ? span.LastIndexOf("endstream", StringComparison.Ordinal) : -1;
            if (stream.Success && streamEnd < stream.Index) return null;
            objects.Add(stream.Success
                ? new PdfObject(number, start, end, span[..stream.Index], span[stream.Index..streamEnd], span[streamEnd..])
                : new PdfObject(number, start, end, span, "", ""));
        }
        return objects.Count == 0 ? null : new PdfFile(text, offsets[0].Offset, xref, objects);
    }

    /// <summary>Old number → new number for the fonts' objects, or null when they are in order already or the shape is unknown.</summary>
    private static Dictionary<int, int>? Renumbering(PdfFile file)
    {
        var byNumber = file.Objects.ToDictionary(o => o.Number);
        var references = file.Objects.ToDictionary(o => o.Number,
            o => References(o).Where(byNumber.ContainsKey).ToList());
        var fonts = file.Objects.Where(o => FontType().IsMatch(o.Head)).Select(o => o.Number).ToHashSet();
        var named = new Dictionary<int, string>();
        foreach (var o in file.Objects)
            foreach (Match m in NamedReference().Matches(o.Head + o.Tail))
            {
                var target = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
                if (!fonts.Contains(target)) continue;
                if (named.TryGetValue(target, out var name) && name != m.Groups[1].Value) return null;
                named[target] = m.Groups[1].Value;
            }
        if (named.Count < 2 || named.Values.Distinct().Count() != named.Count) return null;

        var closures = new List<List<int>>();
        var taken = new HashSet<int>();
        foreach (var font in named.OrderBy(f => f.Value.Length).ThenBy(f => f.Value, StringComparer.Ordinal).Select(f => f.Key))
        {
            var closure = new List<int>();
            var stack = new Stack<int>([font]);
            while (stack.TryPop(out var n))
            {
                if (closure.Contains(n)) continue;
                if (!taken.Add(n)) return null; // objects shared between fonts: not a shape this knows
                closure.Add(n);
                foreach (var r in references[n]) stack.Push(r);
            }
            closure.Sort();
            closures.Add(closure);
        }
        // Only the fonts' own objects move: nothing outside them may point into a font but at the font object itself.
        foreach (var o in file.Objects.Where(o => !taken.Contains(o.Number)))
            if (references[o.Number].Any(r => taken.Contains(r) && !named.ContainsKey(r))) return null;

        var slots = taken.Order().ToList();
        var renumbering = new Dictionary<int, int>();
        var next = 0;
        foreach (var n in closures.SelectMany(c => c)) renumbering[n] = slots[next++];
        return renumbering.All(r => r.Key == r.Value) ? null : renumbering;
    }

    private static IEnumerable<int> References(PdfObject o) =>
        Reference().Matches(o.Head + o.Tail).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));

    /// <summary>The file again with the fonts' objects renumbered, in number order where they stood, and a new table and checksum.</summary>
    private static byte[] Write(PdfFile file, Dictionary<int, int> renumbering)
    {
        string Renumber(string s) => Reference().Replace(s, m =>
            renumbering.TryGetValue(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), out var n) ? $"{n} 0 R" : m.Value);
        var moved = file.Objects.Where(o => renumbering.ContainsKey(o.Number)).OrderBy(o => renumbering[o.Number]).GetEnumerator();
        var output = new StringBuilder(file.Text.Length + 64);
        output.Append(file.Text, 0, file.FirstObject);
        var offsets = new SortedDictionary<int, int>();
        foreach (var original in file.Objects)
        {
            var o = original;
            if (renumbering.ContainsKey(original.Number))
            {
                moved.MoveNext();
                o = moved.Current;
            }
            var number = renumbering.GetValueOrDefault(o.Number, o.Number);
            offsets[number] = output.Length;
            output.Append(CultureInfo.InvariantCulture, $"{number} 0 obj").Append(Renumber(o.Head)).Append(o.Body).Append(Renumber(o.Tail));
        }
        var xref = output.Length;
        var table = XrefTable().Match(file.Text, file.Xref);
        var count = int.Parse(table.Groups[1].Value, CultureInfo.InvariantCulture);
        output.Append(table.Value);
        var entriesAt = file.Xref + table.Length;
        for (var n = 0; n < count; n++)
            output.Append(offsets.TryGetValue(n, out var offset)
                ? $"{offset:D10}{file.Text.Substring(entriesAt + n * 20 + 10, 10)}"
                : file.Text.Substring(entriesAt + n * 20, 20));
        var trailerAt = file.Text.IndexOf("trailer", entriesAt + count * 20, StringComparison.Ordinal);
        if (trailerAt < 0) return Encoding.Latin1.GetBytes(file.Text);
        var before = Encoding.Latin1.GetBytes(output.ToString());
        // The converter's /DocChecksum is the MD5 of everything before the trailer.
        var checksum = Convert.ToHexString(MD5.HashData(before));
        var trailer = DocChecksum().Replace(Renumber(file.Text[trailerAt..]), $"/DocChecksum /{checksum}");
        trailer = PdfArchive.StartXref().Replace(trailer, $"startxref\n{xref}");
        return [.. before, .. Encoding.Latin1.GetBytes(trailer)];
    }

    [GeneratedRegex(@"\Gxref\r?\n0 (\d+)\r?\n")]
    private static partial Regex XrefTable();

    [GeneratedRegex(@"(?<=>>\s*)stream\r?\n")]
    private static partial Regex StreamStart();

    [GeneratedRegex(@"/Type\s*/Font(?![A-Za-z])")]
    private static partial Regex FontType();

    [GeneratedRegex(@"/([A-Za-z][A-Za-z0-9]*)\s+(\d+)\s+0\s+R")]
    private static partial Regex NamedReference();

    [GeneratedRegex(@"(?<![0-9])(\d+)\s+0\s+R(?![A-Za-z])")]
    private static partial Regex Reference();

    [GeneratedRegex(@"/DocChecksum\s*/[0-9A-Fa-f]{32}")]
    private static partial Regex DocChecksum();
}
