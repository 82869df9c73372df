using System.Globalization;
using System.Text.Json;
using CadapDrafting.Drafts;
using JasperFx.Events;

namespace CadapDrafting.Infrastructure;

/// <summary>
/// The metadata every event of a draft carries in its headers, and the one evolve step that both the
/// writer and the stored projection use, so the state commands are decided on is the state stored.
/// </summary>
public static class EventMetadata
{
    public const string Actor = "actor";
    public const string ActorName = "actorName";
    public const string At = "at";
    public const string Reason = "reason";
    public const string CommandId = "commandId";
    public const string CorrelationId = "correlationId";

    public static string FormatTime(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static string? Header(IEvent e, string name) => e.GetHeader(name) switch
    {
        null => null,
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } j => j.GetString(),
        JsonElement { ValueKind: JsonValueKind.Null } => null,
        // Marten reads a header that looks like a time back as a DateTime; ToString() would drop the fraction and follow the culture.
        DateTime d => FormatTime(d.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(d, TimeSpan.Zero) : new DateTimeOffset(d)),
        DateTimeOffset d => FormatTime(d),
        var other => other.ToString(),
    };

    public static EventContext ContextOf(IEvent e, long position) =>
        new(position, Header(e, Actor) ?? e.UserName ?? "system",
            DateTimeOffset.TryParse(Header(e, At), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : e.Timestamp);

    /// <summary>Applies one stored or about-to-be-stored event to the draft; the draft's position is its count of events.</summary>
    public static Draft Evolve(Draft? draft, Guid id, IEvent e)
    {
        if (e.Data is not IDraftEvent change) return draft ?? new Draft { Id = id };
        draft ??= new Draft { Id = id };
        draft.Record(change, ContextOf(e, draft.Position + 1));
        draft.LastHash = Header(e, HashChain.HashHeader) ?? draft.LastHash;
        if (Header(e, ContentStatements.ContentHashHeader) is not null &&
            int.TryParse(Header(e, ContentStatements.RevisionHeader), NumberStyles.None, CultureInfo.InvariantCulture, out var stated))
        {
            draft.StatedContentRevision = stated;
            draft.StatedContentPosition = draft.Position;
        }
        return draft;
    }
}
