namespace CadapDrafting.Live;

/// <summary>
/// One change of a draft as its viewers receive it: the parts of the read models the event at
/// <see cref="Position"/> changed, rendered from the state right after it. Positions are contiguous,
/// so a client applies position last + 1 only and knows it missed something otherwise.
/// </summary>
public sealed record DraftUpdate(
    Guid DraftId,
    long Position,
    string Type,
    string Actor,
    string? ActorName,
    DateTimeOffset At,
    IReadOnlyList<UpdatePart> Parts);

/// <summary>
/// A changed part of the draft: <see cref="Kind"/> says which read model ("node", "outline", "proposal",
/// "lifecycle", or a kind another slice adds), <see cref="Id"/> which item, <see cref="Data"/> its new view.
/// Data is null when the item no longer exists (a deleted node).
/// </summary>
public sealed record UpdatePart(string Kind, Guid? Id, object? Data);

/// <summary>What a client missed: the updates after the position it had, or, when that is too far back, a request to reload.</summary>
public sealed record UpdatesSince(Guid DraftId, long Position, bool Reload, IReadOnlyList<DraftUpdate> Updates);

/// <summary>The answer to joining a draft: what was missed, and who else is viewing.</summary>
public sealed record JoinedDraft(Guid DraftId, long Position, bool Reload, IReadOnlyList<DraftUpdate> Updates,
    IReadOnlyList<Viewer> Viewers);
