using System.Text;
using System.Text.Json;
using CadapDrafting.Live.Client;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace CadapDrafting.Proof;

/// <summary>
/// Malformed, oversized and hostile requests to every endpoint the server describes in its OpenAPI document and to
/// every hub method, from a seed so a failure reproduces. No answer may be a 5xx, and a refused request must leave
/// the store as it was (events and command records counted before and after each one).
/// </summary>
public static class Fuzzer
{
    public static readonly string[] HubMethods = ["JoinDraft", "UpdatesSince", "LeaveDraft", "SetPresence"];

    private static readonly string[] Fields =
    [
        "text", "nodeId", "kind", "nodeKind", "baseRevision", "revision", "reason", "rationale", "endsAt", "isPublic", "approvers",
        "required", "disposition", "name", "country", "title", "periodStart", "periodEnd", "contentHash", "acceptNow", "parentId",
        "afterNodeId", "quote", "visibility", "proposalId", "userId", "attributes",
    ];

    private static readonly string[] HostileStrings =
    [
        "", " ", "null", "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "'; drop table mt_events; --",
        "a\u0000b", "\u202eevil\u202c", "𝕏 👩‍👩‍👧 ﷽", "../../etc/passwd", "%00", "\r\n\r\nHTTP/1.1 200 OK", "Амандемент 修正",
        "\u200b\u200b", "\ufeff", "{{7*7}}", "${jndi:ldap://x}", new string('a', 5000), new string('я', 70_000),
    ];

    /// <summary>Raw JSON fragments that System.Text.Json or PostgreSQL treat specially: lone surrogates, NUL, huge numbers.</summary>
    private static readonly string[] HostileJsonValues =
    [
        "\"\\ud800\"", "\"\\udfff x\"", "\"a\\u0000b\"", "1e400", "-1", "2147483648", "9223372036854775808", "0.5", "true", "null", "[]", "{}",
        "[1,\"a\",null]", "{\"en\":\"\\ud83d\"}", "{\"en\":\"<b>x</b>\",\"xx\":1}", "\"00000000-0000-0000-0000-000000000000\"",
        "\"not-a-guid\"", "\"2026-13-45T99:00:00Z\"", "\"Amend\"", "\"Insert\"", "\"Nonsense\"", "{\"en\":\"" + new string('b', 100_000) + "\"}",
    ];

    private static readonly string[] BrokenBodies =
    [
        "{", "{\"text\":", "[1,2", "not json", "", "null", "[]", "\"str\"", "123", "{\"a\":1}}", "{'single':'quotes'}",
        "{\"text\":\"unterminated}", "\u0000", "{\"a\":1,\"a\":2}", new string('[', 5000) + new string(']', 5000),
        "{\"x\":" + new string('{', 2000) + new string('}', 2000) + "}",
    ];

    private static readonly string[] HostileIds =
    [
        "not-a-guid", "00000000-0000-0000-0000-000000000000", "%00", "..%2F..%2Fetc", "<script>", "1", "-1", "9999999999999999999",
        "ffffffff-ffff-ffff-ffff-ffffffffffff", "%F0%9D%95%8F", "%ED%A0%80", new string('9', 300), "%20", "en", "xx-YY", "a%22b",
    ];

    public sealed record Endpoint(string Method, string Template);

