using System.Net.Http.Json;
using System.Text.Json;
using CadapDrafting.Live.Client;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>Demo users' bearer tokens from a server's development sign-in, asked for once per user.</summary>
public sealed class DevTokens
{
    private readonly Dictionary<string, string> _tokens = new();
    private readonly SemaphoreSlim _signIn = new(1, 1);

    /// <summary>The user's token, signing in through <paramref name="anonymous"/> (a client of the server, not signed in) the first time.</summary>
    public async Task<string> ForAsync(string userId, Func<HttpClient> anonymous)
    {
        await _signIn.WaitAsync();
        try
        {
            if (_tokens.TryGetValue(userId, out var token)) return token;
            using var client = anonymous();
            var response = await client.PostAsJsonAsync("/api/dev/sign-in", new { userId });
            response.EnsureSuccessStatusCode();
            return _tokens[userId] = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        }
        finally
        {
            _signIn.Release();
        }
    }

    /// <summary>How the tests follow a draft live: WebSockets, every applied update kept, quick to reconnect.</summary>
    public static LiveClientOptions LiveOptions => new()
    {
        Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets,
        KeepHistory = true,
        ReconnectDelay = TimeSpan.FromMilliseconds(100),
    };
}
