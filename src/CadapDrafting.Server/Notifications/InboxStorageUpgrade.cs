using CadapDrafting.Comments;
using Marten;

namespace CadapDrafting.Notifications;

/// <summary>
/// Inbox items stored by an earlier version were documents written by hand, with no events behind them. Before the server
/// serves anything, each person who has such items and no inbox stream yet gets one: a <see cref="NotificationDelivered"/>
/// per item (oldest first) and a <see cref="NotificationsRead"/> per item they had marked read, at the time they did, so the
/// items are the projection of events like every new one (and a rebuild keeps them).
/// </summary>
public sealed class InboxStorageUpgrade(IDocumentStore store, ILogger<InboxStorageUpgrade> logger) : IHostedService
{
    public const string Reason = "Notifications stored before they were events, written as events";

    public async Task StartAsync(CancellationToken ct)
    {
        var recipients = new List<string>();
        await using (var session = store.QuerySession())
        {
            // Only people without an inbox stream, found in one query: once upgraded, a start opens no transaction per person.
            var everyone = await session.Query<InboxItem>().Select(i => i.Recipient).Distinct().ToListAsync(ct);
            if (everyone.Count == 0) return;
            var streams = (await session.AdvancedSql.QueryAsync<Guid>(
                $"select id from {store.Options.Events.DatabaseSchemaName}.mt_streams where id = any(?)", ct,
                everyone.Select(PersonInboxes.StreamOf).ToArray())).ToHashSet();
            recipients.AddRange(everyone.Where(r => !streams.Contains(PersonInboxes.StreamOf(r))));
        }
        // Each is checked again under the inbox's lock, against a delivery appended meanwhile.
        foreach (var recipient in recipients)
        {
            var written = await PersonInboxes.AppendAsync(store, recipient, DraftEventsCommittedHandler.Deliverer, DateTimeOffset.UtcNow, Reason,
                async session =>
                {
                    var version = (await session.Events.FetchStreamStateAsync(PersonInboxes.StreamOf(recipient), ct))?.Version ?? 0;
                    if (version > 0) return ((IReadOnlyList<object>)[], 0);
                    var items = (await session.Query<InboxItem>().Where(i => i.Recipient == recipient).ToListAsync(ct))
                        .OrderBy(i => i.At).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();
                    var events = new List<object>(items.Select(NotificationDelivered.Of));
                    events.AddRange(items.Where(i => i.ReadAt is not null)
                        .Select(i => new NotificationsRead(recipient, [i.Id], recipient, i.ReadAt!.Value, Reason)));
                    return (events, items.Count);
                }, ct);
            if (written > 0) logger.LogInformation("Inbox of {UserId}: {Count} notifications written as events", recipient, written);
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
