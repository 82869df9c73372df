using CadapDrafting.Hosting;
using CadapDrafting.Proof;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CadapDrafting.Tests.Proof;

/// <summary>
/// The short forms of the reliability suites (the long forms: `dotnet run -c Release --project bench/CadapDrafting.Bench.Proof
/// -- reliability --long`). Each drives the real server over real sockets and then checks the store itself: what a
/// person was told was stored is stored exactly once, what was refused left nothing behind, and the history verifies.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ProvingNothingIsLost(LiveServer live, ITestOutputHelper output)
{
    private StoreInspector Inspector() =>
        new(live.Services.GetRequiredService<IDocumentStore>(), TestDatabase.ConnectionString,
            live.Services.GetRequiredService<IDocumentStore>().Options.DatabaseSchemaName);

    [Fact]
    public async Task Thirty_two_people_working_at_once_lose_nothing_and_nothing_is_applied_blindly()
    {
        var result = await ConcurrencySuite.RunAsync(live.Address, Inspector(), writers: 32, operations: 500, seed: 20261127);
        output.WriteLine(result.ToString());
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public async Task Malformed_and_hostile_requests_to_every_endpoint_and_hub_method_are_refused_without_storing_anything()
    {
        var result = await Fuzzer.RunAsync(live.Address, Inspector(), requests: 1_000, hubCalls: 100, seed: 1127);
        output.WriteLine(result.ToString());
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public async Task A_command_for_the_empty_draft_id_is_answered_not_found_not_unavailable()
    {
        // Found by the fuzzer: the event store refuses the empty id, and the writer answered 503 "try again", forever.
        using var editor = await ProofClient.SignInAsync(live.Address, "kg-editor");
        var answer = await editor.SendAsync($"/api/drafts/{Guid.Empty}/lifecycle/review", new { reason = "Ready" }, Guid.NewGuid());
        Assert.Equal(404, answer.Status);
        Assert.Equal(404, (await editor.SendAsync($"/api/drafts/{Guid.Empty}/threads", new { nodeId = Guid.NewGuid(), text = "A remark" },
            Guid.NewGuid())).Status);
    }

    [Fact]
    public async Task A_server_killed_at_random_moments_keeps_every_acknowledged_command_exactly_once()
    {
        var result = await CrashSuite.RunAsync(TestDatabase.ConnectionString, $"proof_crash_{Environment.ProcessId}", trials: 3, seed: 7,
            output.WriteLine);
        output.WriteLine(result.ToString());
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public async Task While_the_database_is_down_the_server_answers_503_and_recovers_without_a_restart()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"cadap-outage-{Environment.ProcessId}");
        var result = await OutageSuite.RunAsync(directory, outages: 1, downtime: TimeSpan.FromSeconds(2), seed: 11, output.WriteLine);
        output.WriteLine(result.ToString());
        Assert.True(result.Passed, result.ToString());
    }
}
