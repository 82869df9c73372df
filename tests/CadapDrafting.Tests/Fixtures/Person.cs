using System.Text.Json.Serialization;
using CadapDrafting.Drafts;
using CadapDrafting.Proposals;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>
/// A demo user talking to the server over HTTP: the vocabulary the tests tell their stories in.
/// Every command gets a fresh command id unless the story retries one.
/// </summary>
public sealed class Person(string userId, HttpClient http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public string UserId { get; } = userId;
    public HttpClient Http { get; } = http;

    public static async Task<Person> SignIn(AppFixture app, string userId) => new(userId, await app.ClientFor(userId));

    public async Task<HttpResponseMessage> Command(string url, object? body, Guid? commandId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body, options: Json) };
        request.Headers.Add("Idempotency-Key", (commandId ?? Guid.NewGuid()).ToString());
        return await Http.SendAsync(request);
    }

    public async Task<T> Read<T>(string url)
    {
        var response = await Http.GetAsync(url);
        await Expect.Status(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    public async Task<Guid> CreatesDraft(string country, DraftKind kind = DraftKind.ActionPlan, string title = "Test plan",
        int start = 2025, int end = 2030)
    {
        var response = await Command("/api/drafts", new { country, kind, title = new { en = title }, periodStart = start, periodEnd = end });
        await Expect.Status(response, HttpStatusCode.Created);
        return (await Accepted(response)).Result!.Value.GetProperty("draftId").GetGuid();
    }

    public Task<HttpResponseMessage> Proposes(Guid draftId, object proposal, Guid? commandId = null) =>
        Command($"/api/drafts/{draftId}/proposals", proposal, commandId);

    /// <summary>An editor's direct insert: proposed and accepted in one command. Returns the new node's id.</summary>
    public async Task<Guid> Inserts(Guid draftId, NodeKind kind, string text, Guid? parentId = null, Guid? afterNodeId = null,
        object? attributes = null)
    {
        var response = await Proposes(draftId, new {
            kind = ProposalKind.Insert, nodeKind = kind, parentId, afterNodeId, text = new { en = text }, attributes,
            rationale = "Structure of the plan", acceptNow = true,
        });
        await Expect.Status(response, HttpStatusCode.OK);
        return (await Accepted(response)).Result!.Value.GetProperty("nodeId").GetGuid();
    }

    /// <summary>Proposes new English text for a node as it is now. Returns the proposal's id.</summary>
    public async Task<Guid> ProposesText(Guid draftId, Guid nodeId, int baseRevision, string text, string rationale = "Clearer wording")
    {
        var response = await Proposes(draftId, new { kind = ProposalKind.Amend, nodeId, baseRevision, text = new { en = text }, rationale });
        await Expect.Status(response, HttpStatusCode.OK);
        return (await Accepted(response)).Result!.Value.GetProperty("proposalId").GetGuid();
    }

    public Task<HttpResponseMessage> Accepts(Guid draftId, Guid proposalId, Guid? commandId = null) =>
        Command($"/api/drafts/{draftId}/proposals/{proposalId}/accept", new { reason = "Agreed in the working group" }, commandId);

    public Task<HttpResponseMessage> Rebases(Guid draftId, Guid proposalId, int baseRevision, string text) =>
        Command($"/api/drafts/{draftId}/proposals/{proposalId}/rebase", new { baseRevision, text = new { en = text } });

    public Task<DraftDocument> Reads(Guid draftId) => Read<DraftDocument>($"/api/drafts/{draftId}");

    public Task<List<ProposalView>> ReadsProposals(Guid draftId, string query = "") =>
        Read<List<ProposalView>>($"/api/drafts/{draftId}/proposals{query}");

    public static async Task<Accepted> Accepted(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<Accepted>(Json))!;
}

public sealed record Accepted(JsonElement? Result, long Position, bool Replayed);

public static class Expect
{
    /// <summary>Asserts a status code, showing the response body when it differs.</summary>
    public static async Task Status(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
            Assert.Fail($"Expected {(int)expected} but got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The headers every response carries: same-origin content policy, no sniffing, no framing, no referrer.</summary>
    public static void SecurityHeaders(HttpResponseMessage response)
    {
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    public static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode expected)
    {
        await Status(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}

public static class DocumentExtensions
{
    public static IEnumerable<NodeView> AllNodes(this DraftDocument document)
    {
        IEnumerable<NodeView> Walk(IEnumerable<NodeView> nodes) => nodes.SelectMany(n => new[] { n }.Concat(Walk(n.Children)));
        return Walk(document.Nodes);
    }

    public static NodeView Node(this DraftDocument document, Guid id) => document.AllNodes().Single(n => n.Id == id);
}
