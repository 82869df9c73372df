using CadapDrafting.Drafts;
using Microsoft.Playwright;

namespace CadapDrafting.Tests.WebApp;

[Collection(ServerCollection.Name)]
public sealed class AcceptingAProposal(LiveServer server, Chromium chromium)
{
    [Fact]
    public async Task An_editor_accepts_a_new_action_and_both_see_the_actions_renumbered()
    {
        const string story = "editor-accepts-renumbered";
        var editor = await server.SignIn("tj-editor");
        var draft = await editor.CreatesDraft("TJ", title: "National Drug Control Strategy");
        var chapter = await editor.Inserts(draft, NodeKind.Chapter, "Treatment and rehabilitation");
        var screening = await editor.Inserts(draft, NodeKind.Action, "Screening and brief intervention in primary care", chapter,
            attributes: new { pillar = "Treatment", sdgTargets = new[] { "3.5" } });
        await editor.Inserts(draft, NodeKind.Action, "Rehabilitation centres in every oblast", chapter, screening);

        await using var drafter = await chromium.OpensTheAppAs(server, "tj-drafter", story);
        await using var lead = await chromium.OpensTheAppAs(server, "tj-editor", story);
        await drafter.OpensDraft(draft);
        await lead.OpensDraft(draft);

        await drafter.TurnsOnSuggestionMode();
        await drafter.ProposesNewNodeAfter("Action 1", "Opioid agonist therapy in prisons", "Continuity of care after release");
        await drafter.Screenshot("proposes-a-new-action");

        await lead.Sees(lead.ProposalOn("Action 1", "Opioid agonist therapy in prisons")).ToBeVisibleAsync();
        var programme = lead.Page.GetByRole(AriaRole.Region, new() { Name = "Programme" });
        await lead.Sees(programme).ToContainTextAsync("SDG 3.5: 1");
        await lead.Sees(programme.Locator(".quality")).ToContainTextAsync("2 — indicator, owner, timeline, budget");
        await lead.Screenshot("sees-the-proposal-arrive");
        await lead.AcceptsProposal("Action 1", "Opioid agonist therapy in prisons");

        foreach (var person in new[] { lead, drafter })
        {
            await person.Sees(person.Node("Action 2")).ToContainTextAsync("Opioid agonist therapy in prisons");
            await person.Sees(person.Node("Action 3")).ToContainTextAsync("Rehabilitation centres in every oblast");
            await person.Sees(person.Node("Action 1")).ToContainTextAsync("Screening and brief intervention");
            await person.Screenshot("sees-the-renumbered-actions");
        }
    }

    [Fact]
    public async Task An_editor_writes_the_first_chapter_of_an_empty_draft_directly()
    {
        var editor = await server.SignIn("tm-editor");
        var draft = await editor.CreatesDraft("TM", title: "Legal framework against trafficking");

        await using var lead = await chromium.OpensTheAppAs(server, "tm-editor", "editor-writes-first-chapter");
        await lead.OpensDraft(draft);
        await lead.TurnsOnSuggestionMode();
        await lead.Page.GetByRole(AriaRole.Button, new() { Name = "Propose the first node" }).ClickAsync();
        var form = lead.Page.GetByRole(AriaRole.Form, new() { Name = "New node at the end of the document" });
        await form.GetByLabel("Text of the new node (EN)").FillAsync("Seizures and drug-related crime recorded every year");
        await form.GetByLabel("Why (rationale)").FillAsync("Structure of the law");
        await form.GetByLabel("Apply directly (accept at once)").CheckAsync();
        await lead.Screenshot("writes-the-first-chapter");
        await form.GetByRole(AriaRole.Button, new() { Name = "Submit proposal" }).ClickAsync();

        await lead.Sees(lead.Node("Chapter 1")).ToContainTextAsync("Seizures and drug-related crime recorded every year");
        await lead.Sees(lead.Page.GetByTestId("draft-revision")).ToContainTextAsync("revision 1,");
        await lead.Screenshot("sees-the-first-chapter");
    }
}
