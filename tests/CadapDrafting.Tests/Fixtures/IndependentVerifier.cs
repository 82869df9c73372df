using System.Diagnostics;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>The Python verifier written from docs/evidence.md alone (Evidence/verify_bundle.py), run as an auditor would.</summary>
public static class IndependentVerifier
{
    public static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Evidence", "verify_bundle.py"));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await output + await error).Trim());
    }
}
