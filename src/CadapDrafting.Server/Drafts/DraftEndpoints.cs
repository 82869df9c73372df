using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using Marten;

namespace CadapDrafting.Drafts;

public static class DraftEndpoints
{
    public static void MapDraftEndpoints(this WebApplication app)
    {
        var drafts = app.MapGroup("/api/drafts").WithTags("Drafts");

        drafts.MapPost("/", (HttpContext http, DraftWriter writer, CreateDraft command) =>
            {
                // The draft's id follows from the command id within its sender's own ids, so a retried creation names the
                // same draft and another user's id names another draft.
                if (!HttpCommands.TryReadCommandId(http, out var commandId, out var problem)) return Task.FromResult(problem!);
                var draftId = Idempotency.NewIdOf(commandId, Actor.FromPrincipal(http.User).UserId, "draft");
                return HttpCommands.SendAsync(http, writer, draftId, command, _ => $"/api/drafts/{draftId}");
            })
            .Returns<DraftCreatedResult>()
            .Example(new CreateDraft("KG", DraftKind.ActionPlan,
                    new()
                    {
                        ["ru"] = "План действий по реализации Антинаркотической программы на 2026–2030 годы",
                        ["en"] = "Action plan of the Anti-Drug Programme 2026–2030"
                    }, 2026, 2030),
                new DraftCreatedResult(ApiExamples.DraftId), position: 1)
            .Requires(DraftAction.Create).WithSummary("Create a draft (strategy, action plan or law) for your country")
            .Produces<CommandAccepted>(201).ProducesValidationProblem(422).ProducesProblem(403);

        drafts.MapGet("/", async (HttpContext http, IQuerySession session, string? country, DraftStatus? status) =>
            {
                var actor = Actor.FromPrincipal(http.User);
                var all = await DraftStore.QueryAsync(session, query =>
                {
                    if (!string.IsNullOrEmpty(country)) query = query.Where(d => d.Country == country.ToUpperInvariant());
                    return status is { } s ? query.Where(d => d.Status == s) : query;
                }, http.RequestAborted);
                return all.Where(d => AccessPolicy.Allows(actor, DraftAction.Read, d))
                    .OrderBy(d => d.Country).ThenBy(d => d.PeriodStart)
                    .Select(DraftSummary.Of).ToList();
            })
            .OpenToAnySignedInUser("lists only the drafts the caller may read").WithSummary("The drafts you may see, by country and status");

        drafts.MapGet("/{draftId:guid}", async (HttpContext http, IQuerySession session, Guid draftId) =>
            {
                var (draft, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId);
                if (refusal is not null) return refusal;
                var actor = Actor.FromPrincipal(http.User);
                // What the caller may do is part of the answer, so the ETag names the caller too.
                return DraftReads.NotModified(http, draft!,
                    $"-{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(actor.UserId)))[..12]}")
                    ? Results.StatusCode(304)
                    : Results.Ok(DraftDocument.Of(draft!) with { AllowedActions = AllowedActions.For(actor, draft!) });
            })
            .Requires(DraftAction.Read).WithSummary("The draft as a numbered document with text per language and what the caller may do on it now")
            .Produces<DraftDocument>().ProducesProblem(404);

        drafts.MapGet("/{draftId:guid}/activity", async (HttpContext http, IQuerySession session, Guid draftId, long? before, int? limit) =>
            {
                var (draft, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId);
                if (refusal is not null) return refusal;
                var page = await ActivityFeed.PageAsync(session, draftId, before, Math.Clamp(limit ?? 50, 1, 500), http.RequestAborted);
                return DraftReads.HiddenParts(http) is { } hidden
                    ? Results.Ok(page.Where(e => !hidden.Hides(e.Data)).ToList())
                    : Results.Ok(page);
            })
            .Requires(DraftAction.Read).WithSummary("What happened to the draft, newest first: who, when, why")
            .Produces<List<ActivityEntry>>();
    }
}
