using CadapDrafting.Drafts;
using CadapDrafting.Evidence;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using Marten;
using Wolverine;

namespace CadapDrafting.Transparency;

public sealed record InclusionProof(Guid DraftId, long Position, long Size, string LeafHash, IReadOnlyList<string> Path);

public sealed record ConsistencyProof(Guid DraftId, long From, long To, IReadOnlyList<string> Proof);

/// <summary>
/// Where a sign-off stands in the signed log (docs/evidence.md §11): the draft's latest signed head (the current log, with its
/// signature and cosignatures, as JSON) and the proof that the sign-off's event — which names the revision, its content hash and
/// the head it was made at — is in it; and the head the sign-off was made at, whether its signature holds, and the proof that the
/// current log extends it. The proofs are checked here and can be checked again by anyone holding the server's key.
/// </summary>
public sealed record SignOffInLog(Dictionary<string, object> SignedHead, InclusionProof Inclusion, Dictionary<string, object>? SignedAtHead = null,
    ConsistencyProof? Consistency = null, bool SignedAtHeadHolds = false, bool InclusionHolds = false, bool ConsistencyHolds = false);

/// <summary>
/// The draft's log for auditors and witnesses (who may take the draft's evidence): its signed heads, inclusion
/// and consistency proofs (RFC 9162), and cosignatures from the configured witnesses. The public keys are public.
/// </summary>
public static class TransparencyEndpoints
{
    public static void MapTransparencyEndpoints(this WebApplication app)
    {
        app.MapGet("/api/log/keys", (LogKeys keys) => Results.Ok(new {
            keys = keys.All.Select(k => k.ToJson()).ToList(), transitions = keys.Transitions.Select(t => t.ToJson()).ToList(),
        }))
            .WithTags("Log").AllowAnonymous()
            .WithSummary("The public keys of the server (current and earlier) and of the witnesses it knows (key id = SHA-256 of the " +
                "SubjectPublicKeyInfo), and the key transitions: each earlier key's endorsement of the current one");

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

    /// <summary>
    /// A sign-off's event proven in the current log (its latest signed head; one is signed first when none covers the event yet), and the
    /// head the sign-off states it was made at checked: its signature, and that the current log extends it. Null when no head covers the
    /// event or storage cannot give the proof.
    /// </summary>
    public static async Task<SignOffInLog?> SignOffInLogAsync(SignedHeads heads, LogProofs proofs, LogKeys keys, IMessageBus bus, Guid draftId,
        long position, SignedHeadStatement? signedAt, CancellationToken ct)
    {
        if (position < 1) return null;
        if (await heads.LatestCoveringAsync(bus, draftId, position, ct) is not { } latest) return null;
        var current = latest.ToSigned();
        var (inclusion, problem) = await proofs.InclusionAsync(draftId, position, latest.Size, ct);
        if (problem is not null) return null;
        var included = Rfc9162.VerifyInclusion(position - 1, current.Head.Size, Convert.FromHexString(inclusion!.LeafHash),
            inclusion.Path.Select(Convert.FromHexString).ToList(), current.Head.Root);
        var inLog = new SignOffInLog(current.ToJson(), inclusion, InclusionHolds: included && keys.Holds(current));
        if (signedAt is null) return inLog;
        SignedTreeHead made;
        try { made = signedAt.ToSigned(draftId); }
        catch (FormatException) { return inLog; }
        inLog = inLog with { SignedAtHead = made.ToJson(), SignedAtHeadHolds = keys.Holds(made) };
        if (made.Head.Size > current.Head.Size) return inLog;
        var (consistency, inconsistent) = await proofs.ConsistencyAsync(draftId, made.Head.Size, current.Head.Size, ct);
        if (inconsistent is not null) return inLog;
        var extends = Rfc9162.VerifyConsistency(made.Head.Size, made.Head.Root, current.Head.Size, current.Head.Root,
            consistency!.Proof.Select(Convert.FromHexString).ToList());
        return inLog with { Consistency = consistency, ConsistencyHolds = extends };
    }
}
