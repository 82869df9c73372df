using System.Data;
using Npgsql;

namespace CadapDrafting.History;

public sealed record ChainReport(Guid DraftId, bool Intact, long Events, long? RecordedVersion, string? HeadHash, long? FirstBadPosition,
    string? Problem, DateTimeOffset CheckedAt);

/// <summary>
/// Re-checks a draft's chain over the rows in the database. The stream's recorded version (mt_streams) and the
/// stored draft's position and last hash are independent records of how far the chain reached, so a deleted tail
/// or an appended row shows up as well. All three are read in one snapshot, so a commit landing meanwhile is
/// never mistaken for tampering.
/// </summary>
public sealed class ChainCheck(EventRows rows, TimeProvider clock)
{
    public async Task<ChainReport> RunAsync(Guid draftId, CancellationToken ct)
    {
        await using var connection = rows.Connect();
        await connection.OpenAsync(ct);
        await using var snapshot = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);

        var chain = new ChainVerifier(draftId);
        await foreach (var e in rows.ReadAsync(connection, draftId, ct: ct))
            if (!chain.Add(e)) break;
        var recorded = await rows.RecordedVersionAsync(connection, draftId, ct);
        var (storedPosition, storedHead) = await rows.StoredDraftHeadAsync(connection, draftId, ct);
        var verdict = chain.Finish(recorded);
        if (verdict.Intact && (verdict.Count != storedPosition || verdict.HeadHash != storedHead))
            verdict = ChainVerdict.Broken(Math.Min(verdict.Count, storedPosition) + (verdict.Count == storedPosition ? 0 : 1),
                $"the stored draft is at position {storedPosition} with head {ChainVerifier.Short(storedHead)}, " +
                $"but the chain ends at {verdict.Count} with head {ChainVerifier.Short(verdict.HeadHash)}", verdict.Count);
        await snapshot.CommitAsync(ct);
        return new ChainReport(draftId, verdict.Intact, chain.Count, recorded, verdict.Intact ? verdict.HeadHash : null,
            verdict.FirstBadPosition, verdict.Problem, clock.GetUtcNow());
    }
}
