using System.Diagnostics;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>npm packages the tests run, installed from their lock file the first time (npm ci), as a developer or CI would.</summary>
public static class Npm
{
    private static readonly SemaphoreSlim Installation = new(1, 1);

    /// <summary>Runs <c>npm ci</c> in <paramref name="folder"/> (of the repository) unless <paramref name="installed"/> is there.</summary>
    public static async Task<string> InstalledAsync(string folder, string installed)
    {
        var path = Path.Combine(Repository.Root, folder);
        await Installation.WaitAsync();
        try
        {
            if (!Path.Exists(Path.Combine(path, "node_modules", installed)))
            {
                var (exitCode, _, errors) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], path);
                Assert.True(exitCode == 0, $"npm ci in {folder} failed: {errors}");
            }
        }
        finally
        {
            Installation.Release();
        }
        return path;
    }

    /// <summary>Runs a program to its end and returns its exit code, output and errors.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string program, IEnumerable<string> arguments,
        string folder, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output, await errors);
    }
}
