using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace CadapDrafting.Hosting;

/// <summary>Start-up was refused because the configuration is unsafe outside Development; the message says what to set.</summary>
public sealed class StartupRefusedException(string message) : Exception(message);

/// <summary>
/// What a deployment must get right before the server takes its first request: outside Development a real
/// identity provider and a real database (never the demo sign-in, never a private PostgreSQL in the
/// container), no server banner, and the client's address and scheme taken from the configured proxy only.
/// </summary>
public static class DeploymentSafety
{
    public const string ForwardedHeadersSection = "ForwardedHeaders";

    /// <summary>Fails fast, with one line naming the setting, when a non-Development server would start unsafely.</summary>
    public static void RefuseUnsafeStart(WebApplicationBuilder builder)
    {
        if (builder.Environment.IsDevelopment()) return;
        var environment = builder.Environment.EnvironmentName;
        if (string.IsNullOrWhiteSpace(builder.Configuration["Authentication:Authority"]))
            throw new StartupRefusedException(
                $"Refusing to start in {environment}: no identity provider is configured. Set Authentication__Authority and " +
                "Authentication__Audience to your OpenID Connect provider (the demo sign-in exists in Development only).");
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("Postgres")))
            throw new StartupRefusedException(
                $"Refusing to start in {environment}: no database is configured. Set ConnectionStrings__Postgres " +
                "(the private PostgreSQL the server can start for itself is for Development only).");
    }

    public static void AddDeploymentSafety(this WebApplicationBuilder builder)
    {
        // Nothing tells a scanner which server software answers.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

        var section = builder.Configuration.GetSection(ForwardedHeadersSection);
        var proxies = Values(section, "KnownProxies").Select(IPAddress.Parse).ToList();
        var networks = Values(section, "KnownNetworks").Select(System.Net.IPNetwork.Parse).ToList();
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the proxy in front of the nodes is believed, and only its own hop: a client that sends
            // X-Forwarded-For itself cannot choose the address its requests are counted against.
            options.ForwardLimit = 1;
            if (proxies.Count == 0 && networks.Count == 0) return; // the default: a proxy on this host (loopback)
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies) options.KnownProxies.Add(proxy);
            foreach (var network in networks) options.KnownIPNetworks.Add(network);
        });
    }

    /// <summary>First in the pipeline: the rate limits, logs and HSTS see the client's address and scheme.</summary>
    public static void UseForwardedHeadersFromProxy(this WebApplication app) => app.UseForwardedHeaders();

    /// <summary>A list setting given either as an array (<c>KnownProxies__0</c>) or as one comma-separated value.</summary>
    private static IEnumerable<string> Values(IConfigurationSection section, string key)
    {
        var child = section.GetSection(key);
        var items = child.Value is { Length: > 0 } single ? single.Split(',') : child.GetChildren().Select(c => c.Value ?? "");
        return items.Select(v => v.Trim()).Where(v => v.Length > 0);
    }
}
