using CadapDrafting.Comments;
using CadapDrafting.Identity;
using CadapDrafting.Live;
using Marten;
using Microsoft.AspNetCore.SignalR;

namespace CadapDrafting.Notifications;

/// <summary>The unread count a person's pages show, pushed to that person's live connections only.</summary>
public sealed record UnreadChanged(int Unread);

/// <summary>
/// Pushes a person's unread count over the live hub when it changes: to the group of their own connections, which every
/// connection joins as it opens (<see cref="DraftHub"/>). A page that connects reads the count once itself.
/// </summary>
public sealed class InboxPush(IHubContext<DraftHub> hub, IDocumentStore store, DemoUsers users, ILogger<InboxPush> logger)
{
    public const string UnreadMethod = "unread";

    public static string GroupOf(string userId) => $"user:{userId}";

    public async Task UnreadChangedAsync(IEnumerable<string> recipients, CancellationToken ct)
    {
        foreach (var recipient in recipients)
        {
            if (users.Find(recipient) is not { } user) continue;
            try
            {
                await using var session = store.QuerySession();
                var unread = await Inbox.UnreadAsync(session, user.ToActor(), ct);
                await hub.Clients.Group(GroupOf(recipient)).SendAsync(UnreadMethod, new UnreadChanged(unread), ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The count is read again by the page whenever it connects: a lost push loses nothing stored.
                logger.LogWarning(ex, "Could not push the unread count of {UserId}", recipient);
            }
        }
    }
}
