using System.Net;

namespace CadapDrafting.Hosting;

/// <summary>
/// The server started inside another process on a loopback port, with real sockets: for the live
/// tests and the benchmark, whose SignalR clients need a listening server.
/// </summary>
public static class LoopbackServer
{
    public static async Task<(WebApplication App, Uri Address)> StartAsync(IReadOnlyDictionary<string, string?> settings,
        string environment = "Development")
    {
        var port = EmbeddedPostgres.FreePort();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = environment,
            ApplicationName = typeof(Program).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        builder.AddCadapDrafting();
        var app = builder.Build();
        app.UseCadapDrafting();
        await app.StartAsync();
        return (app, new Uri($"http://127.0.0.1:{port}/"));
    }
}
