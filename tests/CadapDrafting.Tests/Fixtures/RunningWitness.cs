using CadapDrafting.Evidence;
using CadapDrafting.Witness;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>
/// The witness "eu-witness" with its own key and its own storage, answering on its own loopback port (the one the
/// server is configured to ask). It reaches the server as an auditor; it looks when the story says so, as its
/// polling loop would.
/// </summary>
public sealed class RunningWitness : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningWitness(WebApplication app, string storage)
    {
        _app = app;
        Storage = storage;
    }

    public string Storage { get; }
    public CadapDrafting.Witness.Witness Witness => _app.Services.GetRequiredService<CadapDrafting.Witness.Witness>();
    public WitnessStore Store => _app.Services.GetRequiredService<WitnessStore>();

    public static async Task<RunningWitness> StartAsync(AppFixture server)
    {
        var auditor = await server.ClientFor("auditor");
        var storage = Directory.CreateTempSubdirectory("cadap-witness-").FullName;
        var app = WitnessApp.Build([], builder =>
        {
            builder.WebHost.UseUrls(TestLog.WitnessAddress.ToString());
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Witness:Name"] = TestLog.WitnessName,
                ["Witness:KeyFile"] = TestLog.WitnessKeyFile,
                ["Witness:Storage"] = storage,
                ["Witness:Server"] = "http://localhost",
                ["Witness:Token"] = auditor.DefaultRequestHeaders.Authorization!.Parameter,
                ["Witness:ServerKeys:0"] = Convert.ToBase64String(TestLog.ServerKey.PublicKey),
            });
            builder.Services.AddHttpClient(WitnessApp.ServerClient).ConfigurePrimaryHttpMessageHandler(() => server.Host.Server.CreateHandler());
        }, poll: false);
        await app.StartAsync();
        return new RunningWitness(app, storage);
    }

    /// <summary>One look at the server: every offered head checked, cosigned and kept.</summary>
    public Task<List<Observation>> Looks() => Witness.ObserveAsync(CancellationToken.None);

    /// <summary>The file of heads the witness cosigned for a draft: what an auditor takes from the witness to the offline verifier.</summary>
    public string HeadsFile(Guid draftId) => Path.Combine(Storage, "heads", $"{draftId:D}.jsonl");

    public SignedTreeHead? Latest(Guid draftId) => Store.Latest(draftId);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
