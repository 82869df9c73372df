using CadapDrafting.Drafts;
using CadapDrafting.Infrastructure;

namespace CadapDrafting.Operations.Upgrades;

/// <summary>
/// The version of the stored form this build reads and writes: which event types exist and which fields the draft's
/// documents have. A build that adds an event type (or a stored field set by one) raises it by one and marks the new
/// event <see cref="IntroducedInAttribute"/> with the new number. Two versions then coexist safely during a rolling
/// upgrade: a node writes an event of a version only once every live node reads it (<see cref="NodeRegistry"/>), and a
/// node that meets a draft written in a newer version refuses it with 503 instead of misreading it
/// (<see cref="NewerSchemaRefusal"/>).
/// </summary>
public static class EventSchema
{
    /// <summary>The version of the released builds.</summary>
    public const int Released = 1;

#if REHEARSE_UPGRADE
    /// <summary>
    /// This build was compiled with <c>-p:RehearseUpgrade=true</c>: one version ahead of the released one, with one more
    /// event type and one more field (see UpgradeRehearsal.cs), to prove a rolling upgrade onto such a build.
    /// </summary>
    public const int Current = Released + 1;
#else
    /// <summary>The version this build reads and writes.</summary>
    public const int Current = Released;
#endif

    /// <summary>The version that introduced an event type: 1 unless it says otherwise.</summary>
    public static int VersionOf(Type eventType) =>
        eventType.GetCustomAttributes(typeof(IntroducedInAttribute), inherit: false) is [IntroducedInAttribute marked, ..] ? marked.Version : 1;

    /// <summary>Every draft event type of this build, with its version: none may be newer than <see cref="Current"/>.</summary>
    public static IReadOnlyDictionary<Type, int> DraftEventTypes { get; } = typeof(IDraftEvent).Assembly.GetTypes()
        .Where(t => typeof(IDraftEvent).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
        .ToDictionary(t => t, VersionOf);

    public static int VersionOf(IDraftEvent change) =>
        DraftEventTypes.TryGetValue(change.GetType(), out var version) ? version : VersionOf(change.GetType());

    /// <summary>The newest version among the events of a decision.</summary>
    public static int VersionOf(IEnumerable<IDraftEvent> events) => events.Select(VersionOf).DefaultIfEmpty(1).Max();
}

/// <summary>The schema version (<see cref="EventSchema"/>) whose builds first know this event type.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class IntroducedInAttribute(int version) : Attribute
{
    public int Version { get; } = version;
}

/// <summary>
/// This node's build reads an older schema than the draft was written in: it refuses the draft rather than misread it
/// or store it back without what it does not know. Answered 503 with Retry-After (the load balancer passes the request
/// to another node, which may run the newer build).
/// </summary>
public sealed class NewerSchemaException(Guid draftId, int draftSchema)
    : Exception($"Draft {draftId} holds events of schema version {draftSchema}; this node reads up to {EventSchema.Current}.")
{
    public Guid DraftId { get; } = draftId;
    public int DraftSchema { get; } = draftSchema;

    /// <summary>Throws when the stored draft was written by a newer build than this one.</summary>
    public static Draft? ThrowIfNewer(Draft? draft) =>
        draft is { SchemaVersion: > EventSchema.Current } ? throw new NewerSchemaException(draft.Id, draft.SchemaVersion) : draft;
}

/// <summary>The problems of a cluster running two builds during an upgrade.</summary>
public static class NewerSchemaRefusal
{
    /// <summary>Seconds a client should wait before sending again: about one heartbeat of the node registry.</summary>
    public const int RetryAfterSeconds = 5;

    public static Problem OlderNode(int draftSchema) => Problem.Unavailable(
        $"This draft holds changes made with a newer version of CadapDrafting (storage version {draftSchema}) than this server " +
        $"runs ({EventSchema.Current}); the service is being upgraded. Try again in a few seconds.") with
    {
        Extensions = new Dictionary<string, object?>
        {
            ["retryAfterSeconds"] = RetryAfterSeconds, ["draftSchemaVersion"] = draftSchema, ["nodeSchemaVersion"] = EventSchema.Current,
        },
    };

    public static Problem NotYetEveryNode(int needed, int clusterMinimum) => Problem.Unavailable(
        $"This change needs every server to run storage version {needed}, and some still run version {clusterMinimum}; the " +
        "service is being upgraded. Try again once the upgrade has finished.") with
    {
        Extensions = new Dictionary<string, object?>
        {
            ["retryAfterSeconds"] = RetryAfterSeconds, ["neededSchemaVersion"] = needed, ["clusterSchemaVersion"] = clusterMinimum,
        },
    };
}

/// <summary>A request that met a draft written by a newer build is answered 503 with Retry-After, never 500.</summary>
public sealed class NewerSchemaHandler(ILogger<NewerSchemaHandler> logger) : Microsoft.AspNetCore.Diagnostics.IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is not NewerSchemaException newer) return false;
        logger.LogWarning("Refused {Method} {Path}: {Message}", http.Request.Method, http.Request.Path, newer.Message);
        await HttpCommands.ToResult(http, NewerSchemaRefusal.OlderNode(newer.DraftSchema)).ExecuteAsync(http);
        return true;
    }
}
