using System.Diagnostics;
using CadapDrafting.Drafts;

namespace CadapDrafting.Tests.History;

/// <summary>
/// A draft edited as fast as its writer takes commands still gets signed heads, but not one per commit: heads of
/// one draft are at least a quarter of a second apart, and the last commit of the burst is covered soon after.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SigningABusyDraft(AppFixture app)
{
    [Fact]
    public async Task A_burst_of_commits_gets_a_few_heads_and_its_last_commit_is_covered_within_a_second()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var auditor = await Person.SignIn(app, "auditor");
        var draft = await editor.CreatesDraft("KG");
        await auditor.SeesSignedHeadAt(draft, 1);

        var burst = Stopwatch.StartNew();
        Guid? after = null;
        for (var i = 1; i <= 12; i++) after = await editor.Inserts(draft, NodeKind.Action, $"Action {i} of the burst", afterNodeId: after);
        var lastPosition = 1 + 12 * 2;
        var elapsed = burst.Elapsed;

        var covered = Stopwatch.StartNew();
        await auditor.SeesSignedHeadAt(draft, lastPosition);
        Assert.True(covered.Elapsed < TimeSpan.FromSeconds(3), $"The burst's last commit was covered {covered.Elapsed} after it");

        var heads = 0;
        for (var size = 2; size <= lastPosition; size++)
            if (await auditor.ReadsSignedHead(draft, size) is not null) heads++;
        // One head per started quarter second of the burst and the one after it, at most: never one per commit.
        var allowed = (int)Math.Ceiling((elapsed + covered.Elapsed).TotalSeconds / 0.25) + 1;
        Assert.InRange(heads, 1, Math.Min(allowed, 12));
    }
}
