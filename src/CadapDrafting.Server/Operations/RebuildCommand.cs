using CadapDrafting.Drafts;
using JasperFx.CommandLine;
using Marten;

namespace CadapDrafting.Operations;

/// <summary><c>rebuild</c>: writes every draft's documents again from its events, with progress.</summary>
[Description("Writes every draft's documents (the draft, its proposals and threads) again from its events", Name = "rebuild")]
public sealed class RebuildCommand : JasperFxAsyncCommand<NetCoreInput>
{
    public override async Task<bool> Execute(NetCoreInput input)
    {
        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var count = await DraftStore.RebuildAllAsync(store, (done, total, draftId, position) =>
            Console.WriteLine($"{done}/{total} {draftId}: rebuilt at position {position}"), CancellationToken.None);
        Console.WriteLine($"Rebuilt {count} drafts");
        return true;
    }
}
