using CadapDrafting.Identity;
using CadapDrafting.Drafts;
using CadapDrafting.Infrastructure;
using Marten;

namespace CadapDrafting.Proposals;

public static class ProposalEndpoints
{
    public sealed record DecisionRequest(string? Reason);
    public sealed record RebaseRequest(int BaseRevision, Dictionary<string, string>? Text = null,
        Dictionary<string, System.Text.Json.JsonElement>? Attributes = null,
        Guid? ParentId = null, Guid? AfterNodeId = null, string? Reason = null);

    public static void MapProposalEndpoints(this WebApplication app)
    {
        var proposals = app.MapGroup("/api/drafts/{draftId:guid}/proposals").WithTags("Proposals");

        proposals.MapPost("/", async (HttpContext http, DraftWriter writer, IQuerySession session, Guid draftId, SubmitProposal command) =>
            {
                // A citation names another draft's good practice: resolved here, since deciding sees only this draft.
                if (command.AdaptedFrom is { } cited)
                {
                    var (resolved, problem) = await Programme.GoodPracticeLibrary.ResolveAsync(session, cited, http.RequestAborted);
                    if (problem is not null) return HttpCommands.ToResult(http, problem);
                    command = command with { AdaptedFrom = resolved };
                }
                return await HttpCommands.SendAsync(http, writer, draftId, command);
            })
            .Returns<ProposalSubmittedResult>()
            .Example(new SubmitProposal(ProposalKind.Amend, ApiExamples.NodeId, BaseRevision: 3, "Align the target with the WHO recommendation",
                    new() { ["en"] = "Provide opioid agonist therapy to at least 40% of people who inject drugs by 2030." }),
                new ProposalSubmittedResult(ApiExamples.ProposalId, ApiExamples.NodeId), position: 42)
            .Requires(DraftAction.Propose).WithSummary("Propose a change to one node (amend, insert, delete, move); acceptNow makes an editor's " +
                "direct edit")
            .Produces<CommandAccepted>().ProducesValidationProblem(422).ProducesProblem(409).ProducesProblem(403).ProducesProblem(404);

        proposals.MapGet("/", async (HttpContext http, IQuerySession session, Guid draftId, ProposalStatus? status, Guid? nodeId, string? author) =>
            {
                var (draft, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId);
                if (refusal is not null) return refusal;
                if (DraftReads.NotModified(http, draft!, $"-p{status}{nodeId}{AuthorTag(author)}")) return Results.StatusCode(304);
                var numbers = Numbering.Of(draft!);
                return Results.Ok(draft!.Proposals.Values
                    .Where(p => (status ?? ProposalStatus.Open) == p.Status && (nodeId is null || p.NodeId == nodeId)
                        && (author is null || p.Author == author))
                    .OrderBy(p => p.SubmittedAt)
                    .Select(p => ProposalView.Of(draft, p, numbers)).ToList());
            })
            .Requires(DraftAction.Read)
            .WithSummary("Proposals on the draft (open by default; of one node or by one author when asked), each with a word diff against " +
                "the current text")
            .Produces<List<ProposalView>>();

        proposals.MapGet("/{proposalId:guid}", async (HttpContext http, IQuerySession session, Guid draftId, Guid proposalId) =>
            {
                var (draft, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId);
                if (refusal is not null) return refusal;
                return draft!.Proposals.TryGetValue(proposalId, out var p)
                    ? Results.Ok(ProposalView.Of(draft, p, Numbering.Of(draft)))
                    : HttpCommands.ToResult(http, Problem.NotFound($"Proposal {proposalId}"));
            })
            .Requires(DraftAction.Read).WithSummary("One proposal").Produces<ProposalView>();

        proposals.MapPost("/{proposalId:guid}/accept", (HttpContext http, DraftWriter writer, Guid draftId, Guid proposalId, DecisionRequest? body) =>
                HttpCommands.SendAsync(http, writer, draftId, new AcceptProposal(proposalId, body?.Reason)))
            .Returns<ProposalAcceptedResult>()
            .Example(new DecisionRequest("Agreed at the working group of 14 March"),
                new ProposalAcceptedResult(ApiExamples.ProposalId, ApiExamples.NodeId, NodeRevision: 4, Revision: 12), position: 43)
            .Requires(DraftAction.DecideProposal).WithSummary("Accept a proposal; refused with 409 and rebase information when the node has moved " +
                "on");

        proposals.MapPost("/{proposalId:guid}/reject", (HttpContext http, DraftWriter writer, Guid draftId, Guid proposalId, DecisionRequest body) =>
                HttpCommands.SendAsync(http, writer, draftId, new RejectProposal(proposalId, body.Reason ?? "")))
            .Returns<ProposalResult>()
            .Example(new DecisionRequest("The indicator is already covered by action 2.3"), new ProposalResult(ApiExamples.ProposalId), position: 43)
            .Requires(DraftAction.DecideProposal).WithSummary("Reject a proposal, with a reason");

        proposals.MapPost("/{proposalId:guid}/withdraw",
            (HttpContext http, DraftWriter writer, Guid draftId, Guid proposalId, DecisionRequest? body) =>
                HttpCommands.SendAsync(http, writer, draftId, new WithdrawProposal(proposalId, body?.Reason)))
            .Returns<ProposalResult>()
            .Requires(DraftAction.Propose).WithSummary("Withdraw your own proposal");

        proposals.MapPost("/{proposalId:guid}/rebase", (HttpContext http, DraftWriter writer, Guid draftId, Guid proposalId, RebaseRequest body) =>
                HttpCommands.SendAsync(http, writer, draftId,
                    new RebaseProposal(proposalId, body.BaseRevision, body.Text, body.Attributes, body.ParentId, body.AfterNodeId, body.Reason)))
            .Returns<ProposalRebasedResult>()
            .Requires(DraftAction.Propose).WithSummary("Rebase a stale proposal onto the node's current revision (a new revision of the proposal)");
    }

    /// <summary>The author asked for, in the list's ETag: hashed, since an id from the query may hold what a header may not.</summary>
    private static string AuthorTag(string? author) => author is null
        ? "" : "-a" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(author)), 0, 8);
}
