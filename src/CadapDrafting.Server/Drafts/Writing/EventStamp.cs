using CadapDrafting.Infrastructure;
using JasperFx.Events;
using Marten;

namespace CadapDrafting.Drafts.Writing;

/// <summary>
/// The stamping step, in two parts around the evolve step: who, when, why and under which command (<see cref="Stamp"/>,
/// before the event is evolved, which reads them); then what the event leaves the content at and the event's link in
/// the draft's hash chain (<see cref="Seal"/>, once the state after it is known).
/// </summary>
public sealed class EventStamp(IDocumentStore store)
{
    public void Stamp(IEvent e, CommandEnvelope envelope, string? reason, DateTimeOffset at)
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
    }

    /// <summary>
    /// States the draft's revision after the event and, when the log has not stated that revision's content yet, its
    /// content hash (docs/evidence.md §3.1); then hashes the event into the chain. Returns the event's chain hash.
    /// </summary>
    public string Seal(IEvent e, Draft after, string previousHash)
    {
        e.SetHeader(ContentStatements.RevisionHeader, after.Revision);
        if (after.StatedContentRevision != after.Revision)
        {
            e.SetHeader(ContentStatements.ContentHashHeader, ContentHash.Of(after));
            after.StatedContentRevision = after.Revision;
            after.StatedContentPosition = after.Position;
        }
        var headers = e.Headers!.Where(h => h.Key != HashChain.HashHeader).ToDictionary(h => h.Key, h => (object?)h.Value);
        var data = CanonicalJson.From(store.Options.Serializer().ToJson(e.Data));
        var hash = HashChain.Compute(previousHash, after.Id, after.Position, e.EventTypeName, data, HashChain.CanonicalMetadata(headers));
        e.SetHeader(HashChain.HashHeader, hash);
        return hash;
    }
}
