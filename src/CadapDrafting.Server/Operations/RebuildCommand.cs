using CadapDrafting.Drafts;
using CadapDrafting.Transparency;
using JasperFx.CommandLine;
using Marten;

namespace CadapDrafting.Operations;

/// <summary>
/// <c>rebuild</c>: writes every draft's documents (with its search index rows) again from its events, with progress, then
/// people's inbox items from their inbox streams (Marten's rebuild of <see cref="Notifications.InboxProjection"/>), then
/// every draft's signed log's stored leaves and tiles (what proofs are cut from).
/// </summary>
[Description("Writes every draft's documents (the draft, its proposals, threads and search index), its log's leaves and tiles, and " +
             "people's inboxes again from their events",
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

        // The signed logs' stored leaves and tiles (what proofs are cut from), again from the events.
        var signer = host.Services.GetRequiredService<HeadSigner>();
        await using var session = store.QuerySession();
        var drafts = await session.Query<Draft>().Select(d => d.Id).ToListAsync();
        var mismatched = 0;
        foreach (var draftId in drafts)
        {
            var (size, matches) = await signer.RebuildStoredLogAsync(draftId, CancellationToken.None);
            if (size > 0 && !matches) mismatched++;
            Console.WriteLine($"{draftId}: log leaves and tiles rebuilt up to size {size}" +
                              (size > 0 && !matches ? "; its events no longer fold to the head signed there: run verify" : ""));
        }
        Console.WriteLine($"Rebuilt the stored logs of {drafts.Count} drafts");
        return mismatched == 0;
    }
}
