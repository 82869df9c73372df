using System.Diagnostics;
using System.Net.Http.Headers;
using CadapDrafting.Hosting;
using CadapDrafting.Live.Client;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>
/// Several real server processes on one PostgreSQL (the test run's, in a schema of their own so their
/// daemon leadership is theirs alone) and one redis-server, all on loopback ports. Every process started
/// here is killed when the cluster is disposed.
/// </summary>
public sealed class ServerCluster : IAsyncDisposable
{
    private const string SigningKey = "cluster-test-signing-key-shared-by-every-node";
    private readonly List<Process> _processes = [];
    private readonly DevTokens _tokens = new();

    public string Schema { get; } = $"scaleout_{Guid.NewGuid():N}"[..20];
    public int RedisPort { get; private set; }
    public List<ServerNode> Nodes { get; } = [];

    public static async Task<ServerCluster> StartAsync(params string[] nodeNames)
    {
        var cluster = new ServerCluster();
        try
        {
            await cluster.StartRedisAsync();
            foreach (var name in nodeNames) cluster.Nodes.Add(cluster.StartNode(name));
            // Generous: three nodes starting at once on a busy machine can take minutes.
            await Task.WhenAll(cluster.Nodes.Select(n => n.WaitUntilReadyAsync(TimeSpan.FromSeconds(180))));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public ServerNode Node(string name) => Nodes.Single(n => n.Name == name);

    /// <summary>Starts one more node on the cluster's database and schema, e.g. the server coming back after a crash.</summary>
    public async Task<ServerNode> StartNodeAsync(string name)
    {
        var node = StartNode(name);
        Nodes.Add(node);
        await node.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        return node;
    }

    private async Task StartRedisAsync()
    {
        _redis = await CadapDrafting.Bench.LocalProcess.StartRedisAsync();
        RedisPort = _redis.Port;
    }

    /// <summary>
    /// A node joins the cluster (optionally on the address of one that left, as a restarted container does, and
    /// with settings of its own, as a newer build would have) and is ready.
    /// </summary>
    /// <param name="serverDll">Another build of the server (a rolling upgrade); this test run's build when null.</param>
    public async Task<ServerNode> JoinAsync(string name, int? port = null, IReadOnlyDictionary<string, string>? settings = null,
        string? serverDll = null)
    {
        var node = StartNode(name, port, settings, serverDll);
        Nodes.Add(node);
        // Generous: on a busy machine a node's start (JIT, Marten's schema check) can take a minute.
        await node.WaitUntilReadyAsync(TimeSpan.FromSeconds(180));
        return node;
    }

    private ServerNode StartNode(string name, int? fixedPort = null, IReadOnlyDictionary<string, string>? settings = null,
        string? otherBuild = null)
    {
        var port = fixedPort ?? EmbeddedPostgres.FreePort();
        var serverDll = otherBuild ?? typeof(Program).Assembly.Location;
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ConnectionStrings__Postgres"] = TestDatabase.ConnectionString,
            ["ConnectionStrings__Redis"] = $"127.0.0.1:{RedisPort}",
            ["Redis__ChannelPrefix"] = Schema,
            ["Marten__Schema"] = Schema,
            ["Authentication__DevSigningKey"] = SigningKey,
            ["Seeds__OnStartup"] = "false",
            ["Node__Name"] = name,
            ["Operations__LagPollSeconds"] = "1",
            // The stories here write as fast as the nodes answer; the per-user budget (600 a minute) is tested elsewhere.
            ["Hardening__RequestsPerWindow"] = "1000000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) environment[key] = value;
        var output = new ServerOutput();
        var process = Start("dotnet", $"\"{serverDll}\"", environment, output, Path.GetDirectoryName(serverDll));
        return new ServerNode(name, new Uri($"http://127.0.0.1:{port}/"), process, output);
    }

    private Process Start(string file, string arguments, Dictionary<string, string> environment, ServerOutput? output = null,
        string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        foreach (var (key, value) in environment) info.Environment[key] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        // Drained so a chatty process never blocks on a full pipe.
        process.OutputDataReceived += (_, e) => output?.Add(e.Data);
        process.ErrorDataReceived += (_, e) => output?.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (_processes) _processes.Add(process);
        return process;
    }

    /// <summary>Tokens are signed with the key every node shares, so any node (or the load balancer) may issue them.</summary>
    public Task<string> TokenFor(string userId) =>
        _tokens.ForAsync(userId, () => new HttpClient { BaseAddress = Nodes.First(n => n.IsRunning).Address });

    /// <summary>A demo user talking to one node (a token from any node is accepted by all).</summary>
    public async Task<Person> SignIn(string userId, ServerNode via)
    {
        var http = new HttpClient { BaseAddress = via.Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenFor(userId));
        return new Person(userId, http);
    }

    /// <summary>The person follows the draft live through one node, from <paramref name="lastPosition"/> on.</summary>
    public async Task<LiveDraftClient> Watches(Person person, Guid draftId, ServerNode via, long lastPosition) =>
        await LiveDraftClient.ConnectAsync(via.Address, draftId, async () => await TokenFor(person.UserId), lastPosition,
            DevTokens.LiveOptions);

    private CadapDrafting.Bench.LocalProcess? _redis;

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null) await _redis.DisposeAsync();
        lock (_processes)
            foreach (var process in _processes)
            {
                try
                {
                    if (!process.HasExited) process.Kill(entireProcessTree: true);
                    process.WaitForExit(5000);
                }
                catch (InvalidOperationException) { }
                process.Dispose();
            }
    }
}

/// <summary>
/// Tests that start whole server processes (clusters, a server launched as an operator would) run one after the
/// other: several of them at once on two cores only measure how slowly a starved process starts.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ServerProcesses
{
    public const string Name = "server processes";
}

/// <summary>What a node wrote to its console, for tests that read what it reported.</summary>
public sealed class ServerOutput
{
    private readonly List<string> _lines = [];

    public void Add(string? line)
    {
        if (line is null) return;
        lock (_lines) _lines.Add(line);
    }

    public IReadOnlyList<string> Lines { get { lock (_lines) return _lines.ToList(); } }
}

/// <summary>One server process of the cluster.</summary>
public sealed class ServerNode(string name, Uri address, Process process, ServerOutput output)
{
    public string Name { get; } = name;
    public Uri Address { get; } = address;
    public int Port => Address.Port;
    public bool IsRunning => !process.HasExited;
    public ServerOutput Output { get; } = output;

    /// <summary>Asked to stop, as `docker stop` or a rolling restart does (SIGTERM); returns once it has exited.</summary>
    public async Task<int> StopAsync(TimeSpan within)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()])!) await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(within);
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    /// <summary>Dies at once, as on power loss: no shutdown hooks, no goodbye to PostgreSQL or Redis.</summary>
    public void Crash()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit(5000);
    }

    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"Node {Name} exited with {process.ExitCode} while starting");
            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > until) throw new TimeoutException($"Node {Name} was not ready within {timeout}");
            await Task.Delay(200);
        }
    }
}
