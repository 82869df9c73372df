using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using Marten;

namespace CadapDrafting.Operations;

public sealed record AuditIndexPage(long HighestEventSequence, long Lag, IReadOnlyList<DraftAuditEntry> Drafts);

public static class OperationsEndpoints
{
    public static void MapOperationsEndpoints(this WebApplication app)
    {
        app.MapGet("/api/ops/status", (ProjectionStatus status, CancellationToken ct) => status.ReadAsync(ct))
            .WithTags("Operations")
            .OpenToAnySignedInUser("figures about the server, no draft content")
            .WithSummary("This node, whether it runs the cluster's async projections, and each projection's progress and lag");

        app.MapGet("/api/audit/drafts", async (HttpContext http, IQuerySession session, ProjectionStatus status, string? country) =>
            {
                var actor = Actor.FromPrincipal(http.User);
                var query = session.Query<Draft>().AsQueryable();
                if (!string.IsNullOrEmpty(country)) query = query.Where(d => d.Country == country.ToUpperInvariant());
                var readable = (await query.ToListAsync(http.RequestAborted))
                    .Where(d => AccessPolicy.Allows(actor, DraftAction.Read, d)).Select(d => d.Id).ToList();
                var entries = await session.LoadManyAsync<DraftAuditEntry>(http.RequestAborted, readable);
                var cluster = await status.ReadAsync(http.RequestAborted);
                return new AuditIndexPage(cluster.HighestEventSequence,
                    cluster.Projections.Single(p => p.Name == AuditIndexProjection.ProjectionName).Lag,
                    entries.OrderBy(e => e.Country).ThenByDescending(e => e.LastActivityAt).ToList());
            })
            .WithTags("Operations")
            .OpenToAnySignedInUser("lists only the drafts the caller may read")
            .WithSummary("Across drafts: events per actor and per type, last activity; maintained asynchronously, with the index's lag in events");
    }
}
