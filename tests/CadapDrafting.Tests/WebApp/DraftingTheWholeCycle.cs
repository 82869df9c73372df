using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CadapDrafting.Tests.WebApp;

/// <summary>
/// A Kyrgyz action plan from its first page to its approval, every step clicked and typed in the browser by the
/// person whose job it is; each sees only what their role allows. Told once, walked in English and in Russian: in
/// Russian every person's browser speaks Russian, they look for the Russian words of the app and type Russian text.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class DraftingTheWholeCycle(LiveServer server, Chromium chromium)
{
    private static ActionRecord Record(WebUser u, string objective, string body, string indicator, string amount, string pillar, string sdg) => new(
        Objective: objective, ResponsibleBodies: [body, u.Say("Ministry of Health", "Министерство здравоохранения")], Start: "2026-01-01",
        End: "2028-12-31", Indicator: indicator, Baseline: "12%", BaselineYear: "2024", Target: "30%", TargetYear: "2028",
        DataSource: u.Say("National drug observatory", "Национальный наркологический мониторинг"),
        Amount: amount, Currency: "KGS", FundsSource: u.Say("State budget", "Республиканский бюджет"), Pillar: pillar, RespondsTo: "problematic use",
        Commitment: u.Say("UNGASS 2016 outcome document", "Итоговый документ СССГА 2016 года"), SdgTarget: sdg,
        Evidence: u.Say("UNODC/WHO International Standards on Drug Use Prevention", "Международные стандарты УНП ООН/ВОЗ по профилактике"));

    /// <summary>An amount as the person's language writes it: 250,000 in English, 250 000 in Russian.</summary>
    private static Regex Amount(string thousands, string rest) => new($@"{thousands}[,\s]000 {Regex.Escape(rest)}");

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task A_plan_is_written_consulted_on_signed_off_and_audited_by_everyone_in_their_own_browser(string language)
    {
        var story = language == "en" ? "whole-cycle" : $"whole-cycle-{language}";
        await using var lead = await chromium.OpensTheAppAs(server, "kg-editor", story, language: language);
        var u = lead;

        // Each person is named as colleagues know them, with their role in the interface language.
        await lead.Sees(lead.Page.GetByTestId("signed-in-as"))
            .ToHaveTextAsync(u.Say("Bakyt Osmonov · drafter, lead drafter", "Бакыт Осмонов · разработчик, ведущий разработчик"));

        // The lead drafter starts the plan from the template and writes two chapters and five actions with full records.
        var draft = await lead.StartsDraftFromTemplate("Action plan", u.Say("Anti-Drug Programme", "Антинаркотическая программа"), 2026, 2030);
        await lead.Sees(lead.Node("Chapter 4")).ToContainTextAsync(u.Say("Monitoring and evaluation"));
        await lead.RewritesDirectly("Chapter 2", u.Say("Demand reduction: prevention, treatment and rehabilitation of people who use drugs",
            "Сокращение спроса: профилактика, лечение и реабилитация людей, употребляющих наркотики"), u.Say("Name the people served",
                "Назвать тех, кому помогаем"));
        await lead.RewritesDirectly("Chapter 3", u.Say("Supply reduction and border control", "Сокращение предложения и охрана границ"),
            u.Say("Border control belongs here", "Охрана границ относится сюда"));
        await lead.WritesActionIn("Chapter 2", u.Say("School-based prevention programmes in every oblast",
            "Школьные программы профилактики в каждой области"), "Action 1");
        await lead.WritesActionIn("Chapter 2", u.Say("Opioid agonist therapy in primary care", "Опиоидная заместительная терапия в первичном звене"),
            "Action 2");
        await lead.WritesActionIn("Chapter 2", u.Say("Rehabilitation centres with social reintegration",
            "Реабилитационные центры с социальной реинтеграцией"), "Action 3");
        await lead.WritesActionIn("Chapter 3", u.Say("Joint mobile teams at border crossings", "Совместные мобильные группы на пунктах пропуска"),
            "Action 4");
        await lead.WritesActionIn("Chapter 3", u.Say("Precursor control with the customs service",
            "Контроль прекурсоров вместе с таможенной службой"), "Action 5");
        var agreed = u.Say("Agreed with the ministries", "Согласовано с министерствами");
        await lead.FillsRecord("Action 1", Record(u, u.Say("Fewer young people start using drugs",
            "Меньше молодых людей начинают употреблять наркотики"),
            u.Say("Ministry of Education", "Министерство образования и науки"), u.Say("Schools running the programme", "Школы, ведущие программу"),
                "100000", "Prevention", "3.5"), agreed);
        await lead.FillsRecord("Action 2", Record(u, u.Say("People dependent on opioids are treated near home",
            "Люди с опиоидной зависимостью лечатся рядом с домом"),
            u.Say("Republican Centre of Narcology", "Республиканский центр наркологии"), u.Say("Patients in therapy", "Пациенты на терапии"),
                "250000", "Treatment", "3.5"), agreed);
        await lead.FillsRecord("Action 3", Record(u, u.Say("People in recovery find work and housing", "Люди в ремиссии находят работу и жильё"),
            u.Say("Ministry of Labour", "Министерство труда"), u.Say("People reintegrated", "Реинтегрированные люди"), "80000", "Rehabilitation",
                "10.2"), agreed);
        await lead.FillsRecord("Action 4", Record(u, u.Say("Less trafficking across the borders", "Меньше наркотрафика через границы"),
            u.Say("Border Service", "Пограничная служба"), u.Say("Seizures recorded", "Зарегистрированные изъятия"), "300000", "Supply reduction",
                "16.4"), agreed);
        await lead.FillsRecord("Action 5", Record(u, u.Say("Precursors do not reach illicit laboratories",
            "Прекурсоры не попадают в подпольные лаборатории"),
            u.Say("Customs Service", "Таможенная служба"), u.Say("Precursor seizures", "Изъятия прекурсоров"), "60000", "Supply reduction", "16.4"),
                agreed);
        await lead.Sees(lead.Node("Action 2")).ToContainTextAsync(u.Say("SDG 3.5 — Strengthen the prevention and treatment of substance abuse",
            "ЦУР 3.5 — Укреплять профилактику и лечение злоупотребления психоактивными веществами"));
        await lead.Sees(lead.Node("Action 2")).ToContainTextAsync(Amount("250", u.Say("KGS (State budget)", "KGS (Республиканский бюджет)")));
        await lead.Screenshot("writes-two-chapters-and-five-actions-with-records");

        // A drafter proposes text and record changes.
        await using var drafter = await chromium.OpensTheAppAs(server, "kg-drafter", story, language: language);
        await drafter.OpensDraft(draft);
        await drafter.TurnsOnSuggestionMode();
        var schoolsAndFamilies = u.Say("School- and family-based prevention programmes in every oblast",
            "Программы профилактики в школах и семьях в каждой области");
        await drafter.SuggestsText("Action 1", schoolsAndFamilies, u.Say("Families matter as much as schools", "Семья важна не меньше школы"));
        await drafter.FillsRecord("Action 2", Record(u, u.Say("People dependent on opioids are treated near home",
            "Люди с опиоидной зависимостью лечатся рядом с домом"),
            u.Say("Republican Centre of Narcology", "Республиканский центр наркологии"), u.Say("Patients in therapy", "Пациенты на терапии"),
                "320000", "Treatment", "3.3"),
            u.Say("The 2027 costing is higher", "Смета на 2027 год выше"));
        var aroundTheClock = u.Say("Around the clock", "Круглосуточно");
        await drafter.SuggestsText("Action 4", u.Say("Joint mobile teams at every border crossing, day and night",
            "Совместные мобильные группы на каждом пункте пропуска, днём и ночью"), aroundTheClock);
        await drafter.Screenshot("proposes-text-and-record-changes");

        // The lead sees the record change field by field, accepts two together and rejects one with a reason.
        var recordChange = lead.Node("Action 2").Locator(".proposal");
        await lead.Sees(recordChange.Locator("table.field-changes tr[data-field=budget]")).ToContainTextAsync(Amount("250",
            u.Say("KGS (State budget)", "KGS (Республиканский бюджет)")));
        await lead.Sees(recordChange.Locator("table.field-changes tr[data-field=budget]")).ToContainTextAsync(Amount("320",
            u.Say("KGS (State budget)", "KGS (Республиканский бюджет)")));
        await lead.Sees(recordChange.Locator("table.field-changes tr[data-field=sdgTargets]")).ToContainTextAsync(u.Say("SDG 3.3", "ЦУР 3.3"));
        await lead.Page.GetByRole(AriaRole.Checkbox,
            new() { Name = u.Say($"Select {u.Say($"Amendment of {u.NodeName("Action 1")}")}") }).CheckAsync();
        await lead.Page.GetByRole(AriaRole.Checkbox,
            new() { Name = u.Say($"Select {u.Say($"Amendment of {u.NodeName("Action 2")}")}") }).CheckAsync();
        await lead.Screenshot("sees-the-record-change-before-and-after-and-selects-two");
        await lead.Page.GetByRole(AriaRole.Button, new() { Name = u.Say("Accept selected") }).ClickAsync();
        await lead.Sees(lead.Node("Action 1").Locator(".node-text").First).ToHaveTextAsync(schoolsAndFamilies);
        await lead.Sees(lead.Node("Action 2")).ToContainTextAsync(Amount("320", "KGS"));
        var dayShifts = u.Say("Staffing allows day shifts only until 2028", "До 2028 года штат позволяет только дневные смены");
        var rejected = lead.ProposalOn("Action 4", aroundTheClock);
        await rejected.GetByRole(AriaRole.Button,
            new() { NameRegex = WebUser.StartingWith(lead.Words?.Key("proposal.reject") ?? "Reject") }).ClickAsync();
        await rejected.GetByLabel(u.Say("Reason for rejecting")).FillAsync(dayShifts);
        await rejected.GetByRole(AriaRole.Button, new() { Name = u.Say("Reject proposal") }).ClickAsync();
        await lead.Sees(rejected).ToHaveCountAsync(0);

        var mine = drafter.Panel(u.Say("My proposals"));
        await drafter.Sees(mine.Locator(".status-Rejected")).ToContainTextAsync(dayShifts);
        await drafter.Sees(mine.Locator(".status-Accepted")).ToHaveCountAsync(2);
        await drafter.Screenshot("sees-the-rejection-and-its-reason");

        // A consultation round opens with an end date; an EU expert comments on selected words and mentions the lead by name.
        await lead.OpensConsultationRound(DateTime.Now.AddDays(10), isPublic: false);
        await lead.Sees(lead.Page.GetByTestId("round-status")).ToContainTextAsync(u.Say("left", "осталось"));
        await using var expert = await chromium.OpensTheAppAs(server, "eu-expert-1", story, language: language);
        await expert.OpensDraft(draft);
        var therapy = u.Say("Opioid agonist therapy", "Опиоидная заместительная терапия");
        await expert.SelectsWords("Action 2", therapy);
        var leadName = u.Say("Bakyt Osmonov", "Бакыт Осмонов");
        var guidance = u.Say("The dosage guidance should follow them.", "Дозировки должны им соответствовать.");
        await expert.CommentsOnSelectionMentioning("Action 2", u.Say("Please cite the WHO guidelines here.",
            "Пожалуйста, сошлитесь здесь на руководство ВОЗ."),
            u.Say("Bak", "Бак"), leadName, guidance);
        var comment = expert.CommentIn("Action 2", guidance);
        await expert.Sees(comment).ToContainTextAsync("@" + leadName);
        await expert.Sees(expert.Node("Action 2").Locator("mark.quoted")).ToHaveTextAsync(therapy);
        await expert.Screenshot("comments-on-selected-words");

        // The lead replies, records a disposition, and the matrix shows it and downloads as CSV.
        var thread = lead.Node("Action 2").Locator(".thread").Filter(new() { HasText = guidance });
        var cited = u.Say("Agreed: the 2009 WHO guidelines are cited now.", "Согласны: руководство ВОЗ 2009 года теперь приведено.");
        await thread.GetByRole(AriaRole.Textbox, new() { Name = u.Say("Reply") }).FillAsync(cited);
        await thread.GetByRole(AriaRole.Button, new() { Name = u.Say("Send") }).ClickAsync();
        await lead.Sees(thread).ToContainTextAsync(cited);
        await thread.GetByRole(AriaRole.Combobox, new() { Name = u.SayIn("disposition.", "Disposition") }).SelectOptionAsync("PartlyAccepted");
        await thread.GetByRole(AriaRole.Textbox, new() { Name = lead.Words?.Key("disposition.reason") ?? "Reason", Exact = true })
            .FillAsync(u.Say("Cited; dosage stays with the national protocol", "Приведено; дозировки остаются по национальному протоколу"));
        await thread.GetByRole(AriaRole.Button, new() { Name = u.Say("Record disposition") }).ClickAsync();
        var matrix = lead.Panel(u.Say("Comment–response matrix"));
        await lead.Sees(matrix.Locator("tbody tr")).ToContainTextAsync(u.Say("Partly accepted"));
        await lead.Sees(matrix.Locator("tbody tr")).ToContainTextAsync(u.Say("Ingrid Larsen", "Ингрид Ларсен"));
        await lead.Sees(matrix.Locator("tbody tr td").Nth(1)).ToContainTextAsync(u.NodeName("Action 2"));
        await matrix.GetByLabel(u.Say("Show")).SelectOptionAsync("Pending");
        await lead.Sees(matrix).ToContainTextAsync(u.Say("No reviewer comments match."));
        await matrix.GetByLabel(u.Say("Show")).SelectOptionAsync("");
        var (csvName, csv) = await lead.Downloads(matrix.GetByRole(AriaRole.Button, new() { Name = u.Say("Download CSV") }));
        Assert.EndsWith(".csv", csvName);
        Assert.Contains(guidance, Encoding.UTF8.GetString(csv));
        await lead.Screenshot("replies-disposes-and-downloads-the-matrix");

        // The lead names three approvers, two of whom must sign, and starts the review after reading what it freezes.
        var lifecycle = lead.Panel(u.Say("Lifecycle and sign-off"));
        await lifecycle.GetByLabel(WebUser.StartingWith(u.Say("Nurgul Asanova", "Нургуль Асанова"))).CheckAsync();
        await lifecycle.GetByLabel(WebUser.StartingWith(u.Say("Ermek Sydykov", "Эрмек Сыдыков"))).CheckAsync();
        await lifecycle.GetByLabel(WebUser.StartingWith(u.Say("Cholpon Imanalieva", "Чолпон Иманалиева"))).CheckAsync();
        await lifecycle.GetByLabel(u.Say("Signatures required")).FillAsync("2");
        await lifecycle.GetByRole(AriaRole.Button, new() { Name = u.Say("Set approval policy") }).ClickAsync();
        await lead.Sees(lead.Page.GetByTestId("approval-policy")).ToContainTextAsync(u.Say("2 of 3 must sign", "2 из 3"));
        await lifecycle.GetByRole(AriaRole.Button, new() { Name = u.Say("Start review…") }).ClickAsync();
        await lead.Sees(lead.Dialog()).ToContainTextAsync(u.Say("no proposals and no edits are taken", "не принимаются"));
        await lead.Screenshot("confirms-what-starting-review-freezes");
        await lead.Dialog().GetByRole(AriaRole.Button, new()
        {
            Name = lead.Words?.Key("review.dialog") ?? "Start review",
            Exact = true
        }).ClickAsync();
        await lead.Sees(lead.Page.GetByTestId("draft-status")).ToHaveTextAsync(u.Say("Review"));

        // Two approvers sign and see the progress; the draft is approved.
        await using var first = await chromium.OpensTheAppAs(server, "kg-approver-1", story, language: language);
        await first.OpensDraft(draft);
        await first.SignsTheRevision();
        await first.Sees(first.Page.GetByTestId("signoff-progress")).ToContainTextAsync(u.Say("1 of 2 signed"));
        await first.Sees(first.Page.GetByTestId("signoff-progress")).ToContainTextAsync(u.Say("Signed by: Nurgul Asanova",
            "Подписали: Нургуль Асанова"));
        await first.Screenshot("signs-and-sees-1-of-2");
        await using var second = await chromium.OpensTheAppAs(server, "kg-approver-2", story, language: language);
        await second.OpensDraft(draft);
        await second.Sees(second.Page.GetByTestId("signoff-progress")).ToContainTextAsync(u.Say("1 of 2 signed"));
        await second.SignsTheRevision();
        await second.Sees(second.Page.GetByTestId("draft-status")).ToHaveTextAsync(u.Say("Approved"));
        await lead.Sees(lead.Page.GetByTestId("approved")).ToContainTextAsync(u.Say("Nurgul Asanova", "Нургуль Асанова"));
        await second.Screenshot("the-draft-is-approved");

        // The auditor scrubs the history, opens a lineage with its rejected alternative, verifies and takes the evidence.
        await using var auditor = await chromium.OpensTheAppAs(server, "auditor", story, language: language);
        await auditor.OpensDraft(draft);
        var slider = auditor.Page.GetByLabel(u.Say("Scrub through revisions"));
        await slider.FocusAsync();
        await slider.PressAsync("Home");
        await auditor.Sees(auditor.Page.Locator(".past-banner")).ToContainTextAsync(u.Say("revision 0", "редакция 0"));
        await auditor.Page.GetByRole(AriaRole.Button, new() { Name = u.Say("Back to the current text") }).ClickAsync();
        await auditor.Node("Action 4").GetByRole(AriaRole.Button, new() { Name = u.Say($"Lineage of {auditor.NodeName("Action 4")}") }).ClickAsync();
        await auditor.Sees(auditor.Page.GetByTestId("rejected-alternatives")).ToContainTextAsync(dayShifts);
        await auditor.Page.GetByRole(AriaRole.Button, new() { Name = u.Say("Verify the chain") }).ClickAsync();
        await auditor.Sees(auditor.Page.GetByTestId("verify-result")).ToContainTextAsync(u.Say("Chain intact", "Цепочка цела"));
        var (bundleName, bundle) = await auditor.Downloads(auditor.Page.GetByRole(AriaRole.Button,
            new() { Name = u.Say("Download evidence bundle") }));
        Assert.EndsWith(".zip", bundleName);
        using (var zip = new ZipArchive(new MemoryStream(bundle))) Assert.Contains(zip.Entries, e => e.Name == "events.jsonl");
        await auditor.Screenshot("verifies-and-downloads-the-evidence");

        // A CSO (the round was not public) and another country's drafter see nothing of it.
        await using var cso = await chromium.OpensTheAppAs(server, "cso-1", story, language: language);
        await cso.GoesToDraft(draft);
        await cso.Sees(cso.Page.GetByRole(AriaRole.Heading, new() { Name = u.Say("This draft is not available") })).ToBeVisibleAsync();
        await cso.Sees(cso.Page.GetByText(therapy)).ToHaveCountAsync(0);
        await cso.Screenshot("cannot-see-the-plan");
        await using var neighbour = await chromium.OpensTheAppAs(server, "tj-drafter", story, language: language);
        await neighbour.GoesToDraft(draft);
        await neighbour.Sees(neighbour.Page.GetByRole(AriaRole.Heading, new() { Name = u.Say("This draft is not available") })).ToBeVisibleAsync();
        await neighbour.Screenshot("cannot-see-another-countrys-plan");
    }
}
