using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using Marten;
using Npgsql;

namespace CadapDrafting.Search;

/// <summary>One place a search word was found: a draft's title (no node) or a node's text in one language.</summary>
public sealed record SearchHit(Guid DraftId, Dictionary<string, string> DraftTitle, string Country, Guid? NodeId, NodeKind? NodeKind,
    string? NodeNumber, string Language, string Snippet);

/// <summary>
/// Full-text search over the titles and node texts of the drafts the reader may read, by PostgreSQL: Russian text with the
/// Russian configuration and English with the English one, so a word finds its other forms ("наркотики", "наркотиков").
/// Which drafts are searched is decided by the access policy first; the query never sees another draft.
/// </summary>
public static class SearchDrafts
{
    public const int MaxHits = 50;
    public const int MaxQueryLength = 200;

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
        var numbers = new Dictionary<Guid, IReadOnlyDictionary<Guid, string>>();
        var hits = new List<SearchHit>();
        while (await rows.ReadAsync(ct))
        {
            var draft = readable[rows.GetGuid(0)];
            Guid? nodeId = rows.IsDBNull(1) ? null : Guid.Parse(rows.GetString(1));
            if (nodeId is { } id && !draft.Nodes.ContainsKey(id)) continue;
            if (!numbers.TryGetValue(draft.Id, out var n)) numbers[draft.Id] = n = Numbering.Of(draft);
            hits.Add(new SearchHit(draft.Id, draft.Title, draft.Country, nodeId, nodeId is { } k ? draft.Nodes[k].Kind : null,
                nodeId is { } m ? n.GetValueOrDefault(m) : null, rows.GetString(2), rows.GetString(3)));
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
