using CadapDrafting.Drafts;
using CadapDrafting.Infrastructure;
using JasperFx.Events;
using Marten;

namespace CadapDrafting.History;

/// <summary>
/// The whole state of a draft exactly at one position, kept so a past state is rebuilt from the nearest
/// checkpoint instead of from the first event. Immutable once written: the same position always yields
/// the same state, so writing one twice (after commit and by a replay passing it) is harmless.
/// </summary>
public sealed class DraftCheckpoint
{
    public const long Interval = 1_000;

    public string Id { get; set; } = "";
    public Guid DraftId { get; set; }
    public long Position { get; set; }
    public Draft State { get; set; } = new();

    public static string IdOf(Guid draftId, long position) => $"{draftId:D}:{position}";

    public static DraftCheckpoint Of(Draft state) =>
        new() { Id = IdOf(state.Id, state.Position), DraftId = state.Id, Position = state.Position, State = state };

    public static bool IsDue(long position) => position > 0 && position % Interval == 0;

    /// <summary>
    /// Stores checkpoints; a failure is only logged, since a checkpoint only speeds up reading the past and a
    /// replay passing its position writes it again.
    /// </summary>
    public static async Task StoreAsync(IDocumentStore store, Guid draftId, IReadOnlyCollection<DraftCheckpoint> checkpoints, ILogger logger,
        CancellationToken ct)
    {
        try
        {
            await using var session = store.LightweightSession();
            session.Store(checkpoints.ToArray());
            await session.SaveChangesAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Storing checkpoints of draft {DraftId} failed", draftId);
        }
    }
}

/// <summary>Writes a checkpoint for every position that is a multiple of the interval, once the events up to it are committed.</summary>
public sealed class CheckpointWriter(IDocumentStore store, ILogger<CheckpointWriter> logger) : IDraftCommitObserver
{
    public object? Capture(Draft draftAfter, IEvent appended, long position)
    {
        if (!DraftCheckpoint.IsDue(position)) return null;
        // The writer keeps evolving the same instance for the rest of the batch: keep a copy of it as it is now.
        return DraftCheckpoint.Of(DraftStateCopy.Of(store, draftAfter));
    }

    public async Task CommittedAsync(Guid draftId, IReadOnlyList<object> captured, CancellationToken ct)
    {
        var checkpoints = captured.OfType<DraftCheckpoint>().ToList();
        if (checkpoints.Count > 0) await DraftCheckpoint.StoreAsync(store, draftId, checkpoints, logger, ct);
    }
}

