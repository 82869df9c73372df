using CadapDrafting.Identity;
using CadapDrafting.Drafts;
using CadapDrafting.History.Exports;
using CadapDrafting.Infrastructure;
using CadapDrafting.Transparency;
using Marten;
using Microsoft.AspNetCore.Http.Features;
using Wolverine;

namespace CadapDrafting.History;

public sealed record AsOfView(Guid DraftId, long Position, int Revision, DateTimeOffset LastChangedAt, DraftDocument Document, Draft State);

/// <summary>
/// The history of a draft for anyone who may read the draft (auditors read every draft): any past state,
/// diffs, the timeline, a node's lineage, the chain check and exports. Nothing here writes to the draft.
/// </summary>
public static class HistoryEndpoints
{
    public static void MapHistoryEndpoints(this WebApplication app)
    {
        var history = app.MapGroup("/api/drafts/{draftId:guid}/history").WithTags("History").Requires(DraftAction.Read);

        history.MapGet("/sign-offs/{signOffId:guid}", async (HttpContext http, IQuerySession session, DraftHistory past, SignedHeads heads,
                LogProofs proofs, LogKeys keys, IMessageBus bus, Guid draftId, Guid signOffId) =>
            {
                var (draft, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId);
                if (refusal is not null) return refusal;
                if (draft!.SignOffs.FirstOrDefault(s => s.Id == signOffId) is not { } signOff)
                    return HttpCommands.ToResult(http, Problem.NotFound($"Sign-off {signOffId}"));
                var seen = await past.StateAtAsync(draftId, draft.RevisionPositions[signOff.Revision], http.RequestAborted);
                var hash = ContentHash.Of(seen!);
                var proof = await TransparencyEndpoints.SignOffInLogAsync(heads, proofs, keys, bus, draftId, signOff.Position, signOff.SignedHead,
                    http.RequestAborted);
                return Results.Ok(new WhatTheApproverSaw(signOff.Id, signOff.Approver, signOff.SignedAt, signOff.Revision,
                    signOff.ContentHash, hash == signOff.ContentHash, signOff.State.ToString(), DraftDocument.Of(seen!), signOff.Position, proof));
            })
            .WithSummary("What an approver saw: the exact revision a sign-off bound to, whether its content still has the signed hash, and the " +
                "signed head it was made at, proven against the current log (signature, inclusion of the sign-off, consistency)")
            .Produces<WhatTheApproverSaw>().ProducesProblem(404);

        history.MapGet("/as-of", async (HttpContext http, IQuerySession session, DraftHistory past, EventRows rows, Guid draftId,
                long? position, int? revision, DateTimeOffset? at) =>
            {
                var (state, current, refusal) = await StateAsync(http, session, past, rows, draftId, new HistoryPoint(position, revision, at));
                if (refusal is not null) return refusal;
                Comments.Audience.Trim(state!, DraftReads.HiddenParts(http));
                return Results.Ok(new AsOfView(draftId, state!.Position, state.Revision, state.LastChangedAt, DraftDocument.Of(state), state));
            })
            .WithSummary("The whole state of the draft at a position, a document revision or a moment (the last event at or before it)")
            .Produces<AsOfView>().ProducesValidationProblem(422).ProducesProblem(404);

        history.MapGet("/diff", async (HttpContext http, IQuerySession session, DraftHistory past, Guid draftId, int? from, int? to) =>
            {
                var (current, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId);
                if (refusal is not null) return refusal;
                var toRevision = to ?? current!.Revision;
                var fromRevision = from ?? toRevision - 1;
                var v = new Validation();
                v.Require(fromRevision >= 0 && fromRevision <= current!.Revision, "from", $"Revisions run from 0 to {current!.Revision}.");
                v.Require(toRevision >= 0 && toRevision <= current.Revision, "to", $"Revisions run from 0 to {current.Revision}.");
                if (v.ToProblem() is { } invalid) return HttpCommands.ToResult(http, invalid);
                var fromPosition = current.RevisionPositions[fromRevision];
                var toPosition = current.RevisionPositions[toRevision];
                var before = await StateAtAsync(past, current, fromPosition, http.RequestAborted);
                var after = await StateAtAsync(past, current, toPosition, http.RequestAborted);
                return Results.Ok(new DraftDiff(draftId, fromRevision, toRevision, fromPosition, toPosition, RevisionDiff.Between(before!, after!)));
            })
            .WithSummary("What changed between two document revisions, node by node and word by word (default: the last change)")
            .Produces<DraftDiff>().ProducesValidationProblem(422);

        history.MapGet("/timeline", async (HttpContext http, IQuerySession session, Timeline timeline, Guid draftId, Guid? node,
                string? actor, string? type, DateTimeOffset? from, DateTimeOffset? to, long? after, int? limit) =>
            {
                var (draft, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId);
                if (refusal is not null) return refusal;
                if (from is { } f && to is { } t && t <= f)
                    return HttpCommands.ToResult(http, Problem.Invalid("to", "The period ends after it starts."));
                var page = await timeline.PageAsync(draftId, new TimelineFilter(node, actor, type, from, to), Math.Max(after ?? 0, 0),
                    Math.Clamp(limit ?? 100, 1, 1000), http.RequestAborted);
                return Results.Ok(page with { Entries = ForViewer(http, page.Entries) });
            })
            .WithSummary("Every event, oldest first, with actor, time and reason; filter by node, actor, event type and period [from, to); page " +
                "with after=nextAfter")
            .Produces<TimelinePage>().ProducesValidationProblem(422);

        history.MapGet("/nodes/{nodeId:guid}/lineage",
            async (HttpContext http, IQuerySession session, Timeline timeline, Guid draftId, Guid nodeId) =>
            {
                var (draft, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId);
                if (refusal is not null) return refusal;
                var lineage = await Lineage.OfAsync(draft!, nodeId, timeline, http.RequestAborted);
                return lineage is null
                    ? HttpCommands.ToResult(http, Problem.NotFound($"Node {nodeId}"))
                    : Results.Ok(lineage with { Steps = lineage.Steps.Select(s => s with { Discussion = ForViewer(http, s.Discussion) }).ToList() });
            })
            .WithSummary("Each accepted proposal that shaped a node: rationale, change, decision and what was said about it")
            .Produces<NodeLineage>().ProducesProblem(404);

        history.MapGet("/verify", async (HttpContext http, IQuerySession session, ChainCheck check, Guid draftId) =>
            {
                var (_, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId, withProposalsAndThreads: false);
                if (refusal is not null) return refusal;
                return Results.Ok(await check.RunAsync(draftId, http.RequestAborted));
            })
            .WithSummary("Re-check the draft's hash chain in the database; names the first event that does not hold")
            .Produces<ChainReport>();

        history.MapGet("/export", async (HttpContext http, IQuerySession session, EvidenceExport export, Guid draftId) =>
            {
                var (_, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId, withProposalsAndThreads: false);
                if (refusal is not null) return refusal;
                StartDownload(http, "application/zip", $"draft-{draftId:N}-history.zip");
                await export.WriteAsync(http.Response.Body, draftId, http.RequestAborted);
                return Results.Empty;
            })
            .Requires(DraftAction.ExportEvidence)
            .WithSummary("The evidence bundle: events, chain hashes, the log's signed heads with cosignatures, and the keys, in a zip, streamed; " +
                "check it with cadap-verify");

        history.MapGet("/export/{format}", async (HttpContext http, IQuerySession session, DraftHistory past, EventRows rows, PdfRenderer pdf,
                SignedHeads heads, IMessageBus bus, Guid draftId, string format, long? position, int? revision, DateTimeOffset? at, string? lang,
                int? from) =>
            {
                var kind = format.ToLowerInvariant();
                if (kind is not ("docx" or "pdf" or "html" or "md" or "akn" or "tracked"))
                    return HttpCommands.ToResult(http,
                        Problem.Invalid("format", "The formats are docx, pdf, html, md, akn and tracked (Word with tracked changes)."));
                var (state, current, refusal) = await StateAsync(http, session, past, rows, draftId, new HistoryPoint(position, revision, at));
                if (refusal is not null) return refusal;
                if (ExportDocument.RefuseLanguage(state!, lang) is { } noSuchLanguage) return HttpCommands.ToResult(http, noSuchLanguage);
                var ct = http.RequestAborted;
                var doc = ExportDocument.Of(state!, lang, await heads.EarliestCoveringAsync(bus, draftId, state!.Position, ct));
                var name = $"draft-{draftId:N}-r{doc.Revision}-{doc.Language}";
                switch (kind)
                {
                    case "docx":
                        await SendAsync(http, DocxExport.ContentType, name + ".docx", buffer => DocxExport.Write(doc, buffer));
                        break;
                    case "tracked":
                        var fromRevision = from ?? doc.Revision - 1;
                        if (fromRevision < 0 || fromRevision >= doc.Revision)
                            return HttpCommands.ToResult(http, Problem.Invalid("from",
                                $"Changes are shown from an earlier revision: 0 to {doc.Revision - 1} for revision {doc.Revision}."));
                        var before = await StateAtAsync(past, current!, current!.RevisionPositions[fromRevision], ct);
                        var earlier = ExportDocument.Of(before!, lang);
                        await SendAsync(http, DocxExport.ContentType,
                            $"draft-{draftId:N}-r{fromRevision}-r{doc.Revision}-{doc.Language}-changes.docx",
                            buffer => TrackedChangesDocx.Write(earlier, doc, buffer));
                        break;
                    case "pdf":
                        var (file, unavailable) = await pdf.RenderAsync(doc, ct);
                        if (unavailable is not null) return HttpCommands.ToResult(http, unavailable);
                        await SendAsync(http, "application/pdf", name + ".pdf", buffer => buffer.Write(file!));
                        break;
                    case "html":
                        StartDownload(http, "text/html; charset=utf-8", name + ".html");
                        await TextExports.WriteHtmlAsync(doc, http.Response.Body, ct);
                        break;
                    case "md":
                        StartDownload(http, "text/markdown; charset=utf-8", name + ".md");
                        await TextExports.WriteMarkdownAsync(doc, http.Response.Body, ct);
                        break;
                    default:
                        StartDownload(http, "application/akn+xml", name + ".akn.xml");
                        await AknExport.WriteAsync(doc, http.Response.Body, ct);
                        break;
                }
                return Results.Empty;
            })
            .WithSummary("The draft at a revision (default: now) as docx, pdf (PDF/A-3 with the Akoma Ntoso file and an evidence manifest " +
                         "attached), html, md (Markdown), akn (Akoma Ntoso 3.0) or tracked (Word with tracked changes since revision `from`, " +
                         "default the one before); " +
                         "lang picks one of the draft's languages (default its source language)")
            .Produces(StatusCodes.Status200OK, null, DocxExport.ContentType, "application/pdf", "text/html", "text/markdown", "application/akn+xml")
            .ProducesValidationProblem(422).ProducesProblem(503);
    }

