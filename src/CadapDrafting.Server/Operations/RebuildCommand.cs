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
public sealed class RebuildInput : NetCoreInput
{
    [Description("Rebuild only this draft (its id): its documents and its log's leaves and tiles, not people's inboxes")]
    public string? DraftFlag { get; set; }
}

[Description("Writes every draft's documents (the draft, its proposals, threads and search index), its log's leaves and tiles, and " +
             "people's inboxes again from their events (one draft's only with --draft <id>)",
    Name = "rebuild")]
public sealed class RebuildCommand : JasperFxAsyncCommand<RebuildInput>
{
    public override async Task<bool> Execute(RebuildInput input)
    {
        Guid? one = null;
        if (input.DraftFlag is { } text)
            one = Guid.TryParse(text, out var id) ? id : throw new ArgumentException($"--draft takes a draft id, not '{text}'");
        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        if (one is { } only)
        {
            var position = await DraftStore.RebuildAsync(store, only, CancellationToken.None);
            if (position is null)
            {
                Console.WriteLine($"Draft {only} has no events");
                return false;
            }
            Console.WriteLine($"{only}: rebuilt at position {position}");
        }
        else
        {
            var count = await DraftStore.RebuildAllAsync(store, (done, total, id, position) =>
                Console.WriteLine($"{done}/{total} {id}: rebuilt at position {position}"), CancellationToken.None);
            Console.WriteLine($"Rebuilt {count} drafts");
            using var daemon = await store.BuildProjectionDaemonAsync();
            await daemon.RebuildProjectionAsync<Notifications.InboxProjection>(CancellationToken.None);
            Console.WriteLine("Rebuilt people's inboxes");
        }

        // The signed logs' stored leaves and tiles (what proofs are cut from), again from the events.
        var signer = host.Services.GetRequiredService<HeadSigner>();
        await using var session = store.QuerySession();
        var drafts = one is { } single ? [single] : await session.Query<Draft>().Select(d => d.Id).ToListAsync();
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
