using CadapDrafting.Comments;
using CadapDrafting.Consultation;
using CadapDrafting.Drafts;
using CadapDrafting.Lifecycle;
using CadapDrafting.Proposals;
using CadapDrafting.SignOff;

namespace CadapDrafting.Seeding;

/// <summary>
/// What happened to the demo programmes after they were imported, so a newcomer finds a draft that has been worked
/// on: proposals open and decided, a consultation round with EU experts' comments and the editor's dispositions, a
/// named version, and (Tajikistan) review with one of two sign-offs. Every step is a command with a fixed id.
/// </summary>
public static class DemoHistory
{
    /// <summary>Imported nodes are at revision 2 once the English file has been imported as their second language.</summary>
    private const int ImportedRevision = 2;

    /// <summary>A fixed end date keeps the command the same on every start, so loading again appends nothing.</summary>
    private static readonly DateTimeOffset RoundEnds = new(2027, 6, 30, 18, 0, 0, TimeSpan.Zero);

    public static Task ReplayAsync(string key, Guid draftId, DemoSeeder seeder, CancellationToken ct) => key switch
    {
        "kg-anti-drug-programme-2022-2026" => Kyrgyzstan(key, draftId, seeder, ct),
        "tj-national-drug-control-strategy-2021-2030" => Tajikistan(key, draftId, seeder, ct),
        _ => Task.CompletedTask,
    };

    private static async Task Kyrgyzstan(string key, Guid draftId, DemoSeeder seeder, CancellationToken ct)
    {
        var actions = (await seeder.ReadAsync(draftId, ct)).InDocumentOrder().Where(n => n.Kind == NodeKind.Action).ToList();
        var results = new Dictionary<string, System.Text.Json.JsonElement>();
        async Task Send(string step, string user, object command) =>
            results[step] = (await seeder.SendAsync(key, step, draftId, user, command, ct)).Result ?? default;
        Guid ProposalOf(string step) => results[step].GetProperty("proposalId").GetGuid();
        Guid CommentOf(string step) => results[step].GetProperty("commentId").GetGuid();

        await Send("proposal/schools", "kg-drafter", Amend(actions[0], ImportedRevision,
            "Внедрить программу профилактики, основанную на фактических данных, в общеобразовательных и профессиональных учебных заведениях: город " +
                "Бишкек и Чуйская область.",
            "Colleges have the same age group and no programme yet."));
        await Send("accept/schools", "kg-editor",
            new AcceptProposal(ProposalOf("proposal/schools"), "Agreed at the working group of 14 March 2023."));
        await Send("proposal/budget", "kg-drafter", new SubmitProposal(ProposalKind.Amend, actions[5].Id, ImportedRevision,
            "The Ministry of Finance asked for the budget to be doubled.",
            Attributes: AttributePatch.Whole(actions[5].Attributes! with
            {
                Budget = actions[5].Attributes!.Budget! with { Amount = actions[5].Attributes!.Budget!.Amount * 2 }
            })
                .Where(field => field.Key == "budget").ToDictionary()));
        await Send("reject/budget", "kg-editor", new RejectProposal(ProposalOf("proposal/budget"),
            "The ceiling for 2023 is fixed by the medium-term budget; revisit in 2024."));
        await Send("proposal/naloxone", "kg-drafter", Amend(actions[17], ImportedRevision,
            "Обеспечить бесплатную выдачу налоксона лицам, употребляющим опиоиды, их близким и сотрудникам полиции: город Бишкек и Чуйская область.",
            "Police officers are often first at an overdose."));
        await Send("version/inter-agency", "kg-editor",
            new NameVersion("Внесен на межведомственное согласование / Submitted for inter-agency approval",
            Reason: "Sent to the ministries for approval."));

        await Send("round/1", "kg-editor",
            new OpenConsultationRound(RoundEnds, IsPublic: false, "Consultation with the EU experts of the CADAP programme."));
        await Send("comment/prevention", "eu-expert-1", new StartThread(
            "Consider the European prevention quality standards (EDPQS) as the benchmark for the school programme; the indicator could count " +
                "programmes assessed against them.",
            actions[0].Id, Visibility: ThreadVisibility.SharedWithReviewers));
        await Send("comment/ost", "eu-expert-2", new StartThread(
            "The target for opioid agonist therapy looks low against the estimated number of people who inject drugs; WHO recommends coverage of " +
                "at least 40%.",
            actions[15].Id, Visibility: ThreadVisibility.SharedWithReviewers));
        await Send("comment/online", "eu-expert-1", new StartThread(
            "Blocking websites alone rarely reduces supply; pair it with test purchases and cooperation with payment providers.",
            actions[32].Id, Visibility: ThreadVisibility.SharedWithReviewers));
        await Send("disposition/prevention", "kg-editor", new RecordDisposition(CommentOf("comment/prevention"), DispositionKind.Accepted,
            "The indicator will be revised in the next version."));
        await Send("disposition/ost", "kg-editor", new RecordDisposition(CommentOf("comment/ost"), DispositionKind.PartlyAccepted,
            "Target raised for Bishkek and Osh; the other regions lack sites until 2025."));
        await Send("disposition/online", "kg-editor", new RecordDisposition(CommentOf("comment/online"), DispositionKind.Rejected,
            "Test purchases are not allowed by current law; this is for the law reform in chapter 4."));
        await Send("proposal/eu-indicator", "eu-expert-1", Amend(actions[3], ImportedRevision,
            "Создать программы семейной профилактики для родителей подростков с оценкой результатов: город Бишкек и Чуйская область.",
            "Without an evaluation the programme's effect cannot be shown."));
    }

