using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CadapDrafting.Proof;

/// <summary>An answer to a request: its status, and its JSON body when there is one. Status 0: no answer arrived.</summary>
public sealed record Answer(int Status, JsonElement? Body, string? Text)
{
    public bool Acknowledged => Status is >= 200 and < 300;
    public bool Answered => Status != 0 && Status != 503;
    public JsonElement Result => Body!.Value.GetProperty("result");
}

/// <summary>One demo user speaking to a server over real HTTP.</summary>
public sealed class ProofClient : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private readonly HttpClient _http;
    private Uri _server;

    public string UserId { get; }
    public string Token { get; }

    private ProofClient(HttpClient http, Uri server, string userId, string token)
    {
        _http = http;
        _server = server;
        UserId = userId;
        Token = token;
    }

    public static async Task<ProofClient> SignInAsync(Uri server, string userId, TimeSpan? timeout = null)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };
        var response = await http.PostAsJsonAsync(new Uri(server, "/api/dev/sign-in"), new { userId });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new ProofClient(http, server, userId, token);
    }

    /// <summary>Sends a command under a command id of the caller's, so a retry can name the same command.</summary>
    public Task<Answer> SendAsync(string url, object body, Guid commandId, CancellationToken ct = default) =>
        SendRawAsync(HttpMethod.Post, url, JsonSerializer.Serialize(body, Json), commandId.ToString(), ct: ct);

    public Task<Answer> GetAsync(string url, CancellationToken ct = default) => SendRawAsync(HttpMethod.Get, url, null, null, ct: ct);

    public async Task<Answer> SendRawAsync(HttpMethod method, string url, string? body, string? idempotencyKey,
        string contentType = "application/json", CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(method, new Uri(Volatile.Read(ref _server), url));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed : null;
        }
        if (idempotencyKey is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        try
        {
            using var response = await _http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonElement? json = null;
            if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json") == true)
            {
                try { json = JsonDocument.Parse(text).RootElement.Clone(); }
                catch (JsonException) { }
            }
            return new Answer((int)response.StatusCode, json, text);
        }
        // No answer (connection refused or cut, timeout, or the caller gave up): the command may or may not be stored.
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            return new Answer(0, null, ex.Message);
        }
    }

    /// <summary>The same person, speaking to a restarted server (the signing key is the same across restarts).</summary>
    public void MoveTo(Uri server) => Volatile.Write(ref _server, server);

    public void Dispose() => _http.Dispose();
}
