using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>
/// A person using the web app in a browser of their own: the vocabulary the browser stories are told in. Every
/// step finds controls by their role and accessible name, as a screen-reader user would, and waits for what the
/// person expects to see rather than for a fixed time.
/// </summary>
public sealed class WebUser : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly string _screenshots;
    private readonly List<string> _scriptErrors = [];

    public WebUser(string userId, IBrowserContext context, IPage page, string screenshots)
    {
        UserId = userId;
        Page = page;
        _context = context;
        _screenshots = screenshots;
        // Refused requests (404, 409) are part of the stories; a script that throws or a policy violation never is.
        page.PageError += (_, error) => { lock (_scriptErrors) _scriptErrors.Add(error); };
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                lock (_scriptErrors) _scriptErrors.Add(message.Text);
        };
    }

    static WebUser() => Assertions.SetDefaultExpectTimeout(20_000);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> Steps = new();

    public string UserId { get; }
    public IPage Page { get; }

    public ILocatorAssertions Sees(ILocator locator) => Assertions.Expect(locator);

    public async Task SignsIn()
    {
        await Page.GotoAsync("/");
        await Page.GetByLabel("Demo user").SelectOptionAsync(UserId);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Sees(Page.GetByRole(AriaRole.Heading, new() { Name = "Drafts" })).ToBeVisibleAsync();
    }

    /// <summary>Opens a draft by its address and waits until it follows the draft live.</summary>
    public async Task OpensDraft(Guid draftId)
    {
        await GoesToDraft(draftId);
        await Sees(Page.Locator("#draft-title")).ToBeVisibleAsync();
        await Sees(Page.GetByTestId("live-status")).ToHaveTextAsync("Live");
    }

    /// <summary>Goes to a draft's address, as with a link someone shared, whatever the app then shows.</summary>
    public Task GoesToDraft(Guid draftId) => Page.GotoAsync($"/drafts/{draftId}");

    /// <summary>A node of the document by its kind and number, e.g. "Action 2".</summary>
    public ILocator Node(string kindAndNumber) =>
        Page.GetByRole(AriaRole.Article, new() { Name = kindAndNumber, Exact = true });

    public async Task TurnsOnSuggestionMode()
    {
        var toggle = Page.GetByRole(AriaRole.Button, new() { Name = "Suggestion mode" });
        if (await toggle.GetAttributeAsync("aria-pressed") != "true") await toggle.ClickAsync();
        await Sees(toggle).ToHaveAttributeAsync("aria-pressed", "true");
    }

    public async Task SuggestsText(string node, string text, string rationale)
    {
        var target = Node(node);
        await target.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Suggest new text for") }).ClickAsync();
        await target.GetByLabel(new Regex(@"^Proposed text")).FillAsync(text);
        await target.GetByLabel("Why (rationale)").FillAsync(rationale);
        await target.GetByRole(AriaRole.Button, new() { Name = "Submit proposal" }).ClickAsync();
        await Sees(target.Locator(".proposal ins").First).ToBeVisibleAsync();
    }

    public async Task ProposesNewNodeAfter(string node, string text, string rationale)
    {
        var target = Node(node);
        await target.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Propose a new node after") }).ClickAsync();
        await target.GetByLabel(new Regex(@"^Text of the new node")).FillAsync(text);
        await target.GetByLabel("Why (rationale)").FillAsync(rationale);
        await target.GetByRole(AriaRole.Button, new() { Name = "Submit proposal" }).ClickAsync();
        await Sees(target.Locator(".proposal").Filter(new() { HasText = text })).ToBeVisibleAsync();
    }

    public async Task CommentsOn(string node, string text)
    {
        var target = Node(node);
        await target.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Comment on") }).ClickAsync();
        await target.GetByRole(AriaRole.Textbox, new() { Name = "Comment", Exact = true }).FillAsync(text);
        await target.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        // Mentions are shown by the person's name, not the @user-id typed.
        await Sees(CommentIn(node, Regex.Replace(text, @"@[a-z0-9-]+\s*", "").Trim())).ToBeVisibleAsync();
    }

    public ILocator ProposalOn(string node, string text) => Node(node).Locator(".proposal").Filter(new() { HasText = text });

    public ILocator CommentIn(string node, string text) => Node(node).Locator(".comment").Filter(new() { HasText = text });

    public async Task AcceptsProposal(string node, string text)
    {
        var proposal = ProposalOn(node, text);
        await proposal.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Accept") }).ClickAsync();
        await Sees(proposal).ToHaveCountAsync(0);
    }

    /// <summary>Every button, field and list on the page has a name a screen reader can say.</summary>
    public async Task FindsEveryControlLabelled()
    {
        var unlabelled = await Page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll("button, input, select, textarea, a[href]")]
              .filter((el) => !(el.labels?.length || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby") || el.textContent.trim()))
              .map((el) => el.outerHTML.slice(0, 120))
            """);
        Assert.Empty(unlabelled);
    }

    /// <summary>Saves what the person sees now, numbered in the order of the story; the page must not have failed on the way.</summary>
    public async Task Screenshot(string what)
    {
        lock (_scriptErrors) Assert.True(_scriptErrors.Count == 0, $"The page of {UserId} failed: {string.Join(" | ", _scriptErrors)}");
        Directory.CreateDirectory(_screenshots);
        var step = Steps.AddOrUpdate(_screenshots, 1, (_, n) => n + 1);
        await Page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(_screenshots, $"{step:00}-{UserId}-{what}.png"),
            FullPage = true,
        });
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
