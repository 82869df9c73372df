using CadapDrafting.Programme;
using CadapDrafting.SignOff;
using CadapDrafting.Comments;
using CadapDrafting.Identity;
using System.Text.Json.Serialization;
using CadapDrafting.Drafts;
using CadapDrafting.Infrastructure;
using Marten;
using Microsoft.AspNetCore.SignalR;

namespace CadapDrafting.Live;

public static class LiveEndpoints
{
    /// <summary>The hub, its JSON protocol (camelCase, enums as strings: the .NET and JavaScript clients read the same) and the push.</summary>
    public static IServiceCollection AddLive(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection("Live").Get<LiveLimits>() ?? new LiveLimits());
        services.AddSingleton<LiveConnections>();
        services.AddSignalR(o =>
            {
                // Before the access filter: a call over the person's limit costs no database read.
                o.AddFilter<LiveConnectionGuard>();
                // Often enough that a browser, waiting 4 s for any sign of life, says "reconnecting" within 5 s of a lost network.
                o.KeepAliveInterval = TimeSpan.FromSeconds(configuration.GetValue("Live:KeepAliveSeconds", 1.5));
                // A connection that vanished without closing is dropped (and leaves presence) after this.
                o.ClientTimeoutInterval = TimeSpan.FromSeconds(configuration.GetValue("Live:ClientTimeoutSeconds", 30));
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddSingleton<DraftUpdateRenderer>();
        services.AddSingleton<DraftUpdateFeed>();
        services.AddSingleton<LiveConnectionGuard>();
        services.AddSingleton<IPresenceStore, InMemoryPresenceStore>();
        services.AddDraftCommitObserver<LivePush>();
        services.AddDraftingUpdateParts();
        services.AddCommentUpdateParts();
        services.AddSignOffUpdateParts();
        services.AddProgrammeUpdateParts();
        return services;
    }

    public static void MapLiveEndpoints(this WebApplication app)
    {
        var limits = app.Services.GetRequiredService<LiveLimits>();
        app.MapHub<DraftHub>(DraftHub.Path, o =>
        {
            // What the server holds for a client that has not read it yet; see StallGuardedTransport for what happens beyond.
            o.TransportMaxBufferSize = limits.ViewerBufferKilobytes * 1024L;
            o.CloseOnAuthenticationExpiration = true;
        });

        app.MapGet("/api/drafts/{draftId:guid}/updates", async (HttpContext http, IQuerySession session, DraftUpdateFeed feed,
                Guid draftId, long? after) =>
            {
                var (draft, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId, withProposalsAndThreads: false);
                if (refusal is not null) return refusal;
                if (after is not { } from || from < 0)
                    return HttpCommands.ToResult(http, Problem.Invalid("after", "Name the last position you applied (0 for none)."));
                if (from > draft!.Position)
                    return HttpCommands.ToResult(http, Problem.Invalid("after",
                        $"The draft is at position {draft.Position}; {from} is beyond it. Reload the document."));
                return Results.Ok(await feed.ForViewerAsync(session, Actor.FromPrincipal(http.User), draft, from, http.RequestAborted));
            })
            .WithTags("Live").Requires(DraftAction.Read)
            .WithSummary("The changes after a position, in order (catch-up); reload = true when too far behind to replay")
            .Produces<UpdatesSince>().ProducesValidationProblem(422).ProducesProblem(404);
    }
}
