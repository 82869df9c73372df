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

    /// <param name="networkMayFail">The person reaches the app through a network the story cuts: the browser's notes of
    /// requests that got no answer at all (net::ERR_…) are expected then, and only then.</param>
    public WebUser(string userId, IBrowserContext context, IPage page, string screenshots, string language = "en", bool networkMayFail = false)
    {
        UserId = userId;
        Words = InterfaceWords.For(language);
        Page = page;
        _context = context;
        _screenshots = screenshots;
        // Refused requests (4xx) are part of the stories; a script that throws, logs an error or breaks the policy never is.
        page.PageError += (_, error) => { lock (_scriptErrors) _scriptErrors.Add(error); };
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !IsARefusal(message.Text) && !(networkMayFail && IsACutConnection(message.Text)))
                lock (_scriptErrors) _scriptErrors.Add($"console: {message.Text} ({message.Location})");
        };
    }

    /// <summary>
    /// The browser's own note that a request was answered 4xx (a refusal the story provokes and the page shows in words).
    /// A 5xx answer is never a refusal.
    /// </summary>
    private static bool IsARefusal(string text) =>
        Regex.IsMatch(text, @"^Failed to load resource: the server responded with a status of 4\d\d");

    private static bool IsACutConnection(string text) => text.StartsWith("Failed to load resource: net::ERR_", StringComparison.Ordinal);

    static WebUser() => Assertions.SetDefaultExpectTimeout(20_000);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> Steps = new();

    public string UserId { get; }
    public IPage Page { get; }

    /// <summary>The app's words in the person's language (null: English, the words the stories are told in).</summary>
    public InterfaceWords? Words { get; }

    /// <summary>What the person reads where the story says <paramref name="english"/>: the same string of the app in their language.</summary>
    public string Say(string english) => Words?.Say(english) ?? english;

    /// <summary>As <see cref="Say(string)"/>, among the app's strings whose keys begin with <paramref name="within"/> ("record.").</summary>
    public string SayIn(string within, string english) => Words?.Say(english, within) ?? english;

    /// <summary>Story content in the person's language (titles, texts, reasons they type).</summary>
    public string Say(string english, string russian) => Words is null ? english : russian;

    public ILocatorAssertions Sees(ILocator locator) => Assertions.Expect(locator);

    public async Task SignsIn()
    {
        await Page.GotoAsync("/");
        await Page.GetByLabel(Say("Demo user")).SelectOptionAsync(UserId);
        await Page.GetByRole(AriaRole.Button, new() { Name = Words?.Key("signIn.submit") ?? "Sign in" }).ClickAsync();
        await Sees(Page.GetByRole(AriaRole.Heading, new() { Name = Words?.Key("list.title") ?? "Drafts" })).ToBeVisibleAsync();
    }

    /// <summary>Opens a draft by its address and waits until it follows the draft live.</summary>
    public async Task OpensDraft(Guid draftId)
    {
        await GoesToDraft(draftId);
        await Sees(Page.Locator("#draft-title")).ToBeVisibleAsync();
        await Sees(Page.GetByTestId("live-status")).ToHaveTextAsync(Say("Live"));
    }

    /// <summary>Goes to a draft's address, as with a link someone shared, whatever the app then shows.</summary>
    public Task GoesToDraft(Guid draftId) => Page.GotoAsync($"/drafts/{draftId}");

    /// <summary>A node of the document by its kind and number, e.g. "Action 2".</summary>
    public ILocator Node(string kindAndNumber) =>
        Page.GetByRole(AriaRole.Article, new() { Name = NodeName(kindAndNumber), Exact = true });

    /// <summary>"Action 2" as the person's language names it.</summary>
    public string NodeName(string kindAndNumber)
    {
        var parts = kindAndNumber.Split(' ', 2);
        return Words is null || parts.Length < 2 ? kindAndNumber : $"{Words.Key("node." + parts[0])} {parts[1]}";
    }

    public async Task TurnsOnSuggestionMode()
    {
        var toggle = Page.GetByRole(AriaRole.Button, new() { Name = Say("Suggestion mode") });
        if (await toggle.GetAttributeAsync("aria-pressed") != "true") await toggle.ClickAsync();
        await Sees(toggle).ToHaveAttributeAsync("aria-pressed", "true");
    }

    public async Task SuggestsText(string node, string text, string rationale)
    {
        var target = Node(node);
        await target.GetByRole(AriaRole.Button, new() { Name = Say($"Suggest new text for {NodeName(node)}") }).ClickAsync();
        await target.GetByLabel(StartingWith(Say("Proposed text (RU)").Split('(')[0].Trim())).FillAsync(text);
        await target.GetByLabel(Say("Why (rationale)")).FillAsync(rationale);
        await target.GetByRole(AriaRole.Button, new() { Name = Say("Submit proposal") }).ClickAsync();
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

    /// <summary>A label or name that begins with <paramref name="words"/>.</summary>
    public static Regex StartingWith(string words) => new("^" + Regex.Escape(words));

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

    /// <summary>Closes the person's browser; what their page threw or logged as an error after the last screenshot fails the story too.</summary>
    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
        lock (_scriptErrors) Assert.True(_scriptErrors.Count == 0, $"The page of {UserId} failed: {string.Join(" | ", _scriptErrors)}");
    }
}
