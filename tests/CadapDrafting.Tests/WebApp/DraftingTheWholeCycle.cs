using System.IO.Compression;
using System.Text;
using Microsoft.Playwright;

namespace CadapDrafting.Tests.WebApp;

/// <summary>
/// A Kyrgyz action plan from its first page to its approval, every step clicked and typed in the browser by the
/// person whose job it is; each sees only what their role allows.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class DraftingTheWholeCycle(LiveServer server, Chromium chromium)
{
    private static ActionRecord Record(string objective, string body, string indicator, string amount, string pillar, string sdg) => new(
        Objective: objective, ResponsibleBodies: [body, "Ministry of Health"], Start: "2026-01-01", End: "2028-12-31",
        Indicator: indicator, Baseline: "12%", BaselineYear: "2024", Target: "30%", TargetYear: "2028", DataSource: "National drug observatory",
        Amount: amount, Currency: "KGS", FundsSource: "State budget", Pillar: pillar, RespondsTo: "problematic use",
        Commitment: "UNGASS 2016 outcome document", SdgTarget: sdg, Evidence: "UNODC/WHO International Standards on Drug Use Prevention");

    [Fact]
    public async Task A_plan_is_written_consulted_on_signed_off_and_audited_by_everyone_in_their_own_browser()
    {
        const string story = "whole-cycle";
        await using var lead = await chromium.OpensTheAppAs(server, "kg-editor", story);

        // The lead drafter starts the plan from the template and writes two chapters and five actions with full records.
        var draft = await lead.StartsDraftFromTemplate("Action plan", "Anti-Drug Programme", 2026, 2030);
        await lead.Sees(lead.Node("Chapter 4")).ToContainTextAsync("Monitoring and evaluation");
        await lead.RewritesDirectly("Chapter 2", "Demand reduction: prevention, treatment and rehabilitation of people who use drugs",
            "Name the people served");
        await lead.RewritesDirectly("Chapter 3", "Supply reduction and border control", "Border control belongs here");
        await lead.WritesActionIn("Chapter 2", "School-based prevention programmes in every oblast", "Action 1");
        await lead.WritesActionIn("Chapter 2", "Opioid agonist therapy in primary care", "Action 2");
        await lead.WritesActionIn("Chapter 2", "Rehabilitation centres with social reintegration", "Action 3");
        await lead.WritesActionIn("Chapter 3", "Joint mobile teams at border crossings", "Action 4");
        await lead.WritesActionIn("Chapter 3", "Precursor control with the customs service", "Action 5");
        await lead.FillsRecord("Action 1", Record("Fewer young people start using drugs", "Ministry of Education", "Schools running the programme",
            "100000", "Prevention", "3.5"), "Agreed with the ministries");
        await lead.FillsRecord("Action 2", Record("People dependent on opioids are treated near home", "Republican Centre of Narcology",
            "Patients in therapy", "250000", "Treatment", "3.5"), "Agreed with the ministries");
        await lead.FillsRecord("Action 3", Record("People in recovery find work and housing", "Ministry of Labour", "People reintegrated", "80000",
            "Rehabilitation", "10.2"), "Agreed with the ministries");
        await lead.FillsRecord("Action 4", Record("Less trafficking across the borders", "Border Service", "Seizures recorded", "300000",
            "Supply reduction", "16.4"), "Agreed with the ministries");
        await lead.FillsRecord("Action 5", Record("Precursors do not reach illicit laboratories", "Customs Service", "Precursor seizures", "60000",
            "Supply reduction", "16.4"), "Agreed with the ministries");
        await lead.Sees(lead.Node("Action 2")).ToContainTextAsync("SDG 3.5 — Strengthen the prevention and treatment of substance abuse");
        await lead.Sees(lead.Node("Action 2")).ToContainTextAsync("250,000 KGS (State budget)");
        await lead.Screenshot("writes-two-chapters-and-five-actions-with-records");

        // A drafter proposes text and record changes.
        await using var drafter = await chromium.OpensTheAppAs(server, "kg-drafter", story);
        await drafter.OpensDraft(draft);
        await drafter.TurnsOnSuggestionMode();
        await drafter.SuggestsText("Action 1", "School- and family-based prevention programmes in every oblast",
            "Families matter as much as schools");
        await drafter.FillsRecord("Action 2", Record("People dependent on opioids are treated near home", "Republican Centre of Narcology",
            "Patients in therapy", "320000", "Treatment", "3.3"), "The 2027 costing is higher");
        await drafter.SuggestsText("Action 4", "Joint mobile teams at every border crossing, day and night", "Around the clock");
        await drafter.Screenshot("proposes-text-and-record-changes");

        // The lead sees the record change field by field, accepts two together and rejects one with a reason.
        var recordChange = lead.Node("Action 2").Locator(".proposal");
        await lead.Sees(recordChange.Locator("table.field-changes tr[data-field=budget]")).ToContainTextAsync("250,000 KGS (State budget)");
        await lead.Sees(recordChange.Locator("table.field-changes tr[data-field=budget]")).ToContainTextAsync("320,000 KGS (State budget)");
        await lead.Sees(recordChange.Locator("table.field-changes tr[data-field=sdgTargets]")).ToContainTextAsync("SDG 3.3");
        await lead.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Select Amendment of Action 1" }).CheckAsync();
        await lead.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Select Amendment of Action 2" }).CheckAsync();
        await lead.Screenshot("sees-the-record-change-before-and-after-and-selects-two");
        await lead.Page.GetByRole(AriaRole.Button, new() { Name = "Accept selected" }).ClickAsync();
        await lead.Sees(lead.Node("Action 1").Locator(".node-text").First).ToHaveTextAsync("School- and family-based prevention programmes in " +
            "every oblast");
        await lead.Sees(lead.Node("Action 2")).ToContainTextAsync("320,000 KGS");
        var rejected = lead.ProposalOn("Action 4", "Around the clock");
        await rejected.GetByRole(AriaRole.Button, new() { NameRegex = new("^Reject") }).ClickAsync();
        await rejected.GetByLabel("Reason for rejecting").FillAsync("Staffing allows day shifts only until 2028");
        await rejected.GetByRole(AriaRole.Button, new() { Name = "Reject proposal" }).ClickAsync();
        await lead.Sees(rejected).ToHaveCountAsync(0);

        var mine = drafter.Panel("My proposals");
        await drafter.Sees(mine.Locator(".status-Rejected")).ToContainTextAsync("Staffing allows day shifts only until 2028");
        await drafter.Sees(mine.Locator(".status-Accepted")).ToHaveCountAsync(2);
        await drafter.Screenshot("sees-the-rejection-and-its-reason");

        // A consultation round opens with an end date; an EU expert comments on selected words and mentions the lead by name.
        await lead.OpensConsultationRound(DateTime.Now.AddDays(10), isPublic: false);
        await lead.Sees(lead.Page.GetByTestId("round-status")).ToContainTextAsync("left");
        await using var expert = await chromium.OpensTheAppAs(server, "eu-expert-1", story);
        await expert.OpensDraft(draft);
        await expert.SelectsWords("Action 2", "Opioid agonist therapy");
        await expert.CommentsOnSelectionMentioning("Action 2", "Please cite the WHO guidelines here.", "Bak", "Bakyt Osmonov",
            "The dosage guidance should follow them.");
        var comment = expert.CommentIn("Action 2", "The dosage guidance");
        await expert.Sees(comment).ToContainTextAsync("@Bakyt Osmonov");
        await expert.Sees(expert.Node("Action 2").Locator("mark.quoted")).ToHaveTextAsync("Opioid agonist therapy");
        await expert.Screenshot("comments-on-selected-words");

        // The lead replies, records a disposition, and the matrix shows it and downloads as CSV.
        var thread = lead.Node("Action 2").Locator(".thread").Filter(new() { HasText = "The dosage guidance" });
        await thread.GetByRole(AriaRole.Textbox, new() { Name = "Reply" }).FillAsync("Agreed: the 2009 WHO guidelines are cited now.");
        await thread.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await lead.Sees(thread).ToContainTextAsync("Agreed: the 2009 WHO guidelines are cited now.");
        await thread.GetByRole(AriaRole.Combobox, new() { Name = "Disposition" }).SelectOptionAsync("PartlyAccepted");
        await thread.GetByRole(AriaRole.Textbox, new() { Name = "Reason", Exact = true }).FillAsync("Cited; dosage stays with the national protocol");
        await thread.GetByRole(AriaRole.Button, new() { Name = "Record disposition" }).ClickAsync();
        var matrix = lead.Panel("Comment–response matrix");
        await lead.Sees(matrix.Locator("tbody tr")).ToContainTextAsync("Partly accepted");
        await lead.Sees(matrix.Locator("tbody tr")).ToContainTextAsync("Ingrid Larsen");
        await matrix.GetByLabel("Show").SelectOptionAsync("Pending");
        await lead.Sees(matrix).ToContainTextAsync("No reviewer comments match.");
        await matrix.GetByLabel("Show").SelectOptionAsync("");
        var (csvName, csv) = await lead.Downloads(matrix.GetByRole(AriaRole.Button, new() { Name = "Download CSV" }));
        Assert.EndsWith(".csv", csvName);
        Assert.Contains("The dosage guidance should follow them.", Encoding.UTF8.GetString(csv));
        await lead.Screenshot("replies-disposes-and-downloads-the-matrix");

        // The lead names three approvers, two of whom must sign, and starts the review after reading what it freezes.
        var lifecycle = lead.Panel("Lifecycle and sign-off");
        await lifecycle.GetByLabel(new System.Text.RegularExpressions.Regex("^Nurgul Asanova")).CheckAsync();
        await lifecycle.GetByLabel(new System.Text.RegularExpressions.Regex("^Ermek Sydykov")).CheckAsync();
        await lifecycle.GetByLabel(new System.Text.RegularExpressions.Regex("^Cholpon Imanalieva")).CheckAsync();
        await lifecycle.GetByLabel("Signatures required").FillAsync("2");
        await lifecycle.GetByRole(AriaRole.Button, new() { Name = "Set approval policy" }).ClickAsync();
        await lead.Sees(lead.Page.GetByTestId("approval-policy")).ToContainTextAsync("2 of 3 must sign");
        await lifecycle.GetByRole(AriaRole.Button, new() { Name = "Start review…" }).ClickAsync();
        await lead.Sees(lead.Dialog()).ToContainTextAsync("no proposals and no edits are taken");
        await lead.Screenshot("confirms-what-starting-review-freezes");
        await lead.Dialog().GetByRole(AriaRole.Button, new() { Name = "Start review", Exact = true }).ClickAsync();
        await lead.Sees(lead.Page.GetByTestId("draft-status")).ToHaveTextAsync("Review");

        // Two approvers sign and see the progress; the draft is approved.
        await using var first = await chromium.OpensTheAppAs(server, "kg-approver-1", story);
        await first.OpensDraft(draft);
        await first.SignsTheRevision();
        await first.Sees(first.Page.GetByTestId("signoff-progress")).ToContainTextAsync("1 of 2 signed");
        await first.Sees(first.Page.GetByTestId("signoff-progress")).ToContainTextAsync("Signed by: Nurgul Asanova");
        await first.Screenshot("signs-and-sees-1-of-2");
        await using var second = await chromium.OpensTheAppAs(server, "kg-approver-2", story);
        await second.OpensDraft(draft);
        await second.Sees(second.Page.GetByTestId("signoff-progress")).ToContainTextAsync("1 of 2 signed");
        await second.SignsTheRevision();
        await second.Sees(second.Page.GetByTestId("draft-status")).ToHaveTextAsync("Approved");
        await lead.Sees(lead.Page.GetByTestId("approved")).ToContainTextAsync("Nurgul Asanova");
        await second.Screenshot("the-draft-is-approved");

        // The auditor scrubs the history, opens a lineage with its rejected alternative, verifies and takes the evidence.
        await using var auditor = await chromium.OpensTheAppAs(server, "auditor", story);
        await auditor.OpensDraft(draft);
        var slider = auditor.Page.GetByLabel("Scrub through revisions");
        await slider.FocusAsync();
        await slider.PressAsync("Home");
        await auditor.Sees(auditor.Page.Locator(".past-banner")).ToContainTextAsync("revision 0");
        await auditor.Page.GetByRole(AriaRole.Button, new() { Name = "Back to the current text" }).ClickAsync();
        await auditor.Node("Action 4").GetByRole(AriaRole.Button, new() { Name = "Lineage of Action 4" }).ClickAsync();
        await auditor.Sees(auditor.Page.GetByTestId("rejected-alternatives")).ToContainTextAsync("Staffing allows day shifts only until 2028");
        await auditor.Page.GetByRole(AriaRole.Button, new() { Name = "Verify the chain" }).ClickAsync();
        await auditor.Sees(auditor.Page.GetByTestId("verify-result")).ToContainTextAsync("Chain intact");
        var (bundleName, bundle) = await auditor.Downloads(auditor.Page.GetByRole(AriaRole.Button, new() { Name = "Download evidence bundle" }));
        Assert.EndsWith(".zip", bundleName);
        using (var zip = new ZipArchive(new MemoryStream(bundle))) Assert.Contains(zip.Entries, e => e.Name == "events.jsonl");
        await auditor.Screenshot("verifies-and-downloads-the-evidence");

        // A CSO (the round was not public) and another country's drafter see nothing of it.
        await using var cso = await chromium.OpensTheAppAs(server, "cso-1", story);
        await cso.GoesToDraft(draft);
        await cso.Sees(cso.Page.GetByRole(AriaRole.Heading, new() { Name = "This draft is not available" })).ToBeVisibleAsync();
        await cso.Sees(cso.Page.GetByText("Opioid agonist therapy")).ToHaveCountAsync(0);
        await cso.Screenshot("cannot-see-the-plan");
        await using var neighbour = await chromium.OpensTheAppAs(server, "tj-drafter", story);
        await neighbour.GoesToDraft(draft);
        await neighbour.Sees(neighbour.Page.GetByRole(AriaRole.Heading, new() { Name = "This draft is not available" })).ToBeVisibleAsync();
        await neighbour.Screenshot("cannot-see-another-countrys-plan");
    }
}
