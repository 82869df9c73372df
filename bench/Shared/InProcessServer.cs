using CadapDrafting.Hosting;
using Microsoft.AspNetCore.Builder;

/// <summary>
/// A throwaway durable PostgreSQL (fsync on) and the server in this process on a loopback port, without demo data and
/// without logging: what a benchmark that calls the server's services directly starts first. Disposing stops both.
/// </summary>
internal sealed class InProcessServer : IAsyncDisposable
{
    private readonly EmbeddedPostgres _postgres;

    private InProcessServer(EmbeddedPostgres postgres, WebApplication app)
    {
        _postgres = postgres;
        App = app;
    }

    public WebApplication App { get; }

    public static async Task<InProcessServer> StartAsync(string name)
    {
        var postgres = EmbeddedPostgres.Start(Path.Combine(Path.GetTempPath(), $"cadap-bench-{name}-{Environment.ProcessId}"), durable: true,
            log: _ => { });
        postgres.DestroyWhenProcessExits();
        try
        {
            var (app, _) = await LoopbackServer.StartAsync(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = postgres.ConnectionString,
                ["Seeds:OnStartup"] = "false",
                ["Logging:LogLevel:Default"] = "None",
            });
            return new InProcessServer(postgres, app);
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
