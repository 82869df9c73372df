using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.SignalR;

namespace CadapDrafting.Hosting;

/// <summary>Limits, configurable so tests and benchmarks can raise them.</summary>
public sealed class HardeningOptions
{
    /// <summary>The largest request body an /api endpoint reads; commands are small, documents travel as many commands.</summary>
    public long MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Requests one signed-in person (or one address, before signing in) may make per window.</summary>
    public int RequestsPerWindow { get; set; } = 600;

    public int WindowSeconds { get; set; } = 60;

    /// <summary>Limits for named accounts (an import job, a load test) instead of <see cref="RequestsPerWindow"/>.</summary>
    public Dictionary<string, int> RequestsPerWindowByUser { get; set; } = new();

    public int LimitFor(string? userId) =>
        userId is not null && RequestsPerWindowByUser.TryGetValue(userId, out var limit) ? limit : RequestsPerWindow;
}

/// <summary>
/// What every response carries and every request is held to: body size (413), per-user rate (429 with
/// Retry-After), security headers, and the hub access filter.
/// </summary>
public static class Hardening
{
    public const string Section = "Hardening";

    /// <summary>Same-origin only: no inline script, no framing, no plugins, no posting elsewhere.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The API reference page: its viewer is served by this server (no CDN, no font host: the browser test
    /// OpeningTheApiReference checks nothing else is asked for), starts from an inline script, styles inline and uses
    /// eval at run time; it is the one exception.
    /// </summary>
    private const string ApiReferencePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; font-src 'self'; " +
        "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    public static void AddCadapHardening(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(Section).Get<HardeningOptions>() ?? new HardeningOptions();
        builder.Services.AddSingleton(options);
        builder.Services.Configure<HubOptions>(hub => hub.AddFilter<DraftHubAccessFilter>());
        // Every script of the drafts travels unescaped, but < > & ' " never appear raw in a response, so text
        // that looks like markup stays inert even where a response is mistaken for HTML.
        builder.Services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                IsExempt(http)
                    ? RateLimitPartition.GetNoLimiter("exempt")
                    : RateLimitPartition.GetFixedWindowLimiter(PartitionKey(http), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = options.LimitFor(UserId(http)),
                        Window = TimeSpan.FromSeconds(options.WindowSeconds),
                        QueueLimit = 0,
                    }));
            limiter.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? (int)Math.Ceiling(wait.TotalSeconds)
                    : options.WindowSeconds;
                var http = context.HttpContext;
                http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await HttpCommands.ToResult(http, new Problem(429, "Too many requests",
                        $"You have sent more than {options.LimitFor(UserId(http))} requests in {options.WindowSeconds} s. Try again in " +
                            $"{retryAfter} s."))
                    .ExecuteAsync(http);
            };
        });
    }

    /// <summary>Headers first, then body limits; the rate limiter goes after authentication (see <see cref="UseRateLimitsPerUser"/>).</summary>
    public static void UseSecurityHeadersAndBodyLimit(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<HardeningOptions>();
        app.Use(async (http, next) =>
        {
            // Set when the response starts, so a response the exception handler wrote (after clearing the headers) has them too.
            http.Response.OnStarting(() =>
            {
                SetSecurityHeaders(http);
                return Task.CompletedTask;
            });
            SetSecurityHeaders(http);

            // Word uploads are limited (20 MB) and refused with a reason by the import endpoints themselves.
            if (HasBody(http.Request) && http.Request.Path.StartsWithSegments("/api") && !Import.ImportEndpoints.IsUpload(http.Request.Path)
                && !await BodyFits(http, options.MaxRequestBodyBytes))
            {
                await HttpCommands.ToResult(http, new Problem(413, "Request too large",
                    $"The request body is larger than the {options.MaxRequestBodyBytes / 1024} KB a command may be. Split large texts into several " +
                        "commands."))
                    .ExecuteAsync(http);
                return;
            }
            await next(http);
        });
    }

    private static void SetSecurityHeaders(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments("/api-reference") ? ApiReferencePolicy : ContentSecurityPolicy;
        if (http.Request.IsHttps) headers.StrictTransportSecurity = "max-age=31536000";
    }

    public static void UseRateLimitsPerUser(this WebApplication app) => app.UseRateLimiter();

    /// <summary>
    /// Health probes, and the hub's transport (negotiate, long polls, Server-Sent Events, the WebSocket upgrade):
    /// a poll is not an API request, and the hub holds calls to limits of its own (<see cref="Live.LiveLimits"/>).
    /// </summary>
    private static bool IsExempt(HttpContext http) =>
        http.Request.Path.StartsWithSegments("/health") || http.Request.Path.StartsWithSegments(Live.DraftHub.Path);

    // --- Deployment safety: anonymous budgets (issue 15) ---
    /// <summary>
    /// The signed-in person; before sign-in, the client's address (the real one behind the configured proxy) and
    /// what it asks for: calls that need a token, the sign-in, and the public documents (OpenAPI, API reference,
    /// web app) each have a budget of their own, so a client spending one budget on refused calls locks nobody
    /// out of the documents or of signing in.
    /// </summary>
    private static string PartitionKey(HttpContext http) =>
        UserId(http) is { } userId ? "user:" + userId : $"address:{http.Connection.RemoteIpAddress}:{AnonymousArea(http.Request.Path)}";

    private static string AnonymousArea(PathString path) =>
        path.StartsWithSegments("/api/dev") ? "sign-in"
        : path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs") ? "api"
        : "documents";
    // --- end deployment safety ---

    private static string? UserId(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true
            ? http.User.FindFirstValue("sub") ?? http.User.FindFirstValue(ClaimTypes.NameIdentifier)
            : null;

    private static bool HasBody(HttpRequest request) => request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;

    /// <summary>
    /// A declared length is judged before reading; a streamed body is read up to the limit into memory
    /// (at most 256 KB by default) so an oversized one is refused before any endpoint sees half of it.
    /// </summary>
    private static async Task<bool> BodyFits(HttpContext http, long limit)
    {
        if (http.Request.ContentLength is { } declared) return declared <= limit;
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = limit;
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit) return false;
            buffer.Write(chunk, 0, read);
        }
        buffer.Position = 0;
        http.Request.Body = buffer;
        http.Request.ContentLength = buffer.Length;
        return true;
    }
}
