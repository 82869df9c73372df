using System.Data;
using CadapDrafting.Evidence;
using CadapDrafting.Transparency;

namespace CadapDrafting.History;

public sealed record ChainReport(Guid DraftId, bool Intact, long Events, long? RecordedVersion, string? HeadHash, long? FirstBadPosition,
    string? Problem, DateTimeOffset CheckedAt, string? Root = null, long? SignedSize = null, IReadOnlyList<string>? Proven = null,
    IReadOnlyList<string>? NotProven = null);

/// <summary>
/// Re-checks a draft's record in the database against everything that vouches for it: the per-event hash chain,
/// the heads of the draft's log signed with the server's key (which is not in the database), the heads the
/// configured witnesses cosigned (which are not in the database either), the stream's recorded version and the
/// stored draft's position and last hash. Someone who rewrote events and recomputed every hash the server could
/// recompute without its key is caught by the first signed or witnessed head after the change; someone who cut
/// the log, by a witness that saw it longer. The report says what was and was not proven. It also compares the log's stored
/// leaf hashes and tiles (what proofs are cut from, <see cref="LogLeafTable"/>) with what the events give and names an altered one.
/// </summary>
public sealed class ChainCheck(EventRows rows, SignedHeads heads, WitnessHeads witnesses, LogKeys keys, TimestampAuthorities authorities,
    LogLeafTable storage, TimeProvider clock)
{
    public async Task<ChainReport> RunAsync(Guid draftId, CancellationToken ct)
    {
        // Heads before the snapshot: a head is signed only after its events committed, so the snapshot sees every event a head read here covers.
        var answers = await witnesses.AskAsync(draftId, ct);
        var (trusted, trustProblem) = authorities.Trusted();
        var (signed, timestamps, headProblem, notChecked) = Checked(await heads.AllAsync(draftId, ct), trusted);

        await using var connection = rows.Connect();
        await connection.OpenAsync(ct);
        await using var snapshot = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);

        var held = answers.Where(a => a.Head is not null).Select(a => a.Head!).ToList();
        // The stored leaves, read beside the events (rows once written never change; one not written yet is simply not compared), and the
        // tiles computed from the events as they are read.
        await using var leafConnection = storage.Connect();
        await leafConnection.OpenAsync(ct);
        await using var stored = storage.AllLeavesAsync(leafConnection, draftId, ct).GetAsyncEnumerator(ct);
        var hasStored = await stored.MoveNextAsync();
        var frontier = new TreeFrontier();
        var tiles = new Dictionary<(int, long), byte[]>();
        var completed = new List<Subtree>();
        byte[]? leaf = null;
        string? storedProblem = null;
        var audit = new LogAudit(draftId, withLog: true, signed, held, serverKeyPinned: true, keys.WitnessKeys.Select(k => k.PublicKey).ToList(),
            keepChainHashes: false)
        { Timestamps = timestamps, LeafAdded = l => leaf = l, Record = "the server's own records" };
        await foreach (var e in rows.ReadAsync(connection, draftId, ct: ct))
        {
            leaf = null;
            if (audit.Add(e) is not null) break;
            if (leaf is null) continue;
            frontier.Append(leaf, completed, LogLeafTable.TileHeight);
            foreach (var tile in completed) tiles[(tile.Height, tile.Index)] = tile.Hash;
            completed.Clear();
            while (hasStored && stored.Current.Position < e.Position) hasStored = await stored.MoveNextAsync();
            if (hasStored && stored.Current.Position == e.Position && !stored.Current.Hash.AsSpan().SequenceEqual(leaf))
                storedProblem ??= $"the stored leaf hash of position {e.Position} (what proofs are cut from) is not the one its event gives: " +
                                  "it was altered; proofs that need it are refused until the rebuild command writes it again from the events";
        }
        var storedTiles = await storage.AllTilesAsync(connection, draftId, ct);
        var recorded = await rows.RecordedVersionAsync(connection, draftId, ct);
        var (storedPosition, storedHead) = await rows.StoredDraftHeadAsync(connection, draftId, ct);
        await snapshot.CommitAsync(ct);
        foreach (var tile in storedTiles)
        {
            if (storedProblem is not null) break;
            var what = $"the stored tile of height {tile.Height} at index {tile.Index} (the hash of positions {tile.FirstPosition}–" +
                       $"{tile.LastPosition}, what proofs are cut from)";
            if (!tiles.TryGetValue((tile.Height, tile.Index), out var computed))
                storedProblem = tile.LastPosition > audit.Count ? $"{what} covers positions that have no events" : null;
            else if (!computed.AsSpan().SequenceEqual(tile.Hash))
                storedProblem = $"{what} is not the hash its events give: it was altered; proofs that need it are refused until the " +
                                "rebuild command writes it again from the events";
        }

        var verdict = audit.Finish(recorded);
        if (verdict.Intact && (verdict.Count != storedPosition || verdict.HeadHash != storedHead))
            verdict = audit.Fail(Math.Min(verdict.Count, storedPosition) + (verdict.Count == storedPosition ? 0 : 1),
                $"the stored draft is at position {storedPosition} with head {ChainVerifier.Short(storedHead)}, " +
                $"but the chain ends at {verdict.Count} with head {ChainVerifier.Short(verdict.HeadHash)}");
        if (verdict.Intact && headProblem is not null) verdict = audit.Fail(null, headProblem);
        if (verdict.Intact && storedProblem is not null) verdict = audit.Fail(null, storedProblem);
        verdict = audit.Explain(verdict);
        var notProven = verdict.NotProven.Concat(answers.Where(a => a.Problem is not null).Select(a => a.Problem!))
            .Concat(trustProblem is null ? [] : [trustProblem])
            .Concat(notChecked)
            .Concat(witnesses.AnyConfigured ? [] : ["no witness is configured (Evidence:Witnesses), so none was asked what it saw: whoever " +
                "runs the database and gets a server node to sign again can rewrite or cut what no earlier head held outside shows"])
            .ToList();
        return new ChainReport(draftId, verdict.Intact, audit.Count, recorded, verdict.Intact ? verdict.HeadHash : null,
            verdict.FirstBadPosition, verdict.Problem, clock.GetUtcNow(), verdict.Root, signed.LastOrDefault()?.Head.Size, verdict.Proven, notProven);
    }

    /// <summary>
    /// The stored heads whose signature (and cosignatures) hold, and the timestamp tokens that hold, checked as the offline
    /// verifier checks them (<see cref="HeadTimestamps"/>) against the configured authority; the first that does not hold
    /// is a problem of its own.
    /// </summary>
    private (List<SignedTreeHead>, List<TimestampFinding>, string?, List<string>) Checked(List<SignedHeadRecord> stored,
        IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> trusted)
    {
        var signed = new List<SignedTreeHead>();
        var timestamps = new List<TimestampFinding>();
        var unknownWitnesses = new HashSet<(string Witness, string KeyId)>();
        string? problem = null;
        foreach (var record in stored)
        {
            SignedTreeHead head;
            try { head = record.ToSigned(); }
            catch (FormatException)
            {
                problem ??= $"the stored head at size {record.Size} cannot be read (a field is not in its form): it was altered";
                continue;
            }
            if (!keys.Holds(head))
            {
                problem ??= $"the stored head at size {record.Size} does not carry a valid signature of the server's keys: it was forged or altered";
                continue;
            }
            // A witness taken out of Evidence:Witnesses leaves its cosignatures behind: they cannot be checked (its key is no
            // longer known here) and are not counted, which is said, but they do not make the draft's record broken.
            foreach (var retired in head.Cosignatures.Where(c => keys.Witness(c.KeyId) is null))
                unknownWitnesses.Add((retired.Witness, retired.KeyId));
            head = head with { Cosignatures = head.Cosignatures.Where(c => keys.Witness(c.KeyId) is not null).ToList() };
            var badCosignature = head.Cosignatures.FirstOrDefault(c => keys.Witness(c.KeyId) is not { } key ||
                !SigningKey.Verify(key.PublicKey, Cosignature.SignedMessage(head.Head, c.Witness, c.Time), c.Signature));
            if (badCosignature is not null)
            {
                problem ??= $"the cosignature of \"{badCosignature.Witness}\" stored with the head at size {record.Size} does not hold";
                head = head with { Cosignatures = head.Cosignatures.Where(c => c != badCosignature).ToList() };
            }
            var (timestamp, timestampProblem) = HeadTimestamps.Check(head, trusted);
            if (timestampProblem is not null) problem ??= timestampProblem;
            else if (timestamp is not null) timestamps.Add(timestamp);
            signed.Add(head);
        }
        var notChecked = unknownWitnesses.Select(w => $"cosignatures of \"{w.Witness}\" (key {ChainVerifier.Short(w.KeyId)}) were not checked " +
            "and are not counted: that witness is not configured (keep it in Evidence:Witnesses without a URL to keep checking them)").ToList();
        return (signed, timestamps, problem, notChecked);
    }
}
