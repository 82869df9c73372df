using Marten;

namespace CadapDrafting.Drafts;

/// <summary>The state of a draft as it was at a past position, rebuilt by replaying its stream up to there.</summary>
public static class DraftReplay
{
    public static async Task<Draft?> StateAtAsync(IQuerySession session, Guid draftId, long position, CancellationToken ct = default)
    {
        if (position <= 0) return null;
        return await session.Events.AggregateStreamAsync<Draft>(draftId, version: position, token: ct);
    }
}
