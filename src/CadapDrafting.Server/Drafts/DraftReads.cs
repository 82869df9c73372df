using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using Marten;

namespace CadapDrafting.Drafts;

/// <summary>Loading a draft for a reader: invisible drafts are 404, exactly like missing ones.</summary>
public static class DraftReads
{
    /// <summary>
    /// The draft, if the caller may do what the endpoint declares (<see cref="RequiresDraftActionAttribute"/>;
    /// reading when it declares nothing): invisible is 404 like missing, visible but not allowed is 403.
    /// </summary>
    /// <param name="withProposalsAndThreads">false when the endpoint needs only the draft's own document (access, position).</param>
    public static async Task<(Draft? Draft, IResult? Refusal)> LoadVisibleAsync(HttpContext http, IQuerySession session, Guid draftId,
        bool withProposalsAndThreads = true)
    {
        // Access is decided on the draft's own document (country, sharing, status) before its proposals and threads are
        // read, so a private draft is refused as fast as a missing one, however much it holds.
        var draft = await DraftStore.LoadOwnDocumentAsync(session, draftId, http.RequestAborted);
        if (draft is null) return (null, HttpCommands.ToResult(http, Problem.NotFound("The draft")));
        var actor = Actor.FromPrincipal(http.User);
        var action = http.GetEndpoint()?.Metadata.GetMetadata<RequiresDraftActionAttribute>()?.Action ?? DraftAction.Read;
        if (AccessPolicy.Check(actor, action, draft) is { } refusal)
        {
            var log = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(AccessLog.Category);
            AccessLog.Denied(log, actor, action.ToString(), draftId, $"{http.Request.Method} {http.Request.Path}", refusal.Status);
            return (null, HttpCommands.ToResult(http, refusal));
        }
        if (withProposalsAndThreads)
        {
            draft = await DraftStore.LoadAsync(session, draftId, http.RequestAborted);
            if (draft is null) return (null, HttpCommands.ToResult(http, Problem.NotFound("The draft")));
            // What the reader may not see of the discussion is left out here, once, for every read built on this draft.
            var hidden = Comments.Audience.HiddenFrom(actor, draft);
            http.Items[HiddenPartsKey] = hidden;
            Comments.Audience.Trim(draft, hidden);
        }
        return (draft, null);
    }

    private const string HiddenPartsKey = "cadap.hiddenParts";

    /// <summary>The threads and comments left out of the draft <see cref="LoadVisibleAsync"/> returned: to filter its events alike.</summary>
    public static Comments.HiddenParts? HiddenParts(HttpContext http) => http.Items[HiddenPartsKey] as Comments.HiddenParts;

    /// <summary>An ETag from the draft's position: a client that is up to date gets 304.</summary>
    public static bool NotModified(HttpContext http, Draft draft, string variant = "")
    {
        var etag = $"W/\"{draft.Id:N}-{draft.Position}{variant}\"";
        http.Response.Headers.ETag = etag;
        http.Response.Headers[HttpCommands.PositionHeader] = draft.Position.ToString();
        return http.Request.Headers.IfNoneMatch.Contains(etag);
    }
}
