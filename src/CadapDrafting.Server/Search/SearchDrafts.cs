using CadapDrafting.Comments;
using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using Marten;
using Npgsql;

namespace CadapDrafting.Search;

/// <summary>
/// One place a search word was found: a draft's title (no node), a node's text in one language, or a comment (thread and
/// comment set; its node, if any; language "comment", as comments are written in any).
/// </summary>
public sealed record SearchHit(Guid DraftId, Dictionary<string, string> DraftTitle, string Country, Guid? NodeId, NodeKind? NodeKind,
    string? NodeNumber, string Language, string Snippet, Guid? ThreadId = null, Guid? CommentId = null);

/// <summary>
/// Full-text search over the titles, node texts and comments of the drafts the reader may read, by PostgreSQL: Russian text
/// with the Russian configuration and English with the English one, so a word finds its other forms ("наркотики",
/// "наркотиков"); a comment, in whichever language, with both. Which drafts are searched is decided by the access policy
/// first, so the query never sees another draft; a comment hit is kept only if the reader may see its thread and comment.
/// </summary>
public static class SearchDrafts
{
    public const int MaxHits = 50;
    public const int MaxQueryLength = 200;
    public const string CommentLanguage = "comment";

    /// <summary>
    /// Searches the stored index (<see cref="SearchIndex"/>). Which drafts are searched is decided first, from the facts the
    /// access policy looks at (read as columns, not whole drafts); internal comments are left out for readers outside the
    /// team, and every comment hit is checked against its thread by the same rules that show it. Only the drafts with hits
    /// are read, for their numbering.
    /// </summary>
    public static async Task<List<SearchHit>> FindAsync(IDocumentStore store, IQuerySession session, Actor reader, string query, Guid? draftId,
        CancellationToken ct)
    {
        var schema = store.Options.DatabaseSchemaName;
        await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);

        var readable = new Dictionary<Guid, AccessPolicy.DraftScope>();
        await using (var scopes = new NpgsqlCommand($"""
            select id, data->>'country', coalesce((data->>'sharedWithReviewers')::bool, false),
                   coalesce((data->>'sharedWithPublic')::bool, false), data->>'status', coalesce((data->>'currentRoundIsPublic')::bool, false)
              from {schema}.mt_doc_draft where $1::uuid is null or id = $1::uuid
            """, connection) { Parameters = { new() { Value = (object?)draftId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid } } })
        await using (var rows = await scopes.ExecuteReaderAsync(ct))
        {
            while (await rows.ReadAsync(ct))
            {
                var inConsultation = rows.GetString(4) == nameof(DraftStatus.Consultation);
                var scope = new AccessPolicy.DraftScope(rows.GetString(1), rows.GetBoolean(2), rows.GetBoolean(3), inConsultation,
                    inConsultation && rows.GetBoolean(5));
                if (AccessPolicy.Allows(reader, DraftAction.Read, scope)) readable[rows.GetGuid(0)] = scope;
            }
        }
        if (readable.Count == 0) return [];
        var team = readable.Where(r => Audience.SeesInternalThreads(reader, r.Value.Country)).Select(r => r.Key).ToArray();

        var sql = $"""
            with q as (select websearch_to_tsquery('russian', $2) || websearch_to_tsquery('english', $2)
                              || websearch_to_tsquery('simple', $2) as q),
            top as (
              select e.draft_id, e.node_id, e.thread_id, e.comment_id, e.language, e.config, e.text,
                     ts_rank(e.vector, q.q) + case when e.node_id is null and e.comment_id is null then 1 else 0 end as rank
                from {schema}.{SearchIndex.TableName} e, q
               where e.draft_id = any($1) and e.vector @@ q.q and (not e.internal or e.draft_id = any($3))
               order by rank desc, e.id
               limit {MaxHits})
            select draft_id, node_id, thread_id, comment_id, language,
                   ts_headline(config::regconfig, text, websearch_to_tsquery(config::regconfig, $2), 'MaxFragments=1, MaxWords=18, MinWords=6')
              from top order by rank desc
            """;
        await using var command = new NpgsqlCommand(sql, connection)
        {
            Parameters = { new() { Value = readable.Keys.ToArray() }, new() { Value = query }, new() { Value = team } },
        };
        var found = new List<(Guid DraftId, Guid? NodeId, Guid? ThreadId, Guid? CommentId, string Language, string Snippet)>();
        await using (var rows = await command.ExecuteReaderAsync(ct))
        {
            while (await rows.ReadAsync(ct))
                found.Add((rows.GetGuid(0), rows.IsDBNull(1) ? null : rows.GetGuid(1), rows.IsDBNull(2) ? null : rows.GetGuid(2),
                    rows.IsDBNull(3) ? null : rows.GetGuid(3), rows.GetString(4), rows.GetString(5)));
        }
        if (found.Count == 0) return [];

        var drafts = (await session.LoadManyAsync<Draft>(ct, found.Select(f => f.DraftId).Distinct().ToArray())).ToDictionary(d => d.Id);
        var threads = (await session.LoadManyAsync<StoredThread>(ct, found.Where(f => f.ThreadId is not null)
            .Select(f => StoredThread.IdOf(f.DraftId, f.ThreadId!.Value)).Distinct().ToArray())).ToDictionary(t => t.Id);
        var numbers = new Dictionary<Guid, IReadOnlyDictionary<Guid, string>>();
        var hits = new List<SearchHit>();
        foreach (var (foundIn, nodeId, threadId, commentId, language, snippet) in found)
        {
            if (!drafts.TryGetValue(foundIn, out var draft) || !AccessPolicy.Allows(reader, DraftAction.Read, draft)) continue;
            if (threadId is { } t)
            {
                // Comments are checked by the same rules that show them.
                if (!threads.TryGetValue(StoredThread.IdOf(foundIn, t), out var stored) || !stored.Thread.VisibleTo(reader, draft)
                    || stored.Thread.Comments.FirstOrDefault(c => c.Id == commentId) is not { } comment
                    || !Audience.SeesComment(reader, draft, comment))
                    continue;
            }
            if (nodeId is { } id && !draft.Nodes.ContainsKey(id)) continue;
            if (!numbers.TryGetValue(draft.Id, out var n)) numbers[draft.Id] = n = Numbering.Of(draft);
            hits.Add(new SearchHit(draft.Id, draft.Title, draft.Country, nodeId, nodeId is { } k ? draft.Nodes[k].Kind : null,
                nodeId is { } m ? n.GetValueOrDefault(m) : null, language, snippet, threadId, commentId));
        }
        return hits;
    }

    public static void MapSearchEndpoints(this WebApplication app)
    {
        app.MapGet("/api/search", async (HttpContext http, IDocumentStore store, IQuerySession session, string? q, Guid? draftId) =>
            {
                if (string.IsNullOrWhiteSpace(q) || q.Length > MaxQueryLength)
                    return HttpCommands.ToResult(http, Problem.Invalid("q", $"Give between 1 and {MaxQueryLength} characters to search for."));
                return Results.Ok(await FindAsync(store, session, Actor.FromPrincipal(http.User), q.Trim(), draftId, http.RequestAborted));
            })
            .WithTags("Search")
            .OpenToAnySignedInUser("only the drafts the caller may read are searched, by the read rule per draft")
            .WithSummary("Search the titles and text of the drafts you may read (within one draft with draftId), in every language")
            .Produces<List<SearchHit>>().ProducesValidationProblem(422);
    }
}
