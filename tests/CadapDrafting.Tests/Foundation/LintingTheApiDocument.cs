namespace CadapDrafting.Tests.Foundation;

/// <summary>
/// The OpenAPI document the running server serves passes Redocly's recommended rules with no error and no warning, so the
/// clients and tools generated from it meet a document that says what it means. Redocly CLI is pinned in web/package-lock.json.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class LintingTheApiDocument(LiveServer server)
{
    [Fact]
    public async Task The_served_document_passes_the_recommended_rules_without_a_warning()
    {
        var web = await Npm.InstalledAsync("web", Path.Combine("@redocly", "cli", "package.json"));
        // The document as a client fetches it, kept beside the test results so a failure can be read against it.
        using var http = new HttpClient { BaseAddress = server.Address };
        var folder = Path.Combine(Repository.Root, "tests", "CadapDrafting.Tests", "TestResults", "openapi");
        Directory.CreateDirectory(folder);
        var document = Path.Combine(folder, "v1.json");
        await File.WriteAllTextAsync(document, await http.GetStringAsync("/openapi/v1.json"));
        var config = Path.Combine(folder, "redocly.yaml");
        await File.WriteAllTextAsync(config, "extends:\n  - recommended\n");

        var (exitCode, output, errors) = await Npm.RunAsync("node",
            [Path.Combine("node_modules", "@redocly", "cli", "bin", "cli.js"), "lint", document, "--config", config, "--format", "stylish",
                "--max-problems", "500"],
            web, new Dictionary<string, string> { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" });
        var report = output + errors;
        Assert.True(exitCode == 0 && report.Contains("Your API description is valid.")
            && !System.Text.RegularExpressions.Regex.IsMatch(report, @"\b[1-9]\d* (error|warning)s?\b"),
            $"Redocly finds problems in {document}:\n{report}");
    }
}
