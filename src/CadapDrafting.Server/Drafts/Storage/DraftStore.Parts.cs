using CadapDrafting.Comments;
using CadapDrafting.Proposals;
using JasperFx.Events;
using Marten;

namespace CadapDrafting.Drafts;

public static partial class DraftStore
{
    /// <summary>
    /// Stores the draft as it is after <paramref name="events"/>, in the transaction of the events: its own document (tree,
    /// lifecycle, review state) and the proposals and threads they changed, each a document of its own. So a commit writes
    /// what changed, not the draft's whole history of proposals and comments.
    /// </summary>
    public static void Store(IDocumentOperations operations, Draft draft, IEnumerable<IEvent> events)
    {
        operations.Store(draft.WithoutProposalsAndThreads());
        foreach (var proposalId in events.Select(e => e.Data).OfType<IProposalEvent>().Select(e => e.ProposalId).Distinct())
            operations.Store(PartOf(draft, draft.Proposals[proposalId]));
        foreach (var threadId in events.Select(e => e.Data).OfType<IThreadEvent>().Select(e => e.ThreadId).Distinct())
            operations.Store(PartOf(draft, draft.Threads[threadId]));
        Search.SearchIndex.Store(operations, draft, events as IReadOnlyCollection<IEvent> ?? events.ToList());
    }

    /// <summary>Stores the whole draft again: its own document and every proposal and thread, replacing what was stored.</summary>
    public static void StoreAll(IDocumentOperations operations, Draft draft) => StoreAll(operations, [draft]);

    /// <summary>Stores several drafts whole again, with one delete of their old parts.</summary>
    public static void StoreAll(IDocumentOperations operations, IReadOnlyCollection<Draft> drafts)
    {
        if (drafts.Count == 0) return;
        var ids = drafts.Select(d => d.Id).ToArray();
        operations.DeleteWhere<StoredProposal>(p => p.DraftId.IsOneOf(ids));
        operations.DeleteWhere<StoredThread>(t => t.DraftId.IsOneOf(ids));
        operations.Store(drafts.Select(d => d.WithoutProposalsAndThreads()).ToArray());
        var proposals = drafts.SelectMany(d => d.Proposals.Values.Select(p => PartOf(d, p))).ToArray();
        var threads = drafts.SelectMany(d => d.Threads.Values.Select(t => PartOf(d, t))).ToArray();
        if (proposals.Length > 0) operations.Store(proposals);
        if (threads.Length > 0) operations.Store(threads);
        foreach (var draft in drafts) Search.SearchIndex.StoreAll(operations, draft);
    }

    private static StoredProposal PartOf(Draft draft, Proposal proposal) =>
        new() { Id = StoredProposal.IdOf(draft.Id, proposal.Id), DraftId = draft.Id, Position = draft.Position, Proposal = proposal };

    private static StoredThread PartOf(Draft draft, CommentThread thread) =>
        new() { Id = StoredThread.IdOf(draft.Id, thread.Id), DraftId = draft.Id, Position = draft.Position, Thread = thread };
}
