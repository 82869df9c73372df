using System.Text.RegularExpressions;
using CadapDrafting.Drafts;
using CadapDrafting.Proposals;
using Microsoft.Playwright;

namespace CadapDrafting.Tests.WebApp;

/// <summary>Finding one's way and being told: the inbox, deadlines, search and the outline, by clicking and typing.</summary>
[Collection(ServerCollection.Name)]
public sealed class FindingAndFollowing(LiveServer server, Chromium chromium)
{
    [Fact]
    public async Task A_mention_and_a_decision_reach_the_drafters_inbox_live_and_open_the_right_place()
    {
        const string story = "inbox-live";
        var editor = await server.SignIn("kg-editor");
        var draft = await editor.CreatesDraft("KG", title: "Harm reduction programme");
        var first = await editor.Inserts(draft, NodeKind.Action, "Prevention programmes in schools");
        var second = await editor.Inserts(draft, NodeKind.Action, "Opioid agonist therapy in every region", afterNodeId: first);
        var third = await editor.Inserts(draft, NodeKind.Action, "Needle and syringe programmes", afterNodeId: second);
        await editor.OpensRound(draft);
        await (await server.SignIn("kg-drafter")).ProposesText(draft, third, 1, "Needle and syringe programmes in every prison",
            "Prisons are where the risk is highest");

        await using var drafter = await chromium.OpensTheAppAs(server, "kg-drafter", story);
        await using var expert = await chromium.OpensTheAppAs(server, "eu-expert-1", story);
        await using var lead = await chromium.OpensTheAppAs(server, "kg-editor", story);
        var count = drafter.Page.GetByTestId("inbox-count");
        // Start from nothing unread, so only what follows counts.
        await drafter.Page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Inbox:") }).ClickAsync();
        await drafter.Page.GetByRole(AriaRole.Button, new() { Name = "Mark all read" }).ClickAsync();
        await drafter.Sees(count).ToBeHiddenAsync();

        await expert.OpensDraft(draft);
        await expert.CommentsOn("Action 2", "@kg-drafter which regions lack therapy today?");
        await drafter.Sees(count).ToHaveTextAsync("1");
        await drafter.Screenshot("sees-one-unread-without-reloading");
        await drafter.Sees(drafter.Page.Locator(".inbox-entry.unread")).ToContainTextAsync("mentioned you");
        // People by name, never by user id.
        await drafter.Sees(drafter.Page.Locator(".inbox-entry.unread")).ToContainTextAsync("Ingrid Larsen mentioned you");
        await drafter.Sees(drafter.Page.Locator(".inbox-entry.unread")).Not.ToContainTextAsync("eu-expert-1");

        await lead.OpensDraft(draft);
        await lead.AcceptsProposal("Action 3", "Prisons are where the risk is highest");
        await drafter.Sees(count).ToHaveTextAsync("2");
        await drafter.Sees(drafter.Page.Locator(".inbox-entry.unread")).ToHaveCountAsync(2);
        await drafter.Sees(drafter.Page.Locator(".inbox-entry.unread").Filter(new() { HasText = "decided on your proposal" }))
            .ToContainTextAsync("Bakyt Osmonov decided on your proposal");
        await drafter.FindsEveryControlLabelled();
        await drafter.Screenshot("sees-the-mention-and-the-decision");

        // Other stories told this drafter things too: only the two unread ones are this story's.
        await drafter.Page.Locator(".inbox-entry.unread").GetByRole(AriaRole.Link, new() { NameRegex = new Regex("mentioned you") }).ClickAsync();
        var thread = drafter.Node("Action 2").Locator(".thread.place-highlight");
        await drafter.Sees(thread).ToContainTextAsync("which regions lack therapy today?");
        await drafter.Sees(thread).ToBeInViewportAsync();
        await drafter.Sees(count).ToHaveTextAsync("1");
        await drafter.Screenshot("opens-the-mention-at-its-thread");

        await drafter.Page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Inbox:") }).ClickAsync();
        await drafter.Page.Locator(".inbox-entry.unread").GetByRole(AriaRole.Link, new() { NameRegex = new Regex("decided on your proposal") })
            .ClickAsync();
        await drafter.Sees(drafter.Node("Action 3")).ToHaveClassAsync(new Regex("place-highlight"));
        await drafter.Sees(drafter.Node("Action 3")).ToContainTextAsync("in every prison");
        await drafter.Sees(count).ToBeHiddenAsync();
        await drafter.Screenshot("opens-the-decision-at-its-action");
    }

