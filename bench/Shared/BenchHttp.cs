using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Alba;
using CadapDrafting.Hosting;
using Microsoft.AspNetCore.Hosting;

/// <summary>The HTTP plumbing the in-process benchmarks share: a signed-in client and a command with a fresh command id.</summary>
internal static class BenchHttp
{
    /// <summary>The real server in this process (Development sign-in, no demo seeding) on the given PostgreSQL.</summary>
    public static Task<IAlbaHost> StartServerAsync(EmbeddedPostgres pg, params (string Key, string Value)[] settings) =>
        AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseContentRoot(ServerDirectory());
            builder.UseSetting("ConnectionStrings:Postgres", pg.ConnectionString);
            builder.UseSetting("Seeds:OnStartup", "false");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
        });

    private static string ServerDirectory() => Path.Combine(BenchRepository.Root, "src", "CadapDrafting.Server");

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
