using System.Diagnostics;

namespace CadapDrafting.Tests.ScaleOut;

/// <summary>
/// An operator takes <c>docker-compose.yml</c> as the description of a production cluster. Without a Docker engine on
/// this machine the stack cannot be started, but docker-compose (Debian's, installed by the test command) checks and
/// resolves the file: the topology the load-balancer tests run with processes, in Production, secrets only from an
/// <c>.env</c>, and a clear refusal when one is missing.
/// </summary>
public sealed class DescribingTheComposeStack
{
    [Fact]
    public async Task The_compose_file_resolves_to_three_production_nodes_behind_the_shipped_nginx_with_secrets_from_env()
    {
        var env = Path.Combine(Directory.CreateTempSubdirectory("cadap-compose-").FullName, ".env");
        var example = await File.ReadAllLinesAsync(Path.Combine(Repository.Root, ".env.example"));
        await File.WriteAllLinesAsync(env, example.Select(l => l.EndsWith('=') ? l + "value-from-env-" + l.TrimEnd('=').ToLowerInvariant() : l));

        var services = await ComposeAsync(env, "config", "--services");
        Assert.True(services.Exit == 0, services.Output);
        Assert.Equal(["keycloak", "loadbalancer", "postgres", "redis", "server-1", "server-2", "server-3"],
            services.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order());

        var config = await ComposeAsync(env, "config");
        Assert.True(config.Exit == 0, config.Output);
        Assert.Equal(3, config.Output.Split("ASPNETCORE_ENVIRONMENT: Production").Length - 1);
        Assert.Contains("value-from-env-postgres_password", config.Output);
        Assert.Contains("deploy/nginx/nginx.conf:/etc/nginx/nginx.conf:ro", config.Output);
        Assert.Contains("deploy/keycloak/cadap-realm.json", config.Output);
        Assert.DoesNotContain("Development", config.Output);
    }

    [Fact]
    public async Task Without_an_env_file_the_compose_file_refuses_naming_the_missing_secret()
    {
        var empty = Path.Combine(Directory.CreateTempSubdirectory("cadap-compose-").FullName, ".env");
        await File.WriteAllTextAsync(empty, "");
        var config = await ComposeAsync(empty, "config");
        Assert.NotEqual(0, config.Exit);
        Assert.Matches("Set [A-Z_]+_PASSWORD in .env", config.Output);
    }

    private static async Task<(int Exit, string Output)> ComposeAsync(string envFile, params string[] args)
    {
        var info = new ProcessStartInfo("docker-compose")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Repository.Root,
        };
        foreach (var arg in (string[])["--env-file", envFile, "-f", Path.Combine(Repository.Root, "docker-compose.yml"), .. args])
            info.ArgumentList.Add(arg);
        // Only the env file speaks: none of the secrets may come from the environment the tests run in.
        foreach (var name in new[] { "POSTGRES_PASSWORD", "KEYCLOAK_ADMIN_PASSWORD", "DEMO_USER_PASSWORD", "KEYCLOAK_PUBLIC_URL", "OTLP_ENDPOINT" })
            info.Environment.Remove(name);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return (process.ExitCode, await stdout + await stderr);
    }
}
