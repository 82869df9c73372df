using System.Security.Claims;

namespace CadapDrafting.Identity;

/// <summary>Every refused access, with who tried what on which draft: the trail a security review reads.</summary>
public static partial class AccessLog
{
    public const string Category = "CadapDrafting.Access";

    public static void Denied(ILogger log, ClaimsPrincipal user, string action, Guid? draftId, string target, int status) =>
        Denied(log, user.FindFirstValue("sub") ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous", action, draftId, target, status);

    public static void Denied(ILogger log, Actor actor, string action, Guid? draftId, string target, int status) =>
        Denied(log, actor.UserId, action, draftId, target, status);

    [LoggerMessage(EventId = 4030, Level = LogLevel.Warning,
        Message = "Access denied: {User} may not {Action} on draft {DraftId} ({Target}); answered {Status}")]
    public static partial void Denied(ILogger log, string user, string action, Guid? draftId, string target, int status);
}
