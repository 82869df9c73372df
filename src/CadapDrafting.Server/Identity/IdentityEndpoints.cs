namespace CadapDrafting.Identity;

public static class IdentityEndpoints
{
    public sealed record SignInRequest(string UserId);
    public sealed record SignInResponse(string Token, DemoUser User);

    public static void MapIdentityEndpoints(this WebApplication app)
    {
        app.MapGet("/api/me", (HttpContext http) => Actor.FromPrincipal(http.User))
            .WithTags("Identity").OpenToAnySignedInUser("about the caller only").WithSummary("Who the bearer token belongs to");

        if (app.Services.GetService<DevTokenIssuer>() is null) return;

        var dev = app.MapGroup("/api/dev").WithTags("Development sign-in").AllowAnonymous();
        dev.MapGet("/users", (DemoUsers users) => users.All).WithSummary("The demo users (development only)");
        dev.MapPost("/sign-in", IResult (SignInRequest request, DemoUsers users, DevTokenIssuer issuer) =>
                users.Find(request.UserId ?? "") is { } user
                    ? TypedResults.Ok(new SignInResponse(issuer.Issue(user, TimeSpan.FromHours(12)), user))
                    : TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no demo user '{request.UserId}'."))
            .WithSummary("Sign in as a demo user (development only)");
    }
}
