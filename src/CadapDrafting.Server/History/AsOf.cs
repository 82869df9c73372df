using CadapDrafting.Drafts;
using CadapDrafting.Infrastructure;
using Marten;

namespace CadapDrafting.History;

/// <summary>Which moment of a draft's history is asked for: a position, a document revision, or a time.</summary>
public sealed record HistoryPoint(long? Position, int? Revision, DateTimeOffset? At)
{
    /// <summary>The position meant, against the draft as it is now; a problem naming the field when it does not exist.</summary>
    public async Task<(long Position, Problem? Problem)> ResolveAsync(Draft current, EventRows rows, CancellationToken ct)
    {
        var given = (Position is null ? 0 : 1) + (Revision is null ? 0 : 1) + (At is null ? 0 : 1);
        if (given > 1) return (0, Problem.Invalid("position", "Ask for one of position, revision or at, not several."));
        if (Position is { } p)
            return p >= 1 && p <= current.Position
                ? (p, null)
                : (0, Problem.Invalid("position", $"Position {p} does not exist; the draft's positions run from 1 to {current.Position}."));
        if (Revision is { } r)
            return r >= 0 && r < current.RevisionPositions.Count
                ? (current.RevisionPositions[r], null)
                : (0, Problem.Invalid("revision", $"Revision {r} does not exist; the draft's revisions run from 0 to {current.Revision}."));
        if (At is { } at)
        {
            var position = await rows.PositionAtAsync(current.Id, at, ct);
            return position >= 1
                ? (position, null)
                : (0, Problem.Invalid("at",
                    $"The draft did not exist yet at {EventMetadata.FormatTime(at)}; it was created at " +
                    $"{EventMetadata.FormatTime(current.CreatedAt)}."));
        }
        return (current.Position, null);
    }
}

/// <summary>
/// The state of a draft at any position: the nearest checkpoint at or before it, then the remaining events
/// replayed with the same evolve step the writer uses. Checkpoints the replay passes are written on the way.
/// </summary>
public sealed class DraftHistory(IDocumentStore store, ILogger<DraftHistory> logger)
{
    /// <summary>
    /// The state at <paramref name="position"/>; a position past the head gives the state at the head. Callers resolve
    /// the position against the current draft first, so the current state (as large as any past one) is not loaded here.
    /// </summary>
    public async Task<Draft?> StateAtAsync(Guid draftId, long position, CancellationToken ct = default)
    {
        if (position <= 0) return null;
        // The events after the checkpoint that should be there are read while the checkpoint loads (its state dominates).
        var expected = position / DraftCheckpoint.Interval * DraftCheckpoint.Interval;
        var tail = FetchAsync(draftId, expected + 1, position, ct);
        await using var session = store.QuerySession();
        var start = await NearestCheckpointAsync(session, draftId, position, ct);
        var draft = start?.State;
        var from = start?.Position ?? 0;
        var events = from == expected ? await tail : await FetchAsync(draftId, from + 1, position, ct);
        if (from != expected) await tail;
        if (from == position) return draft;

        var passed = new List<DraftCheckpoint>();
        foreach (var e in events)
        {
            draft = EventMetadata.Evolve(draft, draftId, e);
            if (DraftCheckpoint.IsDue(draft.Position) && draft.Position < position)
                passed.Add(DraftCheckpoint.Of(DraftStateCopy.Of(store, draft)));
        }
        if (draft is not null && DraftCheckpoint.IsDue(draft.Position)) passed.Add(DraftCheckpoint.Of(DraftStateCopy.Of(store, draft)));
        if (passed.Count > 0) await DraftCheckpoint.StoreAsync(store, draftId, passed, logger, ct);
        return draft;
    }

    private async Task<IReadOnlyList<JasperFx.Events.IEvent>> FetchAsync(Guid draftId, long fromVersion, long toVersion, CancellationToken ct)
    {
        if (fromVersion > toVersion) return [];
        await using var session = store.QuerySession();
        return await session.Events.FetchStreamAsync(draftId, version: toVersion, fromVersion: fromVersion, token: ct);
    }

    /// <summary>
    /// Checkpoints sit at multiples of the interval, so the nearest one is found by key, walking back only past
    /// positions no replay has reached yet (each miss is one primary-key lookup).
    /// </summary>
    private static async Task<DraftCheckpoint?> NearestCheckpointAsync(IQuerySession session, Guid draftId, long position, CancellationToken ct)
    {
        for (var at = position / DraftCheckpoint.Interval * DraftCheckpoint.Interval; at > 0; at -= DraftCheckpoint.Interval)
            if (await session.LoadAsync<DraftCheckpoint>(DraftCheckpoint.IdOf(draftId, at), ct) is { } checkpoint) return checkpoint;
        return null;
    }

}
