using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Proposals;

namespace CadapDrafting.Tests.Access;

/// <summary>A country's private draft is invisible outside it: not listed, not readable in any form, answered like a draft that does not
/// exist.</summary>
[Collection(ServerCollection.Name)]
public sealed class KeepingCountriesApart(AppFixture app)
{
    /// <summary>Everything that can be read about a draft, as the URLs a client uses.</summary>
    private static IEnumerable<string> EverythingReadableAbout(Guid draftId, Guid proposalId, Guid threadId) =>
    [
        $"/api/drafts/{draftId}",
        $"/api/drafts/{draftId}/activity",
        $"/api/drafts/{draftId}/proposals",
        $"/api/drafts/{draftId}/proposals/{proposalId}",
        $"/api/drafts/{draftId}/threads",
        $"/api/drafts/{draftId}/threads/counts",
        $"/api/drafts/{draftId}/threads/{threadId}",
        $"/api/drafts/{draftId}/rounds",
        $"/api/drafts/{draftId}/rounds/1/matrix",
        $"/api/drafts/{draftId}/rounds/1/matrix.csv",
        $"/api/drafts/{draftId}/sign-offs",
        $"/api/drafts/{draftId}/versions",
    ];

    private sealed record PrivateDraft(Guid DraftId, Guid ProposalId, Guid ThreadId);

