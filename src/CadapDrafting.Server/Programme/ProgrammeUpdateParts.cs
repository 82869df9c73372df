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
        .AddUpdateParts<ProposalAccepted>((view, _) => [Programme(view)])
        .AddUpdateParts<TranslationConfirmed>((view, _) => [Programme(view)])
        .AddUpdateParts<GoodPracticeMarked>((view, _) => [GoodPractice(view)])
        .AddUpdateParts<GoodPracticeUnmarked>((view, _) => [GoodPractice(view)])
        .AddUpdateParts<GoodPracticeCitationRecorded>((view, _) => [GoodPractice(view)]);

    private static UpdatePart Programme(UpdateView view) => view.Part("programme", view.Draft.Id, ProgrammeViews.Of(view.Draft));

    private static UpdatePart GoodPractice(UpdateView view) => view.Part("goodPractice", view.Draft.Id, DraftGoodPractice.Of(view.Draft));
}
