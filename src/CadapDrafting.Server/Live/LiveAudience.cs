using CadapDrafting.Identity;

namespace CadapDrafting.Live;

/// <summary>
/// Who may follow a draft live. Reading is not always enough: someone who reads a draft only because it was
/// opened to the public (a CSO) follows it live only while a public consultation round is open; when the round
/// closes they leave the draft's groups and receive nothing more. Everyone else follows while they may read.
/// Such public readers sit in a group of their own, which is sent only the changes made while a public round
/// is open, so the rule holds for connections on every node.
/// </summary>
public static class LiveAudience
{
    public static bool MayFollow(Actor actor, AccessPolicy.DraftScope draft) =>
        AccessPolicy.Allows(actor, DraftAction.Read, draft) && (draft.InPublicConsultation || !ReadsOnlyBecausePublic(actor, draft));

    public static bool ReadsOnlyBecausePublic(Actor actor, AccessPolicy.DraftScope draft) =>
        !AccessPolicy.Allows(actor, DraftAction.Read, draft with { SharedWithPublic = false });
}
