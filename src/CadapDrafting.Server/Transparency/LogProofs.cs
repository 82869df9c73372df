using System.Collections.Concurrent;
using CadapDrafting.Evidence;
using CadapDrafting.Infrastructure;
using Npgsql;

namespace CadapDrafting.Transparency;

/// <summary>
/// Cuts inclusion and consistency proofs of a draft's log at a signed size from the stored tiles and at most two
/// blocks of 256 leaves (the one holding the position, and the newest, partial one), in two queries: what RFC 9162's
/// recursion asks for is worked out first (<see cref="MerkleProofs"/> over a source that only notes what it is asked),
/// then read. The proof is the one the whole tree gives, and before it is served it is checked against the signed
/// root (O(log n) hashes): a stored hash that was altered makes the proof refused, never served. A draft whose tiles
/// are missing (signed before tiles were kept) gets them computed once from its leaves, kept only when they fold to
/// the signed root.
/// </summary>
public sealed class LogProofs(SignedHeads heads, LogLeafTable storage, ILogger<LogProofs> logger)
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _filling = new();

    /// <summary>A proof as cut from storage, with whether it holds against the signed root of its head.</summary>
    public sealed record Cut<T>(T Proof, bool Holds);

    public async Task<(InclusionProof?, Problem?)> InclusionAsync(Guid draftId, long? position, long? size, CancellationToken ct)
    {
        var (head, problem) = await HeadAsync(draftId, size, ct);
        if (head is null) return (null, problem);
        if (position is not { } p || p < 1 || p > head.Size)
            return (null, Problem.Invalid("position", $"Positions of the signed log run from 1 to {head.Size}."));
        var cut = await CutInclusionAsync(head, p, ct);
        return cut is { Holds: true } ? (cut.Proof, null) : (null, Mismatch(head));
    }

    public async Task<(ConsistencyProof?, Problem?)> ConsistencyAsync(Guid draftId, long? from, long? to, CancellationToken ct)
    {
        var (head, problem) = await HeadAsync(draftId, to, ct);
        if (head is null) return (null, problem);
        if (from is not { } f || f < 0 || f > head.Size)
            return (null, Problem.Invalid("from", $"An earlier size runs from 0 to {head.Size}."));
        var cut = await CutConsistencyAsync(head, f, ct);
        return cut is { Holds: true } ? (cut.Proof, null) : (null, Mismatch(head));
    }

    /// <summary>The inclusion proof of <paramref name="position"/> in the log of the head's size as storage gives it; null when rows are
    /// missing.</summary>
    public async Task<Cut<InclusionProof>?> CutInclusionAsync(SignedHeadRecord head, long position, CancellationToken ct)
    {
        var index = position - 1;
        var nodes = await NodesAsync(head, source =>
        {
            source(0, index);
            MerkleProofs.Inclusion(index, head.Size, source);
        }, ct);
        if (nodes is null) return null;
        var leaf = nodes(0, index);
        var path = MerkleProofs.Inclusion(index, head.Size, nodes);
        var holds = Rfc9162.VerifyInclusion(index, head.Size, leaf, path, Convert.FromHexString(head.Root));
        return new(new InclusionProof(head.DraftId, position, head.Size, Convert.ToHexStringLower(leaf),
            path.Select(Convert.ToHexStringLower).ToList()), holds);
    }

    /// <summary>The consistency proof from <paramref name="from"/> to the head's size as storage gives it; null when rows are missing.</summary>
    public async Task<Cut<ConsistencyProof>?> CutConsistencyAsync(SignedHeadRecord head, long from, CancellationToken ct)
    {
        // Nothing to read: the proof is empty, and the verifier compares the roots themselves.
        if (from == 0 || from == head.Size) return new(new ConsistencyProof(head.DraftId, from, head.Size, []), true);
        var nodes = await NodesAsync(head, source =>
        {
            MerkleProofs.Root(from, source);
            MerkleProofs.Consistency(from, head.Size, source);
        }, ct);
        if (nodes is null) return null;
        var proof = MerkleProofs.Consistency(from, head.Size, nodes);
        var holds = Rfc9162.VerifyConsistency(from, MerkleProofs.Root(from, nodes), head.Size, Convert.FromHexString(head.Root), proof);
        return new(new ConsistencyProof(head.DraftId, from, head.Size, proof.Select(Convert.ToHexStringLower).ToList()), holds);
    }

    private async Task<(SignedHeadRecord?, Problem?)> HeadAsync(Guid draftId, long? size, CancellationToken ct)
    {
        var head = size is { } s ? await heads.AtAsync(draftId, s, ct) : await heads.LatestAsync(draftId, ct);
        return head is not null
            ? (head, null)
            : (null, size is null ? Problem.NotFound("A signed head of this draft") : Problem.Invalid("size", $"No head of size {size} was signed."));
    }

    private static Problem Mismatch(SignedHeadRecord head) =>
        Problem.Conflict(
            $"The stored hashes of this draft's log (leaves and tiles) no longer match its head signed at size {head.Size}; verify the draft.");

    /// <summary>
    /// Reads what <paramref name="plan"/> asks of the tree of the head's size: a stored tile for a subtree of 256 leaves or more, the leaves
    /// of its block for a smaller one. Returns the source of those hashes, or null when storage lacks one of them.
    /// </summary>
    private async Task<Func<int, long, byte[]>?> NodesAsync(SignedHeadRecord head, Action<Func<int, long, byte[]>> plan, CancellationToken ct)
    {
        var wanted = new HashSet<(int Height, long Index)>();
        var placeholder = new byte[Rfc9162.HashSize];
        plan((height, index) =>
        {
            wanted.Add((height, index));
            return placeholder;
        });
        var tiles = wanted.Where(w => w.Height >= LogLeafTable.TileHeight).ToList();
        var positions = wanted.Where(w => w.Height < LogLeafTable.TileHeight)
            .SelectMany(w => Enumerable.Range(0, 1 << w.Height).Select(i => (w.Index << w.Height) + 1 + i)).ToHashSet();

        await using var connection = storage.Connect();
        await connection.OpenAsync(ct);
        var storedTiles = await storage.ReadTilesAsync(connection, head.DraftId, tiles, ct);
        if (storedTiles.Count < tiles.Count)
        {
            if (!await FillTilesAsync(connection, head, ct)) return null;
            storedTiles = await storage.ReadTilesAsync(connection, head.DraftId, tiles, ct);
            if (storedTiles.Count < tiles.Count) return null;
        }
        var leaves = await storage.ReadPositionsAsync(connection, head.DraftId, positions, ct);
        if (leaves.Count < positions.Count) return null;

        byte[] Node(int height, long index) => height >= LogLeafTable.TileHeight
            ? storedTiles[(height, index)]
            : height == 0 ? leaves[index + 1] : Rfc9162.NodeHash(Node(height - 1, 2 * index), Node(height - 1, 2 * index + 1));
        return Node;
    }

    /// <summary>
    /// Computes the tiles of the log up to the head's size from its stored leaves and keeps those missing (a draft signed before tiles were
    /// kept, or whose tiles were lost): once, and only when the leaves fold to the signed root. Returns whether they do.
    /// </summary>
    private async Task<bool> FillTilesAsync(NpgsqlConnection connection, SignedHeadRecord head, CancellationToken ct)
    {
        var gate = _filling.GetOrAdd(head.DraftId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            var hashes = await storage.ReadAsync(head.DraftId, head.Size, ct);
            var tree = new MerkleTree(hashes);
            if (hashes.Count != head.Size || !tree.RootAt(head.Size).AsSpan().SequenceEqual(Convert.FromHexString(head.Root))) return false;
            var tiles = tree.Subtrees(LogLeafTable.TileHeight).ToList();
            await storage.AppendAsync(connection, head.DraftId, head.Size + 1, [], tiles, ct);
            logger.LogInformation("Kept {Tiles} tiles of the log of draft {DraftId} up to size {Size}, computed from its leaves", tiles.Count,
                head.DraftId, head.Size);
            return true;
        }
        finally { gate.Release(); }
    }
}
