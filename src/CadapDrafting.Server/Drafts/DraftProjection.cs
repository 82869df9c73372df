using CadapDrafting.Comments;
using CadapDrafting.Infrastructure;
using CadapDrafting.Proposals;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;

namespace CadapDrafting.Drafts;

/// <summary>
/// The draft's state from its events, and its stored documents. Marten uses <see cref="Evolve"/> to replay a stream
/// (the state at any position); the writer uses the same function while deciding and then, in the transaction of the
/// events, stores the result with <see cref="Store"/>: the draft's own document (tree, lifecycle, review state) and
/// the proposals and comment threads the events changed, each a document of its own. So a commit writes what changed,
/// not the draft's whole history of proposals and comments; <see cref="DraftStore"/> reads the parts back together.
/// </summary>
public sealed class DraftProjection : SingleStreamProjection<Draft, Guid>
{
    public override Draft Evolve(Draft? snapshot, Guid id, IEvent e) => EventMetadata.Evolve(snapshot, id, e);

    /// <summary>Stores the draft as it is after <paramref name="events"/>: its own document and the proposals and threads they changed.</summary>
    public static void Store(IDocumentOperations operations, Draft draft, IEnumerable<IEvent> events)
    {
        operations.Store(draft.WithoutProposalsAndThreads());
        foreach (var proposalId in events.Select(e => e.Data).OfType<IProposalEvent>().Select(e => e.ProposalId).Distinct())
            operations.Store(PartOf(draft, draft.Proposals[proposalId]));
        foreach (var threadId in events.Select(e => e.Data).OfType<IThreadEvent>().Select(e => e.ThreadId).Distinct())
            operations.Store(PartOf(draft, draft.Threads[threadId]));
    }

    /// <summary>Stores the whole draft again: its own document and every proposal and thread, replacing what was stored.</summary>
    public static void StoreAll(IDocumentOperations operations, Draft draft)
    {
        operations.DeleteWhere<StoredProposal>(p => p.DraftId == draft.Id);
        operations.DeleteWhere<StoredThread>(t => t.DraftId == draft.Id);
        operations.Store(draft.WithoutProposalsAndThreads());
        operations.Store(draft.Proposals.Values.Select(p => PartOf(draft, p)).ToArray());
        operations.Store(draft.Threads.Values.Select(t => PartOf(draft, t)).ToArray());
    }

    private static StoredProposal PartOf(Draft draft, Proposal proposal) =>
        new() { Id = StoredProposal.IdOf(draft.Id, proposal.Id), DraftId = draft.Id, Position = draft.Position, Proposal = proposal };

    private static StoredThread PartOf(Draft draft, CommentThread thread) =>
        new() { Id = StoredThread.IdOf(draft.Id, thread.Id), DraftId = draft.Id, Position = draft.Position, Thread = thread };

    /// <summary>
    /// Writes a draft's documents again from its events (after a change to what they hold, or to repair them).
    /// Returns the position replayed to, or null when the draft has no events.
    /// </summary>
    public static async Task<long?> RebuildAsync(IDocumentStore store, Guid draftId, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        // Under the stream's lock, so no commit slips in between the replay and the write.
        if (await DraftStreamLock.AcquireAsync(session, draftId, ct) == 0) return null;
        var draft = await session.Events.AggregateStreamAsync<Draft>(draftId, token: ct);
        if (draft is null) return null;
        StoreAll(session, draft);
        await session.SaveChangesAsync(ct);
        return draft.Position;
    }

    /// <summary>Rebuilds every draft's documents, one draft at a time, reporting each.</summary>
    public static async Task<int> RebuildAllAsync(IDocumentStore store, Action<int, int, Guid, long> progress, CancellationToken ct)
    {
        IReadOnlyList<Guid> drafts;
        await using (var session = store.QuerySession())
            drafts = await session.AdvancedSql.QueryAsync<Guid>(
                $"select id from {store.Options.Events.DatabaseSchemaName}.mt_streams order by created", ct);
        await RebuildAsync(store, drafts, progress, ct);
        return drafts.Count;
    }

    /// <summary>Rebuilds the given drafts' documents, one draft at a time, reporting each (done, total, draft, position).</summary>
    public static async Task RebuildAsync(IDocumentStore store, IReadOnlyList<Guid> drafts, Action<int, int, Guid, long> progress,
        CancellationToken ct)
    {
        for (var i = 0; i < drafts.Count; i++)
            progress(i + 1, drafts.Count, drafts[i], await RebuildAsync(store, drafts[i], ct) ?? 0);
    }
}
