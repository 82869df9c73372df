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

    // Text in other languages is matched word for word ('simple'): PostgreSQL has no stemmer for them.
    private const string Configuration =
        "(case {0} when 'ru' then 'russian' when 'en' then 'english' else 'simple' end)::regconfig";

    public static async Task<List<SearchHit>> FindAsync(IDocumentStore store, IQuerySession session, Actor reader, string query, Guid? draftId,
        CancellationToken ct)
    {
        var readable = (await DraftStore.QueryOwnDocumentsAsync(session, ct))
            .Where(d => (draftId is null || d.Id == draftId) && AccessPolicy.Allows(reader, DraftAction.Read, d))
            .ToDictionary(d => d.Id);
        if (readable.Count == 0) return [];

        var schema = store.Options.DatabaseSchemaName;
        var sql = $"""
            select d.id, null::text, t.key, ts_headline(c.cfg, t.value, websearch_to_tsquery(c.cfg, $2), 'MaxFragments=1, MaxWords=18, MinWords=6'),
                   ts_rank(to_tsvector(c.cfg, t.value), websearch_to_tsquery(c.cfg, $2)) + 1 as rank
              from {schema}.mt_doc_draft d
              cross join lateral jsonb_each_text(d.data->'title') t
              cross join lateral (select {string.Format(Configuration, "t.key")} as cfg) c
             where d.id = any($1) and to_tsvector(c.cfg, t.value) @@ websearch_to_tsquery(c.cfg, $2)
            union all
            select d.id, n.key, t.key, ts_headline(c.cfg, t.value, websearch_to_tsquery(c.cfg, $2), 'MaxFragments=1, MaxWords=18, MinWords=6'),
                   ts_rank(to_tsvector(c.cfg, t.value), websearch_to_tsquery(c.cfg, $2))
              from {schema}.mt_doc_draft d
              cross join lateral jsonb_each(d.data->'nodes') n
              cross join lateral jsonb_each_text(n.value->'text') t
              cross join lateral (select {string.Format(Configuration, "t.key")} as cfg) c
             where d.id = any($1) and to_tsvector(c.cfg, t.value) @@ websearch_to_tsquery(c.cfg, $2)
            union all
            select (s.data->>'draftId')::uuid, (s.data->'thread'->>'id') || ' ' || (m.value->>'id'), 'comment',
                   ts_headline('simple', m.value->>'text', websearch_to_tsquery('simple', $2), 'MaxFragments=1, MaxWords=18, MinWords=6'), 0
              from {schema}.mt_doc_storedthread s
              cross join lateral jsonb_array_elements(s.data->'thread'->'comments') m
             where (s.data->>'draftId')::uuid = any($1)
               and (to_tsvector('russian', m.value->>'text') @@ websearch_to_tsquery('russian', $2)
                 or to_tsvector('english', m.value->>'text') @@ websearch_to_tsquery('english', $2))
             order by 5 desc
             limit {MaxHits}
            """;
        await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection)
        {
            Parameters = { new() { Value = readable.Keys.ToArray() }, new() { Value = query } },
        };
        await using var rows = await command.ExecuteReaderAsync(ct);
        var found = new List<(Guid DraftId, string? Key, string Language, string Snippet)>();
        while (await rows.ReadAsync(ct))
            found.Add((rows.GetGuid(0), rows.IsDBNull(1) ? null : rows.GetString(1), rows.GetString(2), rows.GetString(3)));

        // Comments are checked against the whole draft (its threads included) by the same rules that show them.
        var withThreads = (await DraftStore.LoadManyAsync(session, found.Where(f => f.Language == CommentLanguage).Select(f => f.DraftId)
            .Distinct().ToArray(), ct)).ToDictionary(d => d.Id);
        var numbers = new Dictionary<Guid, IReadOnlyDictionary<Guid, string>>();
        var hits = new List<SearchHit>();
        foreach (var (foundIn, key, language, snippet) in found)
        {
            var draft = readable[foundIn];
            Guid? nodeId = null, threadId = null, commentId = null;
            if (language == CommentLanguage)
            {
                var ids = key!.Split(' ');
                (threadId, commentId) = (Guid.Parse(ids[0]), Guid.Parse(ids[1]));
                if (!withThreads.TryGetValue(foundIn, out var whole) || !whole.Threads.TryGetValue(threadId.Value, out var thread)
                    || !thread.VisibleTo(reader, whole)
                    || thread.Comments.FirstOrDefault(c => c.Id == commentId) is not { } comment || !Audience.SeesComment(reader, whole, comment))
                    continue;
                nodeId = thread.NodeId;
            }
            else if (key is not null) nodeId = Guid.Parse(key);
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
