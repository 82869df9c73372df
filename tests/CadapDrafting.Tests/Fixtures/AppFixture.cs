using System.Net.Http.Headers;
using Alba;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>
/// The real server (HTTP pipeline, Marten, Wolverine) on the test run's PostgreSQL, shared by every
/// integration test. Tests keep apart by working on drafts of their own.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    public IAlbaHost Host { get; private set; } = null!;

    /// <summary>What the server logged during the run, for tests of what is written to the log.</summary>
    public CapturedLogs Logs { get; } = new();

    public async Task InitializeAsync()
    {
        Host = await AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Postgres", TestDatabase.ConnectionString);
            builder.UseSetting("Seeds:OnStartup", "false");
            // The suite makes thousands of requests as a few people; the limit is seen working on one account of its own.
            builder.UseSetting("Hardening:RequestsPerWindow", "1000000");
            builder.UseSetting($"Hardening:RequestsPerWindowByUser:{RateLimitedUser}", "3");
            foreach (var (key, value) in TestLog.ServerSettings) builder.UseSetting(key, value);
            // The access matrix calls every hub method as every role, one connection per call.
            builder.UseSetting("Live:ConnectionsPerUser", "1000");
            builder.UseSetting("Live:CallsPerUser", "1000000");
            builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        });
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    /// <summary>The one account held to a small request limit, so the limit can be seen working.</summary>
    public const string RateLimitedUser = "only-drafter-uz";

    private readonly DevTokens _tokens = new();

    /// <summary>An HTTP client signed in as one of the demo users.</summary>
    public async Task<HttpClient> ClientFor(string userId)
    {
        var token = await _tokens.ForAsync(userId, Host.Server.CreateClient);
        var client = Host.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

}

[CollectionDefinition(Name)]
// The live server shares the collection (and so the lifetime) of the Alba host: disposing that host runs the
// server's Program to its end, which stops every PostgreSQL cluster this process started.
public sealed class ServerCollection : ICollectionFixture<AppFixture>, ICollectionFixture<LiveServer>, ICollectionFixture<Chromium>
{
    public const string Name = "server";
}
