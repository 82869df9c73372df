using CadapDrafting.Drafts;
using CadapDrafting.Evidence;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using Marten;

namespace CadapDrafting.Transparency;

public sealed record InclusionProof(Guid DraftId, long Position, long Size, string LeafHash, IReadOnlyList<string> Path);

public sealed record ConsistencyProof(Guid DraftId, long From, long To, IReadOnlyList<string> Proof);

/// <summary>
/// Where a sign-off stands in the signed log: the first signed head covering its event (with the head's signature and
/// cosignatures, as JSON) and the proof that the event — which names the revision and its content hash — is in it.
/// </summary>
public sealed record SignOffInLog(Dictionary<string, object> SignedHead, InclusionProof Inclusion);

/// <summary>
/// The draft's log for auditors and witnesses (who may take the draft's evidence): its signed heads, inclusion
/// and consistency proofs (RFC 9162), and cosignatures from the configured witnesses. The public keys are public.
/// </summary>
public static class TransparencyEndpoints
{
    public static void MapTransparencyEndpoints(this WebApplication app)
    {
        app.MapGet("/api/log/keys", (LogKeys keys) => Results.Ok(new { keys = keys.All.Select(k => k.ToJson()).ToList() }))
            .WithTags("Log").AllowAnonymous()
            .WithSummary("The public keys of the server (current and earlier) and of the witnesses it knows: key id = SHA-256 of the " +
                "SubjectPublicKeyInfo");

        app.MapGet("/api/log/heads", async (HttpContext http, IQuerySession session, SignedHeads heads) =>
            {
                var actor = Actor.FromPrincipal(http.User);
                var drafts = (await session.Query<Draft>().ToListAsync(http.RequestAborted))
                    .Where(d => AccessPolicy.Allows(actor, DraftAction.ExportEvidence, d)).Select(d => d.Id).ToList();
                var latest = new List<Dictionary<string, object>>();
                foreach (var id in drafts)
                    if (await heads.LatestAsync(id, http.RequestAborted) is { } head) latest.Add(head.ToSigned().ToJson());
                return Results.Ok(latest);
            })
            .WithTags("Log").OpenToAnySignedInUser("lists only the drafts whose evidence the caller may take")
            .WithSummary("The latest signed head of every draft whose evidence the caller may take: what a witness polls");

        var log = app.MapGroup("/api/drafts/{draftId:guid}/log").WithTags("Log").Requires(DraftAction.ExportEvidence);

        log.MapGet("/head", async (HttpContext http, IQuerySession session, SignedHeads heads, Guid draftId, long? size) =>
            {
                var (_, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId, withProposalsAndThreads: false);
                if (refusal is not null) return refusal;
                var head = size is { } s
                    ? await heads.AtAsync(draftId, s, http.RequestAborted) : await heads.LatestAsync(draftId, http.RequestAborted);
                return head is null
                    ? HttpCommands.ToResult(http, Problem.NotFound(size is null ? "A signed head of this draft" : $"A signed head of size {size}"))
                    : Results.Ok(head.ToSigned().ToJson());
            })
            .WithSummary("The latest signed head of the draft's log (or the one of a given size), with its cosignatures");

        log.MapGet("/heads", async (HttpContext http, IQuerySession session, SignedHeads heads, Guid draftId) =>
            {
                var (_, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId, withProposalsAndThreads: false);
                if (refusal is not null) return refusal;
                return Results.Ok((await heads.AllAsync(draftId, http.RequestAborted)).Select(h => h.ToSigned().ToJson()).ToList());
            })
            .WithSummary("Every signed head of the draft's log, oldest first");

        log.MapGet("/inclusion", async (HttpContext http, IQuerySession session, LogProofs proofs, Guid draftId, long? position, long? size) =>
            {
                var (_, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId, withProposalsAndThreads: false);
                if (refusal is not null) return refusal;
                var (proof, problem) = await proofs.InclusionAsync(draftId, position, size, http.RequestAborted);
                return problem is not null ? HttpCommands.ToResult(http, problem) : Results.Ok(proof);
            })
            .WithSummary("Proof that the event at a position is in the log of a signed size (default: the latest), RFC 9162 2.1.3");

        log.MapGet("/consistency", async (HttpContext http, IQuerySession session, LogProofs proofs, Guid draftId, long? from, long? to) =>
            {
                var (_, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId, withProposalsAndThreads: false);
                if (refusal is not null) return refusal;
                var (proof, problem) = await proofs.ConsistencyAsync(draftId, from, to, http.RequestAborted);
                return problem is not null ? HttpCommands.ToResult(http, problem) : Results.Ok(proof);
            })
            .WithSummary("Proof that the log at a signed size (default: the latest) extends the log at an earlier size, RFC 9162 2.1.4");

        log.MapPost("/cosignatures", async (HttpContext http, IQuerySession session, SignedHeads heads, Guid draftId) =>
            {
                var (_, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId, withProposalsAndThreads: false);
                if (refusal is not null) return refusal;
                SignedTreeHead cosigned;
                try
                {
                    using var reader = new StreamReader(http.Request.Body);
                    cosigned = SignedTreeHead.Parse(await reader.ReadToEndAsync(http.RequestAborted), "the cosigned head");
                }
                catch (FormatException ex) { return HttpCommands.ToResult(http, Problem.Invalid("head", ex.Message)); }
                if (cosigned.Head.DraftId != draftId)
                    return HttpCommands.ToResult(http, Problem.Invalid("head", "The head is of another draft."));
                if (cosigned.Cosignatures.Count == 0)
                    return HttpCommands.ToResult(http, Problem.Invalid("cosignatures", "Send the head with the witness's cosignature."));
                if (await heads.AddCosignatureAsync(cosigned, http.RequestAborted) is { } problem)
                    return HttpCommands.ToResult(http, Problem.Invalid("cosignatures", problem));
                return Results.NoContent();
            })
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("A witness hands back its cosignature of a signed head; kept with the head and carried in evidence bundles");
    }

    /// <summary>The first signed head covering a sign-off's event and the inclusion proof of that event; null until a head covers it.</summary>
    public static async Task<SignOffInLog?> SignOffInLogAsync(SignedHeads heads, LogProofs proofs, Guid draftId, long position,
        CancellationToken ct)
    {
        if (position < 1 || await heads.FirstCoveringAsync(draftId, position, ct) is not { } head) return null;
        var (proof, problem) = await proofs.InclusionAsync(draftId, position, head.Size, ct);
        return problem is null ? new SignOffInLog(head.ToSigned().ToJson(), proof!) : null;
    }
}
