using CadapDrafting.Comments;
using CadapDrafting.Consultation;
using CadapDrafting.Drafts;

namespace CadapDrafting.Tests.Review;

[Collection(ServerCollection.Name)]
public sealed class KeepingRoundDeadlines(AppFixture app)
{
    public static readonly TimeSpan DueWithin = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_round_closes_itself_at_its_end_date()
    {
        var (editor, draft) = await UzbekDraftWithAnAction("Opioid agonist therapy in every region");
        await editor.OpensRound(draft, lasting: TimeSpan.FromSeconds(2));

        var rounds = await RoundsClosing(editor, draft);

        var round = Assert.Single(rounds);
        Assert.Equal((RoundState.Closed, RoundDeadlineHandler.Calendar.UserId), (round.State, round.ClosedBy));
        Assert.True(round.ClosedAt >= round.EndsAt, $"closed at {round.ClosedAt}, before its end date {round.EndsAt}");
        var closed = (await editor.ReadsTimeline(draft)).Entries.Single(e => e.Type == "consultation_round_closed");
        Assert.Equal(RoundDeadlineHandler.Calendar.UserId, closed.Actor);
        Assert.StartsWith("The end date of consultation round 1", closed.Reason);
        Assert.Equal(DraftStatus.Drafting, (await editor.Reads(draft)).Status);
    }

    [Fact]
    public async Task A_round_opened_with_less_than_a_day_left_reminds_its_reviewers_at_once()
    {
        var (editor, draft) = await UzbekDraftWithAnAction("Opioid agonist therapy in every region");

        await editor.OpensRound(draft, lasting: TimeSpan.FromHours(3));

        await ExpertIsReminded(draft);
        Assert.DoesNotContain(await (await Person.SignIn(app, "cso-1")).ReadsInbox(), i => i.DraftId == draft);
    }

    [Fact]
    public async Task A_reminder_the_database_refused_to_store_is_sent_once_it_stores_again_not_lost()
    {
        var (editor, draft) = await UzbekDraftWithAnAction("Naloxone in every ambulance");
        await using (var refusal = await StorageRefusal.OfAsync(draft, "consultation_round_ending_soon"))
        {
            await editor.OpensRound(draft, lasting: TimeSpan.FromHours(3));
            // The database stays in the way until it has refused the reminder twice, or for 5 s.
            await Eventually.Until(refusal.CountAsync, count => count >= 2, TimeSpan.FromSeconds(5));
        }

        await ExpertIsReminded(draft);
        Assert.Single((await editor.ReadsTimeline(draft)).Entries, e => e.Type == "consultation_round_ending_soon");
    }

    private async Task<(Person Editor, Guid Draft)> UzbekDraftWithAnAction(string action)
    {
        var editor = await Person.SignIn(app, "uz-editor");
        var draft = await editor.CreatesDraft("UZ");
        await editor.Inserts(draft, NodeKind.Action, action);
        return (editor, draft);
    }

    private async Task ExpertIsReminded(Guid draft)
    {
        var expert = await Person.SignIn(app, "eu-expert-1");
        var inbox = await expert.ReadsInboxUntil(entries => entries.Any(i => i.DraftId == draft && i.Reason == InboxReason.RoundEndingSoon));
        var reminder = Assert.Single(inbox, i => i.DraftId == draft && i.Reason == InboxReason.RoundEndingSoon);
        Assert.Equal((InboxReason.RoundEndingSoon, 1, null), (reminder.Reason, reminder.Round, reminder.ThreadId));
    }

    [Fact]
    public async Task A_round_closed_by_hand_leaves_the_next_round_open_when_the_first_end_date_passes()
    {
        var (editor, draft) = await UzbekDraftWithAnAction("Harm reduction in prisons");
        await editor.OpensRound(draft, lasting: TimeSpan.FromSeconds(2));
        await Expect.Status(await editor.ClosesRound(draft), HttpStatusCode.OK);
        await editor.OpensRound(draft, lasting: TimeSpan.FromDays(14));
        // A third draft's short round is the witness that the calendar has run past the first end date.
        var witness = await editor.CreatesDraft("UZ");
        await editor.Inserts(witness, NodeKind.Action, "Naloxone for families");
        await editor.OpensRound(witness, lasting: TimeSpan.FromSeconds(3));
        await RoundsClosing(editor, witness);

        var rounds = await editor.Read<List<RoundStatus>>($"/api/drafts/{draft}/rounds");

        Assert.Equal([(RoundState.Closed, "uz-editor"), (RoundState.Open, null)], rounds.Select(r => (r.State, r.ClosedBy)));
        Assert.DoesNotContain((await editor.ReadsTimeline(draft)).Entries, e => e.Actor == RoundDeadlineHandler.Calendar.UserId
            && e.Type == "consultation_round_closed");
    }

    [Fact]
    public void Closing_at_the_end_date_changes_nothing_once_the_round_is_closed_or_another_is_open()
    {
        var plan = DraftInMemory.Created("KG");
        plan.Insert(NodeKind.Action, "Drug checking services");
        plan.Run(new OpenConsultationRound(DraftInMemory.Now.AddDays(1)));
        plan.Run(new CloseConsultationRound("Enough comments"));

        Assert.Empty(plan.Run(new CloseRoundAtEndDate(1, DraftInMemory.Now.AddDays(1)), RoundDeadlineHandler.Calendar).Events);
        Assert.Empty(plan.Run(new RemindRoundReviewers(1, DraftInMemory.Now.AddDays(1), []), RoundDeadlineHandler.Calendar).Events);
        plan.Run(new OpenConsultationRound(DraftInMemory.Now.AddDays(9)));
        Assert.Empty(plan.Run(new CloseRoundAtEndDate(1, DraftInMemory.Now.AddDays(1)), RoundDeadlineHandler.Calendar).Events);
        Assert.Single(plan.Run(new CloseRoundAtEndDate(2, DraftInMemory.Now.AddDays(9)), RoundDeadlineHandler.Calendar).Events);
    }

    public static Task<List<RoundStatus>> RoundsClosing(Person editor, Guid draft) =>
        Eventually.Until(() => editor.Read<List<RoundStatus>>($"/api/drafts/{draft}/rounds"),
            rounds => rounds.All(r => r.State == RoundState.Closed), DueWithin);
}
