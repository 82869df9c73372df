using CadapDrafting.Identity;
using CadapDrafting.Drafts;
using CadapDrafting.Infrastructure;
using Marten;

namespace CadapDrafting.Lifecycle;

public static class LifecycleEndpoints
{
    public sealed record ReasonRequest(string? Reason);

    public static void MapLifecycleEndpoints(this WebApplication app)
    {
        var lifecycle = app.MapGroup("/api/drafts/{draftId:guid}/lifecycle").WithTags("Lifecycle");

        lifecycle.MapPost("/review", (HttpContext http, DraftWriter writer, Guid draftId, ReasonRequest? body) =>
                HttpCommands.SendAsync(http, writer, draftId, new StartReview(body?.Reason)))
            .Returns<LifecycleResult>()
            .Requires(DraftAction.ManageLifecycle).WithSummary("Freeze the draft for sign-off (closes an open consultation round)")
            .Produces<CommandAccepted>().ProducesProblem(409).ProducesProblem(403);

        lifecycle.MapPost("/drafting", (HttpContext http, DraftWriter writer, Guid draftId, ReasonRequest body) =>
                HttpCommands.SendAsync(http, writer, draftId, new ReturnToDrafting(body.Reason ?? "")))
            .Returns<LifecycleResult>()
            .Requires(DraftAction.ManageLifecycle).WithSummary("Return a draft in review to drafting, with a reason")
            .Produces<CommandAccepted>().ProducesProblem(409).ProducesValidationProblem(422);

        lifecycle.MapPost("/withdraw", (HttpContext http, DraftWriter writer, Guid draftId, ReasonRequest body) =>
                HttpCommands.SendAsync(http, writer, draftId, new WithdrawDraft(body.Reason ?? "")))
            .Returns<LifecycleResult>()
            .Requires(DraftAction.ManageLifecycle).WithSummary("Withdraw a draft that is not approved, with a reason (final)")
            .Produces<CommandAccepted>().ProducesProblem(409).ProducesValidationProblem(422);

        lifecycle.MapPost("/new-revision", (HttpContext http, DraftWriter writer, Guid draftId, ReasonRequest body) =>
                HttpCommands.SendAsync(http, writer, draftId, new StartNewRevision(body.Reason ?? "")))
            .Returns<NewEditionResult>()
            .Requires(DraftAction.ManageLifecycle).WithSummary("Start a new edition of an approved draft; the adopted revision stays on record")
            .Produces<CommandAccepted>().ProducesProblem(409).ProducesValidationProblem(422);

        var versions = app.MapGroup("/api/drafts/{draftId:guid}/versions").WithTags("Named versions");

        versions.MapPost("/", (HttpContext http, DraftWriter writer, Guid draftId, NameVersion command) =>
                HttpCommands.SendAsync(http, writer, draftId, command))
            .Returns<NamedVersionResult>()
            .Requires(DraftAction.ManageLifecycle).WithSummary("Name a revision, e.g. \"submitted to the Cabinet\" (the current one unless a " +
                "revision is given)")
            .Produces<CommandAccepted>().ProducesProblem(409).ProducesValidationProblem(422);

        versions.MapGet("/", async (HttpContext http, IQuerySession session, Guid draftId) =>
            {
                var (draft, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId);
                if (refusal is not null) return refusal;
                return Results.Ok(draft!.NamedVersions.OrderBy(v => v.NamedAt).ToList());
            })
            .Requires(DraftAction.Read).WithSummary("The named versions of the draft and the revisions they mark")
            .Produces<List<NamedVersion>>();
    }
}
