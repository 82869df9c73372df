using CadapDrafting.Drafts;
using CadapDrafting.Evidence;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using CadapDrafting.Transparency;
using Marten;
using Wolverine;

namespace CadapDrafting.SignOff;

public static class SignOffEndpoints
{
    public sealed record RefusalRequest(int Revision, string? Reason);

    public static void MapSignOffEndpoints(this WebApplication app)
    {
        var drafts = app.MapGroup("/api/drafts/{draftId:guid}").WithTags("Sign-off");

        drafts.MapPost("/approval-policy", async (HttpContext http, IQuerySession session, DemoUsers users, DraftWriter writer, Guid draftId,
                SetApprovalPolicy command) =>
            {
                var (draft, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId);
                if (refusal is not null) return refusal;
                // Who is an approver lives in the user directory, not in the draft: checked here, at the edge.
                var notApprovers = (command.Approvers ?? []).Where(id =>
                        users.Find(id) is not { } user || !user.Roles.Contains(Role.Approver) ||
                        !string.Equals(user.Country, draft!.Country, StringComparison.OrdinalIgnoreCase))
                    .ToList();
                if (notApprovers.Count > 0)
                    return HttpCommands.ToResult(http, Problem.Invalid("approvers",
                        $"Not approvers of {draft!.Country}: {string.Join(", ", notApprovers)}."));
                return await HttpCommands.SendAsync(http, writer, draftId, command);
            })
            .Returns<ApprovalPolicyResult>()
            .Requires(DraftAction.ManageLifecycle).WithSummary("Name the approvers and how many must sign (e.g. 2 of 3)")
            .Produces<CommandAccepted>().ProducesValidationProblem(422).ProducesProblem(409).ProducesProblem(403);

        drafts.MapPost("/sign-offs", async (HttpContext http, IQuerySession session, DraftWriter writer, SignedHeads heads, LogKeys keys,
                IMessageBus bus, Guid draftId, SignRevision command) =>
            {
                var (draft, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId, withProposalsAndThreads: false);
                if (refusal is not null) return refusal;
                // The head the sign-off is made at: the earliest signed head covering the draft's position, one signed first if none
                // does (as an export's stamp). Filled in here, never taken from the request; the decide checks what it covers.
                var head = await heads.EarliestCoveringAsync(bus, draftId, draft!.Position, http.RequestAborted);
                if (head is not null && !keys.Holds(head))
                    return HttpCommands.ToResult(http, Problem.Conflict(
                        $"The stored signed head of size {head.Head.Size} does not carry this server's signature; verify the draft."));
                return await HttpCommands.SendAsync(http, writer, draftId,
                    command with { Head = head is null ? null : SignedHeadStatement.Of(head) });
            })
            .Returns<SignOffResult>()
            .Requires(DraftAction.SignOff).WithSummary("Sign the revision under review; the signature carries the content hash of what was signed")
            .Produces<CommandAccepted>().ProducesProblem(409).ProducesProblem(403);

        drafts.MapPost("/sign-offs/refusals", (HttpContext http, DraftWriter writer, Guid draftId, RefusalRequest body) =>
                HttpCommands.SendAsync(http, writer, draftId, new RefuseSignOff(body.Revision, body.Reason ?? "")))
            .Returns<SignOffRefusalResult>()
            .Requires(DraftAction.SignOff).WithSummary("Decline to sign the revision under review, with a reason")
            .Produces<CommandAccepted>().ProducesValidationProblem(422).ProducesProblem(409).ProducesProblem(403);

        drafts.MapGet("/sign-offs", async (HttpContext http, IQuerySession session, Guid draftId) =>
            {
                var (draft, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId);
                if (refusal is not null) return refusal;
                return DraftReads.NotModified(http, draft!, "-signoff") ? Results.StatusCode(304) : Results.Ok(SignOffStatusView.Of(draft!));
            })
            .Requires(DraftAction.Read).WithSummary("Sign-off status: the policy and its progress, every signature (valid or dismissed), refusals " +
                "and adoptions")
            .Produces<SignOffStatusView>();
    }
}