    [Fact]
    public async Task A_round_ending_two_seconds_ahead_closes_by_itself_and_the_open_page_shows_it()
    {
        var editor = await server.SignIn("tj-editor");
        var draft = await editor.CreatesDraft("TJ", title: "Short consultation");
        await editor.Inserts(draft, NodeKind.Action, "Treatment for women who use drugs");
        await using var lead = await chromium.OpensTheAppAs(server, "tj-editor", "round-closes-itself");
        await lead.OpensDraft(draft);

        await editor.OpensRound(draft, lasting: TimeSpan.FromSeconds(2));
        await lead.Sees(lead.Page.GetByTestId("round-status")).ToContainTextAsync("Round 1");
        // The time left says "closed" once the end date passes, without a reload and whether or not the close has arrived yet.
        await lead.Sees(lead.Page.GetByTestId("round-left")).ToHaveTextAsync("closed", new() { Timeout = 10_000 });
        // The close itself is a durable scheduled message, picked up by the next poll of the scheduled jobs: on a loaded
        // machine that can take a while after the end date. The page shows the draft back in Drafting when it arrives.
        await lead.Sees(lead.Page.GetByTestId("draft-status")).ToHaveTextAsync("Drafting", new() { Timeout = 60_000 });
        await lead.Sees(lead.Page.GetByTestId("round-status")).ToContainTextAsync("closed");
        await lead.Screenshot("sees-the-round-closed");
    }

    [Fact]
    public async Task The_inbox_names_who_wrote_in_russian_in_the_russian_interface()
    {
        var editor = await server.SignIn("kz-editor");
        var draft = await editor.CreatesDraft("KZ", title: "Named inbox");
        var action = await editor.Inserts(draft, NodeKind.Action, "Outreach in Karaganda");
        var text = "Unique " + Guid.NewGuid().ToString("N")[..8];
        await editor.StartsThread(draft, action, $"@kz-drafter {text}");

        await using var drafter = await chromium.OpensTheAppAs(server, "kz-drafter", "inbox-names-ru", language: "ru");
        await drafter.Page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Входящие:") }).ClickAsync();
        var entry = drafter.Page.Locator(".inbox-entry").Filter(new() { HasText = text });
        await drafter.Sees(entry).ToContainTextAsync("Данияр Сейткали упомянул(а) вас");
        await drafter.Sees(entry).Not.ToContainTextAsync("kz-editor");
        await drafter.Screenshot("sees-who-mentioned-her-by-name");
    }

    [Fact]
    public async Task The_time_left_in_a_round_counts_down_on_its_own_each_second_in_the_last_minute()
    {
        var editor = await server.SignIn("tm-editor");
        var draft = await editor.CreatesDraft("TM", title: "Counting down");
        await editor.Inserts(draft, NodeKind.Action, "Drug checking at festivals");
        await using var lead = await chromium.OpensTheAppAs(server, "tm-editor", "round-counts-down");
        await lead.OpensDraft(draft);

        await editor.OpensRound(draft, lasting: TimeSpan.FromSeconds(75));
        var left = lead.Page.GetByTestId("round-left");
        await lead.Sees(left).ToHaveTextAsync("0 h 1 min left");
        // No reload and no update from the server: the line is redrawn by the page's own clock.
        await lead.Sees(left).ToHaveTextAsync(new Regex(@"^5\d s left$"), new() { Timeout = 30_000 });
        var seen = await left.TextContentAsync();
        await lead.Sees(left).Not.ToHaveTextAsync(seen!, new() { Timeout = 5_000 });
        await lead.Sees(left).ToHaveTextAsync(new Regex(@"^\d+ s left$"));
        await lead.Screenshot("sees-the-seconds-count-down");
    }

