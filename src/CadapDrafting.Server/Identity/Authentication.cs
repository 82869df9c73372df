using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CadapDrafting.Identity;

/// <summary>
/// Bearer tokens. In production they come from the configured OpenID Connect provider
/// (<c>Authentication:Authority</c>, <c>Authentication:Audience</c>). In development and tests the
/// server signs them itself for the demo users; that sign-in does not exist in any other environment.
/// </summary>
public static class Authentication
{
    public const string DevIssuer = "cadap-drafting-dev";

    public static void AddCadapAuthentication(this WebApplicationBuilder builder)
    {
        var authority = builder.Configuration["Authentication:Authority"];
        var devSignIn = builder.Environment.IsDevelopment() && string.IsNullOrEmpty(authority);
        var devKey = devSignIn ? DevSigningKey(builder.Configuration) : null;
        if (devKey is not null) builder.Services.AddSingleton(new DevTokenIssuer(devKey));

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            if (devKey is not null)
            {
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = DevIssuer,
                    ValidAudience = DevIssuer,
                    IssuerSigningKey = devKey,
                    NameClaimType = "name",
                    RoleClaimType = "role",
                };
            }
            else
            {
                options.Authority = authority;
                options.Audience = builder.Configuration["Authentication:Audience"];
                // Where the nodes reach the provider by another address than the issuer clients see (a private network),
                // and, only there, without TLS (docker-compose's demo realm).
                if (builder.Configuration["Authentication:MetadataAddress"] is { Length: > 0 } metadata) options.MetadataAddress = metadata;
                options.RequireHttpsMetadata = builder.Configuration.GetValue("Authentication:RequireHttpsMetadata", true);
                options.TokenValidationParameters.NameClaimType = "name";
                options.TokenValidationParameters.RoleClaimType = builder.Configuration["Authentication:RoleClaim"] ?? "role";
            }
            // Browsers cannot set headers on WebSocket requests: the hub takes the token from the query string.
            options.Events = new JwtBearerEvents
            {
                OnMessageReceived = context =>
                {
                    var token = context.Request.Query["access_token"];
                    if (!string.IsNullOrEmpty(token) && context.HttpContext.Request.Path.StartsWithSegments("/hubs"))
                        context.Token = token;
                    return Task.CompletedTask;
                },
            };
        });
        builder.Services.AddAuthorization(options =>
        {
            options.FallbackPolicy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        });
    }

    /// <summary>A configured key lets several development nodes accept each other's tokens; otherwise one per process.</summary>
    private static SymmetricSecurityKey DevSigningKey(IConfiguration configuration)
    {
        var configured = configuration["Authentication:DevSigningKey"];
        var bytes = string.IsNullOrEmpty(configured)
            ? RandomNumberGenerator.GetBytes(32)
            : SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(configured));
        return new SymmetricSecurityKey(bytes);
    }
}

public sealed class DevTokenIssuer(SymmetricSecurityKey key)
{
    public string Issue(DemoUser user, TimeSpan lifetime)
    {
        var claims = new List<Claim> { new("sub", user.Id), new("name", user.Name) };
        if (user.Country is not null) claims.Add(new Claim(Actor.CountryClaim, user.Country));
        claims.AddRange(user.Roles.Select(r => new Claim("role", r.ToString())));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authentication.DevIssuer,
            Audience = Authentication.DevIssuer,
            Subject = new ClaimsIdentity(claims),
            Expires = DateTime.UtcNow.Add(lifetime),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }
}
