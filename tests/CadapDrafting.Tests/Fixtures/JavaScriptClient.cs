using System.Diagnostics;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>The official SignalR JavaScript client (npm), run by Node.js from <c>tests/js-client</c>.</summary>
public static class JavaScriptClient
{
    private static readonly SemaphoreSlim Installation = new(1, 1);

    /// <summary>The package is installed from its lock file the first time (npm ci), as a developer or CI would.</summary>
    public static async Task<string> FolderAsync()
    {
        var folder = Path.Combine(Repository.Root, "tests", "js-client");
        await Installation.WaitAsync();
        try
        {
            if (!Directory.Exists(Path.Combine(folder, "node_modules", "@microsoft", "signalr")))
            {
                using var npm = Process.Start(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund"])
                {
                    WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                })!;
                var errors = npm.StandardError.ReadToEndAsync();
                await npm.StandardOutput.ReadToEndAsync();
                await npm.WaitForExitAsync();
                Assert.True(npm.ExitCode == 0, $"npm ci failed: {await errors}");
            }
        }
        finally
        {
            Installation.Release();
        }
        return folder;
    }
}
