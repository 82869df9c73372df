using Microsoft.Playwright;

namespace CadapDrafting.Tests.WebApp;

/// <summary>
/// A developer on a ministry network opens the API reference in a browser: it loads only from this server, breaks no rule
/// of its content security policy, logs no error and offers none of its vendor's online services.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class OpeningTheApiReference(LiveServer server, Chromium chromium)
{
    [Fact]
    public async Task The_reference_loads_from_this_server_alone_without_a_policy_violation_or_a_console_error()
    {
        var (context, page) = await chromium.OpensPageAsync(server.Address);
        await using var _ = context;
        var problems = new List<string>();
        var outside = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") lock (problems) problems.Add($"console: {message.Text}"); };
        page.PageError += (_, error) => { lock (problems) problems.Add($"script: {error}"); };
        page.Request += (_, request) =>
        {
            var url = new Uri(request.Url);
            if (url.Scheme is "http" or "https" or "ws" or "wss" && url.Authority != server.Address.Authority)
                lock (outside) outside.Add(request.Url);
        };
        await page.AddInitScriptAsync("""
            window.__violations = [];
            document.addEventListener("securitypolicyviolation", e => window.__violations.push(e.violatedDirective + " " + e.blockedURI));
            """);

        await page.GotoAsync("/api-reference/v1");
        // Rendered from the served document: its tags are in the sidebar.
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Comments", Exact = true }))
            .ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Proposals", Exact = true })).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var violations = await page.EvaluateAsync<string[]>("() => window.__violations");
        Assert.Empty(violations);
        Assert.Empty(problems);
        Assert.Empty(outside);
        var text = await page.InnerTextAsync("body");
        foreach (var vendorService in new[] { "Ask AI", "Generate SDK", "Deploy", "Generate MCP" })
            Assert.DoesNotContain(vendorService, text, StringComparison.OrdinalIgnoreCase);
    }
}
