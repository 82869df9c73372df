using System.Diagnostics;
using CadapDrafting.Hosting;
using Microsoft.AspNetCore.Builder;

namespace CadapDrafting.Tests.Access;

/// <summary>
/// A ministry's operator deploys the server. A forgotten setting must stop it at once with one line saying what
/// to set, never leave it running with the demo sign-in or a private database inside its container; behind the
/// load balancer one client's requests must not lock anybody else out, and the server names no software.
/// </summary>
[Collection(ServerProcesses.Name)]
public sealed class DeployingSafely
{
    private const int Limit = 5;

    [Fact]
    public async Task Outside_development_the_server_will_not_start_without_an_identity_provider()
    {
        var run = await RunServerAsync(new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Postgres"] = TestDatabase.ConnectionString,
        });

        Assert.NotEqual(0, run.ExitCode);
        var line = Assert.Single(run.Errors);
        Assert.StartsWith("Refusing to start in Production: no identity provider is configured.", line);
        Assert.Contains("Authentication__Authority", line);
    }

    [Fact]
    public async Task Outside_development_the_server_will_not_start_a_private_database()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"cadap-refused-{Guid.NewGuid():N}");
        var run = await RunServerAsync(new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Staging",
            ["Authentication__Authority"] = "https://identity.example.invalid/realms/cadap",
            ["Authentication__Audience"] = "cadap-drafting",
            ["EmbeddedPostgres__DataDirectory"] = dataDirectory,
        });

        Assert.NotEqual(0, run.ExitCode);
        var line = Assert.Single(run.Errors);
        Assert.StartsWith("Refusing to start in Staging: no database is configured.", line);
        Assert.Contains("ConnectionStrings__Postgres", line);
        Assert.False(Directory.Exists(dataDirectory), "a PostgreSQL cluster was created although the server refused to start");
    }

    [Fact]
    public async Task Started_with_dotnet_run_in_production_the_server_offers_no_development_sign_in()
    {
        var port = EmbeddedPostgres.FreePort();
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}")
            ? "Release" : "Debug";
        var info = new ProcessStartInfo("dotnet",
            ["run", "--no-build", "-c", configuration, "--project", Path.Combine(Repository.Root, "src", "CadapDrafting.Server"),
             "--", "--urls", $"http://127.0.0.1:{port}"])
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root,
        };
        // What an operator types after reading the README's first line: the launch profile says Development.
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Authentication__Authority"] = "https://identity.example.invalid/realms/cadap";
        info.Environment["Authentication__Audience"] = "cadap-drafting";
        info.Environment["ConnectionStrings__Postgres"] = TestDatabase.ConnectionString;
        info.Environment["Marten__Schema"] = $"prod_{Guid.NewGuid():N}"[..16];
        info.Environment["Seeds__OnStartup"] = "false";
        using var server = Process.Start(info)!;
        var said = new System.Collections.Concurrent.ConcurrentQueue<string>();
        server.OutputDataReceived += (_, e) => { if (e.Data is { } line) said.Enqueue(line); };
        server.ErrorDataReceived += (_, e) => { if (e.Data is { } line) said.Enqueue(line); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
            var ready = await Eventually.Until(async () =>
            {
                try { return !server.HasExited && (await http.GetAsync("/health/live")).IsSuccessStatusCode; }
                catch (HttpRequestException) { return false; }
                catch (TaskCanceledException) { return false; }
            }, up => up || server.HasExited, TimeSpan.FromSeconds(180));
            Assert.True(ready, $"the server did not start in Production: {string.Join('\n', said.TakeLast(20))}");

            var signIn = await http.PostAsJsonAsync("/api/dev/sign-in", new { userId = "kg-editor" });
            Assert.NotEqual(HttpStatusCode.OK, signIn.StatusCode);
            Assert.DoesNotContain("token", await signIn.Content.ReadAsStringAsync());
            Assert.NotEqual(HttpStatusCode.OK, (await http.GetAsync("/api/dev/users")).StatusCode);
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task One_anonymous_client_spending_its_budget_locks_nobody_out_of_health_documents_or_sign_in()
    {
        await using var server = await LimitedServer.StartAsync();
        using var spender = server.Client();
        for (var i = 0; i < Limit; i++) await spender.GetAsync("/api/drafts");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await spender.GetAsync("/api/drafts")).StatusCode);

        // Another person behind the same address (one office, one NAT) opens the API document and signs in.
        using var colleague = server.Client();
        Assert.Equal(HttpStatusCode.OK, (await colleague.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await colleague.PostAsJsonAsync("/api/dev/sign-in", new { userId = "kg-editor" })).StatusCode);

        // The load balancer polls health far more often than any budget allows.
        for (var i = 0; i < 4 * Limit; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await spender.GetAsync("/health/live")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await spender.GetAsync("/health/ready")).StatusCode);
        }
    }

    [Fact]
    public async Task Behind_the_proxy_limits_count_per_real_client_and_tls_at_the_proxy_brings_hsts()
    {
        // The test's own loopback address is the proxy here: the default trusts a proxy on the same host.
        await using var server = await LimitedServer.StartAsync();
        using var proxy = server.Client();
        for (var i = 0; i < Limit; i++) await SendAs(proxy, "203.0.113.7", "http");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SendAs(proxy, "203.0.113.7", "http")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAs(proxy, "203.0.113.8", "http")).StatusCode);

        var overTls = await SendAs(proxy, "203.0.113.9", "https");
        Assert.Equal("max-age=31536000", overTls.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.False((await SendAs(proxy, "203.0.113.9", "http")).Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Forwarded_headers_from_anyone_but_the_configured_proxy_are_ignored()
    {
        await using var server = await LimitedServer.StartAsync(("ForwardedHeaders:KnownProxies", "10.20.30.40"));
        using var client = server.Client();
        // A client that claims a new address with every request is still one client.
        for (var i = 0; i < Limit; i++) await SendAs(client, $"198.51.100.{i + 1}", "https");
        var next = await SendAs(client, "198.51.100.200", "https");
        Assert.Equal(HttpStatusCode.TooManyRequests, next.StatusCode);
        Assert.False(next.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task No_response_names_the_server_software()
    {
        await using var server = await LimitedServer.StartAsync();
        using var client = server.Client();
        foreach (var path in new[] { "/health/live", "/api/drafts", "/openapi/v1.json", "/no-such-page" })
        {
            var response = await client.GetAsync(path);
            Assert.False(response.Headers.Contains("Server"), $"{path} answered with a Server header");
        }
        for (var i = 0; i <= Limit; i++) await client.GetAsync("/api/drafts");
        var refused = await client.GetAsync("/api/drafts");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Server"));
    }

    [Fact]
    public async Task The_shipped_compose_file_has_no_default_secret_and_runs_in_production()
    {
        var compose = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docker-compose.yml"));
        var secrets = System.Text.RegularExpressions.Regex.Matches(compose, @"\$\{(?<name>[A-Z_]*(PASSWORD|SECRET|KEY)[A-Z_]*)(?<rest>[^}]*)\}");
        Assert.NotEmpty(secrets);
        foreach (System.Text.RegularExpressions.Match secret in secrets)
            Assert.True(secret.Groups["rest"].Value.StartsWith(":?"), $"{secret.Value} has a default or no message when missing");
        Assert.DoesNotContain("DevSigningKey", compose);
        Assert.DoesNotContain("ASPNETCORE_ENVIRONMENT: Development", compose);
        Assert.Contains("ASPNETCORE_ENVIRONMENT: Production", compose);

        // Where docker-compose is installed, it refuses the file without the secrets and names the first one missing.
        var tool = new[] { "/usr/bin/docker-compose", "/usr/local/bin/docker-compose" }.FirstOrDefault(File.Exists);
        if (tool is null) return;
        var noSecrets = Path.GetTempFileName();
        var info = new ProcessStartInfo(tool, ["--env-file", noSecrets, "config", "-q"])
        {
            WorkingDirectory = Repository.Root, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var name in new[] { "POSTGRES_PASSWORD", "KEYCLOAK_ADMIN_PASSWORD", "DEMO_USER_PASSWORD", "KEYCLOAK_PUBLIC_URL" })
            info.Environment.Remove(name);
        using var config = Process.Start(info)!;
        var errors = config.StandardError.ReadToEndAsync();
        await config.StandardOutput.ReadToEndAsync();
        await config.WaitForExitAsync();
        File.Delete(noSecrets);
        Assert.NotEqual(0, config.ExitCode);
        Assert.Matches("Set [A-Z_]+ in .env", await errors);
    }

    private static Task<HttpResponseMessage> SendAs(HttpClient proxy, string clientAddress, string scheme)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/drafts");
        request.Headers.Add("X-Forwarded-For", clientAddress);
        request.Headers.Add("X-Forwarded-Proto", scheme);
        return proxy.SendAsync(request);
    }

    private sealed record Run(int ExitCode, List<string> Errors);

    /// <summary>The built server as an operator starts it; it must exit on its own, quickly.</summary>
    private static async Task<Run> RunServerAsync(Dictionary<string, string> environment)
    {
        var dll = typeof(Program).Assembly.Location;
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{EmbeddedPostgres.FreePort()}";
        info.Environment.Remove("ConnectionStrings__Postgres");
        foreach (var (key, value) in environment) info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var errors = new List<string>();
        process.ErrorDataReceived += (_, e) => { if (!string.IsNullOrWhiteSpace(e.Data)) lock (errors) errors.Add(e.Data); };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("The server kept running with an unsafe configuration");
        }
        process.WaitForExit();
        lock (errors) return new Run(process.ExitCode, errors.ToList());
    }

    /// <summary>The server on a loopback port (a real Kestrel) with a small per-client budget.</summary>
    private sealed class LimitedServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly Uri _address;

        private LimitedServer(WebApplication app, Uri address) => (_app, _address) = (app, address);

        public static async Task<LimitedServer> StartAsync(params (string Key, string Value)[] extra)
        {
            var settings = new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = TestDatabase.ConnectionString,
                ["Seeds:OnStartup"] = "false",
                ["Hardening:RequestsPerWindow"] = Limit.ToString(),
            };
            foreach (var (key, value) in extra) settings[key] = value;
            var (app, address) = await LoopbackServer.StartAsync(settings);
            return new LimitedServer(app, address);
        }

        public HttpClient Client() => new() { BaseAddress = _address };

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
