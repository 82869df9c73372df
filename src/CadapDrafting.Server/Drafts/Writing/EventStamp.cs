using CadapDrafting.Infrastructure;
using JasperFx.Events;
using Marten;

namespace CadapDrafting.Drafts.Writing;

/// <summary>The stamping step: who, when, why and under which command, and the event's link in the draft's hash chain.</summary>
public sealed class EventStamp(IDocumentStore store)
{
    public void Stamp(IEvent e, Guid draftId, long position, CommandEnvelope envelope, string? reason, DateTimeOffset at,
        string previousHash)
    {
        var headers = new Dictionary<string, object?>
        {
            [EventMetadata.Actor] = envelope.Actor.UserId,
            [EventMetadata.ActorName] = envelope.Actor.DisplayName,
            [EventMetadata.At] = EventMetadata.FormatTime(at),
            [EventMetadata.CommandId] = envelope.CommandId.ToString("D"),
            [EventMetadata.CorrelationId] = envelope.CorrelationId ?? envelope.CommandId.ToString("D"),
        };
        if (!string.IsNullOrWhiteSpace(reason)) headers[EventMetadata.Reason] = reason;
        foreach (var (key, value) in headers) e.SetHeader(key, value!);
        e.UserName = envelope.Actor.UserId;
        e.CorrelationId = headers[EventMetadata.CorrelationId] as string;
        e.CausationId = envelope.CommandId.ToString("D");

        var data = CanonicalJson.From(store.Options.Serializer().ToJson(e.Data));
        var hash = HashChain.Compute(previousHash, draftId, position, e.EventTypeName, data, HashChain.CanonicalMetadata(headers));
        e.SetHeader(HashChain.HashHeader, hash);
    }
}
