using System.Collections.Concurrent;
using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using JasperFx.Events;
using Microsoft.AspNetCore.SignalR;

namespace CadapDrafting.Live;

/// <summary>
/// Pushes every committed change of a draft to the draft's viewers, in position order. Updates are
/// rendered while the events are appended (from the state right after each) and sent only once the
/// transaction committed, so a refused or failed command pushes nothing.
/// </summary>
public sealed class LivePush(DraftUpdateRenderer renderer, IHubContext<DraftHub> hub, LiveConnections connections, IPresenceStore presence,
    ILogger<LivePush> logger) : IDraftCommitObserver
{
    /// <summary>The client method receiving a commit's updates (an array, in position order).</summary>
    public const string UpdatesMethod = "updates";

    /// <summary>Viewers from the draft's own team (and auditors): they receive every part.</summary>
    public static string GroupOf(Guid draftId) => $"draft:{draftId:N}";

    /// <summary>Viewers from outside the team (EU experts, CSOs): they receive every position, without team-only parts.</summary>
    public static string OutsidersGroupOf(Guid draftId) => $"draft:{draftId:N}:outsiders";

    /// <summary>Viewers who read the draft only because it was opened to the public: outsiders, sent only what happens during a public
    /// round.</summary>
    public static string PublicGroupOf(Guid draftId) => $"draft:{draftId:N}:public";

    public static string[] GroupsOf(Guid draftId) => [GroupOf(draftId), OutsidersGroupOf(draftId), PublicGroupOf(draftId)];

    /// <summary>The group a viewer who may follow the draft is pushed through.</summary>
    public static string GroupFor(Actor actor, Draft draft) =>
        Comments.Audience.SeesInternalThreads(actor, draft) ? GroupOf(draft.Id)
        : LiveAudience.ReadsOnlyBecausePublic(actor, AccessPolicy.DraftScope.Of(draft)) ? PublicGroupOf(draft.Id)
        : OutsidersGroupOf(draft.Id);

    /// <summary>Who could follow each draft after its last commit pushed by this node: only a change of it can end anyone's access.</summary>
    private readonly ConcurrentDictionary<Guid, AccessPolicy.DraftScope> _lastScope = new();

    /// <summary>An update and who may follow the draft right after it.</summary>
    private sealed record Captured(DraftUpdate Update, AccessPolicy.DraftScope Scope);

    public object? Capture(Draft draftAfter, IEvent appended, long position) =>
        renderer.Render(draftAfter, appended, position) is { } update ? new Captured(update, AccessPolicy.DraftScope.Of(draftAfter)) : null;

    /// <summary>
    /// Runs on the draft's single writer loop, so commits of one draft arrive here one at a time. The sends are
    /// started here, in commit order, and never awaited: each connection writes its messages in the order they were
    /// started, and a connection that stops reading delays only itself until it is dropped (<see cref="StallGuardedTransport"/>).
    /// </summary>
    public Task CommittedAsync(Guid draftId, IReadOnlyList<object> captured, CancellationToken ct)
    {
        var batch = captured.OfType<Captured>().Where(c => c.Update.DraftId == draftId).ToArray();
        if (batch.Length == 0) return Task.CompletedTask;

        // Before the updates go out: whoever may no longer follow the draft leaves its groups and receives none of them.
        // Followers joined under the access rules of the scope at the time, so only a changed scope is checked against them.
        var scope = batch[^1].Scope;
        if (!_lastScope.TryGetValue(draftId, out var before) || before != scope)
        {
            StopFollowersWhoMayNoLonger(draftId, scope);
            _lastScope[draftId] = scope;
        }

        var updates = batch.Select(c => c.Update).ToArray();
        var forOutsiders = updates.Select(u => u.ForOutsiders()).ToArray();
        Observe(hub.Clients.Group(GroupOf(draftId)).SendAsync(UpdatesMethod, updates, CancellationToken.None), draftId, updates);
        Observe(hub.Clients.Group(OutsidersGroupOf(draftId)).SendAsync(UpdatesMethod, forOutsiders, CancellationToken.None), draftId, updates);
        var duringPublicRound = forOutsiders.Where((_, i) => batch[i].Scope.InPublicConsultation).ToArray();
        if (duringPublicRound.Length > 0)
            Observe(hub.Clients.Group(PublicGroupOf(draftId)).SendAsync(UpdatesMethod, duringPublicRound, CancellationToken.None), draftId, updates);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The followers on this node whose access ended with this commit (e.g. a CSO when the public round closed) leave
    /// the draft's groups and its presence. On other nodes such a follower stays in the public group, which is sent nothing
    /// until a public round opens again.
    /// </summary>
    private void StopFollowersWhoMayNoLonger(Guid draftId, AccessPolicy.DraftScope scope)
    {
        foreach (var connection in connections.FollowersOf(draftId))
        {
            if (LiveAudience.MayFollow(connection.Actor, scope) || !connection.Following.TryGetValue(draftId, out var group)) continue;
            connections.Unfollow(connection, draftId);
            // Removing a connection of this node from a group takes effect before the call returns.
            Observe(hub.Groups.RemoveFromGroupAsync(connection.Id, group), draftId, []);
            _ = LeavePresenceAsync(draftId, connection.Id);
        }
    }

    private async Task LeavePresenceAsync(Guid draftId, string connectionId)
    {
        try
        {
            await hub.Clients.TellViewersAsync(draftId, await presence.LeaveAsync(draftId, connectionId));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Updating presence of draft {DraftId} failed", draftId);
        }
    }

    private void Observe(Task send, Guid draftId, DraftUpdate[] updates)
    {
        if (send.IsCompletedSuccessfully) return;
        // Viewers notice the gap at their next update (or at Head) and fetch it.
        send.ContinueWith(t => logger.LogWarning(t.Exception, "Pushing positions {First}..{Last} of draft {DraftId} failed",
                updates.FirstOrDefault()?.Position, updates.LastOrDefault()?.Position, draftId),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }
}
