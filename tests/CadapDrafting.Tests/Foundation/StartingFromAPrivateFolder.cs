using System.Diagnostics;
using CadapDrafting.Hosting;

namespace CadapDrafting.Tests.Foundation;

/// <summary>
/// A newcomer clones the repository into a private folder (root's home is mode 700, and so is any mktemp -d folder)
/// and types the README's run command. The embedded PostgreSQL runs as the postgres user, who cannot pass through
/// such a folder: the server must start all the same, restart after being killed, refuse in one line to take the
/// database from under a server that still runs, and leave no PostgreSQL behind when it is stopped.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StartingFromAPrivateFolder : IDisposable
{
    private static readonly TimeSpan FirstBuild = TimeSpan.FromMinutes(6);
    private readonly DirectoryInfo _private = Directory.CreateTempSubdirectory("cadap-private-");
    private readonly string _checkout;
    private readonly string _cluster;
    private readonly List<Process> _started = [];

    public StartingFromAPrivateFolder()
    {
        _checkout = Path.Combine(_private.FullName, "CadapDrafting");
        _cluster = EmbeddedPostgres.ResolveDataDirectory(Path.Combine(_checkout, ".data", "postgres"));
    }

    [Fact(Timeout = 15 * 60 * 1000)]
    public async Task The_run_command_works_from_a_clone_in_a_private_folder_and_leaves_no_database_running()
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_private.FullName));
        Run("git", $"clone --quiet \"{Repository.Root}\" \"{_checkout}\"");
        var cluster = _cluster;

        // The README's run command, as typed (it builds first).
        var first = StartServer(build: true, out var firstUrl);
        await WaitReady(first, firstUrl, FirstBuild);
        Assert.True(ClusterRuns(cluster));

        // A second server from the same checkout must not stop the database the first one uses.
        var second = StartServer(build: false, out _);
        Assert.True(second.Process.WaitForExit(TimeSpan.FromSeconds(90)), "the second server neither started nor stopped");
        second.Process.WaitForExit();
        var complaint = second.Errors.ToString();
        Assert.Equal(1, second.Process.ExitCode);
        Assert.Single(complaint.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("in use by another running server", complaint);
        Assert.DoesNotContain("   at ", complaint + second.Output);
        await WaitReady(first, firstUrl, TimeSpan.FromSeconds(10));

        // Killed without a chance to stop its database: the next start replaces the one left running.
        first.Process.Kill(entireProcessTree: true);
        first.Process.WaitForExit();
        Assert.True(ClusterRuns(cluster), "the killed server's database is expected to be left running");
        var third = StartServer(build: false, out var thirdUrl);
        await WaitReady(third, thirdUrl, TimeSpan.FromMinutes(2));

        // Stopped as a service manager stops it: nothing of this clone keeps running.
        Run("kill", $"-TERM {third.Process.Id}");
        Assert.True(third.Process.WaitForExit(TimeSpan.FromSeconds(60)), "the server did not stop on SIGTERM");
        Assert.False(ClusterRuns(cluster), "a PostgreSQL of this clone is still running");
    }

    /// <summary>A server process and what it printed, read as it comes so that a full pipe never stalls it.</summary>
    private sealed record Server(Process Process, System.Text.StringBuilder Output, System.Text.StringBuilder Errors);

    private Server StartServer(bool build, out Uri url)
    {
        url = new Uri($"http://127.0.0.1:{EmbeddedPostgres.FreePort()}");
        var arguments = $"run --project src/CadapDrafting.Server {(build ? "" : "--no-build ")}-- --urls {url}";
        var info = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = _checkout,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // A newcomer's shell, not the test runner's: its build and test-host settings would leak into the build.
        foreach (var name in info.Environment.Keys.Where(k =>
                     k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) ||
                     k.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) ||
                     k.StartsWith("ConnectionStrings", StringComparison.OrdinalIgnoreCase)).ToList())
            info.Environment.Remove(name);
        var server = new Server(new Process { StartInfo = info }, new(), new());
        server.Process.OutputDataReceived += (_, line) => { lock (server.Output) server.Output.AppendLine(line.Data); };
        server.Process.ErrorDataReceived += (_, line) => { if (line.Data is { } text) lock (server.Errors) server.Errors.AppendLine(text); };
        server.Process.Start();
        server.Process.BeginOutputReadLine();
        server.Process.BeginErrorReadLine();
        _started.Add(server.Process);
        return server;
    }

    private static async Task WaitReady(Server server, Uri url, TimeSpan within)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(server.Process.HasExited, $"the server stopped: {server.Errors}");
            try
            {
                if ((await http.GetAsync(new Uri(url, "/health/ready"))).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(500);
        }
        Assert.Fail($"/health/ready did not answer 200 within {within}");
    }

    private static bool ClusterRuns(string cluster) =>
        Directory.EnumerateDirectories("/proc").Any(dir =>
        {
            try { return File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Contains($"-D {cluster}", StringComparison.Ordinal); }
            catch (IOException) { return false; }
            catch (UnauthorizedAccessException) { return false; }
        });

    private static void Run(string fileName, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(fileName, arguments) { UseShellExecute = false, RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{fileName} {arguments}: {error}");
    }

    public void Dispose()
    {
        foreach (var process in _started.Where(p => !p.HasExited)) process.Kill(entireProcessTree: true);
        foreach (var process in _started) process.Dispose();
        if (ClusterRuns(_cluster))
            Run("runuser", $"-u postgres -- {EmbeddedPostgres.FindBinDirectory()}/pg_ctl stop -D \"{_cluster}\" -m immediate");
        if (_cluster != Path.Combine(_checkout, ".data", "postgres") && Directory.Exists(_cluster)) Directory.Delete(_cluster, recursive: true);
        try { _private.Delete(recursive: true); }
        catch (IOException) { }
    }
}
