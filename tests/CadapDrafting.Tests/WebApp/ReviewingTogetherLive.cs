using CadapDrafting.Drafts;
using Microsoft.Playwright;

namespace CadapDrafting.Tests.WebApp;

[Collection(ServerCollection.Name)]
public sealed class ReviewingTogetherLive(LiveServer server, Chromium chromium)
{
    [Fact]
    public async Task A_drafter_and_an_EU_expert_see_each_others_proposal_and_comment_without_reloading()
    {
        const string story = "drafter-and-expert-live";
        var editor = await server.SignIn("kg-editor");
        var draft = await editor.CreatesDraft("KG", title: "Anti-Drug Programme");
        var chapter = await editor.Inserts(draft, NodeKind.Chapter, "Demand reduction");
        var schools = await editor.Inserts(draft, NodeKind.Action, "Prevention programmes in schools", chapter);
        await editor.Inserts(draft, NodeKind.Action, "Opioid agonist therapy in every region", chapter, schools);
        await editor.OpensRound(draft);

        await using var drafter = await chromium.OpensTheAppAs(server, "kg-drafter", story);
        await using var expert = await chromium.OpensTheAppAs(server, "eu-expert-1", story);
        await drafter.OpensDraft(draft);
        await expert.OpensDraft(draft);
        await drafter.Sees(drafter.Page.GetByRole(AriaRole.List, new() { Name = "Who is here" })).ToContainTextAsync("Ingrid Larsen");
        await expert.Sees(expert.Page.GetByRole(AriaRole.List, new() { Name = "Who is here" })).ToContainTextAsync("Aizada Toktogulova");
        await drafter.Screenshot("both-open-the-draft");

        await drafter.TurnsOnSuggestionMode();
        await drafter.SuggestsText("Action 1", "Evidence-based prevention programmes in schools and families",
            "Align with the international standards on drug use prevention");
        await drafter.FindsEveryControlLabelled();
        await drafter.Screenshot("proposes-new-wording");

        var proposal = expert.ProposalOn("Action 1", "Align with the international standards");
        await expert.Sees(proposal.Locator("ins")).ToContainTextAsync(["Evidence-based"]);
        await expert.Sees(proposal.Locator("ins").Last).ToContainTextAsync("and families");
        await expert.Sees(proposal).ToContainTextAsync("Aizada Toktogulova");
        await expert.Screenshot("sees-the-proposal-as-a-word-diff");

        await expert.CommentsOn("Action 2", "@kg-drafter Please add an indicator for treatment coverage.");
        await expert.FindsEveryControlLabelled();
        await expert.Screenshot("comments-with-a-mention");

        var comment = drafter.CommentIn("Action 2", "Please add an indicator for treatment coverage.");
        await drafter.Sees(comment).ToContainTextAsync("Ingrid Larsen");
        await drafter.Sees(comment.Locator(".mention")).ToHaveTextAsync("@Aizada Toktogulova");
        await drafter.Screenshot("sees-the-comment-in-the-margin");
    }
}
