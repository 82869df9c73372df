using CadapDrafting.Drafts;
using CadapDrafting.History;
using JasperFx.CommandLine;
using Marten;

namespace CadapDrafting.Operations;

public sealed class VerifyInput : NetCoreInput
{
    [Description("Check only this draft (its id); every draft when left out")]
    public string? DraftFlag { get; set; }
}

/// <summary><c>verify</c>: re-checks every draft's hash chain in the database; fails when any chain does not hold.</summary>
[Description("Re-checks the hash chain of every draft (or one, --draft <id>) and prints the first bad position", Name = "verify")]
public sealed class VerifyCommand : JasperFxAsyncCommand<VerifyInput>
{
    public override async Task<bool> Execute(VerifyInput input)
    {
        using var host = input.BuildHost();
        var check = host.Services.GetRequiredService<ChainCheck>();
        IReadOnlyList<Guid> drafts;
        if (input.DraftFlag is { } one)
        {
            if (!Guid.TryParse(one, out var id)) throw new ArgumentException($"--draft takes a draft id, not '{one}'");
            drafts = [id];
        }
        else
        {
            await using var session = host.Services.GetRequiredService<IDocumentStore>().QuerySession();
            drafts = await session.Query<Draft>().Select(d => d.Id).ToListAsync();
        }

        var broken = 0;
        for (var i = 0; i < drafts.Count; i++)
        {
            var report = await check.RunAsync(drafts[i], CancellationToken.None);
            if (report.Intact)
                Console.WriteLine($"{i + 1}/{drafts.Count} {report.DraftId}: intact, {report.Events} events, head {report.HeadHash}");
            else
            {
                broken++;
                Console.WriteLine($"{i + 1}/{drafts.Count} {report.DraftId}: BROKEN at position {report.FirstBadPosition}: {report.Problem}");
            }
            foreach (var line in report.Proven ?? []) Console.WriteLine($"    proven: {line}");
            foreach (var line in report.NotProven ?? []) Console.WriteLine($"    not proven: {line}");
        }
        Console.WriteLine(broken == 0 ? $"All {drafts.Count} chains hold" : $"{broken} of {drafts.Count} chains do not hold");
        return broken == 0;
    }
}

public sealed class ExportInput : NetCoreInput
{
    [Description("The draft's id")]
    public string DraftId { get; set; } = "";

    [Description("The file to write (default: draft-<id>-history.zip in the current directory)")]
    public string? OutFlag { get; set; }
}

/// <summary><c>export</c>: writes a draft's evidence bundle, the same zip the history endpoint serves, to a file.</summary>
[Description("Writes a draft's evidence bundle (events, hashes, manifest) to a zip file; check it with cadap-verify", Name = "export")]
public sealed class ExportCommand : JasperFxAsyncCommand<ExportInput>
{
    public override async Task<bool> Execute(ExportInput input)
    {
        if (!Guid.TryParse(input.DraftId, out var draftId)) throw new ArgumentException($"export takes a draft id, not '{input.DraftId}'");
        using var host = input.BuildHost();
        var export = host.Services.GetRequiredService<Transparency.EvidenceExport>();
        var path = Path.GetFullPath(input.OutFlag ?? $"draft-{draftId:N}-history.zip");
        await using (var file = File.Create(path))
        {
            var verdict = await export.WriteAsync(file, draftId, CancellationToken.None);
            if (verdict.Count == 0)
            {
                Console.WriteLine($"Draft {draftId} has no events");
                file.Close();
                File.Delete(path);
                return false;
            }
            Console.WriteLine($"{verdict.Count} events written to {path}" + (verdict.Intact ? "" : $"; the chain does not hold: {verdict.Problem}"));
        }
        return true;
    }
}
