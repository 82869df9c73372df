using CadapDrafting.Infrastructure;
using JasperFx.Events;
using Marten;

namespace CadapDrafting.Drafts;

public sealed record ActivityEntry(long Position, string Type, string Actor, string? ActorName, DateTimeOffset At, string? Reason,
    object Data);

/// <summary>The per-draft activity feed, read from the draft's own stream.</summary>
public static class ActivityFeed
{
    public static async Task<List<ActivityEntry>> PageAsync(IQuerySession session, Guid draftId, long? before, int limit,
        CancellationToken ct)
    {
        var query = session.Events.QueryAllRawEvents().Where(e => e.StreamId == draftId);
        if (before is { } b) query = query.Where(e => e.Version < b);
        var events = await query.OrderByDescending(e => e.Version).Take(limit).ToListAsync(ct);
        return events.Select(Of).ToList();
    }

    public static ActivityEntry Of(IEvent e)
    {
        var context = EventMetadata.ContextOf(e, e.Version);
        return new ActivityEntry(e.Version, e.EventTypeName, context.Actor, EventMetadata.Header(e, EventMetadata.ActorName), context.At,
            EventMetadata.Header(e, EventMetadata.Reason), e.Data);
    }
}
