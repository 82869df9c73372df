using CadapDrafting.Live;
using CadapDrafting.Proposals;

namespace CadapDrafting.Programme;

/// <summary>
/// What changes the programme views: any accepted change (an action added, removed or re-tagged moves the
/// balance, coverage and quality list), a confirmed translation, and the good practice a draft offers.
/// </summary>
public static class ProgrammeUpdateParts
{
    public static IServiceCollection AddProgrammeUpdateParts(this IServiceCollection services) => services
        .AddUpdateParts<ProposalAccepted>((view, e) => ChangesProgramme(view, e) ? [Programme(view)] : [])
        .AddUpdateParts<TranslationConfirmed>((view, _) => [Programme(view)])
        .AddUpdateParts<GoodPracticeMarked>((view, _) => [GoodPractice(view)])
        .AddUpdateParts<GoodPracticeUnmarked>((view, _) => [GoodPractice(view)])
        .AddUpdateParts<GoodPracticeCitationRecorded>((view, _) => [GoodPractice(view)]);

    /// <summary>Rewording a chapter or article leaves the programme views as they were; anything else may move them.</summary>
    private static bool ChangesProgramme(UpdateView view, ProposalAccepted e) =>
        e.Kind != ProposalKind.Amend || view.Draft.Nodes.GetValueOrDefault(e.NodeId)?.Kind is null or Drafts.NodeKind.Action;

    private static UpdatePart Programme(UpdateView view) => view.Part("programme", view.Draft.Id, ProgrammeViews.Of(view.Draft, view.Numbers));

    private static UpdatePart GoodPractice(UpdateView view) => view.Part("goodPractice", view.Draft.Id,
        // Pushed to every viewer of the draft alike: citing drafts are named by country only (the read names them to those who may read them).
        DraftGoodPractice.Of(view.Draft, id => id == view.Draft.Id));
}
