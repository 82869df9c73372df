using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Alba;

/// <summary>The HTTP plumbing the in-process benchmarks share: a signed-in client and a command with a fresh command id.</summary>
internal static class BenchHttp
{
    public static async Task<HttpClient> ClientFor(IAlbaHost host, string userId)
    {
        using var anonymous = host.Server.CreateClient();
        var response = await anonymous.PostAsJsonAsync("/api/dev/sign-in", new { userId });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        var client = host.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<HttpResponseMessage> Post(HttpClient client, string url, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return await client.SendAsync(request);
    }
}
