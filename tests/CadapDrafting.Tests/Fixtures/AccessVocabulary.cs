using System.Net.Http.Headers;
using CadapDrafting.Identity;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>People of one role and one country, and the anonymous caller: the cast of the access stories.</summary>
public static class AccessVocabulary
{
    /// <summary>
    /// Someone holding exactly one role, signed with the development issuer like a demo user. Demo editors are
    /// drafters too; a single role lets every rule of the table show on its own.
    /// </summary>
    public static Person PersonWith(this AppFixture app, Role role, string? country)
    {
        var id = $"only-{role}-{country ?? "none"}".ToLowerInvariant();
        var token = app.Host.Services.GetRequiredService<DevTokenIssuer>()
            .Issue(new DemoUser(id, $"{role} of {country ?? "no country"}", country, [role]), TimeSpan.FromHours(1));
        var client = app.Host.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new Person(id, client);
    }

    public static Person Anonymous(this AppFixture app) => new("anonymous", app.Host.Server.CreateClient());

    public static string? Token(this Person person) => person.Http.DefaultRequestHeaders.Authorization?.Parameter;

    /// <summary>The refusal a reader gets for a draft they may not see: the same words as for a draft that does not exist.</summary>
    public const string HiddenDraftDetail = "The draft does not exist or is not visible to you.";

    public static async Task<bool> IsHiddenDraft(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.NotFound) return false;
        var body = await response.Content.ReadAsStringAsync();
        return body.Contains(HiddenDraftDetail);
    }

    /// <summary>
    /// Calls a hub method over a real SignalR connection and returns the status the refusal names (403, 404),
    /// or 200 when the call went through.
    /// </summary>
    public static async Task<(int Status, string? Error)> InvokesHub(this Person person, AppFixture app, string hubPath, string method,
        params object?[] arguments)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(app.Host.Server.BaseAddress, hubPath), options =>
            {
                options.Transports = HttpTransportType.LongPolling;
                options.HttpMessageHandlerFactory = _ => app.Host.Server.CreateHandler();
                options.AccessTokenProvider = () => Task.FromResult(person.Token());
            })
            .Build();
        try
        {
            await connection.StartAsync();
            await connection.InvokeCoreAsync(method, typeof(object), arguments);
            return (200, null);
        }
        catch (HubException refused)
        {
            // The server's access filter starts every refusal with the HTTP status the same request would get;
            // SignalR puts it after "HubException: ".
            var status = System.Text.RegularExpressions.Regex.Match(refused.Message, @"HubException: (\d{3}) ");
            return (status.Success ? int.Parse(status.Groups[1].Value) : 500, refused.Message);
        }
        catch (HttpRequestException unauthorised) when (unauthorised.StatusCode == HttpStatusCode.Unauthorized)
        {
            return (401, unauthorised.Message);
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }
}
