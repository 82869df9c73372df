namespace CadapDrafting.Tests.Access;

/// <summary>One request to an endpoint, made against a given draft. Sub-resources are ids nobody has used, so an
/// allowed caller gets the domain's answer (a 404 naming the proposal, a 409, a 422) and nothing changes.</summary>
public sealed record SampleRequest(string Url, object? Body = null);

/// <summary>
/// A sample request for every endpoint and hub method, keyed as the server names them ("POST /api/drafts/{draftId:guid}/...",
/// "DraftHub.JoinDraft"). The access matrix test fails for an endpoint or hub method missing here, so a new one joins
/// the matrix with one line.
/// </summary>
public static class EndpointCatalogue
{
    private static readonly Guid Nobody = Guid.Parse("00000000-0000-4000-8000-00000000beef");
    private static readonly DateTimeOffset Past = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly IReadOnlyDictionary<string, Func<Guid, SampleRequest>> Http = new Dictionary<string, Func<Guid, SampleRequest>>
    {
        ["GET /api/me"] = _ => new("/api/me"),
        ["GET /api/inbox"] = _ => new("/api/inbox"),
        ["GET /api/inbox/unread"] = _ => new("/api/inbox/unread"),
        ["POST /api/inbox/read"] = _ => new("/api/inbox/read", new { ids = new[] { "nothing-of-yours" } }),
        ["GET /api/search"] = _ => new("/api/search?q=treatment"),
        ["GET /api/ops/status"] = _ => new("/api/ops/status"),
        ["GET /api/audit/drafts"] = _ => new("/api/audit/drafts"),
        ["GET /api/drafts/"] = _ => new("/api/drafts"),
        ["POST /api/drafts/"] = _ =>
            new("/api/drafts", new { country = "KZ", kind = "ActionPlan", title = new { en = "Matrix plan" }, periodStart = 2026, periodEnd = 2030 }),
        ["GET /api/drafts/{draftId:guid}"] = d => new($"/api/drafts/{d}"),
        ["GET /api/drafts/{draftId:guid}/activity"] = d => new($"/api/drafts/{d}/activity"),
        ["GET /api/drafts/{draftId:guid}/people"] = d => new($"/api/drafts/{d}/people"),

        ["POST /api/drafts/{draftId:guid}/proposals/"] = d => new($"/api/drafts/{d}/proposals",
            new { kind = "Amend", nodeId = Nobody, baseRevision = 0, text = new { en = "Other words" }, rationale = "Clearer" }),
        ["GET /api/drafts/{draftId:guid}/proposals/"] = d => new($"/api/drafts/{d}/proposals"),
        ["GET /api/drafts/{draftId:guid}/proposals/{proposalId:guid}"] = d => new($"/api/drafts/{d}/proposals/{Nobody}"),
        ["POST /api/drafts/{draftId:guid}/proposals/{proposalId:guid}/accept"] = d =>
            new($"/api/drafts/{d}/proposals/{Nobody}/accept", new { reason = "Agreed" }),
        ["POST /api/drafts/{draftId:guid}/proposals/{proposalId:guid}/reject"] = d =>
            new($"/api/drafts/{d}/proposals/{Nobody}/reject", new { reason = "Not agreed" }),
        ["POST /api/drafts/{draftId:guid}/proposals/{proposalId:guid}/withdraw"] = d =>
            new($"/api/drafts/{d}/proposals/{Nobody}/withdraw", new { reason = "Mistake" }),
        ["POST /api/drafts/{draftId:guid}/proposals/{proposalId:guid}/rebase"] = d =>
            new($"/api/drafts/{d}/proposals/{Nobody}/rebase", new { baseRevision = 0 }),

        ["POST /api/drafts/{draftId:guid}/threads/"] = d => new($"/api/drafts/{d}/threads", new { nodeId = Nobody, text = "A remark" }),
        ["POST /api/drafts/{draftId:guid}/threads/{threadId:guid}/replies"] = d =>
            new($"/api/drafts/{d}/threads/{Nobody}/replies", new { text = "A reply" }),
        ["POST /api/drafts/{draftId:guid}/threads/{threadId:guid}/resolve"] = d =>
            new($"/api/drafts/{d}/threads/{Nobody}/resolve", new { reason = "Done" }),
        ["POST /api/drafts/{draftId:guid}/threads/{threadId:guid}/reopen"] = d =>
            new($"/api/drafts/{d}/threads/{Nobody}/reopen", new { reason = "Not done" }),
        ["GET /api/drafts/{draftId:guid}/threads/"] = d => new($"/api/drafts/{d}/threads"),
        ["GET /api/drafts/{draftId:guid}/threads/counts"] = d => new($"/api/drafts/{d}/threads/counts"),
        ["GET /api/drafts/{draftId:guid}/threads/{threadId:guid}"] = d => new($"/api/drafts/{d}/threads/{Nobody}"),

        // Opening a round that ended in the past: refused by the domain (422, or 409 while one is open) after access is granted.
        ["POST /api/drafts/{draftId:guid}/rounds"] = d => new($"/api/drafts/{d}/rounds", new { endsAt = Past, isPublic = false }),
        ["POST /api/drafts/{draftId:guid}/rounds/current/close"] = d => new($"/api/drafts/{d}/rounds/current/close", new { reason = "Period over" }),
        ["POST /api/drafts/{draftId:guid}/comments/{commentId:guid}/disposition"] = d => new($"/api/drafts/{d}/comments/{Nobody}/disposition",
            new { disposition = "Accepted", reason = "Taken in" }),
        ["GET /api/drafts/{draftId:guid}/rounds"] = d => new($"/api/drafts/{d}/rounds"),
        ["GET /api/drafts/{draftId:guid}/rounds/{number:int}/matrix"] = d => new($"/api/drafts/{d}/rounds/1/matrix"),
        ["GET /api/drafts/{draftId:guid}/rounds/{number:int}/matrix.csv"] = d => new($"/api/drafts/{d}/rounds/1/matrix.csv"),

        ["POST /api/drafts/{draftId:guid}/lifecycle/review"] = d => new($"/api/drafts/{d}/lifecycle/review", new { reason = "Ready" }),
        ["POST /api/drafts/{draftId:guid}/lifecycle/drafting"] = d => new($"/api/drafts/{d}/lifecycle/drafting", new { reason = "More work" }),
        // Without a reason: refused as invalid once the transition is found possible, so the draft stays.
        ["POST /api/drafts/{draftId:guid}/lifecycle/withdraw"] = d => new($"/api/drafts/{d}/lifecycle/withdraw", new { reason = "" }),
        ["POST /api/drafts/{draftId:guid}/lifecycle/new-revision"] = d => new($"/api/drafts/{d}/lifecycle/new-revision", new { reason = "Review" }),
        ["POST /api/drafts/{draftId:guid}/versions/"] = d => new($"/api/drafts/{d}/versions", new { name = "" }),
        ["GET /api/drafts/{draftId:guid}/versions/"] = d => new($"/api/drafts/{d}/versions"),

        ["POST /api/drafts/{draftId:guid}/approval-policy"] = d =>
            new($"/api/drafts/{d}/approval-policy", new { approvers = Array.Empty<string>(), required = 1 }),
        ["POST /api/drafts/{draftId:guid}/sign-offs"] = d => new($"/api/drafts/{d}/sign-offs", new { revision = 0 }),
        ["POST /api/drafts/{draftId:guid}/sign-offs/refusals"] = d =>
            new($"/api/drafts/{d}/sign-offs/refusals", new { revision = 0, reason = "Not ready" }),
        ["GET /api/drafts/{draftId:guid}/sign-offs"] = d => new($"/api/drafts/{d}/sign-offs"),

        ["GET /api/drafts/{draftId:guid}/programme"] = d => new($"/api/drafts/{d}/programme"),
        ["GET /api/drafts/{draftId:guid}/translations"] = d => new($"/api/drafts/{d}/translations"),
        ["POST /api/drafts/{draftId:guid}/nodes/{nodeId:guid}/translations/{language}/confirm"] = d =>
            new($"/api/drafts/{d}/nodes/{Nobody}/translations/en/confirm", new { reason = "Still right" }),
        ["GET /api/drafts/{draftId:guid}/good-practice"] = d => new($"/api/drafts/{d}/good-practice"),
        ["POST /api/drafts/{draftId:guid}/good-practice"] = d =>
            new($"/api/drafts/{d}/good-practice", new { nodeId = Nobody, reason = "Worked well" }),
        ["POST /api/drafts/{draftId:guid}/good-practice/{nodeId:guid}/unmark"] = d =>
            new($"/api/drafts/{d}/good-practice/{Nobody}/unmark", new { reason = "Outdated" }),
        ["GET /api/programme/comparison"] = _ => new("/api/programme/comparison"),
        ["GET /api/good-practice"] = _ => new("/api/good-practice"),

        ["GET /api/drafts/{draftId:guid}/updates"] = d => new($"/api/drafts/{d}/updates?after=0"),

        ["GET /api/drafts/{draftId:guid}/history/as-of"] = d => new($"/api/drafts/{d}/history/as-of?position=1"),
        ["GET /api/drafts/{draftId:guid}/history/diff"] = d => new($"/api/drafts/{d}/history/diff"),
        ["GET /api/drafts/{draftId:guid}/history/timeline"] = d => new($"/api/drafts/{d}/history/timeline"),
        ["GET /api/drafts/{draftId:guid}/history/nodes/{nodeId:guid}/lineage"] = d => new($"/api/drafts/{d}/history/nodes/{Nobody}/lineage"),
        ["GET /api/drafts/{draftId:guid}/history/verify"] = d => new($"/api/drafts/{d}/history/verify"),
        ["GET /api/drafts/{draftId:guid}/history/export"] = d => new($"/api/drafts/{d}/history/export"),
        ["GET /api/drafts/{draftId:guid}/history/export/{format}"] = d => new($"/api/drafts/{d}/history/export/md"),
        ["GET /api/drafts/{draftId:guid}/history/sign-offs/{signOffId:guid}"] = d => new($"/api/drafts/{d}/history/sign-offs/{Nobody}"),

        ["GET /api/log/heads"] = _ => new("/api/log/heads"),
        ["GET /api/drafts/{draftId:guid}/log/head"] = d => new($"/api/drafts/{d}/log/head"),
        ["GET /api/drafts/{draftId:guid}/log/heads"] = d => new($"/api/drafts/{d}/log/heads"),
        ["GET /api/drafts/{draftId:guid}/log/inclusion"] = d => new($"/api/drafts/{d}/log/inclusion?position=1"),
        ["GET /api/drafts/{draftId:guid}/log/consistency"] = d => new($"/api/drafts/{d}/log/consistency?from=0"),
        // A head nobody signed: refused as invalid once access is granted.
        ["POST /api/drafts/{draftId:guid}/log/cosignatures"] = d => new($"/api/drafts/{d}/log/cosignatures", new { head = new { } }),
        // Sent as JSON rather than a Word file: an allowed caller gets the 415 asking for multipart, and nothing is stored.
        ["POST /api/imports/preview"] = _ => new("/api/imports/preview?country=KZ", new { kind = "Strategy" }),
        ["POST /api/imports/"] = _ => new("/api/imports?country=KZ", new { kind = "Strategy" }),
        ["GET /api/imports/{importId:guid}/progress"] = _ => new($"/api/imports/{Nobody}/progress"),
        ["POST /api/drafts/{draftId:guid}/imports"] = d => new($"/api/drafts/{d}/imports", new { language = "en" }),
    };

    /// <summary>Endpoints whose allowed sample changes the draft's situation; each allowed call gets a draft of its own.</summary>
    public static readonly IReadOnlySet<string> ChangesSituation = new HashSet<string>
    {
        "POST /api/drafts/{draftId:guid}/lifecycle/review",
        "POST /api/drafts/{draftId:guid}/rounds/current/close",
    };

    /// <summary>Hub methods by "HubType.Method": the arguments for a call about the given draft.</summary>
    public static readonly IReadOnlyDictionary<string, Func<Guid, object?[]>> Hub = new Dictionary<string, Func<Guid, object?[]>>
    {
        ["DraftHub.JoinDraft"] = d => [d, 0L],
        ["DraftHub.UpdatesSince"] = d => [d, 0L],
        ["DraftHub.Head"] = d => [d],
        ["DraftHub.LeaveDraft"] = d => [d],
        ["DraftHub.SetPresence"] = d => [d, null],
    };
}
