using CadapDrafting.Comments;
using CadapDrafting.Proposals;
using CadapDrafting.Operations.Upgrades;
using Marten;

namespace CadapDrafting.Drafts;

/// <summary>
/// A proposal as stored: a document of its own, so a commit writes only the proposals it changed. Keyed by draft and
/// proposal, since a proposal's id is only unique within its draft.
/// </summary>
public sealed class StoredProposal
{
    public string Id { get; set; } = "";
    public Guid DraftId { get; set; }
    /// <summary>The draft's position after the commit that wrote it.</summary>
    public long Position { get; set; }
    public Proposal Proposal { get; set; } = new();

    public static string IdOf(Guid draftId, Guid proposalId) => $"{draftId:N}:{proposalId:N}";
}

/// <summary>A comment thread as stored: a document of its own, so a commit writes only the threads it changed.</summary>
public sealed class StoredThread
{
    public string Id { get; set; } = "";
    public Guid DraftId { get; set; }
    /// <summary>The draft's position after the commit that wrote it.</summary>
    public long Position { get; set; }
    public CommentThread Thread { get; set; } = new();

    public static string IdOf(Guid draftId, Guid threadId) => $"{draftId:N}:{threadId:N}";
}

/// <summary>
/// The one home of a draft's storage: reading it back whole (this file), storing it in parts (DraftStore.Parts.cs) and
/// rebuilding the parts from its events (DraftStore.Rebuild.cs); the state at a past position is <see cref="DraftReplay"/>.
/// A draft is stored in parts: its own document holds everything but its proposals and comment threads, which are
/// documents of their own. Every read of a draft that needs them goes through here, never through
/// <c>LoadAsync&lt;Draft&gt;</c>, which sees a draft without them.
/// </summary>
public static partial class DraftStore
{
    /// <summary>
    /// The parts are read one statement after the other, so a commit can fall between them: then a part is newer than
    /// the draft's own document and the draft is read again, and after a few tries replayed from its stream instead.
    /// </summary>
    private const int ConsistentReadAttempts = 5;

    public static async Task<Draft?> LoadAsync(IQuerySession session, Guid draftId, CancellationToken ct = default)
    {
        for (var attempt = 0; attempt < ConsistentReadAttempts; attempt++)
        {
            var (own, proposals, threads) = await ReadPartsAsync(session, draftId, ct);
            if (own is null) return null;
            NewerSchemaException.ThrowIfNewer(own);
            if (Assemble(own, proposals, threads) is { } whole) return whole;
        }
        return await session.Events.AggregateStreamAsync<Draft>(draftId, token: ct);
    }

    /// <summary>The draft's own document, without its proposals and threads: enough to check access or read its position.</summary>
    public static async Task<Draft?> LoadOwnDocumentAsync(IQuerySession session, Guid draftId, CancellationToken ct = default) =>
        NewerSchemaException.ThrowIfNewer(await session.LoadAsync<Draft>(draftId, ct));

    /// <summary>Drafts' own documents, without proposals and threads: for views of the text, the tree and who may read it.</summary>
    public static async Task<IReadOnlyList<Draft>> QueryOwnDocumentsAsync(IQuerySession session, CancellationToken ct = default) =>
        await session.Query<Draft>().ToListAsync(ct);

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
        var whole = new List<Draft>(drafts.Count);
        foreach (var draft in drafts)
            if ((Assemble(draft, proposals[draft.Id], threads[draft.Id]) ?? await LoadAsync(session, draft.Id, ct)) is { } loaded)
                whole.Add(loaded);
        return whole;
    }

    /// <summary>The draft with its parts, or null when a part was written after the draft's document was read.</summary>
    private static Draft? Assemble(Draft draft, IEnumerable<StoredProposal> proposals, IEnumerable<StoredThread> threads)
    {
        var proposalParts = proposals.ToList();
        var threadParts = threads.ToList();
        if (proposalParts.Any(p => p.Position > draft.Position) || threadParts.Any(t => t.Position > draft.Position)) return null;
        // A draft stored whole by an earlier version still carries its proposals and threads in its own document.
        foreach (var part in proposalParts) draft.Proposals[part.Proposal.Id] = part.Proposal;
        foreach (var part in threadParts) draft.Threads[part.Thread.Id] = part.Thread;
        return draft;
    }

    /// <summary>
    /// For the writer, under the stream's lock (so nothing is newer): the draft at <paramref name="position"/>, and
    /// whether all its parts must be written again — its own document is missing or behind its stream, or still in
    /// the whole form of an earlier version.
    /// </summary>
    public static async Task<(Draft Draft, bool StoreAllParts)> LoadForWritingAsync(IDocumentSession session, Guid draftId, long position,
        CancellationToken ct)
    {
        var (draft, proposals, threads) = await ReadPartsAsync(session, draftId, ct);
        // Written by a newer build (an upgrade under way): neither replayed nor stored back without what this build lacks.
        NewerSchemaException.ThrowIfNewer(draft);
        if (draft is null || draft.Position != position)
            return (await session.Events.AggregateStreamAsync<Draft>(draftId, token: ct)
                    ?? throw new InvalidOperationException($"Draft {draftId} has no events but its stream is at {position}"), true);
        var storedWhole = draft.Proposals.Count > 0 || draft.Threads.Count > 0;
        return (Assemble(draft, proposals, threads)!, storedWhole);
    }

    /// <summary>The draft's own document and its parts, in one round trip.</summary>
    private static async Task<(Draft? Own, IReadOnlyList<StoredProposal> Proposals, IReadOnlyList<StoredThread> Threads)> ReadPartsAsync(
        IQuerySession session, Guid draftId, CancellationToken ct)
    {
        var batch = session.CreateBatchQuery();
        var own = batch.Load<Draft>(draftId);
        var proposals = batch.Query<StoredProposal>().Where(p => p.DraftId == draftId).ToList();
        var threads = batch.Query<StoredThread>().Where(t => t.DraftId == draftId).ToList();
        await batch.Execute(ct);
        return (await own, await proposals, await threads);
    }
}
