using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace CadapDrafting.Bench;

/// <summary>
/// A helper process on a loopback port (redis-server, nginx), killed on dispose; for the benchmarks and tests that run
/// several server nodes on this machine.
/// </summary>
public sealed class LocalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string? _folder;

    public int Port { get; }
    public Uri Address => new($"http://127.0.0.1:{Port}/");

    private LocalProcess(Process process, int port, string? folder) => (_process, Port, _folder) = (process, port, folder);

    /// <summary>redis-server without persistence: the SignalR backplane and presence store of the nodes.</summary>
    public static Task<LocalProcess> StartRedisAsync() =>
        StartAsync("redis-server", port => ["--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], null);

    /// <summary>
    /// nginx with the shipped <c>deploy/nginx/nginx.conf</c> in front of nodes on loopback ports. Only addresses change:
    /// it listens on a loopback port of its own and <c>server-N:8080</c> becomes the Nth port, since the containers'
    /// names do not resolve here. Everything else (hashing, retries, headers, timeouts) is as shipped.
    /// </summary>
    public static async Task<LocalProcess> StartNginxAsync(string repositoryRoot, IReadOnlyList<int> nodePorts)
    {
        var shipped = await File.ReadAllTextAsync(Path.Combine(repositoryRoot, "deploy", "nginx", "nginx.conf"));
        var folder = Path.Combine(Path.GetTempPath(), $"cadap-nginx-{Guid.NewGuid():N}"[..24]);
        Directory.CreateDirectory(Path.Combine(folder, "logs"));
        var binary = new[] { "/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx" }.FirstOrDefault(File.Exists) ?? "nginx";
        return await StartAsync(binary, port =>
        {
            var config = Regex.Replace(shipped, @"server server-(\d+):8080", m => $"server 127.0.0.1:{nodePorts[int.Parse(m.Groups[1].Value) - 1]}");
            config = config.Replace("listen 80;", $"listen 127.0.0.1:{port};");
            if (Regex.IsMatch(config, @"server-\d+:8080") || !config.Contains($"listen 127.0.0.1:{port};"))
                throw new InvalidOperationException("deploy/nginx/nginx.conf no longer has the upstream servers or listen line this expects");
            File.WriteAllText(Path.Combine(folder, "nginx.conf"), config);
            return ["-p", folder, "-c", Path.Combine(folder, "nginx.conf"), "-e", Path.Combine(folder, "logs", "error.log"),
                    "-g", $"daemon off; pid {Path.Combine(folder, "nginx.pid")};"];
        }, folder);
    }

    private static async Task<LocalProcess> StartAsync(string file, Func<int, string[]> arguments, string? folder)
    {
        var port = FreePort();
        var process = Process.Start(new ProcessStartInfo(file, arguments(port))
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        }) ?? throw new InvalidOperationException($"{file} did not start");
        // Drained so a chatty process never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = new LocalProcess(process, port, folder);
        var until = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (process.HasExited)
            {
                var log = folder is null ? "" : await File.ReadAllTextAsync(Path.Combine(folder, "logs", "error.log"));
                throw new InvalidOperationException($"{file} exited with {process.ExitCode} {log}");
            }
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port);
                return started;
            }
            catch (SocketException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(50);
            }
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        if (_folder is not null)
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
