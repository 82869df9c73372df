using Microsoft.Playwright;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>
/// One headless Chromium (Debian's, never a downloaded one) in which each person of a story gets a browser context
/// of their own, using the web app the live server serves.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    /// <summary>
    /// The person opens the web app of <paramref name="server"/> in a browser of their own (through <paramref name="via"/>,
    /// a network that can fail) and signs in on its sign-in page.
    /// </summary>
    public async Task<WebUser> OpensTheAppAs(LiveServer server, string userId, string story, Uri? via = null)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = (via ?? server.Address).ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 1000 },
            Locale = "en-GB",
        });
        var user = new WebUser(userId, context, await context.NewPageAsync(),
            Path.Combine(Repository.Root, "tests", "CadapDrafting.Tests", "TestResults", "screenshots", story));
        await user.SignsIn();
        return user;
    }
}
