using CadapDrafting.Comments;
using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using Marten;
using System.Text.Json;
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
    /// access policy looks at (the index's row per draft); internal comments are left out for readers outside the team,
    /// and every comment hit is checked against its thread by the same rules that show it.
    /// </summary>
    public static async Task<List<SearchHit>> FindAsync(IDocumentStore store, IQuerySession session, Actor reader, string query, Guid? draftId,
        CancellationToken ct)
    {
        var schema = store.Options.DatabaseSchemaName;
        await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);

        var readable = new Dictionary<Guid, (string Country, Dictionary<string, string> Title)>();
        await using (var scopes = new NpgsqlCommand($"""
            select draft_id, country, shared_with_reviewers, shared_with_public, in_consultation, in_public_consultation, title::text
              from {schema}.{SearchIndex.DraftsTableName} where $1::uuid is null or draft_id = $1::uuid
            """, connection) { Parameters = { new() { Value = (object?)draftId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid } } })
        await using (var rows = await scopes.ExecuteReaderAsync(ct))
        {
            while (await rows.ReadAsync(ct))
            {
                var scope = new AccessPolicy.DraftScope(rows.GetString(1), rows.GetBoolean(2), rows.GetBoolean(3), rows.GetBoolean(4),
                    rows.GetBoolean(5));
                if (AccessPolicy.Allows(reader, DraftAction.Read, scope))
                    readable[rows.GetGuid(0)] = (scope.Country, JsonSerializer.Deserialize<Dictionary<string, string>>(rows.GetString(6)) ?? new());
            }
        }
        if (readable.Count == 0) return [];
        var team = readable.Where(r => Audience.SeesInternalThreads(reader, r.Value.Country)).Select(r => r.Key).ToArray();

        var sql = $"""
            with q as (select websearch_to_tsquery('russian', $2) || websearch_to_tsquery('english', $2)
                              || websearch_to_tsquery('simple', $2) as q),
            top as (
              select e.draft_id, e.node_id, e.thread_id, e.comment_id, e.language, e.config, e.text, e.kind, e.number,
                     ts_rank(e.vector, q.q) + case when e.node_id is null and e.comment_id is null then 1 else 0 end as rank
                from {schema}.{SearchIndex.TableName} e, q
               where e.draft_id = any($1) and e.vector @@ q.q and (not e.internal or e.draft_id = any($3))
               order by rank desc, e.id
               limit {MaxHits})
            select draft_id, node_id, thread_id, comment_id, language, kind, number,
                   ts_headline(config::regconfig, text, websearch_to_tsquery(config::regconfig, $2), 'MaxFragments=1, MaxWords=18, MinWords=6')
              from top order by rank desc
            """;
        await using var command = new NpgsqlCommand(sql, connection)
        {
            Parameters = { new() { Value = readable.Keys.ToArray() }, new() { Value = query }, new() { Value = team } },
        };
        var found = new List<SearchHit>();
        await using (var rows = await command.ExecuteReaderAsync(ct))
        {
            while (await rows.ReadAsync(ct))
            {
                var draft = readable[rows.GetGuid(0)];
                found.Add(new SearchHit(rows.GetGuid(0), draft.Title, draft.Country, rows.IsDBNull(1) ? null : rows.GetGuid(1),
                    rows.IsDBNull(5) ? null : Enum.Parse<NodeKind>(rows.GetString(5)), rows.IsDBNull(6) ? null : rows.GetString(6),
                    rows.GetString(4), rows.GetString(7), rows.IsDBNull(2) ? null : rows.GetGuid(2), rows.IsDBNull(3) ? null : rows.GetGuid(3)));
            }
        }
        var comments = found.Where(f => f.ThreadId is not null).ToList();
        if (comments.Count == 0) return found;

        // Comments are checked against their thread and the draft (its rounds) by the same rules that show them.
        var drafts = (await session.LoadManyAsync<Draft>(ct, comments.Select(f => f.DraftId).Distinct().ToArray())).ToDictionary(d => d.Id);
        var threads = (await session.LoadManyAsync<StoredThread>(ct, comments.Select(f => StoredThread.IdOf(f.DraftId, f.ThreadId!.Value))
            .Distinct().ToArray())).ToDictionary(t => t.Id);
        return found.Where(hit => hit.ThreadId is not { } threadId
            || drafts.TryGetValue(hit.DraftId, out var draft)
            && threads.TryGetValue(StoredThread.IdOf(hit.DraftId, threadId), out var stored) && stored.Thread.VisibleTo(reader, draft)
            && stored.Thread.Comments.FirstOrDefault(c => c.Id == hit.CommentId) is { } comment && Audience.SeesComment(reader, draft, comment)
            && (hit.NodeId is not { } nodeId || draft.Nodes.ContainsKey(nodeId))).ToList();
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
