using System.Security.Cryptography;

namespace CadapDrafting.Evidence;

/// <summary>
/// The hashing of RFC 9162 (Certificate Transparency 2.0), section 2.1, with SHA-256: a leaf hash is
/// SHA-256(0x00 || leaf), an interior node SHA-256(0x01 || left || right), and the tree over n leaves splits
/// at the largest power of two below n. The empty tree's root is SHA-256 of nothing.
/// </summary>
public static class Rfc9162
{
    public const int HashSize = 32;
    public static readonly byte[] EmptyRoot = SHA256.HashData([]);

    public static byte[] LeafHash(ReadOnlySpan<byte> leaf)
    {
        var buffer = new byte[leaf.Length + 1];
        buffer[0] = 0x00;
        leaf.CopyTo(buffer.AsSpan(1));
        return SHA256.HashData(buffer);
    }

    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[1 + 2 * HashSize];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + HashSize)..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>The largest power of two smaller than n (n ≥ 2).</summary>
    public static long SplitPoint(long n)
    {
        long k = 1;
        while (k << 1 < n) k <<= 1;
        return k;
    }

    /// <summary>RFC 9162 2.1.3.2: does <paramref name="path"/> prove the leaf at <paramref name="index"/> is in the tree of <paramref name="size"/>
    /// with <paramref name="root"/>?</summary>
    public static bool VerifyInclusion(long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> path, ReadOnlySpan<byte> root)
    {
        if (index < 0 || index >= size || leafHash.Length != HashSize || root.Length != HashSize) return false;
        long fn = index, sn = size - 1;
        var r = leafHash.ToArray();
        foreach (var p in path)
        {
            if (p.Length != HashSize || sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            }
            else r = NodeHash(r, p);
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    /// <summary>RFC 9162 2.1.4.2: does <paramref name="proof"/> prove the tree of <paramref name="secondSize"/> extends the one of <paramref
    /// name="firstSize"/>?</summary>
    public static bool VerifyConsistency(long firstSize, ReadOnlySpan<byte> firstRoot, long secondSize, ReadOnlySpan<byte> secondRoot,
        IReadOnlyList<byte[]> proof)
    {
        if (firstSize < 0 || secondSize < firstSize || firstRoot.Length != HashSize || secondRoot.Length != HashSize) return false;
        if (proof.Any(p => p.Length != HashSize)) return false;
        if (firstSize == 0) return proof.Count == 0 && firstRoot.SequenceEqual(EmptyRoot);
        if (firstSize == secondSize) return proof.Count == 0 && firstRoot.SequenceEqual(secondRoot);
        if (proof.Count == 0) return false;

        var path = new List<byte[]>(proof.Count + 1);
        if ((firstSize & (firstSize - 1)) == 0) path.Add(firstRoot.ToArray());
        path.AddRange(proof);
        long fn = firstSize - 1, sn = secondSize - 1;
        while ((fn & 1) == 1) { fn >>= 1; sn >>= 1; }
        var fr = path[0];
        var sr = path[0];
        foreach (var c in path.Skip(1))
        {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = NodeHash(c, fr);
                sr = NodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            }
            else sr = NodeHash(sr, c);
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && fr.AsSpan().SequenceEqual(firstRoot) && sr.AsSpan().SequenceEqual(secondRoot);
    }
}

/// <summary>
/// A complete aligned subtree of a log: the 2^<see cref="Height"/> leaves from index <see cref="Index"/> × 2^height
/// (0-based), and its hash. What is stored beside the leaves so proofs need not read them all.
/// </summary>
public readonly record struct Subtree(int Height, long Index, byte[] Hash)
{
    /// <summary>The first position (1-based) the subtree covers.</summary>
    public long FirstPosition => (Index << Height) + 1;

    /// <summary>The last position (1-based) the subtree covers.</summary>
    public long LastPosition => (Index + 1) << Height;
}

/// <summary>
/// RFC 9162's proofs (2.1.3.1 and 2.1.4.1) and roots over any source of the hashes of complete aligned subtrees
/// (<c>node(height, index)</c>): the tree in memory, or hashes read from storage. The recursion is RFC 9162's, so
/// every source that gives the right hashes gives the same proof bytes.
/// </summary>
public static class MerkleProofs
{
    /// <summary>The root of the tree over the first <paramref name="size"/> leaves.</summary>
    public static byte[] Root(long size, Func<int, long, byte[]> node) => size == 0 ? Rfc9162.EmptyRoot : Hash(0, size, node);

    /// <summary>RFC 9162 2.1.3.1: the audit path of the leaf at <paramref name="index"/> in the tree of <paramref name="size"/>.</summary>
    public static List<byte[]> Inclusion(long index, long size, Func<int, long, byte[]> node)
    {
        if (index < 0 || index >= size) throw new ArgumentOutOfRangeException(nameof(index));
        var path = new List<byte[]>();
        Path(index, 0, size, path, node);
        return path;
    }

    /// <summary>RFC 9162 2.1.4.1: the proof that the tree of <paramref name="secondSize"/> extends the one of <paramref name="firstSize"/>.</summary>
    public static List<byte[]> Consistency(long firstSize, long secondSize, Func<int, long, byte[]> node)
    {
        if (firstSize < 0 || firstSize > secondSize) throw new ArgumentOutOfRangeException(nameof(firstSize));
        var proof = new List<byte[]>();
        if (firstSize == 0 || firstSize == secondSize) return proof;
        SubProof(firstSize, 0, secondSize, true, proof, node);
        return proof;
    }

    private static void Path(long m, long start, long end, List<byte[]> path, Func<int, long, byte[]> node)
    {
        var n = end - start;
        if (n == 1) return;
        var k = Rfc9162.SplitPoint(n);
        if (m < k)
        {
            Path(m, start, start + k, path, node);
            path.Add(Hash(start + k, end, node));
        }
        else
        {
            Path(m - k, start + k, end, path, node);
            path.Add(Hash(start, start + k, node));
        }
    }

    private static void SubProof(long m, long start, long end, bool whole, List<byte[]> proof, Func<int, long, byte[]> node)
    {
        var n = end - start;
        if (m == n)
        {
            if (!whole) proof.Add(Hash(start, end, node));
            return;
        }
        var k = Rfc9162.SplitPoint(n);
        if (m <= k)
        {
            SubProof(m, start, start + k, whole, proof, node);
            proof.Add(Hash(start + k, end, node));
        }
        else
        {
            SubProof(m - k, start + k, end, false, proof, node);
            proof.Add(Hash(start, start + k, node));
        }
    }

    /// <summary>MTH of the leaves [start, end): an aligned complete subtree comes from the source, anything else is split as RFC 9162
    /// splits it.</summary>
    private static byte[] Hash(long start, long end, Func<int, long, byte[]> node)
    {
        var n = end - start;
        if ((n & (n - 1)) == 0)
        {
            var height = System.Numerics.BitOperations.Log2((ulong)n);
            if (start % n == 0) return node(height, start >> height);
        }
        var k = Rfc9162.SplitPoint(n);
        return Rfc9162.NodeHash(Hash(start, start + k, node), Hash(start + k, end, node));
    }
}

/// <summary>
/// A Merkle tree over leaf hashes held in memory, with every aligned perfect subtree's hash kept (levels), so
/// a root at any size, an inclusion proof or a consistency proof costs O(log² n) after one pass of n hashes.
/// </summary>
public sealed class MerkleTree
{
    private readonly List<byte[][]> _levels = [];

    public MerkleTree(IReadOnlyList<byte[]> leafHashes)
    {
        Size = leafHashes.Count;
        var level = leafHashes.ToArray();
        _levels.Add(level);
        while (level.Length > 1)
        {
            var next = new byte[level.Length / 2][];
            for (var i = 0; i < next.Length; i++) next[i] = Rfc9162.NodeHash(level[2 * i], level[2 * i + 1]);
            _levels.Add(next);
            level = next;
        }
    }

    public long Size { get; }

    public byte[] LeafHash(long index) => _levels[0][index];

    /// <summary>The hash of the complete aligned subtree of 2^<paramref name="height"/> leaves at <paramref name="index"/>.</summary>
    public byte[] Node(int height, long index) => _levels[height][index];

    /// <summary>Every complete aligned subtree of at least 2^<paramref name="minHeight"/> leaves, lowest first.</summary>
    public IEnumerable<Subtree> Subtrees(int minHeight)
    {
        for (var height = minHeight; height < _levels.Count; height++)
            for (var index = 0; index < _levels[height].Length; index++) yield return new Subtree(height, index, _levels[height][index]);
    }

    /// <summary>The root of the tree over the first <paramref name="size"/> leaves.</summary>
    public byte[] RootAt(long size)
    {
        if (size < 0 || size > Size) throw new ArgumentOutOfRangeException(nameof(size), $"the tree has {Size} leaves");
        return MerkleProofs.Root(size, Node);
    }

    /// <summary>RFC 9162 2.1.3.1: the audit path of the leaf at <paramref name="index"/> in the tree of <paramref name="size"/>.</summary>
    public List<byte[]> InclusionProof(long index, long size)
    {
        if (size > Size || index < 0 || index >= size) throw new ArgumentOutOfRangeException(nameof(index));
        return MerkleProofs.Inclusion(index, size, Node);
    }

    /// <summary>RFC 9162 2.1.4.1: the proof that the tree of <paramref name="secondSize"/> extends the one of <paramref name="firstSize"/>.</summary>
    public List<byte[]> ConsistencyProof(long firstSize, long secondSize)
    {
        if (secondSize > Size || firstSize < 0 || firstSize > secondSize) throw new ArgumentOutOfRangeException(nameof(firstSize));
        return MerkleProofs.Consistency(firstSize, secondSize, Node);
    }
}

/// <summary>
/// The right edge of a growing tree: the roots of its perfect subtrees, largest first (at most log₂ n hashes).
/// Enough to append leaves and compute the root without holding the leaves; a stored frontier is checked
/// against a signed root before it is trusted.
/// </summary>
public sealed class TreeFrontier
{
    private readonly List<(long Size, byte[] Hash)> _peaks = [];

    public long Size { get; private set; }

    public IReadOnlyList<byte[]> Peaks => _peaks.Select(p => p.Hash).ToList();

    /// <summary>A frontier of a tree of <paramref name="size"/> leaves from its peaks (as <see cref="Peaks"/> gives them).</summary>
    public static TreeFrontier Of(long size, IReadOnlyList<byte[]> peaks)
    {
        var frontier = new TreeFrontier { Size = size };
        var remaining = size;
        var i = 0;
        for (var bit = 62; bit >= 0; bit--)
        {
            var subtree = 1L << bit;
            if ((remaining & subtree) == 0) continue;
            if (i >= peaks.Count || peaks[i].Length != Rfc9162.HashSize)
                throw new FormatException($"a tree of {size} leaves has {BitCount(size)} peaks");
            frontier._peaks.Add((subtree, peaks[i++]));
        }
        if (i != peaks.Count) throw new FormatException($"a tree of {size} leaves has {BitCount(size)} peaks");
        return frontier;
    }

    private static int BitCount(long n) => System.Numerics.BitOperations.PopCount((ulong)n);

    /// <summary>Appends a leaf; every complete subtree of at least 2^<paramref name="minHeight"/> leaves it completes is added to
    /// <paramref name="completed"/> (lowest first).</summary>
    public void Append(byte[] leafHash, ICollection<Subtree>? completed = null, int minHeight = 1)
    {
        var entry = (Size: 1L, Hash: leafHash);
        var height = 0;
        if (completed is not null && minHeight <= 0) completed.Add(new Subtree(0, Size, leafHash));
        while (_peaks.Count > 0 && _peaks[^1].Size == entry.Size)
        {
            entry = (entry.Size * 2, Rfc9162.NodeHash(_peaks[^1].Hash, entry.Hash));
            _peaks.RemoveAt(_peaks.Count - 1);
            height++;
            if (completed is not null && height >= minHeight) completed.Add(new Subtree(height, Size >> height, entry.Hash));
        }
        _peaks.Add(entry);
        Size++;
    }

    public byte[] Root()
    {
        if (_peaks.Count == 0) return Rfc9162.EmptyRoot;
        var root = _peaks[^1].Hash;
        for (var i = _peaks.Count - 2; i >= 0; i--) root = Rfc9162.NodeHash(_peaks[i].Hash, root);
        return root;
    }
}
