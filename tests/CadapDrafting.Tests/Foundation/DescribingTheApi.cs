using System.Text.RegularExpressions;
using Alba;
using CadapDrafting.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CadapDrafting.Tests.Foundation;

/// <summary>A client generated from the OpenAPI document must know what every command answers and what it needs.</summary>
[Collection(ServerCollection.Name)]
public sealed partial class DescribingTheApi(AppFixture app)
{
    private static readonly string[] Problems = ["401", "403", "404", "409", "413", "422", "429"];

    [Fact]
    public async Task Every_command_documents_its_key_its_typed_answer_and_the_problems_it_can_answer()
    {
        var document = await Document();
        var commands = app.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => CommandOpenApi.IsCommand(e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.FirstOrDefault(), e.Metadata))
            .Select(e => PathOf(e.RoutePattern.RawText!)).Distinct().ToList();
        Assert.True(commands.Count >= 20, $"only {commands.Count} command operations found");

        var missing = new List<string>();
        foreach (var path in commands)
        {
            var operation = document.GetProperty("paths").GetProperty(path).GetProperty("post");
            var key = operation.GetProperty("parameters").EnumerateArray()
                .SingleOrDefault(p => p.GetProperty("name").GetString() == "Idempotency-Key");
            if (key.ValueKind != JsonValueKind.Object || key.GetProperty("in").GetString() != "header" || !key.GetProperty("required").GetBoolean())
                missing.Add($"{path}: Idempotency-Key header");
            var responses = operation.GetProperty("responses");
            var success = responses.TryGetProperty("201", out var created) ? created : responses.GetProperty("200");
            var schema = Resolve(document, success.GetProperty("content").GetProperty("application/json").GetProperty("schema"));
            foreach (var member in new[] { "result", "position", "replayed" })
                if (!schema.TryGetProperty("properties", out var properties) || !properties.TryGetProperty(member, out _))
                    missing.Add($"{path}: answer member {member}");
            if (schema.TryGetProperty("properties", out var answer) && answer.TryGetProperty("result", out var result)
                && !Resolve(document, result).TryGetProperty("properties", out _))
                missing.Add($"{path}: untyped result");
            foreach (var status in Problems)
                if (!responses.TryGetProperty(status, out var problem)
                    || !problem.GetProperty("content").TryGetProperty("application/problem+json", out _))
                    missing.Add($"{path}: problem {status}");
            if (!operation.TryGetProperty("security", out var security) || !security.EnumerateArray().Any(s => s.TryGetProperty("Bearer", out _)))
                missing.Add($"{path}: bearer security");
            if (operation.TryGetProperty("requestBody", out var body)
                && Resolve(document, body.GetProperty("content").GetProperty("application/json").GetProperty("schema")) is var request
                && request.TryGetProperty("properties", out var sent) && sent.TryGetProperty("action", out _))
                missing.Add($"{path}: request schema shows the internal action");
        }
        Assert.Empty(missing);

        var bearer = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
    }

    [Theory]
    [InlineData("/api/drafts", "201", "country")]
    [InlineData("/api/drafts/{draftId}/proposals", "200", "rationale")]
    [InlineData("/api/drafts/{draftId}/proposals/{proposalId}/accept", "200", "reason")]
    [InlineData("/api/drafts/{draftId}/proposals/{proposalId}/reject", "200", "reason")]
    [InlineData("/api/drafts/{draftId}/threads", "200", "text")]
    [InlineData("/api/drafts/{draftId}/rounds", "200", "endsAt")]
    public async Task The_main_commands_show_an_example_request_and_its_answer(string path, string success, string sentMember)
    {
        var operation = (await Document()).GetProperty("paths").GetProperty(path).GetProperty("post");
        var sent = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.True(sent.TryGetProperty(sentMember, out _), $"{path}: the example request has no {sentMember}");
        Assert.False(sent.TryGetProperty("action", out _), $"{path}: the example request shows the internal action");
        var answer = operation.GetProperty("responses").GetProperty(success).GetProperty("content").GetProperty("application/json")
            .GetProperty("example");
        Assert.Equal(JsonValueKind.Object, answer.GetProperty("result").ValueKind);
        Assert.True(answer.GetProperty("position").GetInt64() > 0);
        Assert.False(answer.GetProperty("replayed").GetBoolean());
    }

    [Fact]
    public async Task The_reference_page_loads_nothing_from_outside_the_server_and_offers_no_vendor_services()
    {
        var page = (await app.Host.Scenario(s => { s.Get.Url("/api-reference/v1"); s.StatusCodeShouldBeOk(); })).ReadAsText();

        var outside = ExternalUrl().Matches(page).Select(m => m.Value).Where(u => !u.StartsWith("http://localhost")).Distinct().ToList();
        Assert.Empty(outside);
        Assert.DoesNotContain("fonts.scalar.com", page);
        Assert.Matches("\"withDefaultFonts\"\\s*:\\s*false", page);
        Assert.Matches("\"agent\"\\s*:\\s*\\{[^}]*\"disabled\"\\s*:\\s*true", page);
    }

    private async Task<JsonElement> Document()
    {
        var response = await app.Host.Scenario(s => { s.Get.Url("/openapi/v1.json"); s.StatusCodeShouldBeOk(); });
        return JsonDocument.Parse(response.ReadAsText()).RootElement;
    }

    private static string PathOf(string routePattern) =>
        RouteConstraint().Replace(routePattern.TrimEnd('/'), "{$1}") is { Length: > 0 } path ? path : "/";

    private static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        if (!schema.TryGetProperty("$ref", out var reference)) return schema;
        var name = reference.GetString()!.Split('/')[^1];
        return document.GetProperty("components").GetProperty("schemas").GetProperty(name);
    }

    [GeneratedRegex(@"\{([A-Za-z]+)(:[^}]+)?\}")]
    private static partial Regex RouteConstraint();

    [GeneratedRegex(@"(?:src|href)\s*=\s*""(https?://[^""]+)""|url\((https?://[^)]+)\)|https?://[A-Za-z0-9.-]+\.[a-z]{2,}[^\s""')]*")]
    private static partial Regex ExternalUrl();
}