    [Fact]
    public async Task Search_finds_an_action_by_another_russian_form_and_never_another_countrys_private_draft()
    {
        const string story = "search-russian";
        // A made-up stem, so other stories' drafts do not crowd the hits: "…ов" and "…ами" are forms of the same noun.
        var stem = "зубр" + new string(Enumerable.Range(0, 4).Select(_ => "бвгдклмнпрст"[Random.Shared.Next(12)]).ToArray()) + "ин";
        var editor = await server.SignIn("kg-editor");
        var draft = await editor.CreatesDraft("KG", title: "Search programme");
        var first = await editor.Inserts(draft, NodeKind.Action, "Evaluation of the programme");
        await InsertsInRussian(editor, draft, first, $"Профилактика среди {stem}ов в учреждениях");
        var kazakh = await server.SignIn("kz-editor");
        var secret = await kazakh.CreatesDraft("KZ", title: "Kazakh private plan");
        await InsertsInRussian(kazakh, secret, null, $"Работа с {stem}ами в Алматы");

        await using var reader = await chromium.OpensTheAppAs(server, "kg-editor", story);
        await reader.Page.GetByRole(AriaRole.Searchbox, new() { Name = "Search all drafts" }).First.FillAsync($"{stem}ами");
        await reader.Page.GetByRole(AriaRole.Searchbox, new() { Name = "Search all drafts" }).First.PressAsync("Enter");

        var hits = reader.Page.Locator(".search-hit");
        await reader.Sees(hits).ToHaveCountAsync(1);
        await reader.Sees(hits).ToContainTextAsync("Action 2");
        await reader.Sees(hits).ToContainTextAsync("Search programme");
        await reader.Sees(hits.Locator("mark")).ToHaveTextAsync($"{stem}ов");
        await reader.Sees(reader.Page.GetByText("Kazakh private plan")).ToHaveCountAsync(0);
        await reader.FindsEveryControlLabelled();
        await reader.Screenshot("finds-the-action-by-another-form");

        await hits.GetByRole(AriaRole.Link).First.ClickAsync();
        await reader.Sees(reader.Node("Action 2")).ToHaveClassAsync(new Regex("place-highlight"));
        await reader.Screenshot("opens-the-hit-at-its-action");

        // Within the draft, the same search from the panel beside the text.
        await reader.Page.GetByRole(AriaRole.Searchbox, new() { Name = "Search this draft" }).FillAsync($"{stem}ы");
        await reader.Page.GetByRole(AriaRole.Searchbox, new() { Name = "Search this draft" }).PressAsync("Enter");
        await reader.Sees(reader.Page.Locator(".draft-search .search-hit")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task The_outline_jumps_to_action_42_and_to_the_next_open_proposal()
    {
        var editor = await server.SignIn("uz-editor");
        var draft = await editor.CreatesDraft("UZ", title: "Long programme");
        Guid? previous = null;
        var actions = new List<Guid>();
        for (var i = 1; i <= 45; i++)
        {
            previous = await editor.Inserts(draft, NodeKind.Action, $"Action text number {i} on treatment and prevention", afterNodeId: previous);
            actions.Add(previous.Value);
        }
        var drafter = await server.SignIn("uz-drafter");
        await drafter.ProposesText(draft, actions[39], 1, "Action forty with better wording", "Say which facilities");

        await using var lead = await chromium.OpensTheAppAs(server, "uz-editor", "outline-jumps");
        await lead.OpensDraft(draft);
        var outline = lead.Page.GetByRole(AriaRole.Navigation, new() { Name = "Outline" });
        await lead.Sees(outline.GetByRole(AriaRole.Link)).ToHaveCountAsync(45);

        await outline.GetByLabel("Go to").FillAsync("Action 42");
        await outline.GetByRole(AriaRole.Button, new() { Name = "Go", Exact = true }).ClickAsync();
        await lead.Sees(lead.Node("Action 42")).ToHaveClassAsync(new Regex("place-highlight"));
        await lead.Sees(lead.Node("Action 42")).ToBeInViewportAsync();
        await lead.Screenshot("jumps-to-action-42");

        await outline.GetByLabel("Go to").FillAsync("Action 99");
        await outline.GetByRole(AriaRole.Button, new() { Name = "Go", Exact = true }).ClickAsync();
        await lead.Sees(outline.GetByRole(AriaRole.Status)).ToContainTextAsync("There is no Action 99");

        await outline.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Action 3 ") }).ClickAsync();
        await lead.Sees(lead.Node("Action 3")).ToBeInViewportAsync();

        await outline.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("Next open proposal") }).ClickAsync();
        var proposal = lead.ProposalOn("Action 40", "Say which facilities");
        await lead.Sees(proposal).ToHaveClassAsync(new Regex("place-highlight"));
        await lead.Sees(proposal).ToBeInViewportAsync();
        await lead.FindsEveryControlLabelled();
        await lead.Screenshot("goes-to-the-next-open-proposal");
    }

    private static async Task InsertsInRussian(Person editor, Guid draft, Guid? after, string text) =>
        await Expect.Status(await editor.Proposes(draft, new {
            kind = ProposalKind.Insert, nodeKind = NodeKind.Action, afterNodeId = after, rationale = "Structure", acceptNow = true,
            text = new { ru = text },
        }), HttpStatusCode.OK);
}
