using CadapDrafting.Comments;
using CadapDrafting.Drafts;
using CadapDrafting.Proposals;
using CadapDrafting.Search;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CadapDrafting.Tests.Drafting;

[Collection(ServerCollection.Name)]
public sealed class SearchingDrafts(AppFixture app)
{
    [Fact]
    public async Task Another_form_of_a_russian_word_finds_the_action_and_its_number()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var draft = await editor.CreatesDraft("KG");
        var first = await editor.Inserts(draft, NodeKind.Action, "Evaluate the programme");
        var response = await editor.Proposes(draft, new {
            kind = ProposalKind.Insert, nodeKind = NodeKind.Action, afterNodeId = first,
            text = new { ru = "Профилактика употребления наркотиков среди молодёжи в тюрьмах" }, rationale = "Prisons", acceptNow = true,
        });
        await Expect.Status(response, HttpStatusCode.OK);
        var nodeId = (await Person.Accepted(response)).Result!.Value.GetProperty("nodeId").GetGuid();

        var hits = await editor.Read<List<SearchHit>>($"/api/search?q={Uri.EscapeDataString("наркотики тюрьма")}&draftId={draft}");

        var hit = Assert.Single(hits);
        Assert.Equal((draft, nodeId, "ru"), (hit.DraftId, hit.NodeId, hit.Language));
        Assert.Equal("2", hit.NodeNumber);
        Assert.Contains("<b>наркотиков</b>", hit.Snippet);
    }

    [Fact]
    public async Task Another_countrys_private_draft_never_appears_among_the_hits()
    {
        var kzEditor = await Person.SignIn(app, "kz-editor");
        var tjEditor = await Person.SignIn(app, "tj-editor");
        var expert = await Person.SignIn(app, "eu-expert-2");
        var word = "Methadone" + Guid.NewGuid().ToString("N")[..8];
        var kazakh = await kzEditor.CreatesDraft("KZ", title: $"{word} plan");
        await kzEditor.Inserts(kazakh, NodeKind.Action, $"{word} maintenance in every oblast");
        var tajik = await tjEditor.CreatesDraft("TJ", title: "Shared plan");
        await tjEditor.Inserts(tajik, NodeKind.Action, $"{word} maintenance in Dushanbe");
        await tjEditor.OpensRound(tajik);

        var kazakhHits = await kzEditor.Read<List<SearchHit>>($"/api/search?q={word}");
        Assert.Equal([kazakh], kazakhHits.Select(h => h.DraftId).Distinct());
        Assert.Contains(kazakhHits, h => h.NodeId is null); // the title
        Assert.All(await tjEditor.Read<List<SearchHit>>($"/api/search?q={word}"), h => Assert.Equal(tajik, h.DraftId));
        Assert.Empty(await tjEditor.Read<List<SearchHit>>($"/api/search?q={word}&draftId={kazakh}"));
        var expertsHits = await expert.Read<List<SearchHit>>($"/api/search?q={word}");
        Assert.Equal([tajik], expertsHits.Select(h => h.DraftId).Distinct());
        await Expect.Problem(await expert.Http.GetAsync("/api/search?q=%20"), HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task A_comment_is_found_by_those_who_may_read_it_and_an_internal_one_only_by_the_team()
    {
        var editor = await Person.SignIn(app, "tm-editor");
        var expert = await Person.SignIn(app, "eu-expert-1");
        var word = "Buprenorphine" + Guid.NewGuid().ToString("N")[..8];
        var draft = await editor.CreatesDraft("TM");
        var action = await editor.Inserts(draft, NodeKind.Action, "Opioid agonist therapy");
        await editor.OpensRound(draft);
        var shared = await expert.StartsThread(draft, action, $"Add {word} to the formulary");
        var team = await editor.StartsThread(draft, action, $"Ask the ministry whether {word} is registered", ThreadVisibility.Internal);

        var seenByTeam = await editor.Read<List<SearchHit>>($"/api/search?q={word}&draftId={draft}");
        var seenByExpert = await expert.Read<List<SearchHit>>($"/api/search?q={word}");

        Assert.Equal(new[] { shared.CommentId, team.CommentId }.Order(), seenByTeam.Select(h => h.CommentId!.Value).Order());
        Assert.All(seenByTeam, h => Assert.Equal((action, "1"), (h.NodeId!.Value, h.NodeNumber)));
        var hit = Assert.Single(seenByExpert);
        Assert.Equal((shared.ThreadId, shared.CommentId), (hit.ThreadId!.Value, hit.CommentId!.Value));
    }

    [Fact]
    public async Task A_hit_follows_its_action_renumbered_by_an_insert_before_it_and_is_gone_once_the_action_is_deleted()
    {
        var editor = await Person.SignIn(app, "uz-editor");
        var word = "Naloxone" + Guid.NewGuid().ToString("N")[..8];
        var draft = await editor.CreatesDraft("UZ");
        var target = await editor.Inserts(draft, NodeKind.Action, $"{word} kits for families");
        await editor.Inserts(draft, NodeKind.Action, "Peer outreach"); // placed first, so the target becomes Action 2

        var hit = Assert.Single(await editor.Read<List<SearchHit>>($"/api/search?q={word}&draftId={draft}"));
        Assert.Equal((target, "2", NodeKind.Action), (hit.NodeId!.Value, hit.NodeNumber, hit.NodeKind!.Value));

        await Expect.Status(await editor.Proposes(draft, new {
            kind = ProposalKind.Delete, nodeId = target, baseRevision = 1, rationale = "Covered elsewhere", acceptNow = true,
        }), HttpStatusCode.OK);
        Assert.Empty(await editor.Read<List<SearchHit>>($"/api/search?q={word}&draftId={draft}"));
    }

    [Fact]
    public async Task Its_index_rows_deleted_a_draft_is_found_again_with_the_same_hits_once_its_parts_are_rebuilt_from_the_events()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var expert = await Person.SignIn(app, "eu-expert-2");
        var word = "Rebuildium" + Guid.NewGuid().ToString("N")[..8];
        var draft = await editor.CreatesDraft("KG", title: $"{word} programme");
        var first = await editor.Inserts(draft, NodeKind.Action, $"{word} clinics in Bishkek");
        var second = await editor.Inserts(draft, NodeKind.Action, $"{word} clinics in Osh", afterNodeId: first);
        await editor.ProposesText(draft, second, 1, $"{word} clinics in Osh and Jalal-Abad");
        await Expect.Status(await editor.Proposes(draft, new {
            kind = ProposalKind.Insert, nodeKind = NodeKind.Action, afterNodeId = first, rationale = "Russian text", acceptNow = true,
            text = new { ru = $"Клиники {word} в тюрьмах" },
        }), HttpStatusCode.OK);
        await editor.OpensRound(draft);
        await expert.StartsThread(draft, second, $"Is {word} funded after 2026?");
        await editor.StartsThread(draft, first, $"Internal: {word} budget line", ThreadVisibility.Internal);
        var url = $"/api/search?q={word}&draftId={draft}";
        var hits = await HitsOf(editor, url);
        var expertsHits = await HitsOf(expert, $"/api/search?q={word}");
        var rows = await IndexRowsOf(draft);
        Assert.True(hits.Count >= 5, string.Join("\n", hits)); // the title, the actions, the two comments
        Assert.True(expertsHits.Count(h => h.Contains("\"CommentId\":\"")) == 1, string.Join("\n", expertsHits));

        await using (var connection = new NpgsqlConnection(TestDatabase.ConnectionString))
        {
            await connection.OpenAsync();
            await using var delete = new NpgsqlCommand(
                $"with entries as (delete from cadap.{SearchIndex.TableName} where draft_id = $1) " +
                $"delete from cadap.{SearchIndex.DraftsTableName} where draft_id = $1",
                connection)
            { Parameters = { new() { Value = draft } } };
            await delete.ExecuteNonQueryAsync();
        }
        Assert.Empty(await editor.Read<List<SearchHit>>(url));

        await DraftStore.RebuildAsync(app.Host.Services.GetRequiredService<Marten.IDocumentStore>(), draft, CancellationToken.None);

        Assert.Equal(hits, await HitsOf(editor, url));
        Assert.Equal(expertsHits, await HitsOf(expert, $"/api/search?q={word}"));
        // Row for row what the commits wrote one by one: the index is derived from the events alone.
        Assert.Equal(rows, await IndexRowsOf(draft));
    }

    private static async Task<List<string>> HitsOf(Person reader, string url) =>
        (await reader.Read<List<SearchHit>>(url)).Select(h => JsonSerializer.Serialize(h)).Order(StringComparer.Ordinal).ToList();

    private static async Task<List<string>> IndexRowsOf(Guid draft)
    {
        await using var connection = new NpgsqlConnection(TestDatabase.ConnectionString);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand(
            "select concat_ws('|', id, node_id, thread_id, comment_id, internal, language, kind, number, config, text, vector::text) " +
            $"from cadap.{SearchIndex.TableName} where draft_id = $1 union all " +
            "select concat_ws('|', country, shared_with_reviewers, shared_with_public, in_consultation, in_public_consultation, title::text) " +
            $"from cadap.{SearchIndex.DraftsTableName} where draft_id = $1 order by 1", connection)
        { Parameters = { new() { Value = draft } } };
        await using var reader = await read.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }
}
