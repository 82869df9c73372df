using CadapDrafting.Drafts.Writing;
using Wolverine;

namespace CadapDrafting.Programme;

public static class ProgrammeSetup
{
    public const string CitationQueue = "good-practice-citations";

    public static IServiceCollection AddProgramme(this IServiceCollection services) =>
        services.AddDraftCommitObserver<GoodPracticeCitationObserver>();

    public static void ConfigureWolverine(WolverineOptions opts) =>
        // Durable: a citation survives a restart between the citing commit and the back-link on the cited draft.
        opts.PublishMessage<GoodPracticeCited>().ToLocalQueue(CitationQueue).UseDurableInbox();
}
