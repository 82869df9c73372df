using CadapDrafting.Comments;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using Marten;

namespace CadapDrafting.Notifications;

/// <summary>
/// A person marks notifications read: those named, or all their unread ones when none are named. It is an event on their
/// own inbox stream (<see cref="NotificationsRead"/>, with actor, time and reason), never an edit of the inbox items,
/// which are its projection. Only one's own notifications can be named (anyone else's is "not found", as is an id that
/// does not exist); naming what is read already appends nothing, so the same request twice does no harm.
/// </summary>
public static class MarkNotificationsRead
{
    public sealed record Request(List<string>? Ids, string? Reason);

    public const int MaxIds = Inbox.MaxCounted;
    public const int MaxIdLength = 200;
    public const int MaxReasonLength = 500;
    public const string ReasonNamed = "Opened or marked read by its recipient";
    public const string ReasonAll = "All marked read by their recipient";

    /// <summary>The request's shape: a 400 for an id that cannot be one, a 422 for too many or a reason too long.</summary>
    public static Problem? Validate(Request? request)
    {
        if (request?.Ids is { } ids)
        {
            if (ids.Any(id => string.IsNullOrWhiteSpace(id) || id.Length > MaxIdLength))
                return new Problem(400, "Bad notification id",
                    $"Each of 'ids' is a notification's id as the inbox lists it (1 to {MaxIdLength} characters).")
                {
                    Errors = new Dictionary<string, string[]> { ["ids"] = ["An id is empty or too long."] },
                };
            if (ids.Count > MaxIds) return Problem.Invalid("ids", $"Mark at most {MaxIds} notifications at once.");
        }
        if (request?.Reason is { Length: > MaxReasonLength })
            return Problem.Invalid("reason", $"'reason' is limited to {MaxReasonLength} characters.") with
            {
                Extensions = new Dictionary<string, object?> { ["maxLength"] = MaxReasonLength },
            };
        return null;
    }

    /// <summary>
    /// Pure: the event that marks <paramref name="named"/> (or, when none are named, every unread item in
    /// <paramref name="own"/>) read, or nothing when all are read already; a 404 when a named id is not among the person's
    /// own items. <paramref name="own"/> holds the person's items with the named ids (or their unread items).
    /// </summary>
    public static (NotificationsRead? Event, Problem? Problem) Decide(string userId, IReadOnlyCollection<string> named,
        IReadOnlyList<InboxItem> own, DateTimeOffset now, string reason)
    {
        var mine = own.Where(i => i.Recipient == userId).ToList();
        if (named.Count > 0)
        {
            var missing = named.Except(mine.Select(i => i.Id)).ToList();
            if (missing.Count > 0) return (null, Problem.NotFound($"Notification {missing[0]}"));
        }
        var unread = mine.Where(i => i.ReadAt is null).Select(i => i.Id).Order(StringComparer.Ordinal).ToList();
        return unread.Count == 0 ? (null, null) : (new NotificationsRead(userId, unread, userId, now, reason), null);
    }

    /// <summary>Decides and appends under the person's inbox lock; returns the refusal, or whether anything was marked.</summary>
    public static Task<(Problem? Problem, bool Marked)> SendAsync(IDocumentStore store, Actor actor, Request? request, DateTimeOffset now,
        CancellationToken ct)
    {
        var named = (request?.Ids ?? []).Distinct(StringComparer.Ordinal).ToList();
        var reason = string.IsNullOrWhiteSpace(request?.Reason) ? named.Count > 0 ? ReasonNamed : ReasonAll : request.Reason.Trim();
        return PersonInboxes.AppendAsync<(Problem?, bool)>(store, actor.UserId, actor.UserId, now, reason, async session =>
        {
            var own = named.Count > 0
                ? await session.LoadManyAsync<InboxItem>(ct, named.ToArray())
                : await session.Query<InboxItem>().Where(i => i.Recipient == actor.UserId && i.ReadAt == null).ToListAsync(ct);
            var (read, problem) = Decide(actor.UserId, named, own, now, reason);
            IReadOnlyList<object> events = read is null ? [] : [read];
            return (events, (problem, read is not null));
        }, ct);
    }
}
