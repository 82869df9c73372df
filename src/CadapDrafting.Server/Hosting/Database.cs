namespace CadapDrafting.Hosting;

/// <summary>
/// Which PostgreSQL the server uses: the one in <c>ConnectionStrings:Postgres</c>, or else a private
/// cluster it starts itself (and stops on shutdown) from the installed binaries.
/// </summary>
public static class Database
{
    private static EmbeddedPostgres? _embedded;

    /// <summary>Stops the private cluster this server started, if any: the last line of defence when start-up fails.
    /// A cluster the caller configured (tests, production) is never touched.</summary>
    public static void StopEmbedded() => _embedded?.Stop();

    public static string ResolveConnectionString(WebApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetConnectionString("Postgres");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;

        var dataDirectory = builder.Configuration["EmbeddedPostgres:DataDirectory"]
                            ?? Path.Combine(FindCheckoutRoot(builder.Environment.ContentRootPath), ".data", "postgres");
        var port = builder.Configuration.GetValue<int?>("EmbeddedPostgres:Port");
        var postgres = EmbeddedPostgres.Start(dataDirectory, port);
        _embedded = postgres;
        builder.Services.AddSingleton(postgres);
        builder.Services.AddHostedService<StopEmbeddedPostgresOnShutdown>();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => postgres.Stop();
        return postgres.ConnectionString;
    }

    /// <summary>The folder holding the solution file, so `dotnet run` from anywhere keeps its data in one git-ignored place.</summary>
    private static string FindCheckoutRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CadapDrafting.sln"))) return dir.FullName;
        return start;
    }

    private sealed class StopEmbeddedPostgresOnShutdown(EmbeddedPostgres postgres) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            postgres.Stop();
            return Task.CompletedTask;
        }
    }
}
