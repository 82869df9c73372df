using System.Net.Http.Headers;
using CadapDrafting.Hosting;
using CadapDrafting.Live.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Builder;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>
/// The real server listening on a loopback port (SignalR clients need a real socket; Alba's TestServer has
/// none), on the test run's database. Live tests write through it too: a change is pushed by the server
/// that committed it.
/// </summary>
public sealed class LiveServer : IAsyncLifetime
{
    private WebApplication? _app;
    private readonly DevTokens _tokens = new();

    public Uri Address { get; private set; } = null!;
    public IServiceProvider Services => _app!.Services;
    public const int MaxCatchUp = 150;

    /// <summary>The one account held to the hub's shipped limits and to a small HTTP request limit, so the limits can be seen working.</summary>
    public const string LimitedUser = "tm-approver-3";
    public const int LimitedUsersRequestsPerWindow = 30;
    public static readonly CadapDrafting.Live.LiveLimits ShippedLimits = new();

    public async Task InitializeAsync()
    {
        (_app, Address) = await LoopbackServer.StartAsync(new Dictionary<string, string?>(TestLog.ServerSettings)
        {
            ["ConnectionStrings:Postgres"] = TestDatabase.ConnectionString,
            ["Seeds:OnStartup"] = "false",
            // Small enough that a test can fall this far behind.
            ["Live:MaxCatchUp"] = MaxCatchUp.ToString(),
            // The proof suites send thousands of requests as a few people.
            ["Hardening:RequestsPerWindow"] = "1000000",
            [$"Hardening:RequestsPerWindowByUser:{LimitedUser}"] = LimitedUsersRequestsPerWindow.ToString(),
            // ... and open many connections and make many hub calls; the hub's limits are seen working on one account.
            ["Live:ConnectionsPerUser"] = "1000",
            ["Live:CallsPerUser"] = "1000000",
            [$"Live:ConnectionsPerUserByUser:{LimitedUser}"] = ShippedLimits.ConnectionsPerUser.ToString(),
            [$"Live:CallsPerUserByUser:{LimitedUser}"] = ShippedLimits.CallsPerUser.ToString(),
            // A viewer that stops reading is dropped once it holds 64 KB unread for 2 s (small, so a test gets there quickly).
            ["Live:ViewerBufferKilobytes"] = "64",
            ["Live:StalledViewerSeconds"] = "2",
            // The browser stories use the web app from its source folder.
            ["Web:Root"] = Repository.WebRoot,
        });
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }

    public Task<string> TokenFor(string userId) => _tokens.ForAsync(userId, () => new HttpClient { BaseAddress = Address });

    /// <summary>A demo user talking to this server over a real socket.</summary>
    public async Task<Person> SignIn(string userId)
    {
        var http = new HttpClient { BaseAddress = Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenFor(userId));
        return new Person(userId, http);
    }

    /// <summary>The person opens the draft in a live client (WebSockets), having seen it up to <paramref name="lastPosition"/>.</summary>
    public async Task<LiveDraftClient> Watches(Person person, Guid draftId, long lastPosition = 0, Uri? via = null) =>
        await LiveDraftClient.ConnectAsync(via ?? Address, draftId, async () => await TokenFor(person.UserId), lastPosition,
            DevTokens.LiveOptions);
}
