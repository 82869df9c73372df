using CadapDrafting.Drafts;
using Marten;
using Microsoft.AspNetCore.SignalR;

namespace CadapDrafting.Identity;

/// <summary>
/// The access policy for hub methods, the same table as for HTTP. A hub method declares its action with
/// <see cref="RequiresDraftActionAttribute"/> and names the draft in a <c>Guid draftId</c> parameter; a method
/// that declares nothing is refused (deny by default). Refusals are <see cref="HubException"/>s whose message
/// starts with the HTTP status the same request would get: "404" when the caller may not see the draft,
/// "403" when they may see it but not do this.
/// </summary>
public sealed class DraftHubAccessFilter(IDocumentStore store, ILoggerFactory loggers) : IHubFilter
{
    public const string DraftIdParameter = "draftId";
    private readonly ILogger _log = loggers.CreateLogger(AccessLog.Category);

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var user = invocation.Context.User ?? new System.Security.Claims.ClaimsPrincipal();
        var method = $"{invocation.Hub.GetType().Name}.{invocation.HubMethodName}";
        if (invocation.HubMethod.GetCustomAttributes(typeof(RequiresDraftActionAttribute), true).FirstOrDefault()
            is not RequiresDraftActionAttribute required)
        {
            AccessLog.Denied(_log, user, "undeclared hub method", null, method, 403);
            throw new HubException("403 Forbidden: this hub method declares no access rule, so nobody may call it.");
        }

        var draftId = DraftIdOf(invocation);
        if (draftId is null)
        {
            AccessLog.Denied(_log, user, required.Action.ToString(), null, method, 403);
            throw new HubException($"403 Forbidden: {method} names no draft, so its access cannot be checked.");
        }

        var actor = Actor.FromPrincipal(user);
        await using var session = store.QuerySession();
        var draft = await DraftStore.LoadOwnDocumentAsync(session, draftId.Value);
        var refusal = draft is null ? Infrastructure.Problem.NotFound("The draft") : AccessPolicy.Check(actor, required.Action, draft);
        if (refusal is not null)
        {
            AccessLog.Denied(_log, actor, required.Action.ToString(), draftId, method, refusal.Status);
            throw new HubException($"{refusal.Status} {refusal.Title}: {refusal.Detail}");
        }
        return await next(invocation);
    }

    private static Guid? DraftIdOf(HubInvocationContext invocation)
    {
        var parameters = invocation.HubMethod.GetParameters();
        for (var i = 0; i < parameters.Length && i < invocation.HubMethodArguments.Count; i++)
            if (parameters[i].Name == DraftIdParameter && invocation.HubMethodArguments[i] is Guid id) return id;
        return null;
    }
}
