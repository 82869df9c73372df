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
/// <param name="TeamOnly">Only the draft's own team (and auditors) may see this part, e.g. an internal comment thread:
/// other viewers receive the update at the same position without it, so their positions stay contiguous.</param>
public sealed record UpdatePart(string Kind, Guid? Id, object? Data, bool TeamOnly = false);

/// <summary>
/// What a client missed: the updates after the position it had, at most a page (<c>Live:MaxCatchUp</c>) at a time.
/// <paramref name="More"/>: there are more after <paramref name="Position"/>; ask again from there.
/// <paramref name="Reload"/>: the client claims a position the draft does not have (it is ahead of it); reload the document.
/// </summary>
public sealed record UpdatesSince(Guid DraftId, long Position, bool Reload, IReadOnlyList<DraftUpdate> Updates, bool More = false);

/// <summary>The answer to joining a draft: what was missed (a first page, see <see cref="UpdatesSince"/>), and who else is viewing.</summary>
public sealed record JoinedDraft(Guid DraftId, long Position, bool Reload, IReadOnlyList<DraftUpdate> Updates,
    IReadOnlyList<Viewer> Viewers, bool More = false);

/// <summary>A draft's last position.</summary>
public sealed record DraftHead(Guid DraftId, long Position);

public static class UpdateAudience
{
    public const string RestrictedType = "restricted";

    /// <summary>
    /// The update as a viewer outside the draft's team may receive it: team-only parts left out, and when nothing
    /// is left, not even what happened or who did it — only that the position was taken.
    /// </summary>
    public static DraftUpdate ForOutsiders(this DraftUpdate update)
    {
        if (!update.Parts.Any(p => p.TeamOnly)) return update;
        var visible = update.Parts.Where(p => !p.TeamOnly).ToList();
        return visible.Count > 0
            ? update with { Parts = visible }
            : update with { Type = RestrictedType, Actor = "", ActorName = null, Parts = visible };
    }

    /// <summary>
    /// The update as a reader who sees only public rounds may receive it, judged on the state right after it: an event
    /// about something said outside a public round is only a taken position; a thread shows only what was said in public.
    /// </summary>
    public static DraftUpdate ForPublicRounds(this DraftUpdate update, Drafts.Draft state, object data)
    {
        var hidden = Comments.Audience.HiddenFor(Comments.ReaderScope.PublicRounds, state)!;
        if (hidden.Hides(data)) return update with { Type = RestrictedType, Actor = "", ActorName = null, Parts = [] };
        var numbers = new Lazy<IReadOnlyDictionary<Guid, string>>(() => Drafts.Numbering.Of(state));
        var parts = update.Parts.Select(p => p.Kind == Comments.CommentUpdateParts.ThreadKind && p.Id is { } threadId
                ? hidden.Threads.Contains(threadId) || !state.Threads.TryGetValue(threadId, out var thread)
                    ? null
                    : p with
                    {
                        Data = System.Text.Json.JsonSerializer.SerializeToElement(Comments.ThreadView.Of(state,
                            thread.WithComments(thread.Comments.Where(c => !hidden.Comments.Contains(c.Id))), numbers.Value),
                            DraftUpdateRenderer.Json),
                    }
                : p)
            .OfType<UpdatePart>().ToList();
        return parts.Count > 0 || update.Parts.Count == 0
            ? update with { Parts = parts }
            : update with { Type = RestrictedType, Actor = "", ActorName = null, Parts = [] };
    }

    public static UpdatesSince For(this UpdatesSince since, bool seesTeamParts) =>
        seesTeamParts ? since : since with { Updates = since.Updates.Select(ForOutsiders).ToList() };
}
