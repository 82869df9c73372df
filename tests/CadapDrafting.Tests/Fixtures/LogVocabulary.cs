using CadapDrafting.Evidence;
using CadapDrafting.Transparency;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>What an auditor or a witness asks of a draft's signed log.</summary>
public static class LogVocabulary
{
    public static async Task<SignedTreeHead?> ReadsSignedHead(this Person person, Guid draftId, long? size = null)
    {
        var response = await person.Http.GetAsync($"/api/drafts/{draftId}/log/head" + (size is { } s ? $"?size={s}" : ""));
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        await Expect.Status(response, HttpStatusCode.OK);
        return SignedTreeHead.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Waits for the head signed after the commit that reached <paramref name="position"/>, as an auditor polling the log would.</summary>
    public static async Task<SignedTreeHead> SeesSignedHeadAt(this Person person, Guid draftId, long position)
    {
        var head = await Eventually.Until(() => person.ReadsSignedHead(draftId), h => h is not null && h.Head.Size >= position);
        Assert.True(head is not null && head.Head.Size >= position, $"No head of draft {draftId} was signed up to position {position}");
        return head!;
    }

    public static Task<InclusionProof> ReadsInclusionProof(this Person person, Guid draftId, long position, long? size = null) =>
        person.Read<InclusionProof>($"/api/drafts/{draftId}/log/inclusion?position={position}" + (size is { } s ? $"&size={s}" : ""));

    public static Task<ConsistencyProof> ReadsConsistencyProof(this Person person, Guid draftId, long from, long? to = null) =>
        person.Read<ConsistencyProof>($"/api/drafts/{draftId}/log/consistency?from={from}" + (to is { } t ? $"&to={t}" : ""));

    public static List<byte[]> Hashes(IEnumerable<string> hex) => hex.Select(Convert.FromHexString).ToList();
}