    public static async Task<List<Endpoint>> EndpointsAsync(Uri server)
    {
        using var http = new HttpClient { BaseAddress = server };
        using var doc = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json"));
        var endpoints = new List<Endpoint>();
        foreach (var path in doc.RootElement.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
                if (operation.Name is "get" or "post" or "put" or "delete" or "patch")
                    endpoints.Add(new Endpoint(operation.Name.ToUpperInvariant(), path.Name));
        return endpoints;
    }

    public static async Task<SuiteResult> RunAsync(Uri server, StoreInspector inspector, int requests, int hubCalls, int seed)
    {
        var random = new Random(seed);
        var endpoints = await EndpointsAsync(server);
        var editor = await ProofClient.SignInAsync(server, "kg-editor");
        var drafter = await ProofClient.SignInAsync(server, "kg-drafter");
        var load = await MixedLoad.PrepareAsync(server, drafts: 1, nodesPerDraft: 2);
        var draftId = load.Drafts[0];
        var problems = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var stored = await inspector.CountStoredAsync();

        for (var i = 0; i < requests; i++)
        {
            var endpoint = endpoints[i % endpoints.Count];
            var (url, body, key, contentType) = Build(random, endpoint, draftId);
            var who = random.Next(4) == 0 ? drafter : editor;
            var answer = await who.SendRawAsync(new HttpMethod(endpoint.Method), url, body, key, contentType);
            statuses[answer.Status] = statuses.GetValueOrDefault(answer.Status) + 1;
            var after = await inspector.CountStoredAsync();
            if (answer.Status is >= 500 or 0)
                problems.Add($"#{i} {endpoint.Method} {url} → {answer.Status}: {Shorten(body)} → {Shorten(answer.Text)}");
            else if (answer.Status >= 400 && after != stored)
                problems.Add($"#{i} {endpoint.Method} {url} → {answer.Status} but the store changed from {stored} to {after}: {Shorten(body)}");
            stored = after;
        }

        var hubProblems = await FuzzHubAsync(server, editor.Token, draftId, hubCalls, random);
        problems.AddRange(hubProblems.Problems);
        var afterHub = await inspector.CountStoredAsync();
        if (afterHub != stored) problems.Add($"Hub calls changed the store from {stored} to {afterHub}");

        return new SuiteResult("Bad input (fuzzer)", [
            $"{requests} HTTP requests over {endpoints.Count} endpoints (seed {seed}); answers: " +
                $"{string.Join(", ", statuses.Select(kv => $"{kv.Key}×{kv.Value}"))}",
            $"{hubCalls} hub calls over {HubMethods.Length} methods: {hubProblems.Refused} refused with a hub error, {hubProblems.Completed} " +
                $"completed, {hubProblems.Oversized} over SignalR's 32 KB message limit closed the connection (as designed); every other call kept " +
                "it open",
        ], problems);
    }

    private static (string Url, string? Body, string? Key, string ContentType) Build(Random random, Endpoint endpoint, Guid draftId)
    {
        var url = new StringBuilder();
        foreach (var segment in endpoint.Template.Split('/'))
        {
            if (url.Length > 0 || segment.Length > 0) url.Append('/');
            if (!segment.StartsWith('{')) { url.Append(segment); continue; }
            var name = segment.Trim('{', '}').Split(':')[0];
            url.Append(name switch
            {
                "draftId" when random.Next(10) < 7 => draftId.ToString(),
                "language" when random.Next(2) == 0 => "en",
                "number" when random.Next(2) == 0 => random.Next(-2, 3).ToString(),
                _ when random.Next(4) == 0 => Guid.NewGuid().ToString(),
                _ => HostileIds[random.Next(HostileIds.Length)],
            });
        }
        if (random.Next(3) == 0)
            url.Append(random.Next(3) switch
            {
                0 => "?after=" + Uri.EscapeDataString(HostileIds[random.Next(HostileIds.Length)]),
                // Kept under Kestrel's 8 KB request line: beyond it the connection itself is refused before any endpoint runs.
                1 => "?nodeId=" + Uri.EscapeDataString(Truncate(HostileStrings[random.Next(HostileStrings.Length)], 600)),
                _ => "?after=-5&limit=99999999&country=%3Cscript%3E",
            });

        string? body = null;
        if (endpoint.Method != "GET")
            body = random.Next(10) switch
            {
                0 or 1 => BrokenBodies[random.Next(BrokenBodies.Length)],
                2 => "{\"text\":\"" + new string('x', 300 * 1024) + "\"}",
                _ => HostileObject(random, draftId),
            };
        var key = random.Next(10) switch
        {
            0 => "not-a-guid",
            1 => "",
            2 => new string('k', 2000),
            _ => Guid.NewGuid().ToString(),
        };
        var contentType = random.Next(15) switch { 0 => "text/plain", 1 => "application/xml", _ => "application/json" };
        return (url.ToString(), body, key, contentType);
    }

    private static string HostileObject(Random random, Guid draftId)
    {
        var json = new StringBuilder("{");
        var count = random.Next(1, 7);
        for (var f = 0; f < count; f++)
        {
            if (f > 0) json.Append(',');
            json.Append(JsonSerializer.Serialize(Fields[random.Next(Fields.Length)])).Append(':');
            json.Append(random.Next(3) switch
            {
                0 => JsonSerializer.Serialize(HostileStrings[random.Next(HostileStrings.Length)]),
                1 => HostileJsonValues[random.Next(HostileJsonValues.Length)],
                _ => "{\"en\":" + JsonSerializer.Serialize(HostileStrings[random.Next(HostileStrings.Length)]) + "}",
            });
        }
        return json.Append('}').ToString();
    }

    private static async Task<(List<string> Problems, int Refused, int Completed, int Oversized)> FuzzHubAsync(Uri server, string token, Guid draftId,
        int calls, Random random)
    {
        var problems = new List<string>();
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server, LiveDraftClient.HubPath), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        await connection.StartAsync();
        object?[] hostile = [null, "not-a-guid", "", -1L, long.MaxValue, long.MinValue, 1.5, true, "\ud800", "a\u0000b", "<script>", Guid.Empty,
            Guid.NewGuid(), draftId, draftId.ToString(), new string('x', 20_000), new[] { 1, 2 }, new { en = "x" }];
        int refused = 0, completed = 0, oversized = 0;
        for (var i = 0; i < calls; i++)
        {
            var method = HubMethods[i % HubMethods.Length];
            var arity = random.Next(4);
            var args = Enumerable.Range(0, arity).Select(_ => hostile[random.Next(hostile.Length)]).ToArray();
            try
            {
                await connection.InvokeCoreAsync(method, typeof(object), args);
                completed++;
            }
            catch (HubException) { refused++; }
            catch (Exception ex)
            {
                problems.Add($"Hub {method}({string.Join(", ", args.Select(a => Shorten(a?.ToString())))}) failed outside the hub's errors: " +
                    $"{ex.GetType().Name} {ex.Message}");
            }
            if (connection.State != HubConnectionState.Connected)
            {
                // SignalR closes a connection whose message exceeds the server's limit (32 KB): the designed answer to an
                // oversized message. Anything smaller must leave the connection open.
                if (JsonSerializer.Serialize(args).Length > 32 * 1024) oversized++;
                else problems.Add($"Hub {method} call #{i} closed the connection");
                if (connection.State == HubConnectionState.Disconnected) await connection.StartAsync();
                else await Task.Delay(200);
                if (connection.State == HubConnectionState.Disconnected) await connection.StartAsync();
            }
        }
        return (problems, refused, completed, oversized);
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    private static string Shorten(string? text) => text is null ? "" : text.Length > 160 ? text[..160] + $"… ({text.Length} chars)" : text;
}
