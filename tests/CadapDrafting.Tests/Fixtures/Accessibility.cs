using System.Text.Json;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>
/// axe-core (pinned in web/package.json, installed by the server's build with the SignalR client) run inside the page a
/// person sees: no violation of serious or critical impact is allowed. The script is evaluated through the browser's
/// debugging protocol, so the page keeps its strict Content-Security-Policy.
/// </summary>
public static class Accessibility
{
    private static readonly Lazy<string> AxeSource = new(() =>
        File.ReadAllText(Path.Combine(Repository.Root, "web", "node_modules", "axe-core", "axe.min.js")));

    /// <summary>Runs axe-core on what the page shows now and fails with every serious or critical violation, named.</summary>
    public static async Task FindsNoSeriousAccessibilityProblems(this WebUser user, string where)
    {
        if (!await user.Page.EvaluateAsync<bool>("() => typeof window.axe !== 'undefined'"))
            await user.Page.EvaluateAsync(AxeSource.Value);
        var violations = await user.Page.EvaluateAsync<JsonElement>("""
            async () => {
              const result = await window.axe.run(document, { resultTypes: ["violations"] });
              return result.violations
                .filter((v) => v.impact === "serious" || v.impact === "critical")
                .map((v) => `${v.impact} ${v.id}: ${v.help} — ` + v.nodes.slice(0, 4).map((n) => n.target.join(" ")).join(" | "));
            }
            """);
        var found = violations.EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.True(found.Count == 0, $"axe-core on {where}:\n{string.Join("\n", found)}");
    }
}
