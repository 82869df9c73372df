using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace CadapDrafting.Web;

/// <summary>
/// The browser app: static files (index.html, ES modules, styles, the SignalR client) served before
/// authentication, since the app signs in through the API itself; every data request it makes is an
/// ordinary authenticated API call. App routes (a draft's address) fall back to index.html.
/// </summary>
public static class WebApp
{
    /// <summary>Paths the app routes itself; a reload or a shared link must land on the app, not a 404.</summary>
    public static readonly string[] AppRoutes = ["/drafts/{**rest}", "/sign-in", "/import", "/inbox", "/search", "/programme/{**rest}"];

    public static void UseWebApp(this WebApplication app)
    {
        var files = Files(app);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            // Revalidate every time (ETag/Last-Modified): modules change together with the server.
            OnPrepareResponse = c => c.Context.Response.Headers[HeaderNames.CacheControl] = "no-cache",
        });
        foreach (var route in AppRoutes)
            app.MapFallbackToFile(route, "index.html", new StaticFileOptions { FileProvider = files }).AllowAnonymous();
    }

    /// <summary>The web root: <c>Web:Root</c> when configured (a host started from another project's output), else the host's.</summary>
    private static IFileProvider Files(WebApplication app)
    {
        var configured = app.Configuration["Web:Root"];
        if (!string.IsNullOrEmpty(configured)) return new PhysicalFileProvider(Path.GetFullPath(configured));
        return app.Environment.WebRootFileProvider;
    }
}
