using Marten;

namespace CadapDrafting.Drafts;

/// <summary>The state of a draft as it was at a past position, replayed from its first event: the reference the checkpointed history (DraftHistory)
/// is checked against.</summary>
public static class DraftReplay
{
    public static async Task<Draft?> StateAtAsync(IQuerySession session, Guid draftId, long position, CancellationToken ct = default)
    {
        if (position <= 0) return null;
        return await session.Events.AggregateStreamAsync<Draft>(draftId, version: position, token: ct);
    }
}
