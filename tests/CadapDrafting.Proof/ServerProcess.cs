using System.Diagnostics;
using System.Net;
using CadapDrafting.Hosting;

namespace CadapDrafting.Proof;

/// <summary>
/// The built server started as a process of its own on a loopback port, so it can be killed with SIGKILL,
/// timed from process start and measured for memory without the caller's own objects.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();

    public Uri Address { get; }
    public int Id => _process.Id;
    public DateTime StartedAt { get; }

    private ServerProcess(Process process, Uri address, DateTime startedAt)
    {
        _process = process;
        Address = address;
        StartedAt = startedAt;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The server's output, last lines first forgotten: shown when something goes wrong.</summary>
    public string Tail { get { lock (_lastLines) return string.Join('\n', _lastLines); } }

    /// <summary>Starts the server on <paramref name="connectionString"/> (schema <paramref name="schema"/>) and waits until /health/ready answers
    /// 200.</summary>
    public static async Task<ServerProcess> StartAsync(string connectionString, string schema, string environment = "Development",
        TimeSpan? readyWithin = null, IReadOnlyDictionary<string, string>? settings = null, string? serverDll = null)
    {
        var server = Launch(connectionString, schema, environment, settings, serverDll);
        try
        {
            await server.WaitReadyAsync(readyWithin ?? TimeSpan.FromSeconds(90));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <param name="serverDll">The server to start; the built one (<see cref="ServerDll"/>) unless given, e.g. a published one
    /// (<see cref="PublishServer"/>).</param>
    public static ServerProcess Launch(string connectionString, string schema, string environment = "Development",
        IReadOnlyDictionary<string, string>? settings = null, string? serverDll = null)
    {
        var dll = serverDll ?? ServerDll();
        var port = EmbeddedPostgres.FreePort();
        var address = new Uri($"http://127.0.0.1:{port}/");
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var env = info.Environment;
        env["ASPNETCORE_ENVIRONMENT"] = environment;
        env["DOTNET_ENVIRONMENT"] = environment;
        env["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/');
        env["ConnectionStrings__Postgres"] = connectionString;
        env["Marten__Schema"] = schema;
        env["Seeds__OnStartup"] = "false";
        // One signing key across restarts, so the clients' tokens stay valid after a kill.
        env["Authentication__DevSigningKey"] = "proof-harness-signing-key";
        env["Seeds__Directory"] = Path.Combine(RepositoryRoot(), "seeds");
        // Load tools send far more than a person would: the per-user limit would measure itself.
        env["Hardening__RequestsPerWindow"] = "100000000";
        // The key that signs the drafts' log heads: a file outside the database, required outside Development.
        var signingKey = Path.Combine(Path.GetTempPath(), "cadap-bench-log-signing-key.pem");
        CadapDrafting.Evidence.SigningKey.LoadOrCreate(signingKey, create: true).Dispose();
        env["Evidence__SigningKeyFile"] = signingKey;
        env["Live__ConnectionsPerUser"] = "100000";
        env["Live__CallsPerUser"] = "100000000";
        if (environment != "Development")
        {
            // Outside Development the server refuses to start without an identity provider; its discovery document
            // is fetched only when a token arrives, so start-up is timed without one answering.
            env["Authentication__Authority"] = "https://identity.example.invalid/realms/cadap";
            env["Authentication__Audience"] = "cadap-drafting";
        }
        env["Logging__LogLevel__Default"] = "Warning";
        env["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) env[key] = value;
        var started = DateTime.UtcNow;
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the server");
        return new ServerProcess(process, address, started);
    }

    /// <summary>Polls /health/ready until it answers 200; returns the time from process start.</summary>
    public async Task<TimeSpan> WaitReadyAsync(TimeSpan within)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The server exited with {_process.ExitCode} before it was ready:\n{Tail}");
            try
            {
                using var response = await http.GetAsync("health/ready");
                if (response.StatusCode == HttpStatusCode.OK) return DateTime.UtcNow - StartedAt;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(5);
        }
        throw new TimeoutException($"The server was not ready within {within}:\n{Tail}");
    }

    /// <summary>SIGKILL: no shutdown hook, no flush, no goodbye.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>CPU time the server process has used so far (user + system), from /proc.</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0;
    }

    /// <summary>Resident memory of the server process (VmRSS), in bytes.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        throw new InvalidOperationException("No VmRSS for the server process");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM first, so the server shuts down as it would in production.
            Process.Start("kill", ["-TERM", _process.Id.ToString()])?.WaitForExit();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await _process.WaitForExitAsync(wait.Token); }
            catch (OperationCanceledException) { Kill(); }
        }
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            while (_lastLines.Count > 40) _lastLines.Dequeue();
        }
    }

    /// <summary>The server as built next to this program's configuration (Debug for tests, Release for benchmarks).</summary>
    public static string ServerDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
        var candidates = new[]
        {
            Path.Combine(RepositoryRoot(), "src", "CadapDrafting.Server", "bin", configuration, "net10.0", "CadapDrafting.Server.dll"),
            Path.Combine(RepositoryRoot(), "src", "CadapDrafting.Server", "bin", "Release", "net10.0", "CadapDrafting.Server.dll"),
            Path.Combine(RepositoryRoot(), "src", "CadapDrafting.Server", "bin", "Debug", "net10.0", "CadapDrafting.Server.dll"),
        };
        return candidates.FirstOrDefault(File.Exists)
               ?? throw new FileNotFoundException("Build the server first (dotnet build): " + candidates[0]);
    }

    /// <summary>
    /// Publishes the server as it is deployed (Release, ReadyToRun: see the server's project file) into
    /// <paramref name="folder"/> and returns its main assembly. Takes minutes the first time (precompiling every library);
    /// a later call with nothing changed is quicker.
    /// </summary>
    public static string PublishServer(string folder)
    {
        var project = Path.Combine(RepositoryRoot(), "src", "CadapDrafting.Server", "CadapDrafting.Server.csproj");
        var info = new ProcessStartInfo("dotnet", ["publish", project, "-c", "Release", "-o", folder, "--nologo", "-v", "quiet"])
        {
            UseShellExecute = false,
        };
        using var publish = Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet publish");
        publish.WaitForExit();
        if (publish.ExitCode != 0) throw new InvalidOperationException($"dotnet publish of the server failed ({publish.ExitCode})");
        return Path.Combine(folder, "CadapDrafting.Server.dll");
    }

    public static string RepositoryRoot() => BenchRepository.Root;
}
