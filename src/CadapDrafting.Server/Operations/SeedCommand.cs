using CadapDrafting.Seeding;
using JasperFx.CommandLine;

namespace CadapDrafting.Operations;

/// <summary><c>seed</c>: loads the demo drafts through the normal command path, printing progress; loading twice appends nothing.</summary>
[Description("Loads the demo drafts in seeds/drafts (idempotent), printing progress", Name = "seed")]
public sealed class SeedCommand : JasperFxAsyncCommand<NetCoreInput>
{
    public override async Task<bool> Execute(NetCoreInput input)
    {
        using var host = input.BuildHost();
        var seeder = host.Services.GetRequiredService<DemoSeeder>();
        var progress = new ConsoleProgress();
        var drafts = await seeder.SeedAsync(CancellationToken.None, progress);
        Console.WriteLine($"Seeded {drafts.Count} demo drafts");
        return true;
    }
}

/// <summary>Prints each step as it is reported, in order (<see cref="Progress{T}"/> would post them to the thread pool).</summary>
internal sealed class ConsoleProgress : IProgress<string>
{
    public void Report(string value) => Console.WriteLine(value);
}
