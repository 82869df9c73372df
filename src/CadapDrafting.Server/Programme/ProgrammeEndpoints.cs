using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using Marten;

namespace CadapDrafting.Programme;

public static class ProgrammeEndpoints
{
    public sealed record ReasonRequest(string? Reason);
    public sealed record MarkRequest(Guid NodeId, string? Reason);

    public static void MapProgrammeEndpoints(this WebApplication app)
    {
        var draft = app.MapGroup("/api/drafts/{draftId:guid}").WithTags("Programme");

        draft.MapGet("/programme", (HttpContext http, IQuerySession session, Guid draftId) =>
                ReadAsync(http, session, draftId, "-programme", d => ProgrammeViews.Of(d)))
            .Requires(DraftAction.Read).WithSummary("Balance by pillar, SDG and commitment coverage, human-rights and gender markers, " +
                "differentiated responses, " +
                         "the quality list and translation status, as of the draft's position")
            .Produces<ProgrammeView>().ProducesProblem(404);

        draft.MapGet("/translations", (HttpContext http, IQuerySession session, Guid draftId) =>
                ReadAsync(http, session, draftId, "-translations", d => Translations.StatusOf(d)))
            .Requires(DraftAction.Read).WithSummary("Per language: nodes up to date with the source text, stale (the source changed since) or " +
                "missing")
            .Produces<TranslationStatus>().ProducesProblem(404);

        draft.MapPost("/nodes/{nodeId:guid}/translations/{language}/confirm",
                (HttpContext http, DraftWriter writer, Guid draftId, Guid nodeId, string language, ReasonRequest? body) =>
                    HttpCommands.SendAsync(http, writer, draftId, new ConfirmTranslation(nodeId, language, body?.Reason)))
            .Returns<TranslationConfirmedResult>()
            .Requires(DraftAction.DecideProposal).WithSummary("Confirm that a stale translation still matches the changed source text")
            .Produces<CommandAccepted>().ProducesValidationProblem(422).ProducesProblem(409).ProducesProblem(404).ProducesProblem(403);

        draft.MapGet("/good-practice", async (HttpContext http, IQuerySession session, Guid draftId) =>
            {
                var (draft, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId);
                if (refusal is not null) return refusal;
                var reader = Actor.FromPrincipal(http.User);
                var citing = (await DraftStore.QueryOwnDocumentsAsync(session, http.RequestAborted))
                    .Where(d => draft!.GoodPracticeCitations.Any(c => c.CitingDraftId == d.Id)).ToDictionary(d => d.Id);
                return Results.Ok(DraftGoodPractice.Of(draft!,
                    id => id == draftId || citing.TryGetValue(id, out var d) && AccessPolicy.Allows(reader, DraftAction.Read, d)));
            })
            .Requires(DraftAction.Read).WithSummary("The draft's actions offered as good practice, who cited them, and what its proposals adapted " +
                "from others")
            .Produces<DraftGoodPractice>().ProducesProblem(404);

        draft.MapPost("/good-practice", (HttpContext http, DraftWriter writer, Guid draftId, MarkRequest body) =>
                HttpCommands.SendAsync(http, writer, draftId, new MarkGoodPractice(body.NodeId, body.Reason ?? "")))
            .Returns<GoodPracticeResult>()
            .Requires(DraftAction.DecideProposal).WithSummary("Offer an action to the good-practice library (the country's editor), saying why")
            .Produces<CommandAccepted>().ProducesValidationProblem(422).ProducesProblem(409).ProducesProblem(404).ProducesProblem(403);

        draft.MapPost("/good-practice/{nodeId:guid}/unmark", (HttpContext http, DraftWriter writer, Guid draftId, Guid nodeId, ReasonRequest body) =>
                HttpCommands.SendAsync(http, writer, draftId, new UnmarkGoodPractice(nodeId, body.Reason ?? "")))
            .Returns<GoodPracticeResult>()
            .Requires(DraftAction.DecideProposal).WithSummary("Take an action out of the good-practice library; citations made stay recorded")
            .Produces<CommandAccepted>().ProducesValidationProblem(422).ProducesProblem(409).ProducesProblem(403);

        var programme = app.MapGroup("/api").WithTags("Programme");

        programme.MapGet("/programme/comparison", async (HttpContext http, IQuerySession session) =>
            {
                var actor = Actor.FromPrincipal(http.User);
                var drafts = await DraftStore.QueryOwnDocumentsAsync(session, http.RequestAborted);
                return Results.Ok(Comparison.Of(drafts.Where(d => AccessPolicy.Allows(actor, DraftAction.Read, d))));
            })
            .OpenToAnySignedInUser("lists only the drafts the caller may read").WithSummary("The drafts you may see, side by side by pillar and " +
                "SDG target")
            .Produces<Comparison>();

        programme.MapGet("/good-practice", async (HttpContext http, IQuerySession session, string? q, Pillar? pillar, string? sdg,
                string? country) =>
            {
                if (!GoodPracticeLibrary.MayBrowse(Actor.FromPrincipal(http.User)))
                    return HttpCommands.ToResult(http, Problem.Forbidden(
                        "The good-practice library is open to drafting teams, EU experts and auditors."));
                return Results.Ok(await GoodPracticeLibrary.SearchAsync(session, Actor.FromPrincipal(http.User), q, pillar, sdg, country,
                    http.RequestAborted));
            })
            .Requires(DraftAction.BrowseGoodPractice).WithSummary("Good practice across countries: marked actions only (text and attributes), " +
                "searchable by text, pillar, SDG target and country")
            .Produces<List<GoodPracticeEntry>>().ProducesProblem(403);
    }

    private static async Task<IResult> ReadAsync<T>(HttpContext http, IQuerySession session, Guid draftId, string variant, Func<Draft, T> view)
    {
        var (draft, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId);
        if (refusal is not null) return refusal;
        return DraftReads.NotModified(http, draft!, variant) ? Results.StatusCode(304) : Results.Ok(view(draft!));
    }
}
