using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CadapDrafting.Hosting;

/// <summary>
/// A private PostgreSQL cluster started from the machine's installed binaries, for a
/// local run or a test run when no database server is configured.
/// PostgreSQL refuses to run as root, so when this process is root the cluster is
/// owned by and run as the <c>postgres</c> user.
/// </summary>
public sealed class EmbeddedPostgres : IDisposable
{
    public const string DatabaseName = "cadap";
    public const string UserName = "cadap";

    private readonly string _dataDirectory;
    private readonly string _binDirectory;
    private readonly bool _durable;
    private readonly Action<string> _log;
    private bool _stopped;

    public int Port { get; }
    public string ConnectionString { get; }

    private EmbeddedPostgres(string dataDirectory, string binDirectory, int port, bool durable, Action<string> log)
    {
        _dataDirectory = dataDirectory;
        _binDirectory = binDirectory;
        _durable = durable;
        _log = log;
        Port = port;
        ConnectionString =
            $"Host=127.0.0.1;Port={port};Username={UserName};Database={DatabaseName};Maximum Pool Size=40;Timeout=15";
    }

    /// <summary>
    /// Starts (creating on first use) the cluster in <paramref name="dataDirectory"/>.
    /// A cluster left running by a killed process is stopped and started again, so its port is ours.
    /// </summary>
    /// <param name="durable">false turns fsync off: for throwaway test clusters only.</param>
    public static EmbeddedPostgres Start(string dataDirectory, int? port = null, bool durable = true, Action<string>? log = null)
    {
        log ??= Console.WriteLine;
        var bin = FindBinDirectory();
        dataDirectory = Path.GetFullPath(dataDirectory);
        var chosenPort = port ?? FreePort();
        var pg = new EmbeddedPostgres(dataDirectory, bin, chosenPort, durable, log);
        pg.InitialiseIfNeeded();
        pg.StopLeftoverServer();
        pg.StartServer();
        pg.CreateDatabaseIfNeeded();
        return pg;
    }

    public static string FindBinDirectory()
    {
        var candidates = new[] { Environment.GetEnvironmentVariable("CADAP_PG_BIN"), "/usr/lib/postgresql/15/bin" }
            .Concat(Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin"))
                : []);
        return candidates.FirstOrDefault(d => d is not null && File.Exists(Path.Combine(d, "initdb")))
               ?? throw new InvalidOperationException(
                   "No PostgreSQL binaries found (looked in /usr/lib/postgresql/*/bin and $CADAP_PG_BIN). " +
                   "Install PostgreSQL or set ConnectionStrings__Postgres.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool RunningAsRoot => Environment.UserName == "root";

    private void InitialiseIfNeeded()
    {
        if (File.Exists(Path.Combine(_dataDirectory, "PG_VERSION"))) return;

        _log($"Creating a local PostgreSQL cluster in {_dataDirectory} ...");
        Directory.CreateDirectory(_dataDirectory);
        if (RunningAsRoot)
        {
            // initdb as postgres needs to own the directory and reach it through its parents.
            Run("chown", $"postgres:postgres \"{_dataDirectory}\"");
            Run("chmod", $"700 \"{_dataDirectory}\"");
        }

        RunPg("initdb", $"-D \"{_dataDirectory}\" -U {UserName} --auth=trust -E UTF8 --locale=C.UTF-8 --no-instructions");
    }

    private void StopLeftoverServer()
    {
        if (!File.Exists(Path.Combine(_dataDirectory, "postmaster.pid"))) return;
        _log("Stopping a PostgreSQL left running by an earlier process ...");
        RunPg("pg_ctl", $"stop -D \"{_dataDirectory}\" -m fast -w", failOnError: false);
    }

    private void StartServer()
    {
        var settings = string.Join(' ', new[]
        {
            $"-p {Port}",
            "-c listen_addresses=127.0.0.1",
            "-c unix_socket_directories=''",
            "-c max_connections=200",
            // Drafts are large jsonb documents rewritten on every commit; lz4 compresses them faster than pglz
            // (store + commit about 10% shorter in the writer profile).
            "-c default_toast_compression=lz4",
            _durable ? "" : "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        });
        var logFile = Path.Combine(_dataDirectory, "server.log");
        RunPg("pg_ctl", $"start -D \"{_dataDirectory}\" -w -t 60 -l \"{logFile}\" -o \"{settings}\"");
        _log($"Local PostgreSQL listening on 127.0.0.1:{Port}");
    }

    private void CreateDatabaseIfNeeded()
    {
        var output = RunPg("psql", $"-h 127.0.0.1 -p {Port} -U {UserName} -d postgres -tAc \"select 1 from pg_database where datname='{DatabaseName}'\"");
        if (output.Trim() != "1")
            RunPg("createdb", $"-h 127.0.0.1 -p {Port} -U {UserName} {DatabaseName}");
    }

    public void Stop()
    {
        if (_stopped) return;
        _stopped = true;
        RunPg("pg_ctl", $"stop -D \"{_dataDirectory}\" -m fast -w", failOnError: false);
        _log("Local PostgreSQL stopped");
    }

    /// <summary>
    /// For throwaway clusters: a small watchdog process stops the cluster and deletes its files once
    /// this process is gone, however it ends (a test host may be killed before its exit handlers finish).
    /// </summary>
    public void DestroyWhenProcessExits()
    {
        var stop = $"\"{Path.Combine(_binDirectory, "pg_ctl")}\" stop -D \"{_dataDirectory}\" -m immediate";
        if (RunningAsRoot) stop = $"runuser -u postgres -- {stop}";
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; {stop} >/dev/null 2>&1; rm -rf \"{_dataDirectory}\"";
        var watchdog = new ProcessStartInfo("setsid", ["bash", "-c", script]) { UseShellExecute = false, WorkingDirectory = "/" };
        Process.Start(watchdog)?.Dispose();
    }

    /// <summary>Stops the cluster and deletes its files: for throwaway clusters.</summary>
    public void Destroy()
    {
        Stop();
        try { Directory.Delete(_dataDirectory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    public void Dispose() => Stop();

    private string RunPg(string tool, string arguments, bool failOnError = true)
    {
        var exe = Path.Combine(_binDirectory, tool);
        return RunningAsRoot
            ? Run("runuser", $"-u postgres -- \"{exe}\" {arguments}", failOnError)
            : Run(exe, arguments, failOnError);
    }

    private static string Run(string fileName, string arguments, bool failOnError = true)
    {
        var info = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The cluster's processes must not sit in the caller's working directory, which the postgres user may not read.
            WorkingDirectory = "/",
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (failOnError && process.ExitCode != 0)
            throw new InvalidOperationException($"{fileName} {arguments} failed ({process.ExitCode}): {stderr.Result}{stdout.Result}");
        return stdout.Result;
    }
}
