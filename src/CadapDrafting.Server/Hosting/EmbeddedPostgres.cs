using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CadapDrafting.Hosting;

/// <summary>
/// A private PostgreSQL cluster started from the machine's installed binaries, for a
/// local run or a test run when no database server is configured.
/// PostgreSQL refuses to run as root, so when this process is root the cluster is
/// owned by and run as the <c>postgres</c> user, and kept under <see cref="RootOwnedClusters"/>:
/// the postgres user could not pass through a private folder such as root's home or a
/// <c>mktemp -d</c> folder that holds the checkout, and loosening those folders is not ours to do.
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

    /// <summary>Where the clusters of a process running as root live, one folder per requested location.</summary>
    public const string RootOwnedClusters = "/var/lib/cadap-drafting";

    private const string OwnerFile = "cadap-owner.pid";

    public int Port { get; }
    public string ConnectionString { get; }
    public string DataDirectory => _dataDirectory;

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
    /// Starts (creating on first use) the cluster for <paramref name="dataDirectory"/> (see <see cref="ResolveDataDirectory"/>
    /// for where it is kept). A cluster left running by a killed process is stopped and started again on a port of ours;
    /// one still used by another live process of ours is left alone and refused.
    /// </summary>
    /// <param name="durable">false turns fsync off: for throwaway test clusters only.</param>
    /// <exception cref="EmbeddedPostgresException">The cluster could not be created or started; the message is one line.</exception>
    public static EmbeddedPostgres Start(string dataDirectory, int? port = null, bool durable = true, Action<string>? log = null)
    {
        log ??= Console.WriteLine;
        var bin = FindBinDirectory();
        var resolved = ResolveDataDirectory(dataDirectory);
        var chosenPort = port ?? FreePort();
        var pg = new EmbeddedPostgres(resolved, bin, chosenPort, durable, log);
        pg.InitialiseIfNeeded();
        pg.StopLeftoverServer();
        pg.StartServer();
        pg.CreateDatabaseIfNeeded();
        return pg;
    }

    /// <summary>
    /// Where the cluster asked for at <paramref name="requested"/> really lives. Run as any user but root, and for a
    /// cluster created there by an earlier version, it is the requested folder itself. Run as root it is a folder of
    /// its own under <see cref="RootOwnedClusters"/>, named after the requested path (readable, plus a hash so two
    /// checkouts never share one), which the postgres user reaches whatever the permissions of the checkout's parents.
    /// </summary>
    public static string ResolveDataDirectory(string requested)
    {
        requested = Path.GetFullPath(requested);
        if (!RunningAsRoot || File.Exists(Path.Combine(requested, "PG_VERSION"))) return requested;
        var readable = string.Join('_', requested.Split('/', StringSplitOptions.RemoveEmptyEntries).TakeLast(3));
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(requested)))[..12];
        return Path.Combine(RootOwnedClusters, $"{readable}-{hash}");
    }

    public static string FindBinDirectory()
    {
        var candidates = new[] { Environment.GetEnvironmentVariable("CADAP_PG_BIN"), "/usr/lib/postgresql/15/bin" }
            .Concat(Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin"))
                : []);
        return candidates.FirstOrDefault(d => d is not null && File.Exists(Path.Combine(d, "initdb")))
               ?? throw new EmbeddedPostgresException(
                   "no PostgreSQL binaries found in /usr/lib/postgresql/*/bin or $CADAP_PG_BIN. " +
                   "Install them (apt-get install postgresql) or set ConnectionStrings__Postgres to a server of yours.");
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
        if (RunningAsRoot)
        {
            // Every folder on the way must let the postgres user pass; the clusters' own folder is root's, readable by all.
            Directory.CreateDirectory(_dataDirectory);
            Run("chmod", $"755 \"{RootOwnedClusters}\"", "open the clusters' folder to the postgres user");
            Run("chown", $"postgres:postgres \"{_dataDirectory}\"", "give the cluster's folder to the postgres user");
            Run("chmod", $"700 \"{_dataDirectory}\"", "make the cluster's folder private to the postgres user");
        }
        else
        {
            Directory.CreateDirectory(_dataDirectory);
        }

        RunPg("initdb", $"-D \"{_dataDirectory}\" -U {UserName} --auth=trust -E UTF8 --locale=C.UTF-8 --no-instructions",
            "create the cluster");
    }

    /// <summary>
    /// A cluster still running here was left by a process that was killed (its shutdown never ran): stop it, so the
    /// one started next is ours alone. If the process that started it is still alive, stopping it would pull the
    /// database from under a running server: refuse instead.
    /// </summary>
    private void StopLeftoverServer()
    {
        if (!File.Exists(Path.Combine(_dataDirectory, "postmaster.pid"))) return;
        if (LiveOwner() is { } owner)
            throw new EmbeddedPostgresException(
                $"the local PostgreSQL in {_dataDirectory} is in use by another running server (process {owner}). " +
                "Stop that server first, or give this one its own database with ConnectionStrings__Postgres.");
        _log("Stopping a PostgreSQL left running by an earlier process ...");
        RunPg("pg_ctl", $"stop -D \"{_dataDirectory}\" -m fast -w", "stop the leftover cluster", failOnError: false);
    }

    private int? LiveOwner()
    {
        var file = Path.Combine(_dataDirectory, OwnerFile);
        if (!File.Exists(file) || !int.TryParse(File.ReadAllText(file).Trim(), out var pid) || pid == Environment.ProcessId) return null;
        try
        {
            // A recycled process id belongs to another program: only a process of ours still counts as the owner.
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
            return commandLine.Contains("CadapDrafting", StringComparison.Ordinal) ? pid : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
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
        RunPg("pg_ctl", $"start -D \"{_dataDirectory}\" -w -t 60 -l \"{logFile}\" -o \"{settings}\"",
            $"start the cluster (its log: {logFile})");
        File.WriteAllText(Path.Combine(_dataDirectory, OwnerFile), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _log($"Local PostgreSQL listening on 127.0.0.1:{Port}, data in {_dataDirectory}");
    }

    private void CreateDatabaseIfNeeded()
    {
        var output = RunPg("psql",
            $"-h 127.0.0.1 -p {Port} -U {UserName} -d postgres -tAc \"select 1 from pg_database where datname='{DatabaseName}'\"",
            "connect to the cluster");
        if (output.Trim() != "1")
            RunPg("createdb", $"-h 127.0.0.1 -p {Port} -U {UserName} {DatabaseName}", "create the database");
    }

    public void Stop()
    {
        if (_stopped) return;
        _stopped = true;
        RunPg("pg_ctl", $"stop -D \"{_dataDirectory}\" -m fast -w", "stop the cluster", failOnError: false);
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

    private string RunPg(string tool, string arguments, string purpose, bool failOnError = true)
    {
        var exe = Path.Combine(_binDirectory, tool);
        return RunningAsRoot
            ? Run("runuser", $"-u postgres -- \"{exe}\" {arguments}", purpose, failOnError)
            : Run(exe, arguments, purpose, failOnError);
    }

    private static string Run(string fileName, string arguments, string purpose, bool failOnError = true)
    {
        var info = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The cluster's processes must not sit in the caller's working directory, which the postgres user may not read.
            WorkingDirectory = "/",
        };
        using var process = Process.Start(info) ?? throw new EmbeddedPostgresException($"could not {purpose}: {fileName} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (failOnError && process.ExitCode != 0)
            throw new EmbeddedPostgresException($"could not {purpose}: {FirstLine(stderr.Result + stdout.Result)}");
        return stdout.Result;
    }

    private static string FirstLine(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no output";
}

/// <summary>
/// The private PostgreSQL could not be created or started. The message is one line saying what failed and why, for a
/// person to read instead of a stack trace.
/// </summary>
public sealed class EmbeddedPostgresException(string message) : Exception(message);