    private static async Task Tajikistan(string key, Guid draftId, DemoSeeder seeder, CancellationToken ct)
    {
        var actions = (await seeder.ReadAsync(draftId, ct)).InDocumentOrder().Where(n => n.Kind == NodeKind.Action).ToList();
        var results = new Dictionary<string, System.Text.Json.JsonElement>();
        async Task Send(string step, string user, object command) =>
            results[step] = (await seeder.SendAsync(key, step, draftId, user, command, ct)).Result ?? default;
        Guid ProposalOf(string step) => results[step].GetProperty("proposalId").GetGuid();

        await Send("proposal/cyber", "tj-drafter", Amend(actions[25], ImportedRevision,
            "Внедрить мониторинг онлайн-рынков наркотиков, мессенджеров и криптовалютных платежей: город Душанбе и районы республиканского " +
                "подчинения.",
            "Most sales now go through messengers."));
        await Send("accept/cyber", "tj-editor", new AcceptProposal(ProposalOf("proposal/cyber"), "Agreed with the Drug Control Agency."));
        await Send("proposal/withdrawn", "tj-drafter", Amend(actions[2], ImportedRevision,
            "Провести информационную кампанию о рисках синтетических наркотиков: город Душанбе и районы республиканского подчинения.",
            "Shorter wording."));
        await Send("withdraw/withdrawn", "tj-drafter", new WithdrawProposal(ProposalOf("proposal/withdrawn"), "Social media must stay named."));
        await Send("version/working-group", "tj-editor", new NameVersion("Одобрено рабочей группой / Endorsed by the working group"));
        await Send("policy", "tj-editor", new SetApprovalPolicy(["tj-approver-1", "tj-approver-2"], 2, "Both deputy ministers sign the strategy."));
        await Send("review", "tj-editor", new StartReview("Ready for sign-off."));
        var revision = (await seeder.ReadAsync(draftId, ct)).Revision;
        await Send("sign/approver-1", "tj-approver-1", new SignRevision(revision, Reason: "Checked against the Drug Control Agency's comments.")
        {
            Head = await seeder.SignOffHeadAsync(draftId, ct),
        });
    }

    private static SubmitProposal Amend(DraftNode node, int baseRevision, string russian, string rationale) =>
        new(ProposalKind.Amend, node.Id, baseRevision, rationale, Text: new() { ["ru"] = russian });
}
