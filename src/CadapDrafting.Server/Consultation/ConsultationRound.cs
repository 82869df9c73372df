namespace CadapDrafting.Consultation;

public enum DispositionKind { Accepted, PartlyAccepted, Rejected }

/// <summary>
/// A period in which the draft is shared with EU experts (and, when public, with CSOs) for comment. The
/// end date bounds when reviewers may write; the round itself ends when the editor closes it.
/// </summary>
public sealed class ConsultationRound
{
    public int Number { get; set; }
    public bool IsPublic { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public string OpenedBy { get; set; } = "";
    public DateTimeOffset EndsAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? ClosedBy { get; set; }

    public bool IsOpen => ClosedAt is null;
}

/// <summary>The drafting team's answer to one reviewer comment.</summary>
public sealed class CommentDisposition
{
    public DispositionKind Kind { get; set; }
    public string? Reason { get; set; }
    public string By { get; set; } = "";
    public DateTimeOffset At { get; set; }
}
