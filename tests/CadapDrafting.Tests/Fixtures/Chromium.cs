using Microsoft.Playwright;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>
/// One headless Chromium (Debian's, never a downloaded one) in which each person of a story gets a browser context
/// of their own, using the web app the live server serves.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    private readonly SemaphoreSlim _starting = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    // Shared by the whole test run, and started only when the first story opens the app: a run of API tests starts no browser.
    public Task InitializeAsync() => Task.CompletedTask;

    private async Task<IBrowser> BrowserAsync()
    {
        await _starting.WaitAsync();
        try
        {
            if (_browser is not null) return _browser;
            _playwright = await Playwright.CreateAsync();
            return _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
            });
        }
        finally { _starting.Release(); }
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    /// <summary>A page of its own on <paramref name="address"/>, signed in as no one; dispose the context when done.</summary>
    public async Task<(IBrowserContext Context, IPage Page)> OpensPageAsync(Uri address)
    {
        var context = await (await BrowserAsync()).NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = address.ToString(), ViewportSize = new ViewportSize { Width = 1440, Height = 1000 }, Locale = "en-GB",
        });
        return (context, await context.NewPageAsync());
    }

    /// <summary>
    /// The person opens the web app of <paramref name="server"/> in a browser of their own (through <paramref name="via"/>,
    /// a network that can fail) and signs in on its sign-in page.
    /// </summary>
    /// <remarks>With <paramref name="language"/> "ru" the browser is a Russian one, and the app speaks Russian from its first page.</remarks>
    public async Task<WebUser> OpensTheAppAs(LiveServer server, string userId, string story, Uri? via = null, string language = "en")
    {
        var context = await (await BrowserAsync()).NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = (via ?? server.Address).ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 1000 },
            Locale = language == "ru" ? "ru-RU" : "en-GB",
        });
        var user = new WebUser(userId, context, await context.NewPageAsync(),
            Path.Combine(Repository.Root, "tests", "CadapDrafting.Tests", "TestResults", "screenshots", story), language,
                networkMayFail: via is not null);
        await user.SignsIn();
        return user;
    }
}
