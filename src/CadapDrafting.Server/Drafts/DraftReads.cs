using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using Marten;

namespace CadapDrafting.Drafts;

/// <summary>Loading a draft for a reader: invisible drafts are 404, exactly like missing ones.</summary>
public static class DraftReads
{
    public static async Task<(Draft? Draft, IResult? Refusal)> LoadVisibleAsync(HttpContext http, IQuerySession session, Guid draftId)
    {
        var draft = await session.LoadAsync<Draft>(draftId, http.RequestAborted);
        var actor = Actor.FromPrincipal(http.User);
        if (draft is null || !AccessPolicy.Allows(actor, DraftAction.Read, draft))
            return (null, HttpCommands.ToResult(http, Problem.NotFound("The draft")));
        return (draft, null);
    }

    /// <summary>An ETag from the draft's position: a client that is up to date gets 304.</summary>
    public static bool NotModified(HttpContext http, Draft draft, string variant = "")
    {
        var etag = $"W/\"{draft.Id:N}-{draft.Position}{variant}\"";
        http.Response.Headers.ETag = etag;
        http.Response.Headers[HttpCommands.PositionHeader] = draft.Position.ToString();
        return http.Request.Headers.IfNoneMatch.Contains(etag);
    }
}
