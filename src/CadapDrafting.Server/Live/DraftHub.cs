using CadapDrafting.Comments;
using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace CadapDrafting.Live;

/// <summary>
/// The live view of drafts. A client joins a draft with the last position it has and receives what it
/// missed, then every later change ("updates") and who else is there ("presence"). Every call is checked
/// again against the access policy and the hub's limits (<see cref="LiveConnectionGuard"/>).
/// </summary>
[Authorize]
public sealed class DraftHub(IQuerySession session, DraftUpdateFeed feed, IPresenceStore presence, LiveConnections connections) : Hub
{
    public const string Path = "/hubs/drafts";
    public const string PresenceMethod = "presence";

    /// <summary>Joining is reading: a draft the caller may not read is answered exactly like a missing one.</summary>
    [RequiresDraftAction(DraftAction.Read)]
    public async Task<JoinedDraft> JoinDraft(Guid draftId, long lastPosition)
    {
        if (lastPosition < 0) throw new HubException("422 Invalid: lastPosition is the last position you applied, 0 for none.");
        var actor = Actor.FromPrincipal(Context.User!);
        var draft = await LoadReadableAsync(draftId);
        if (!LiveAudience.MayFollow(actor, AccessPolicy.DraftScope.Of(draft)))
            throw new HubException("403 Forbidden: a draft opened to the public is followed live only while a public consultation round is open. " +
                "Read the document instead.");
        var connection = connections.Find(Context.ConnectionId) ?? throw new HubException("401 Unauthorized: this connection is closing.");

        // In the group before reading what was missed: a change committed meanwhile arrives live or in the
        // catch-up (or both; the client drops positions it has), never in neither.
        var group = LivePush.GroupFor(actor, draft);
        connections.Follow(connection, draftId, group);
        await Groups.AddToGroupAsync(Context.ConnectionId, group, Context.ConnectionAborted);
        var missed = lastPosition > draft.Position
            ? new UpdatesSince(draftId, draft.Position, true, [])
            : await feed.ForViewerAsync(session, actor, draft, lastPosition, Context.ConnectionAborted);

        var joined = await presence.JoinAsync(draftId, Context.ConnectionId, actor.UserId, actor.DisplayName);
        await Clients.TellViewersAsync(draftId, joined);
        return new JoinedDraft(draftId, missed.Position, missed.Reload, missed.Updates, joined.Viewers, missed.More);
    }

    /// <summary>What a joined client missed after <paramref name="after"/>, when it notices a gap in what it receives.</summary>
    [RequiresDraftAction(DraftAction.Read)]
    public async Task<UpdatesSince> UpdatesSince(Guid draftId, long after)
    {
        var draft = await LoadReadableAsync(draftId);
        if (after < 0 || after > draft.Position)
            throw new HubException($"422 Invalid: after is a position between 0 and the draft's current {draft.Position}; reload the document " +
                "otherwise.");
        return await feed.ForViewerAsync(session, Actor.FromPrincipal(Context.User!), draft, after, Context.ConnectionAborted);
    }

    /// <summary>
    /// The draft's last position, for a client to compare with the last it applied: a cheap way to notice a lost
    /// last update (nothing comes after it to reveal the gap), e.g. every minute or when the page becomes visible.
    /// </summary>
    [RequiresDraftAction(DraftAction.Read)]
    public async Task<DraftHead> Head(Guid draftId) => new(draftId, (await LoadReadableAsync(draftId)).Position);

    [RequiresDraftAction(DraftAction.Read)]
    public async Task LeaveDraft(Guid draftId)
    {
        if (connections.Find(Context.ConnectionId) is { } connection) connections.Unfollow(connection, draftId);
        foreach (var group in LivePush.GroupsOf(draftId)) await Groups.RemoveFromGroupAsync(Context.ConnectionId, group);
        await Clients.TellViewersAsync(draftId, await presence.LeaveAsync(draftId, Context.ConnectionId));
    }

    /// <summary>Which node the caller is working on (null: none); everyone viewing the draft sees it.</summary>
    [RequiresDraftAction(DraftAction.Read)]
    public async Task SetPresence(Guid draftId, Guid? nodeId)
    {
        var moved = await presence.SetNodeAsync(draftId, Context.ConnectionId, nodeId)
                    ?? throw new HubException("409 Conflict: join the draft before saying where you work in it.");
        await Clients.TellViewersAsync(draftId, moved);
    }

    private async Task<Draft> LoadReadableAsync(Guid draftId)
    {
        Draft? draft;
        try { draft = await DraftStore.LoadOwnDocumentAsync(session, draftId, Context.ConnectionAborted); }
        catch (Operations.Upgrades.NewerSchemaException newer)
        {
            // A node of the older build during an upgrade: the client retries (its reconnect lands on another node).
            throw new HubException($"503 Service unavailable: {Operations.Upgrades.NewerSchemaRefusal.OlderNode(newer.DraftSchema).Detail}");
        }
        if (draft is null || !AccessPolicy.Allows(Actor.FromPrincipal(Context.User!), DraftAction.Read, draft))
            throw new HubException("404 Not found: The draft does not exist or is not visible to you.");
        return draft;
    }

    /// <summary>Every connection of a person joins their own group: their unread count is pushed there.</summary>
    public override async Task OnConnectedAsync()
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, Notifications.InboxPush.GroupOf(Actor.FromPrincipal(Context.User!).UserId));
        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        foreach (var draftId in await presence.DraftsOfAsync(Context.ConnectionId))
            await Clients.TellViewersAsync(draftId, await presence.LeaveAsync(draftId, Context.ConnectionId));
        await base.OnDisconnectedAsync(exception);
    }
}
