namespace CadapDrafting.Drafts.Writing;

/// <summary>
/// The remembered outcome of an applied command, stored in the same transaction as its events under
/// the client's command id scoped to its sender (<see cref="Idempotency.RecordIdOf"/>, a unique key), so a retry returns
/// this instead of applying twice.
/// </summary>
public sealed class CommandRecord
{
    public Guid Id { get; set; }
    /// <summary>The id the client sent (the Idempotency-Key header).</summary>
    public Guid CommandId { get; set; }
    public Guid DraftId { get; set; }
    public string CommandType { get; set; } = "";
    /// <summary>A hash of the command's content: the same id with different content is refused.</summary>
    public string Fingerprint { get; set; } = "";
    public string Actor { get; set; } = "";
    public int Status { get; set; }
    public string ResultJson { get; set; } = "null";
    public long FirstPosition { get; set; }
    public long LastPosition { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}
