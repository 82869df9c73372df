using CadapDrafting.Comments;
using CadapDrafting.Drafts;
using CadapDrafting.History;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using Marten;

namespace CadapDrafting.Live;

/// <summary>
/// Catch-up: exactly the updates after a position, rendered from the state at each later position, so a
/// client that missed some ends where a client that saw everything live ends. However far behind, it is
/// answered in pages of <see cref="MaxCatchUp"/> positions.
/// </summary>
public sealed class DraftUpdateFeed(DraftUpdateRenderer renderer, DraftHistory history, IConfiguration configuration)
{
    /// <summary>The most positions one answer carries (Live:MaxCatchUp); beyond them it says there is more.</summary>
    public int MaxCatchUp { get; } = configuration.GetValue("Live:MaxCatchUp", 1_000);

    /// <summary>
    /// What <paramref name="viewer"/> missed after <paramref name="after"/>: team-only parts only for the draft's team, and
    /// for a public-only reader only what was said in public rounds.
    /// </summary>
    public async Task<UpdatesSince> ForViewerAsync(IQuerySession session, Actor viewer, Draft draft, long after, CancellationToken ct)
    {
        var scope = Audience.ScopeOf(viewer, draft);
        return (await AfterAsync(session, draft.Id, after, ct, scope)).For(scope == ReaderScope.WholeRecord);
    }

    public async Task<UpdatesSince> AfterAsync(IQuerySession session, Guid draftId, long after, CancellationToken ct,
        ReaderScope scope = ReaderScope.WholeRecord)
    {
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId == draftId && e.Version > after)
            .OrderBy(e => e.Version)
            .Take(MaxCatchUp + 1)
            .ToListAsync(ct);
        if (events.Count == 0) return new UpdatesSince(draftId, after, false, []);
        var more = events.Count > MaxCatchUp;
        if (more) events = events.Take(MaxCatchUp).ToList();

        // From the nearest checkpoint, not from the first event: a client rejoining a long draft near its head replays little.
        var state = await history.StateAtAsync(draftId, after, ct);
        var updates = new List<DraftUpdate>(events.Count);
        foreach (var e in events)
        {
            state = EventMetadata.Evolve(state, draftId, e);
            var update = renderer.Render(state, e, e.Version);
            updates.Add(scope == ReaderScope.PublicRounds ? update.ForPublicRounds(state, e.Data) : update);
        }
        return new UpdatesSince(draftId, events[^1].Version, false, updates, more);
    }
}
