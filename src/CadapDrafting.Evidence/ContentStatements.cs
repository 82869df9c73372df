using System.Text.Json;

namespace CadapDrafting.Evidence;

/// <summary>
/// What the writer states in an event's headers about the draft's content (docs/evidence.md §3.1): <c>revision</c>, the
/// draft's document revision after the event, on every event; <c>contentHash</c>, the content hash after the event, on
/// every event whose revision differs from the last one whose content the log stated (the event that reaches a new
/// revision, and the first event written under this rule). Both are headers, so the chain and the log's leaves cover
/// them like any other: once a signed head covers an event, what it states about the content cannot be changed.
/// </summary>
public static class ContentStatements
{
    public const string RevisionHeader = "revision";
    public const string ContentHashHeader = "contentHash";

    /// <summary>The revision and content hash an event's headers state; null for what they do not state (or state in another form).</summary>
    public static (long? Revision, string? ContentHash) Of(JsonElement headers)
    {
        if (headers.ValueKind != JsonValueKind.Object) return (null, null);
        long? revision = headers.TryGetProperty(RevisionHeader, out var r) && r.ValueKind == JsonValueKind.Number &&
                         r.TryGetInt64(out var n) && n >= 0
            ? n
            : null;
        var hash = headers.TryGetProperty(ContentHashHeader, out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
        return (revision, hash);
    }
}
