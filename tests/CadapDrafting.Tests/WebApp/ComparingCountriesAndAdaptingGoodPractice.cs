using System.Text.RegularExpressions;
using CadapDrafting.Drafts;
using CadapDrafting.Programme;
using Microsoft.Playwright;

namespace CadapDrafting.Tests.WebApp;

[Collection(ServerCollection.Name)]
public sealed class ComparingCountriesAndAdaptingGoodPractice(LiveServer server, Chromium chromium)
{
    [Fact]
    public async Task A_drafter_compares_the_drafts_they_may_see_and_adapts_another_country_s_good_practice_into_their_draft()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var tajikEditor = await server.SignIn("tj-editor");
        var tajikPlan = await tajikEditor.CreatesDraft("TJ", title: $"Tajik private plan {tag}");
        var practice = await tajikEditor.InsertsAction(tajikPlan, new() { ["en"] = $"Naloxone for families of people who inject drugs {tag}" },
            ProgrammeVocabulary.Complete(Pillar.HarmReduction, "3.5"));
        await Expect.Status(await tajikEditor.MarksGoodPractice(tajikPlan, practice), HttpStatusCode.OK);

        var kyrgyzEditor = await server.SignIn("kg-editor");
        var kyrgyzPlan = await kyrgyzEditor.CreatesDraft("KG", title: $"Kyrgyz plan {tag}");
        await kyrgyzEditor.Inserts(kyrgyzPlan, NodeKind.Chapter, "Harm reduction");
        await kyrgyzEditor.InsertsAction(kyrgyzPlan, new() { ["ru"] = "Программы обмена шприцев" },
            ProgrammeVocabulary.Complete(Pillar.HarmReduction, "3.5"));

        await using var drafter = await chromium.OpensTheAppAs(server, "kg-drafter", "comparing-countries-and-adapting-good-practice");
        await drafter.Page.GetByRole(AriaRole.Link, new() { Name = "Cross-country comparison" }).ClickAsync();
        await drafter.Sees(drafter.Page.GetByRole(AriaRole.Heading, new() { Name = "Cross-country comparison", Exact = true })).ToBeVisibleAsync();
        var drafts = drafter.Page.GetByTestId("comparison-drafts");
        var row = drafts.GetByRole(AriaRole.Row).Filter(new() { HasText = $"Kyrgyz plan {tag}" });
        await drafter.Sees(row).ToContainTextAsync("Kyrgyzstan");
        await drafter.Sees(drafter.Page.GetByTestId("comparison-sdg").GetByRole(AriaRole.Rowheader, new() { Name = "SDG 3.5" })).ToBeVisibleAsync();
        // Another country's private draft is simply absent.
        await drafter.Sees(drafts).Not.ToContainTextAsync($"Tajik private plan {tag}");
        await drafter.Screenshot("cross-country-comparison");
        await drafter.FindsNoSeriousAccessibilityProblems("the cross-country comparison");

        await drafter.Page.GetByRole(AriaRole.Link, new() { Name = "Good-practice library" }).ClickAsync();
        await drafter.Page.GetByRole(AriaRole.Searchbox, new() { Name = "Search the library" }).FillAsync(tag);
        await drafter.Page.GetByLabel("Country").SelectOptionAsync("TJ");
        await drafter.Page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        // Other stories of the run mark Tajik actions too: this story's entry is the one with its own tag.
        var entry = drafter.Page.GetByRole(AriaRole.Listitem, new() { Name = "Tajikistan Action 1" }).Filter(new() { HasText = tag });
        await drafter.Sees(entry).ToContainTextAsync($"Naloxone for families of people who inject drugs {tag}");
        await drafter.Sees(entry).ToContainTextAsync("halved overdose deaths");
        await drafter.FindsNoSeriousAccessibilityProblems("the good-practice library");

        await entry.GetByRole(AriaRole.Button, new() { Name = "Adapt into my draft: Tajikistan Action 1" }).ClickAsync();
        var form = drafter.Page.GetByRole(AriaRole.Form, new() { Name = "Adapt Tajikistan Action 1" });
        await form.GetByLabel("Into the draft").SelectOptionAsync(new SelectOptionValue { Label = $"Kyrgyz plan {tag} 2025–2030" });
        await form.GetByLabel("After").SelectOptionAsync(new SelectOptionValue { Label = "Chapter 1 — Harm reduction" });
        await drafter.Sees(form.GetByLabel(new Regex("^Text"))).ToHaveValueAsync($"Naloxone for families of people who inject drugs {tag}");
        await form.GetByLabel(new Regex("^Text")).FillAsync($"Налоксон для семей людей, употребляющих инъекционные наркотики {tag}");
        await drafter.Screenshot("adapting-good-practice");
        await form.GetByRole(AriaRole.Button, new() { Name = "Propose it" }).ClickAsync();
        await drafter.Sees(form.GetByRole(AriaRole.Status)).ToContainTextAsync("Proposed in your draft, citing the good practice.");

        await form.GetByRole(AriaRole.Link, new() { Name = "Open the draft" }).ClickAsync();
        await drafter.Sees(drafter.Page.GetByTestId("live-status")).ToHaveTextAsync("Live");
        // Proposed in the draft's source language, Russian: read in Russian.
        await drafter.Page.GetByLabel("Text language").SelectOptionAsync("ru");
        await drafter.Sees(drafter.Node("Chapter 1").Locator(".proposal")).ToContainTextAsync("Налоксон для семей");
        await drafter.Screenshot("adapted-proposal-in-my-draft");

        var proposal = (await kyrgyzEditor.ReadsProposals(kyrgyzPlan)).Single(p => p.AdaptedFrom is not null);
        Assert.Equal((tajikPlan, practice, "TJ"), (proposal.AdaptedFrom!.DraftId, proposal.AdaptedFrom.NodeId, proposal.AdaptedFrom.Country));
        Assert.Equal("kg-drafter", proposal.Author);
    }

    [Fact]
    public async Task A_quality_list_item_leads_to_the_action_and_opens_its_record_form()
    {
        var editor = await server.SignIn("kg-editor");
        var draft = await editor.CreatesDraft("KG", title: "Programme with gaps in its records");
        // A new action without a place goes first: the one without a record ends up second.
        await editor.InsertsAction(draft, new() { ["ru"] = "Мероприятие без карточки" });
        await editor.InsertsAction(draft, new() { ["ru"] = "Полный учёт" }, ProgrammeVocabulary.Complete(Pillar.Prevention, "3.5"));
        Assert.Equal("Мероприятие без карточки", (await editor.Reads(draft)).Nodes[1].Text["ru"]);

        await using var lead = await chromium.OpensTheAppAs(server, "kg-editor", "quality-list-opens-the-record");
        await lead.OpensDraft(draft);
        var programme = lead.Panel("Programme");
        await programme.GetByRole(AriaRole.Link, new() { Name = "Open the record of Action 2" }).ClickAsync();
        var form = lead.Page.GetByRole(AriaRole.Form, new() { Name = "Record of Action 2" });
        await lead.Sees(form).ToBeVisibleAsync();
        await lead.Sees(form.GetByLabel("Objective", new() { Exact = true })).ToBeFocusedAsync();
        await lead.Sees(programme.GetByRole(AriaRole.Link, new() { Name = "Open the record of Action 1" })).ToHaveCountAsync(0);
        await lead.Screenshot("record-opened-from-the-quality-list");
    }
}