    /// <summary>Sends a file built aside (a Word package needs a seekable stream) with its length.</summary>
    private static async Task SendAsync(HttpContext http, string contentType, string fileName, Action<MemoryStream> build)
    {
        var buffer = new MemoryStream();
        build(buffer);
        StartDownload(http, contentType, fileName);
        http.Response.ContentLength = buffer.Length;
        buffer.Position = 0;
        await buffer.CopyToAsync(http.Response.Body, http.RequestAborted);
    }

    /// <summary>Events of threads and comments the viewer may not see (internal threads, non-public rounds), left out.</summary>
    private static List<TimelineEntry> ForViewer(HttpContext http, List<TimelineEntry> entries) =>
        DraftReads.HiddenParts(http) is { } hidden ? entries.Where(e => !hidden.Hides(e.Data)).ToList() : entries;

    /// <summary>The state at a point of the draft's history, with the current draft the point was resolved against.</summary>
    private static async Task<(Draft? State, Draft? Current, IResult? Refusal)> StateAsync(HttpContext http, IQuerySession session,
        DraftHistory past, EventRows rows, Guid draftId, HistoryPoint point)
    {
        var (current, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId);
        if (refusal is not null) return (null, null, refusal);
        var (position, problem) = await point.ResolveAsync(current!, rows, http.RequestAborted);
        if (problem is not null) return (null, current, HttpCommands.ToResult(http, problem));
        var state = await StateAtAsync(past, current!, position, http.RequestAborted);
        return state is null ? (null, current, HttpCommands.ToResult(http, Problem.NotFound("The draft"))) : (state, current, null);
    }

    private static async Task<Draft?> StateAtAsync(DraftHistory past, Draft current, long position, CancellationToken ct) =>
        position == current.Position ? current : await past.StateAtAsync(current.Id, position, ct);

    private static void StartDownload(HttpContext http, string contentType, string fileName)
    {
        http.Response.ContentType = contentType;
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        // The zip writer finishes its archive synchronously when disposed.
        if (http.Features.Get<IHttpBodyControlFeature>() is { } body) body.AllowSynchronousIO = true;
    }
}

/// <summary>The document exactly as signed, with the hash recorded in the sign-off and the hash it has when rebuilt.</summary>
public sealed record WhatTheApproverSaw(Guid SignOffId, string Approver, DateTimeOffset SignedAt, int Revision, string SignedContentHash,
    bool ContentMatchesSignature, string State, DraftDocument Document, long SignOffPosition = 0, SignOffInLog? InLog = null);