    /// <summary>A Kazakh draft with content, an open proposal, a thread mentioning a Kazakh drafter, and a named version.</summary>
    private async Task<PrivateDraft> AKazakhPrivateDraft()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var draftId = await editor.CreatesDraft("KZ", title: "Law on narcotic drugs (private working text)");
        var article = await editor.Inserts(draftId, NodeKind.Article, "Traditional opioid use: access to care");
        var proposalId = await editor.ProposesText(draftId, article, 1, "Traditional opioid use: access to care and harm reduction");
        var thread = await editor.StartsThread(draftId, article, "@kz-drafter how did Kyrgyzstan word this?");
        await Expect.Status(await editor.Command($"/api/drafts/{draftId}/versions", new { name = "Inter-ministerial draft" }), HttpStatusCode.OK);
        return new PrivateDraft(draftId, proposalId, thread.ThreadId);
    }

    [Theory]
    [InlineData("kg-editor")]
    [InlineData("uz-approver-1")]
    [InlineData("eu-expert-1")]
    [InlineData("cso-1")]
    public async Task Outsiders_cannot_find_or_read_a_private_draft_in_any_form(string outsiderId)
    {
        var secret = await AKazakhPrivateDraft();
        var outsider = await Person.SignIn(app, outsiderId);

        var listed = await outsider.Read<List<DraftSummary>>("/api/drafts");
        Assert.DoesNotContain(listed, d => d.Id == secret.DraftId);
        Assert.DoesNotContain(await outsider.Read<List<DraftSummary>>("/api/drafts?country=KZ"), d => d.Id == secret.DraftId);

        var missing = Guid.NewGuid();
        foreach (var url in EverythingReadableAbout(secret.DraftId, secret.ProposalId, secret.ThreadId))
        {
            var response = await outsider.Http.GetAsync(url);
            var asIfMissing = await outsider.Http.GetAsync(url.Replace(secret.DraftId.ToString(), missing.ToString()));
            Assert.True(await AccessVocabulary.IsHiddenDraft(response), $"{url} answered {(int)response.StatusCode} to {outsiderId}");
            Assert.Equal(await Problem(asIfMissing), await Problem(response));
        }
    }

    [Fact]
    public async Task A_mention_of_another_countrys_person_is_refused_as_if_they_did_not_exist_and_never_reaches_their_inbox()
    {
        var secret = await AKazakhPrivateDraft();
        var editor = await Person.SignIn(app, "kz-editor");
        var article = (await editor.Reads(secret.DraftId)).Nodes.Single().Id;
        var before = (await editor.Reads(secret.DraftId)).Position;

        var acrossBorders = await Expect.Problem(
            await editor.Comments(secret.DraftId, new { nodeId = article, text = "@kg-editor how did Kyrgyzstan word this?" }),
            HttpStatusCode.UnprocessableEntity);
        var nobody = await Expect.Problem(
            await editor.Comments(secret.DraftId, new { nodeId = article, text = "@kg-editorr how did Kyrgyzstan word this?" }),
            HttpStatusCode.UnprocessableEntity);
        var reply = await Expect.Problem(await editor.Replies(secret.DraftId, secret.ThreadId, "and @kg-editor?"),
            HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["@kg-editor"], acrossBorders.GetProperty("mentions").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(["@kg-editor"], reply.GetProperty("mentions").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(acrossBorders.GetProperty("detail").GetString(), nobody.GetProperty("detail").GetString()!.Replace("@kg-editorr", "@kg-editor"));
        Assert.Equal(before, (await editor.Reads(secret.DraftId)).Position);
        var mentioned = await Person.SignIn(app, "kg-editor");
        Assert.DoesNotContain(await mentioned.ReadsInbox(), entry => entry.DraftId == secret.DraftId);
    }

    [Fact]
    public async Task Outsiders_cannot_write_to_a_private_draft_and_learn_nothing_from_trying()
    {
        var secret = await AKazakhPrivateDraft();
        var outsider = await Person.SignIn(app, "kg-editor");
        var attempts = new[]
        {
            await outsider.Command($"/api/drafts/{secret.DraftId}/proposals/{secret.ProposalId}/accept", new { reason = "Looks fine" }),
            await outsider.Comments(secret.DraftId, new { proposalId = secret.ProposalId, text = "Interesting" }),
            await outsider.Replies(secret.DraftId, secret.ThreadId, "Like this"),
            await outsider.StartsReview(secret.DraftId),
        };
        foreach (var attempt in attempts) Assert.True(await AccessVocabulary.IsHiddenDraft(attempt), $"answered {(int)attempt.StatusCode}");

        var owner = await Person.SignIn(app, "kz-editor");
        var proposal = (await owner.ReadsProposals(secret.DraftId)).Single(p => p.Id == secret.ProposalId);
        Assert.Equal(ProposalStatus.Open, proposal.Status);
        Assert.Single((await owner.ReadsThreads(secret.DraftId)).Threads.Single().Comments);
    }

    [Fact]
    public async Task The_countrys_own_people_and_the_auditor_see_the_draft_and_reviewers_see_it_once_shared()
    {
        var secret = await AKazakhPrivateDraft();
        foreach (var insider in new[] { "kz-drafter", "kz-approver-2", "auditor" })
        {
            var person = await Person.SignIn(app, insider);
            Assert.Contains(await person.Read<List<DraftSummary>>("/api/drafts"), d => d.Id == secret.DraftId);
            foreach (var url in EverythingReadableAbout(secret.DraftId, secret.ProposalId, secret.ThreadId))
                Assert.False(await AccessVocabulary.IsHiddenDraft(await person.Http.GetAsync(url)), $"{url} hidden from {insider}");
        }

        var expert = await Person.SignIn(app, "eu-expert-2");
        var civilSociety = await Person.SignIn(app, "cso-1");
        await (await Person.SignIn(app, "kz-editor")).OpensRound(secret.DraftId, isPublic: false);
        Assert.Equal(secret.DraftId, (await expert.Reads(secret.DraftId)).Id);
        Assert.True(await AccessVocabulary.IsHiddenDraft(await civilSociety.Http.GetAsync($"/api/drafts/{secret.DraftId}")));
    }

    [Fact]
    public async Task A_private_draft_full_of_proposals_is_refused_as_fast_as_a_missing_one()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var draftId = await editor.CreatesDraft("KZ", title: "Large private working text");
        var article = await editor.Inserts(draftId, NodeKind.Article, "Traditional opioid use");
        var longText = string.Join(' ', Enumerable.Repeat("access to care and harm reduction", 550));
        await Task.WhenAll(Enumerable.Range(0, 300).Select(i => editor.ProposesText(draftId, article, 1, $"{longText} {i}")));
        var outsider = await Person.SignIn(app, "kg-editor");
        var missing = Guid.NewGuid();

        async Task<double> MedianMs(Guid id)
        {
            var times = new List<double>();
            for (var i = 0; i < 15; i++)
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var response = await outsider.Http.GetAsync($"/api/drafts/{id}/proposals");
                times.Add(watch.Elapsed.TotalMilliseconds);
                Assert.True(await AccessVocabulary.IsHiddenDraft(response));
            }
            return times.Order().ElementAt(times.Count / 2);
        }
        await MedianMs(missing); // warm
        var (hidden, absent) = (await MedianMs(draftId), await MedianMs(missing));
        var (hiddenAgain, absentAgain) = (await MedianMs(draftId), await MedianMs(missing));

        // Reading 300 proposals of 18 KB each takes tens of milliseconds; deciding on the draft's own document takes one lookup.
        Assert.True(Math.Min(hidden, hiddenAgain) < 2 * Math.Max(absent, absentAgain) + 5,
            $"private draft refused in {hidden:0.0}/{hiddenAgain:0.0} ms, a missing one in {absent:0.0}/{absentAgain:0.0} ms");
    }

    /// <summary>The problem without what differs between any two requests (path and trace).</summary>
    private static async Task<string> Problem(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<Dictionary<string, JsonElement>>();
        return $"{problem!["status"]} {problem["title"]} {problem["detail"]}";
    }
}
