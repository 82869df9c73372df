using System.Diagnostics;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>Runs one of the server's commands (verify, rebuild, export…) as an operator would: a process of its own, the same configuration as
/// the test server.</summary>
public static class ServerCommand
{
    /// <summary>Runs the command; <paramref name="withWitness"/> false leaves the witness out of the server's configuration.</summary>
    public static async Task<(int Exit, string Output)> RunAsync(string[] args, bool withWitness = true)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["ConnectionStrings__Postgres"] = TestDatabase.ConnectionString;
        info.Environment["Seeds__OnStartup"] = "false";
        foreach (var (key, value) in TestLog.ServerSettings)
            if (withWitness || !key.StartsWith("Evidence:Witnesses", StringComparison.Ordinal))
                info.Environment[key.Replace(":", "__")] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout + await stderr);
    }

    public static Task<(int Exit, string Output)> RunAsync(params string[] args) => RunAsync(args, withWitness: true);
}
