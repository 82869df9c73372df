using CadapDrafting.Consultation;
using CadapDrafting.Drafts;
using CadapDrafting.Tests.Review;

namespace CadapDrafting.Tests.ScaleOut;

/// <summary>
/// The server goes down while a consultation round is open and is still down at the round's end date. When it is
/// back, the round closes itself: the deadline was stored with the round, not held in the memory of the process.
/// </summary>
public sealed class KeepingDeadlinesThroughARestart : IAsyncLifetime
{
    private ServerCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ServerCluster.StartAsync("before");

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_round_whose_end_date_passes_while_the_server_is_down_closes_once_it_is_back()
    {
        var before = _cluster.Node("before");
        var editor = await _cluster.SignIn("kz-editor", before);
        var draft = await editor.CreatesDraft("KZ");
        await editor.Inserts(draft, NodeKind.Action, "Treatment instead of punishment");
        await editor.OpensRound(draft, lasting: TimeSpan.FromSeconds(4));
        var endsAt = (await editor.Read<List<RoundStatus>>($"/api/drafts/{draft}/rounds")).Single().EndsAt;

        before.Crash();
        var downFor = endsAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
        if (downFor > TimeSpan.Zero) await Task.Delay(downFor);
        var after = await _cluster.StartNodeAsync("after");
        var editorAfter = await _cluster.SignIn("kz-editor", after);

        var round = Assert.Single(await KeepingRoundDeadlines.RoundsClosing(editorAfter, draft));
        Assert.Equal((RoundState.Closed, RoundDeadlineHandler.Calendar.UserId), (round.State, round.ClosedBy));
        Assert.Single((await editorAfter.ReadsTimeline(draft)).Entries, e => e.Type == "consultation_round_closed");
    }
}
