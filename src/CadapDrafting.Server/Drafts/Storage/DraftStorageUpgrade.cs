using Marten;

namespace CadapDrafting.Drafts;

/// <summary>
/// Drafts stored by an earlier version kept their proposals and threads inside the draft's own document. Before the
/// server serves anything, each such draft is written again from its events in the current form (in parts); so is a draft
/// that has no rows in the search index yet (stored before there was one).
/// </summary>
public sealed class DraftStorageUpgrade(IDocumentStore store, ILogger<DraftStorageUpgrade> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        IReadOnlyList<Guid> whole;
        var schema = store.Options.DatabaseSchemaName;
        await using (var session = store.QuerySession())
            whole = await session.AdvancedSql.QueryAsync<Guid>(
                $"select id from {schema}.mt_doc_draft " +
                "where coalesce(data->'proposals', '{}'::jsonb) <> '{}'::jsonb or coalesce(data->'threads', '{}'::jsonb) <> '{}'::jsonb " +
                // Drafts stored before the search index was: their parts, the index among them, are written again.
                $"or not exists (select 1 from {schema}.{Search.SearchIndex.DraftsTableName} s where s.draft_id = {schema}.mt_doc_draft.id)", ct);
        if (whole.Count == 0) return;
        await DraftStore.RebuildAsync(store, whole, (done, total, draftId, position) =>
            logger.LogInformation("Storing drafts in parts: {Done}/{Total} {DraftId} rewritten from its events at position {Position}",
                done, total, draftId, position), ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
