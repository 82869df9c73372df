using CadapDrafting.Comments;
using CadapDrafting.Consultation;
using CadapDrafting.SignOff;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>What reviewers, approvers and the drafting team do with a draft, in the words of the stories.</summary>
public static class ReviewVocabulary
{
    public sealed record Started(Guid ThreadId, Guid CommentId);

    public static Task<HttpResponseMessage> Comments(this Person person, Guid draftId, object thread, Guid? commandId = null) =>
        person.Command($"/api/drafts/{draftId}/threads", thread, commandId);

    /// <summary>Starts a thread on a node; reviewers' threads are shared whatever is asked.</summary>
    public static async Task<Started> StartsThread(this Person person, Guid draftId, Guid nodeId, string text,
        ThreadVisibility? visibility = null, object? quote = null)
    {
        var response = await person.Comments(draftId, new { nodeId, text, visibility, quote });
        await Expect.Status(response, HttpStatusCode.OK);
        return Ids(await Person.Accepted(response));
    }

    public static async Task<Started> StartsThreadOnProposal(this Person person, Guid draftId, Guid proposalId, string text)
    {
        var response = await person.Comments(draftId, new { proposalId, text });
        await Expect.Status(response, HttpStatusCode.OK);
        return Ids(await Person.Accepted(response));
    }

    public static Task<HttpResponseMessage> Replies(this Person person, Guid draftId, Guid threadId, string text) =>
        person.Command($"/api/drafts/{draftId}/threads/{threadId}/replies", new { text });

    public static Task<HttpResponseMessage> Resolves(this Person person, Guid draftId, Guid threadId) =>
        person.Command($"/api/drafts/{draftId}/threads/{threadId}/resolve", new { reason = "Addressed in the text" });

    public static Task<HttpResponseMessage> Reopens(this Person person, Guid draftId, Guid threadId) =>
        person.Command($"/api/drafts/{draftId}/threads/{threadId}/reopen", new { reason = "Not addressed after all" });

    public static Task<ThreadList> ReadsThreads(this Person person, Guid draftId, string query = "") =>
        person.Read<ThreadList>($"/api/drafts/{draftId}/threads{query}");

    public static Task<List<InboxEntry>> ReadsInbox(this Person person) => person.Read<List<InboxEntry>>("/api/inbox");

    /// <summary>Notifications are written by a handler once the commit is durable: reads the inbox until <paramref name="until"/> holds.</summary>
    public static Task<List<InboxEntry>> ReadsInboxUntil(this Person person, Func<List<InboxEntry>, bool> until, string url = "/api/inbox") =>
        Eventually.Until(() => person.Read<List<InboxEntry>>(url), until);

    public static async Task OpensRound(this Person editor, Guid draftId, bool isPublic = false, TimeSpan? lasting = null)
    {
        var endsAt = DateTimeOffset.UtcNow + (lasting ?? TimeSpan.FromDays(30));
        await Expect.Status(await editor.Command($"/api/drafts/{draftId}/rounds", new { endsAt, isPublic, reason = "Consultation" }),
            HttpStatusCode.OK);
    }

    public static Task<HttpResponseMessage> ClosesRound(this Person editor, Guid draftId) =>
        editor.Command($"/api/drafts/{draftId}/rounds/current/close", new { reason = "Consultation period over" });

    public static Task<HttpResponseMessage> Disposes(this Person editor, Guid draftId, Guid commentId, DispositionKind disposition,
        string? reason) =>
        editor.Command($"/api/drafts/{draftId}/comments/{commentId}/disposition", new { disposition, reason });

    public static Task<CommentMatrixView> ReadsMatrix(this Person person, Guid draftId, int round) =>
        person.Read<CommentMatrixView>($"/api/drafts/{draftId}/rounds/{round}/matrix");

    public static Task<HttpResponseMessage> StartsReview(this Person editor, Guid draftId) =>
        editor.Command($"/api/drafts/{draftId}/lifecycle/review", new { reason = "Ready for sign-off" });

    public static Task<HttpResponseMessage> ReturnsToDrafting(this Person editor, Guid draftId) =>
        editor.Command($"/api/drafts/{draftId}/lifecycle/drafting", new { reason = "The Ministry of Health asked for a change" });

    public static Task<HttpResponseMessage> StartsNewRevision(this Person editor, Guid draftId) =>
        editor.Command($"/api/drafts/{draftId}/lifecycle/new-revision", new { reason = "Mid-term review of the plan" });

    public static Task<HttpResponseMessage> Withdraws(this Person editor, Guid draftId) =>
        editor.Command($"/api/drafts/{draftId}/lifecycle/withdraw", new { reason = "Replaced by the joint strategy" });

    public static async Task SetsApprovalPolicy(this Person editor, Guid draftId, int required, params string[] approvers) =>
        await Expect.Status(await editor.Command($"/api/drafts/{draftId}/approval-policy", new { approvers, required }), HttpStatusCode.OK);

    public static Task<HttpResponseMessage> SignsOff(this Person approver, Guid draftId, int revision, string? contentHash = null) =>
        approver.Command($"/api/drafts/{draftId}/sign-offs", new { revision, contentHash });

    public static Task<SignOffStatusView> ReadsSignOffs(this Person person, Guid draftId) =>
        person.Read<SignOffStatusView>($"/api/drafts/{draftId}/sign-offs");

    private static Started Ids(Accepted accepted) =>
        new(accepted.Result!.Value.GetProperty("threadId").GetGuid(), accepted.Result!.Value.GetProperty("commentId").GetGuid());
}
