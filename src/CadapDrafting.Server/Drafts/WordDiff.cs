using DiffPlex;
using DiffPlex.Chunkers;

namespace CadapDrafting.Drafts;

public enum DiffOp { Equal, Insert, Delete }

public sealed record DiffSegment(DiffOp Op, string Text);

/// <summary>A word-level diff, as segments to show inline: kept, inserted and deleted runs of words.</summary>
public static class WordDiff
{
    public static IReadOnlyList<DiffSegment> Between(string? before, string? after)
    {
        before ??= "";
        after ??= "";
        var result = Differ.Instance.CreateDiffs(before, after, ignoreWhiteSpace: false, ignoreCase: false, WordChunker.Instance);
        var a = result.PiecesOld;
        var b = result.PiecesNew;
        var segments = new List<DiffSegment>();

        void Add(DiffOp op, IEnumerable<string> pieces)
        {
            var text = string.Concat(pieces);
            if (text.Length == 0) return;
            if (segments.Count > 0 && segments[^1].Op == op) segments[^1] = segments[^1] with { Text = segments[^1].Text + text };
            else segments.Add(new DiffSegment(op, text));
        }

        var posA = 0;
        foreach (var block in result.DiffBlocks)
        {
            Add(DiffOp.Equal, a.Skip(posA).Take(block.DeleteStartA - posA));
            Add(DiffOp.Delete, a.Skip(block.DeleteStartA).Take(block.DeleteCountA));
            Add(DiffOp.Insert, b.Skip(block.InsertStartB).Take(block.InsertCountB));
            posA = block.DeleteStartA + block.DeleteCountA;
        }
        Add(DiffOp.Equal, a.Skip(posA));
        return segments;
    }

    /// <summary>Per language present on either side.</summary>
    public static Dictionary<string, IReadOnlyList<DiffSegment>> Between(IReadOnlyDictionary<string, string>? before,
        IReadOnlyDictionary<string, string>? after)
    {
        before ??= new Dictionary<string, string>();
        after ??= new Dictionary<string, string>();
        return before.Keys.Union(after.Keys).Order()
            .ToDictionary(lang => lang, lang => Between(before.GetValueOrDefault(lang), after.GetValueOrDefault(lang)));
    }

    public static bool Changes(IReadOnlyList<DiffSegment> diff) => diff.Any(s => s.Op != DiffOp.Equal);
}
