using CadapDrafting.Drafts;
using CadapDrafting.Infrastructure;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace CadapDrafting.Operations;

/// <summary>
/// Auditors' index of who did how much to which draft, across all drafts. Kept by the async daemon, off
/// the write path, so it trails the drafts by the projection's lag (shown beside it).
/// </summary>
public sealed class DraftAuditEntry
{
    public Guid Id { get; set; }
    public string Country { get; set; } = "";
    /// <summary>How many of the draft's events the index has taken in: equals the draft's position once caught up.</summary>
    public long EventsIndexed { get; set; }
    /// <summary>The global sequence of the last event taken in.</summary>
    public long LastSequence { get; set; }
    public DateTimeOffset? LastActivityAt { get; set; }
    public string? LastActor { get; set; }
    /// <summary>Events per actor (user id).</summary>
    public Dictionary<string, long> EventsByActor { get; set; } = new();
    /// <summary>Events per event type.</summary>
    public Dictionary<string, long> EventsByType { get; set; } = new();
}

public sealed partial class AuditIndexProjection : SingleStreamProjection<DraftAuditEntry, Guid>
{
    public const string ProjectionName = "AuditIndex";

    public AuditIndexProjection() => Name = ProjectionName;

    public override DraftAuditEntry? Evolve(DraftAuditEntry? entry, Guid id, IEvent e)
    {
        // Only drafts' events: a person's inbox stream (notifications) is no draft and gets no entry.
        if (e.Data is not IDraftEvent) return entry;
        entry ??= new DraftAuditEntry { Id = id };
        var context = EventMetadata.ContextOf(e, entry.EventsIndexed + 1);
        if (e.Data is DraftCreated created) entry.Country = created.Country;
        entry.EventsIndexed++;
        entry.LastSequence = e.Sequence;
        entry.LastActivityAt = context.At;
        entry.LastActor = context.Actor;
        entry.EventsByActor[context.Actor] = entry.EventsByActor.GetValueOrDefault(context.Actor) + 1;
        entry.EventsByType[e.EventTypeName] = entry.EventsByType.GetValueOrDefault(e.EventTypeName) + 1;
        return entry;
    }
}
