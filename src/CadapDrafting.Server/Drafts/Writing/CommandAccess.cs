using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;

namespace CadapDrafting.Drafts.Writing;

/// <summary>The access step: may this actor send this command to this draft?</summary>
public static class CommandAccess
{
    /// <summary>
    /// Checked before replay, so a command id tells nobody else anything. A sender's own retry needs only read access:
    /// a comment stored just before its round closed is still reported as stored. A draft not created yet has nothing to
    /// check; its creation or a 404 is decided next.
    /// </summary>
    public static Problem? Check(CommandEnvelope envelope, CommandRecord? ownRecord, Draft? draft, ILogger logger)
    {
        if (envelope.Command is not IDraftCommand guarded || draft is null) return null;
        var action = ownRecord is not null ? DraftAction.Read : guarded.Action;
        if (AccessPolicy.Check(envelope.Actor, action, draft) is not { } denied) return null;
        AccessLog.Denied(logger, envelope.Actor, action.ToString(), draft.Id, envelope.Command.GetType().Name, denied.Status);
        return denied;
    }
}
