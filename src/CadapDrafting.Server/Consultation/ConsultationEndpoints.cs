using CadapDrafting.Identity;
using CadapDrafting.Drafts;
using CadapDrafting.Infrastructure;
using Marten;

namespace CadapDrafting.Consultation;

public static class ConsultationEndpoints
{
    public sealed record CloseRequest(string? Reason);

    public static void MapConsultationEndpoints(this WebApplication app)
    {
        var drafts = app.MapGroup("/api/drafts/{draftId:guid}").WithTags("Consultation");

        drafts.MapPost("/rounds", (HttpContext http, DraftWriter writer, Guid draftId, OpenConsultationRound command) =>
                HttpCommands.SendAsync(http, writer, draftId, command))
            .Returns<RoundResult>()
            .Example(new OpenConsultationRound(new DateTimeOffset(2026, 3, 31, 18, 0, 0, TimeSpan.FromHours(6)), IsPublic: false,
                    "Consultation with the EU experts of the programme"),
                new RoundResult(1), position: 45)
            .Requires(DraftAction.ManageLifecycle).WithSummary("Open a consultation round: shares the draft with EU experts (and CSOs when public) " +
                "until endsAt")
            .Produces<CommandAccepted>().ProducesProblem(409).ProducesValidationProblem(422).ProducesProblem(403);

        drafts.MapPost("/rounds/current/close", (HttpContext http, DraftWriter writer, Guid draftId, CloseRequest? body) =>
                HttpCommands.SendAsync(http, writer, draftId, new CloseConsultationRound(body?.Reason)))
            .Returns<RoundResult>()
            .Requires(DraftAction.ManageLifecycle).WithSummary("Close the open consultation round; the draft returns to Drafting")
            .Produces<CommandAccepted>().ProducesProblem(409).ProducesProblem(403);

        drafts.MapPost("/comments/{commentId:guid}/disposition", (HttpContext http, DraftWriter writer, Guid draftId, Guid commentId,
                DispositionRequest body) =>
                HttpCommands.SendAsync(http, writer, draftId, new RecordDisposition(commentId, body.Disposition, body.Reason)))
            .Returns<DispositionResult>()
            .Requires(DraftAction.DisposeComment).WithSummary("Answer a reviewer comment of a round: Accepted, PartlyAccepted, or Rejected with a " +
                "reason")
            .Produces<CommandAccepted>().ProducesValidationProblem(422).ProducesProblem(404).ProducesProblem(403);

        drafts.MapGet("/rounds", async (HttpContext http, IQuerySession session, TimeProvider clock, Guid draftId) =>
            {
                var (draft, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId);
                if (refusal is not null) return refusal;
                var now = clock.GetUtcNow();
                return Results.Ok(draft!.Rounds.Select(r => RoundStatus.Of(draft, r, now)).ToList());
            })
            .Requires(DraftAction.Read).WithSummary("The consultation rounds and where each stands").Produces<List<RoundStatus>>();

        drafts.MapGet("/rounds/{number:int}/matrix", async (HttpContext http, IQuerySession session, TimeProvider clock, Guid draftId,
                int number) =>
            {
                var (draft, round, refusal) = await LoadRoundAsync(http, session, draftId, number);
                return refusal ?? Results.Ok(CommentMatrix.Of(draft!, round!, clock.GetUtcNow()));
            })
            .Requires(DraftAction.Read).WithSummary("The comment–response matrix of a round: every reviewer comment with its disposition")
            .Produces<CommentMatrixView>().ProducesProblem(404);

        drafts.MapGet("/rounds/{number:int}/matrix.csv", async (HttpContext http, IQuerySession session, TimeProvider clock, Guid draftId,
                int number) =>
            {
                var (draft, round, refusal) = await LoadRoundAsync(http, session, draftId, number);
                if (refusal is not null) return refusal;
                return Results.File(CommentMatrix.ToCsv(CommentMatrix.Of(draft!, round!, clock.GetUtcNow())),
                    "text/csv; charset=utf-8", $"comment-response-matrix-round-{number}.csv");
            })
            .Requires(DraftAction.Read).WithSummary("The comment–response matrix of a round as CSV")
            .Produces(200, contentType: "text/csv").ProducesProblem(404);
    }

    public sealed record DispositionRequest(DispositionKind Disposition, string? Reason);

    private static async Task<(Draft?, ConsultationRound?, IResult?)> LoadRoundAsync(HttpContext http, IQuerySession session, Guid draftId,
        int number)
    {
        var (draft, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId);
        if (refusal is not null) return (null, null, refusal);
        var round = draft!.Rounds.FirstOrDefault(r => r.Number == number);
        // A round that was not public stays with the team and the EU experts: to a public-only reader it does not exist.
        if (round is { IsPublic: false } && Comments.Audience.ScopeOf(Actor.FromPrincipal(http.User), draft) == Comments.ReaderScope.PublicRounds)
            round = null;
        return round is null
            ? (null, null, HttpCommands.ToResult(http, Problem.NotFound($"Consultation round {number}")))
            : (draft, round, null);
    }
}
