using CadapDrafting.Infrastructure;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;

namespace CadapDrafting.Drafts;

/// <summary>The draft document, kept inline: updated in the same transaction as the events it follows.</summary>
public sealed partial class DraftProjection : SingleStreamProjection<Draft, Guid>
{
    public override Draft Evolve(Draft? snapshot, Guid id, IEvent e) => EventMetadata.Evolve(snapshot, id, e);

    /// <summary>After-commit work that must not be lost goes out through the outbox, in the transaction of the events.</summary>
    public override ValueTask RaiseSideEffects(IDocumentOperations operations, IEventSlice<Draft> slice)
    {
        if (slice.Snapshot is { } draft)
            foreach (var cited in Programme.GoodPracticeCitedHandler.From(draft.Id, draft.Country, slice.Events()))
                slice.PublishMessage(cited);
        return ValueTask.CompletedTask;
    }
}
