using Marten;

namespace CadapDrafting.Drafts;

/// <summary>
/// Drafts stored by an earlier version kept their proposals and threads inside the draft's own document. Before the
/// server serves anything, each such draft is written again from its events in the current form (in parts).
/// </summary>
public sealed class DraftStorageUpgrade(IDocumentStore store, ILogger<DraftStorageUpgrade> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        IReadOnlyList<Guid> whole;
        await using (var session = store.QuerySession())
            whole = await session.AdvancedSql.QueryAsync<Guid>(
                $"select id from {store.Options.DatabaseSchemaName}.mt_doc_draft " +
                "where coalesce(data->'proposals', '{}'::jsonb) <> '{}'::jsonb or coalesce(data->'threads', '{}'::jsonb) <> '{}'::jsonb", ct);
        await DraftStore.RebuildAsync(store, whole, (done, total, draftId, position) =>
            logger.LogInformation("Storing drafts in parts: {Done}/{Total} {DraftId} rewritten from its events at position {Position}",
                done, total, draftId, position), ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
