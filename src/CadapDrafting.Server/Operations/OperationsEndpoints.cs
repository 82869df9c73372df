using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using Marten;

namespace CadapDrafting.Operations;

/// <summary>
/// The audit index as one reader may see it. The global event sequence and the index's lag count every country's events,
/// so only those who may read the operations status get them (null for everyone else).
/// </summary>
public sealed record AuditIndexPage(long? HighestEventSequence, long? Lag, IReadOnlyList<DraftAuditView> Drafts);

/// <summary>
/// One draft's entry. Its counts and last activity cover every event of the draft, internal discussion included, so it
/// is listed only for readers who see the draft's whole record (its own country's people, auditors), never for a
/// reviewer reading a shared draft; the global sequence only for those who may read the operations status.
/// </summary>
public sealed record DraftAuditView(Guid Id, string Country, long EventsIndexed,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    long? LastSequence,
    DateTimeOffset? LastActivityAt, string? LastActor, Dictionary<string, long> EventsByActor, Dictionary<string, long> EventsByType)
{
    public static DraftAuditView Of(DraftAuditEntry e, bool withSequence) =>
        new(e.Id, e.Country, e.EventsIndexed, withSequence ? e.LastSequence : null, e.LastActivityAt, e.LastActor, e.EventsByActor,
            e.EventsByType);
}

public static class OperationsEndpoints
{
    private static bool MayReadOperations(Actor actor) =>
        actor.Roles.Any(role => AccessPolicy.ReachOf(role, DraftAction.ReadOperations) == Reach.Everywhere);

    public static void MapOperationsEndpoints(this WebApplication app)
    {
        app.MapGet("/api/ops/status", async (HttpContext http, ProjectionStatus status, CancellationToken ct) =>
                MayReadOperations(Actor.FromPrincipal(http.User))
                    ? Results.Ok(await status.ReadAsync(ct))
                    : HttpCommands.ToResult(http, Problem.Forbidden("The operations status is for operators and auditors.")))
            .WithTags("Operations")
            .Requires(DraftAction.ReadOperations)
            .WithSummary("This node, whether it runs the cluster's async projections, and each projection's progress and lag");

        app.MapGet("/api/audit/drafts", async (HttpContext http, IQuerySession session, ProjectionStatus status, string? country) =>
            {
                var actor = Actor.FromPrincipal(http.User);
                var query = session.Query<Draft>().AsQueryable();
                if (!string.IsNullOrEmpty(country)) query = query.Where(d => d.Country == country.ToUpperInvariant());
                var wholeRecord = (await query.ToListAsync(http.RequestAborted))
                    .Where(d => AccessPolicy.Allows(actor, DraftAction.Read, d) && Comments.Audience.SeesInternalThreads(actor, d))
                    .Select(d => d.Id).ToList();
                var entries = await session.LoadManyAsync<DraftAuditEntry>(http.RequestAborted, wholeRecord);
                var operations = MayReadOperations(actor);
                var cluster = operations ? await status.ReadAsync(http.RequestAborted) : null;
                return new AuditIndexPage(cluster?.HighestEventSequence,
                    cluster?.Projections.Single(p => p.Name == AuditIndexProjection.ProjectionName).Lag,
                    entries.OrderBy(e => e.Country).ThenByDescending(e => e.LastActivityAt).Select(e => DraftAuditView.Of(e, operations)).ToList());
            })
            .WithTags("Operations")
            .OpenToAnySignedInUser("lists only the drafts whose whole record the caller may read")
            .WithSummary("Across drafts: events per actor and per type, last activity; maintained asynchronously, with the index's lag in events");
    }
}
