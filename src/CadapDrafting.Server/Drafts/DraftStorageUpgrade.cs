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
        for (var i = 0; i < whole.Count; i++)
        {
            var position = await DraftProjection.RebuildAsync(store, whole[i], ct);
            logger.LogInformation("Storing drafts in parts: {Done}/{Total} {DraftId} rewritten from its events at position {Position}",
                i + 1, whole.Count, whole[i], position);
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
