using System.Collections.Concurrent;
using CadapDrafting.Drafts;
using CadapDrafting.Infrastructure;
using JasperFx.Events;
using Microsoft.AspNetCore.SignalR;

namespace CadapDrafting.Live;

/// <summary>
/// Pushes every committed change of a draft to the draft's viewers, in position order. Updates are
/// rendered while the events are appended (from the state right after each) and sent only once the
/// transaction committed, so a refused or failed command pushes nothing.
/// </summary>
public sealed class LivePush(DraftUpdateRenderer renderer, IHubContext<DraftHub> hub, ILogger<LivePush> logger) : IDraftCommitObserver
{
    /// <summary>The client method receiving a commit's updates (an array, in position order).</summary>
    public const string UpdatesMethod = "updates";

    // Per draft, the last send: the next commit's send starts after it, so sends keep commit order while
    // the writer goes on to its next batch without waiting for slow connections.
    private readonly ConcurrentDictionary<Guid, Task> _lastSend = new();

    /// <summary>Viewers from the draft's own team (and auditors): they receive every part.</summary>
    public static string GroupOf(Guid draftId) => $"draft:{draftId:N}";

    /// <summary>Viewers from outside the team (EU experts, CSOs): they receive every position, without team-only parts.</summary>
    public static string OutsidersGroupOf(Guid draftId) => $"draft:{draftId:N}:outsiders";

    public static string[] GroupsOf(Guid draftId) => [GroupOf(draftId), OutsidersGroupOf(draftId)];

    public object? Capture(Draft draftAfter, IEvent appended, long position) => renderer.Render(draftAfter, appended, position);

    public Task CommittedAsync(Guid draftId, IReadOnlyList<object> captured, CancellationToken ct)
    {
        var updates = captured.OfType<DraftUpdate>().Where(u => u.DraftId == draftId).ToArray();
        if (updates.Length == 0) return Task.CompletedTask;

        // CommittedAsync runs on the draft's single writer loop, so commits of one draft arrive here one at a time.
        var previous = _lastSend.GetValueOrDefault(draftId) ?? Task.CompletedTask;
        var send = SendAfterAsync(previous, draftId, updates);
        _lastSend[draftId] = send;
        _ = send.ContinueWith(t => _lastSend.TryRemove(new KeyValuePair<Guid, Task>(draftId, t)), TaskScheduler.Default);
        return Task.CompletedTask;
    }

    private async Task SendAfterAsync(Task previous, Guid draftId, DraftUpdate[] updates)
    {
        await previous;
        try
        {
            await Task.WhenAll(
                hub.Clients.Group(GroupOf(draftId)).SendAsync(UpdatesMethod, updates),
                hub.Clients.Group(OutsidersGroupOf(draftId)).SendAsync(UpdatesMethod, updates.Select(u => u.ForOutsiders()).ToArray()));
        }
        catch (Exception ex)
        {
            // Viewers notice the gap at their next update and fetch it.
            logger.LogWarning(ex, "Pushing positions {First}..{Last} of draft {DraftId} failed", updates[0].Position, updates[^1].Position, draftId);
        }
    }
}
