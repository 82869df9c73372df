using CadapDrafting.Hosting;
using Microsoft.AspNetCore.Builder;

/// <summary>
/// A throwaway durable PostgreSQL (fsync on) and the server in this process on a loopback port, without demo data and
/// without logging: what a benchmark that calls the server's services directly starts first. Disposing stops both.
/// </summary>
internal sealed class InProcessServer : IAsyncDisposable
{
    private readonly EmbeddedPostgres _postgres;

    private InProcessServer(EmbeddedPostgres postgres, WebApplication app, Uri address)
    {
        _postgres = postgres;
        App = app;
        Address = address;
    }

    public WebApplication App { get; }

    /// <summary>Where the server listens (a loopback port), for benchmarks that talk to it over HTTP or from a browser.</summary>
    public Uri Address { get; }

    /// <param name="settings">Settings added to (or overriding) the benchmark defaults, e.g. request limits or the web root.</param>
    public static async Task<InProcessServer> StartAsync(string name, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var postgres = EmbeddedPostgres.Start(Path.Combine(Path.GetTempPath(), $"cadap-bench-{name}-{Environment.ProcessId}"), durable: true,
            log: _ => { });
        postgres.DestroyWhenProcessExits();
        try
        {
            var all = new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = postgres.ConnectionString,
                ["Seeds:OnStartup"] = "false",
                ["Logging:LogLevel:Default"] = "None",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
            var (app, address) = await LoopbackServer.StartAsync(all);
            return new InProcessServer(postgres, app, address);
        }
        catch
        {
            postgres.Destroy();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
        finally
        {
            _postgres.Destroy();
        }
    }
}
