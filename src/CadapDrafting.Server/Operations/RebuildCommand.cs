using CadapDrafting.Drafts;
using JasperFx.CommandLine;
using Marten;

namespace CadapDrafting.Operations;

/// <summary>
/// <c>rebuild</c>: writes every draft's documents (with its search index rows) again from its events, with progress, then
/// people's inbox items from their inbox streams (Marten's rebuild of <see cref="Notifications.InboxProjection"/>).
/// </summary>
[Description("Writes every draft's documents (the draft, its proposals, threads and search index) and people's inboxes again from their events",
    Name = "rebuild")]
public sealed class RebuildCommand : JasperFxAsyncCommand<NetCoreInput>
{
    public override async Task<bool> Execute(NetCoreInput input)
    {
        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var count = await DraftStore.RebuildAllAsync(store, (done, total, draftId, position) =>
            Console.WriteLine($"{done}/{total} {draftId}: rebuilt at position {position}"), CancellationToken.None);
        Console.WriteLine($"Rebuilt {count} drafts");
        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync<Notifications.InboxProjection>(CancellationToken.None);
        Console.WriteLine("Rebuilt people's inboxes");
        return true;
    }
}
