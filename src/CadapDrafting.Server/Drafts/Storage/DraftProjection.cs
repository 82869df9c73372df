using CadapDrafting.Infrastructure;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace CadapDrafting.Drafts;

/// <summary>
/// The draft's state from its events: Marten uses <see cref="Evolve"/> to replay a stream (the state at any position),
/// and the writer uses the same function while deciding. Storing the result is <see cref="DraftStore"/>'s.
/// </summary>
public sealed class DraftProjection : SingleStreamProjection<Draft, Guid>
{
    public override Draft Evolve(Draft? snapshot, Guid id, IEvent e) => EventMetadata.Evolve(snapshot, id, e);
}
