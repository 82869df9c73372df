using CadapDrafting.Comments;
using CadapDrafting.Proposals;
using Marten;

namespace CadapDrafting.Drafts;

/// <summary>A proposal as stored: a document of its own, so a commit writes only the proposals it changed.</summary>
public sealed class StoredProposal
{
    public Guid Id { get; set; }
    public Guid DraftId { get; set; }
    public Proposal Proposal { get; set; } = new();
}

/// <summary>A comment thread as stored: a document of its own, so a commit writes only the threads it changed.</summary>
public sealed class StoredThread
{
    public Guid Id { get; set; }
    public Guid DraftId { get; set; }
    public CommentThread Thread { get; set; } = new();
}

/// <summary>
/// Reading drafts back whole. A draft is stored in parts (<see cref="DraftProjection"/>): its own document holds
/// everything but its proposals and comment threads, which are documents of their own. Every read of a draft
/// goes through here, never through <c>LoadAsync&lt;Draft&gt;</c>, which would see a draft without them.
/// </summary>
public static class DraftStore
{
    public static async Task<Draft?> LoadAsync(IQuerySession session, Guid draftId, CancellationToken ct = default)
    {
        var batch = session.CreateBatchQuery();
        var draft = batch.Load<Draft>(draftId);
        var proposals = batch.Query<StoredProposal>().Where(p => p.DraftId == draftId).ToList();
        var threads = batch.Query<StoredThread>().Where(t => t.DraftId == draftId).ToList();
        await batch.Execute(ct);
        var found = await draft;
        return found is null ? null : Assemble(found, await proposals, await threads);
    }

    /// <summary>The draft's own document, without its proposals and threads: enough to check access or read its position.</summary>
    public static Task<Draft?> LoadOwnDocumentAsync(IQuerySession session, Guid draftId, CancellationToken ct = default) =>
        session.LoadAsync<Draft>(draftId, ct);

    public static async Task<IReadOnlyList<Draft>> LoadManyAsync(IQuerySession session, IReadOnlyCollection<Guid> draftIds,
        CancellationToken ct = default) =>
        draftIds.Count == 0 ? [] : await WholeAsync(session, await session.LoadManyAsync<Draft>(ct, draftIds), ct);

    /// <summary>Drafts chosen by their own fields (country, status, …), whole.</summary>
    public static async Task<IReadOnlyList<Draft>> QueryAsync(IQuerySession session, Func<IQueryable<Draft>, IQueryable<Draft>>? filter = null,
        CancellationToken ct = default)
    {
        var query = session.Query<Draft>().AsQueryable();
        return await WholeAsync(session, await (filter is null ? query : filter(query)).ToListAsync(ct), ct);
    }

    private static async Task<IReadOnlyList<Draft>> WholeAsync(IQuerySession session, IReadOnlyList<Draft> drafts, CancellationToken ct)
    {
        if (drafts.Count == 0) return drafts;
        var ids = drafts.Select(d => d.Id).ToArray();
        var proposals = (await session.Query<StoredProposal>().Where(p => p.DraftId.IsOneOf(ids)).ToListAsync(ct)).ToLookup(p => p.DraftId);
        var threads = (await session.Query<StoredThread>().Where(t => t.DraftId.IsOneOf(ids)).ToListAsync(ct)).ToLookup(t => t.DraftId);
        return drafts.Select(d => Assemble(d, proposals[d.Id], threads[d.Id])).ToList();
    }

    private static Draft Assemble(Draft draft, IEnumerable<StoredProposal> proposals, IEnumerable<StoredThread> threads)
    {
        // In the order they were written, as replaying the stream would add them.
        draft.Proposals = proposals.Select(p => p.Proposal).OrderBy(p => p.SubmittedAt).ThenBy(p => p.Id).ToDictionary(p => p.Id);
        draft.Threads = threads.Select(t => t.Thread).OrderBy(t => t.StartedAt).ThenBy(t => t.Id).ToDictionary(t => t.Id);
        return draft;
    }
}
