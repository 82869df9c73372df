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

    /// <summary>
    /// Stores several drafts whole again. Their parts (proposals, threads) are written with one statement per kind: a part
    /// stored as it would be written again is left as it is, a changed or new one written, one no longer there removed. A
    /// rebuild writes thousands of parts, most of them unchanged; stored one by one they cost an upsert each.
    /// </summary>
    public static void StoreAll(IDocumentOperations operations, IReadOnlyCollection<Draft> drafts)
    {
        if (drafts.Count == 0) return;
        var ids = drafts.Select(d => d.Id).ToArray();
        operations.Store(drafts.Select(d => d.WithoutProposalsAndThreads()).ToArray());
        ReplaceParts(operations, ids, drafts.SelectMany(d => d.Proposals.Values.Select(p => PartOf(d, p))).ToArray(), p => p.Id);
        ReplaceParts(operations, ids, drafts.SelectMany(d => d.Threads.Values.Select(t => PartOf(d, t))).ToArray(), t => t.Id);
        foreach (var draft in drafts) Search.SearchIndex.StoreAll(operations, draft);
    }

    /// <summary>The drafts' parts of one kind replaced by <paramref name="parts"/>, serialised as Marten serialises them.</summary>
    private static void ReplaceParts<T>(IDocumentOperations operations, Guid[] drafts, IReadOnlyList<T> parts, Func<T, string> id)
        where T : notnull
    {
        var options = operations.DocumentStore.Options;
        var serializer = options.Serializer();
        var table = options.FindOrResolveDocumentType(typeof(T)).TableName.QualifiedName;
        var partIds = parts.Select(id).ToArray();
        // The expression of the index on DraftId (Schema.For<…>().Index(p => p.DraftId)), so the delete uses it.
        operations.QueueSqlCommand($"delete from {table} where CAST(data ->> 'draftId' as uuid) = any(?) and id <> all(?)", drafts, partIds);
        if (parts.Count == 0) return;
        operations.QueueSqlCommand(
            $"insert into {table} as t (id, data, mt_version, mt_dotnet_type, mt_last_modified) " +
            "select r.id, r.data::jsonb, gen_random_uuid(), ?, transaction_timestamp() from unnest(?::text[], ?::text[]) as r(id, data) " +
            "on conflict (id) do update set data = excluded.data, mt_version = excluded.mt_version, mt_dotnet_type = excluded.mt_dotnet_type, " +
            "mt_last_modified = excluded.mt_last_modified where t.data is distinct from excluded.data",
            typeof(T).FullName!, partIds, parts.Select(p => serializer.ToJson(p)).ToArray());
    }

    private static StoredProposal PartOf(Draft draft, Proposal proposal) =>
        new() { Id = StoredProposal.IdOf(draft.Id, proposal.Id), DraftId = draft.Id, Position = draft.Position, Proposal = proposal };

    private static StoredThread PartOf(Draft draft, CommentThread thread) =>
        new() { Id = StoredThread.IdOf(draft.Id, thread.Id), DraftId = draft.Id, Position = draft.Position, Thread = thread };
}
