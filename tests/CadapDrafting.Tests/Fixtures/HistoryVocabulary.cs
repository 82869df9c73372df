using CadapDrafting.History;
using CadapDrafting.Proposals;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>What an auditor (or anyone who may read a draft) asks of its history.</summary>
public static class HistoryVocabulary
{
    public static Task<AsOfView> ReadsAsOf(this Person person, Guid draftId, string query) =>
        person.Read<AsOfView>($"/api/drafts/{draftId}/history/as-of?{query}");

    public static Task<DraftDiff> ReadsDiff(this Person person, Guid draftId, int from, int to) =>
        person.Read<DraftDiff>($"/api/drafts/{draftId}/history/diff?from={from}&to={to}");

    public static Task<TimelinePage> ReadsTimeline(this Person person, Guid draftId, string query = "") =>
        person.Read<TimelinePage>($"/api/drafts/{draftId}/history/timeline?{query}");

    public static Task<NodeLineage> ReadsLineage(this Person person, Guid draftId, Guid nodeId) =>
        person.Read<NodeLineage>($"/api/drafts/{draftId}/history/nodes/{nodeId}/lineage");

    public static Task<ChainReport> Verifies(this Person person, Guid draftId) =>
        person.Read<ChainReport>($"/api/drafts/{draftId}/history/verify");

    public static async Task<byte[]> Downloads(this Person person, string url)
    {
        var response = await person.Http.GetAsync(url);
        await Expect.Status(response, HttpStatusCode.OK);
        return await response.Content.ReadAsByteArrayAsync();
    }

    public static Task<byte[]> ExportsBundle(this Person person, Guid draftId) =>
        person.Downloads($"/api/drafts/{draftId}/history/export");

    public static Task<byte[]> Exports(this Person person, Guid draftId, string format, string query = "") =>
        person.Downloads($"/api/drafts/{draftId}/history/export/{format}?{query}");

    /// <summary>An editor's direct amendment of a node's English text; returns the proposal's id.</summary>
    public static async Task<Guid> Amends(this Person person, Guid draftId, Guid nodeId, int baseRevision, string text,
        string rationale = "Clearer wording")
    {
        var response = await person.Proposes(draftId, new {
            kind = ProposalKind.Amend, nodeId, baseRevision, text = new { en = text }, rationale, acceptNow = true,
        });
        await Expect.Status(response, HttpStatusCode.OK);
        return (await Person.Accepted(response)).Result!.Value.GetProperty("proposalId").GetGuid();
    }
}
