using CadapDrafting.Infrastructure;

namespace CadapDrafting.Identity;

/// <summary>
/// The draft action an endpoint or hub method needs. On an endpoint it is metadata (see
/// <see cref="EndpointAccess.Requires{TBuilder}"/>); on a hub method it is an attribute enforced by
/// <see cref="DraftHubAccessFilter"/>. The access matrix test is generated from these declarations.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresDraftActionAttribute(DraftAction action) : Attribute
{
    public DraftAction Action { get; } = action;
}

/// <summary>
/// An endpoint open to every signed-in person because it is about the caller or filters what it returns by
/// the read rule, draft by draft (the list of drafts, the inbox).
/// </summary>
public sealed record ForAnySignedInUser(string Why);

public static class EndpointAccess
{
    /// <summary>Declares the action this endpoint performs on a draft; the policy check itself happens in the
    /// <see cref="DraftWriter"/> (commands) or <c>DraftReads.LoadVisibleAsync</c> (reads).</summary>
    public static TBuilder Requires<TBuilder>(this TBuilder builder, DraftAction action) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiresDraftActionAttribute(action));

    public static TBuilder OpenToAnySignedInUser<TBuilder>(this TBuilder builder, string why) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ForAnySignedInUser(why));

    /// <summary>Whether an endpoint says who may call it: a draft action, any signed-in user, or anonymous.</summary>
    public static bool DeclaresAccess(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<RequiresDraftActionAttribute>() is not null
        || endpoint.Metadata.GetMetadata<ForAnySignedInUser>() is not null
        || endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null;

    /// <summary>
    /// Deny by default: an /api endpoint that declares no access rule answers 403 to everyone, so an endpoint
    /// added without thought is closed rather than open.
    /// </summary>
    public static IApplicationBuilder UseEndpointAccessGuard(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var endpoint = http.GetEndpoint();
        if (endpoint is not null && http.Request.Path.StartsWithSegments("/api") && !DeclaresAccess(endpoint))
        {
            var log = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(AccessLog.Category);
            log.LogError("Endpoint {Endpoint} declares no access rule; refused", endpoint.DisplayName);
            AccessLog.Denied(log, http.User, "undeclared endpoint", null, http.Request.Path, 403);
            await HttpCommands.ToResult(http, Problem.Forbidden("This endpoint declares no access rule, so nobody may call it."))
                .ExecuteAsync(http);
            return;
        }
        await next(http);
    });
}
