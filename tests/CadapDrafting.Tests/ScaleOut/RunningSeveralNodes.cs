using System.Diagnostics;
using CadapDrafting.Drafts;
using CadapDrafting.Operations;

namespace CadapDrafting.Tests.ScaleOut;

/// <summary>
/// A ministry runs two server nodes behind a load balancer. Whichever node a person's browser is connected
/// to, they see what was done through the other; and when a node dies, the cross-draft audit index keeps
/// up on the node that is left, missing nothing.
/// </summary>
[Collection(ServerProcesses.Name)]
public sealed class RunningSeveralNodes(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Takeover = TimeSpan.FromSeconds(30);
    private ServerCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ServerCluster.StartAsync("A", "B");

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Changes_made_on_one_node_reach_viewers_on_another_and_the_audit_index_survives_a_crash()
    {
        var nodeA = _cluster.Node("A");
        var nodeB = _cluster.Node("B");
        var editorOnB = await _cluster.SignIn("kg-editor", nodeB);
        var drafterOnA = await _cluster.SignIn("kg-drafter", nodeA);

        var draft = await editorOnB.CreatesDraft("KG");
        var section = await editorOnB.Inserts(draft, NodeKind.Section, "Reduce harm from drug use");
        var seenSoFar = (await editorOnB.Reads(draft)).Position;
        await using var viewOnA = await _cluster.Watches(drafterOnA, draft, nodeA, seenSoFar);

        var previous = section;
        foreach (var text in new[] { "Prevention in schools", "Treatment services", "Harm reduction in prisons", "Research in narcology" })
            previous = await editorOnB.Inserts(draft, NodeKind.Action, text, parentId: section, afterNodeId: previous == section ? null : previous);
        var position = (await editorOnB.Reads(draft)).Position;

        await viewOnA.WaitForPositionAsync(position, Soon);
        Assert.Equal(Enumerable.Range((int)seenSoFar + 1, (int)(position - seenSoFar)).Select(p => (long)p),
            viewOnA.History.Select(u => u.Position));
        // Every change arrived by push through the backplane, none by the client asking for what it missed.
        Assert.Equal(0, viewOnA.GapsFetched);
        Assert.All(viewOnA.History, u => Assert.Equal("kg-editor", u.Actor));

        var leader = await LeaderAsync(nodeA, nodeB);
        var survivor = leader == nodeA ? nodeB : nodeA;
        var editorOnSurvivor = await _cluster.SignIn("kg-editor", survivor);
        var auditorOnSurvivor = await _cluster.SignIn("auditor", survivor);
        await WaitForIndexAsync(editorOnSurvivor, draft, Soon);

        leader.Crash();
        var crashedAt = Stopwatch.StartNew();
        // Written while nobody runs the async projections: the new leader must pick these up too.
        var secondDraft = await editorOnSurvivor.CreatesDraft("KG", title: "Plan written during the failover");
        await editorOnSurvivor.Inserts(secondDraft, NodeKind.Section, "Fewer overdoses");
        await editorOnSurvivor.Inserts(draft, NodeKind.Action, "Rehabilitation and reintegration", parentId: section, afterNodeId: previous);

        await WaitUntilAsync(async () => (await StatusOf(auditorOnSurvivor)).RunsAsyncProjections, Takeover,
            $"node {survivor.Name} did not take over the async projections");
        output.WriteLine($"Node {survivor.Name} runs the async projections {crashedAt.Elapsed.TotalSeconds:0.0} s after node {leader.Name} was " +
            "killed");
        await WaitForIndexAsync(editorOnSurvivor, draft, Takeover - crashedAt.Elapsed);
        await WaitForIndexAsync(editorOnSurvivor, secondDraft, Takeover - crashedAt.Elapsed);
        Assert.True(crashedAt.Elapsed < Takeover, $"the audit index caught up {crashedAt.Elapsed} after the crash");
        output.WriteLine($"Node {survivor.Name} took over and indexed every event {crashedAt.Elapsed.TotalSeconds:0.0} s after node {leader.Name} " +
            "was killed");

        foreach (var id in new[] { draft, secondDraft })
        {
            var entry = await IndexEntryAsync(editorOnSurvivor, id);
            var stored = await StoredEventsAsync(editorOnSurvivor, id);
            Assert.Equal(stored.Count, entry!.EventsIndexed);
            Assert.Equal(stored.GroupBy(e => e.Type).ToDictionary(g => g.Key, g => (long)g.Count()), entry.EventsByType);
            Assert.Equal(stored.GroupBy(e => e.Actor).ToDictionary(g => g.Key, g => (long)g.Count()), entry.EventsByActor);
            Assert.Equal("KG", entry.Country);
        }
        Assert.Equal(0, (await StatusOf(auditorOnSurvivor)).Projections.Single(p => p.Name == AuditIndexProjection.ProjectionName).Lag);
    }

    /// <summary>The node holding the daemon's leadership; exactly one does once both have started.</summary>
    [Fact]
    public async Task A_cso_following_through_another_node_receives_nothing_more_once_the_public_round_closes()
    {
        var nodeA = _cluster.Node("A");
        var nodeB = _cluster.Node("B");
        var editorOnA = await _cluster.SignIn("tj-editor", nodeA);
        var draft = await editorOnA.CreatesDraft("TJ");
        var action = await editorOnA.Inserts(draft, NodeKind.Action, "Harm reduction services");
        await editorOnA.OpensRound(draft, isPublic: true);
        var opened = (await editorOnA.Reads(draft)).Position;
        await using var csosView = await _cluster.Watches(await _cluster.SignIn("cso-1", nodeB), draft, nodeB, opened);
        await using var teamsView = await _cluster.Watches(await _cluster.SignIn("tj-drafter", nodeB), draft, nodeB, opened);

        var duringRound = await editorOnA.ProposesText(draft, action, 1, "Harm reduction and outreach services");
        var seenByCso = (await editorOnA.Reads(draft)).Position;
        await csosView.WaitForPositionAsync(seenByCso, Soon);
        Assert.Contains(csosView.History, u => u.Parts.Any(p => p.Id == duringRound));

        await Expect.Status(await editorOnA.ClosesRound(draft), HttpStatusCode.OK);
        await editorOnA.ProposesText(draft, action, 1, "Harm reduction, outreach and opioid agonist therapy");
        var last = (await editorOnA.Reads(draft)).Position;
        await teamsView.WaitForPositionAsync(last, Soon);
        await Task.Delay(500);

        Assert.Equal(seenByCso, csosView.Position);
        Assert.DoesNotContain(csosView.History, u => u.Position > seenByCso);
    }

    private async Task<ServerNode> LeaderAsync(ServerNode a, ServerNode b)
    {
        var onA = await _cluster.SignIn("auditor", a);
        var onB = await _cluster.SignIn("auditor", b);
        ServerNode? leader = null;
        await WaitUntilAsync(async () =>
        {
            var (runsOnA, runsOnB) = ((await StatusOf(onA)).RunsAsyncProjections, (await StatusOf(onB)).RunsAsyncProjections);
            Assert.False(runsOnA && runsOnB, "both nodes run the async projections");
            leader = runsOnA ? a : runsOnB ? b : null;
            return leader is not null;
        }, Takeover, "no node runs the async projections");
        return leader!;
    }

    private static Task<ClusterNodeStatus> StatusOf(Person person) => person.Read<ClusterNodeStatus>("/api/ops/status");

    private static async Task<DraftAuditView?> IndexEntryAsync(Person person, Guid draftId) =>
        (await person.Read<AuditIndexPage>("/api/audit/drafts?country=KG")).Drafts.SingleOrDefault(d => d.Id == draftId);

    private static async Task WaitForIndexAsync(Person person, Guid draftId, TimeSpan timeout)
    {
        var position = (await person.Reads(draftId)).Position;
        await WaitUntilAsync(async () => (await IndexEntryAsync(person, draftId))?.EventsIndexed == position, timeout,
            $"the audit index did not reach position {position} of draft {draftId}");
    }

    private static async Task<List<ActivityEntry>> StoredEventsAsync(Person person, Guid draftId) =>
        await person.Read<List<ActivityEntry>>($"/api/drafts/{draftId}/activity?limit=500");

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string failure) =>
        Assert.True(await Eventually.Until(condition, holds => holds, timeout), failure);
}
