using CadapDrafting.Live;

namespace CadapDrafting.SignOff;

/// <summary>What sign-off events change for viewers: the sign-off status, and the lifecycle when the draft is adopted.</summary>
public static class SignOffUpdateParts
{
    public static IServiceCollection AddSignOffUpdateParts(this IServiceCollection services) => services
        .AddUpdateParts<ApprovalPolicySet>((view, _) => [SignOffs(view)])
        .AddUpdateParts<RevisionSignedOff>((view, _) => [SignOffs(view)])
        .AddUpdateParts<SignOffRefused>((view, _) => [SignOffs(view)])
        .AddUpdateParts<SignOffDismissed>((view, _) => [SignOffs(view)])
        .AddUpdateParts<DraftApproved>((view, _) => [SignOffs(view), view.Lifecycle()]);

    private static UpdatePart SignOffs(UpdateView view) => view.Part("signoff", view.Draft.Id, SignOffStatusView.Of(view.Draft));
}
