using System.Net;
using System.Net.Http.Headers;
using CadapDrafting.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Playwright;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>
/// The server listening on a loopback port (a browser needs a real socket; Alba's TestServer has none), on the
/// test run's database, serving the web app from the server project's wwwroot, and one headless Chromium
/// (Debian's, never a downloaded one) in which each person gets a browser context of their own.
/// </summary>
public sealed class BrowserStage : IAsyncLifetime
{
    private WebApplication? _app;
    private IPlaywright? _playwright;
    private readonly Dictionary<string, string> _tokens = new();

    public Uri Address { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public async Task InitializeAsync()
    {
        var port = EmbeddedPostgres.FreePort();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Development",
            ApplicationName = typeof(Program).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = TestDatabase.ConnectionString,
            ["Seeds:OnStartup"] = "false",
            ["Web:Root"] = Path.Combine(RepositoryRoot, "src", "CadapDrafting.Server", "wwwroot"),
        });
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        builder.AddCadapDrafting();
        _app = builder.Build();
        _app.UseCadapDrafting();
        await _app.StartAsync();
        Address = new Uri($"http://127.0.0.1:{port}/");

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
    }

    /// <summary>A demo user talking to the same server over HTTP, to set the scene of a story.</summary>
    public async Task<Person> SignIn(string userId)
    {
        if (!_tokens.TryGetValue(userId, out var token))
        {
            using var anonymous = new HttpClient { BaseAddress = Address };
            var response = await anonymous.PostAsJsonAsync("/api/dev/sign-in", new { userId });
            response.EnsureSuccessStatusCode();
            _tokens[userId] = token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        }
        var http = new HttpClient { BaseAddress = Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new Person(userId, http);
    }

    /// <summary>The person opens the web app in a browser of their own (through <paramref name="via"/>, a network that can fail) and signs in.</summary>
    public async Task<WebUser> OpensTheAppAs(string userId, string story, Uri? via = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = (via ?? Address).ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 1000 },
            Locale = "en-GB",
        });
        var user = new WebUser(userId, context, await context.NewPageAsync(), ScreenshotDirectory(story));
        await user.SignsIn();
        return user;
    }

    private static string ScreenshotDirectory(string story) =>
        Path.Combine(RepositoryRoot, "tests", "CadapDrafting.Tests", "TestResults", "screenshots", story);

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CadapDrafting.sln"))) return dir.FullName;
        throw new InvalidOperationException("The tests run inside the repository; CadapDrafting.sln was not found above " + AppContext.BaseDirectory);
    }
}
