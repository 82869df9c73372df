using CadapDrafting.Drafts;
using CadapDrafting.Proposals;
using CadapDrafting.Search;

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
        var response = await editor.Proposes(draft, new
        {
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
}
