using CadapDrafting.Infrastructure;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace CadapDrafting.Drafts;

/// <summary>The draft document, kept inline: updated in the same transaction as the events it follows.</summary>
public sealed partial class DraftProjection : SingleStreamProjection<Draft, Guid>
{
    public override Draft Evolve(Draft? snapshot, Guid id, IEvent e) => EventMetadata.Evolve(snapshot, id, e);
}
