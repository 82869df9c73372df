using CadapDrafting.Drafts;
using CadapDrafting.Programme;
using CadapDrafting.Proposals;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>What the drafting teams and EU experts do with the programme's views, in the words of the stories.</summary>
public static class ProgrammeVocabulary
{
    /// <summary>An action measurable as written: a yearly indicator with baseline, target and source, a body, a timeline and a budget.</summary>
    public static ActionAttributes Complete(Pillar pillar, params string[] sdgTargets) => new()
    {
        Objective = "Measurable change",
        ResponsibleBodies = ["Ministry of Health"],
        Timeline = new Timeline(new DateOnly(2025, 1, 1), new DateOnly(2027, 12, 31)),
        Indicators = [new Indicator("People reached", "0 (2024)", "5,000 (2027)", "Ministry of Health annual report", RecordedAnnually: true)],
        Budget = new Budget(120_000, "EUR", "State budget"),
        Pillar = pillar,
        SdgTargets = [.. sdgTargets],
    };

    /// <summary>An editor's direct insert of an action with text in several languages. Returns the new node's id.</summary>
    public static async Task<Guid> InsertsAction(this Person editor, Guid draftId, Dictionary<string, string> text,
        ActionAttributes? attributes = null, Guid? parentId = null)
    {
        var response = await editor.Proposes(draftId, new {
            kind = ProposalKind.Insert, nodeKind = NodeKind.Action, parentId, text, attributes, rationale = "New action", acceptNow = true,
        });
        await Expect.Status(response, HttpStatusCode.OK);
        return (await Person.Accepted(response)).Result!.Value.GetProperty("nodeId").GetGuid();
    }

    /// <summary>An editor's direct amendment of a node's text and/or attributes at its current revision.</summary>
    public static async Task Amends(this Person editor, Guid draftId, Guid nodeId, Dictionary<string, string>? text = null,
        ActionAttributes? attributes = null)
    {
        var revision = (await editor.Reads(draftId)).Node(nodeId).Revision;
        var response = await editor.Proposes(draftId, new {
            kind = ProposalKind.Amend, nodeId, baseRevision = revision, text, attributes, rationale = "Agreed wording", acceptNow = true,
        });
        await Expect.Status(response, HttpStatusCode.OK);
    }

    public static Task<ProgrammeView> ReadsProgramme(this Person person, Guid draftId) =>
        person.Read<ProgrammeView>($"/api/drafts/{draftId}/programme");

    public static Task<TranslationStatus> ReadsTranslations(this Person person, Guid draftId) =>
        person.Read<TranslationStatus>($"/api/drafts/{draftId}/translations");

    public static Task<HttpResponseMessage> ConfirmsTranslation(this Person editor, Guid draftId, Guid nodeId, string language) =>
        editor.Command($"/api/drafts/{draftId}/nodes/{nodeId}/translations/{language}/confirm", new { reason = "Still says the same" });

    public static Task<HttpResponseMessage> MarksGoodPractice(this Person editor, Guid draftId, Guid nodeId,
        string reason = "Evaluated: halved overdose deaths in two years") =>
        editor.Command($"/api/drafts/{draftId}/good-practice", new { nodeId, reason });

    public static Task<HttpResponseMessage> UnmarksGoodPractice(this Person editor, Guid draftId, Guid nodeId) =>
        editor.Command($"/api/drafts/{draftId}/good-practice/{nodeId}/unmark", new { reason = "Superseded by a better programme" });

    public static Task<List<GoodPracticeEntry>> SearchesGoodPractice(this Person person, string query = "") =>
        person.Read<List<GoodPracticeEntry>>($"/api/good-practice{query}");

    public static Task<DraftGoodPractice> ReadsGoodPractice(this Person person, Guid draftId) =>
        person.Read<DraftGoodPractice>($"/api/drafts/{draftId}/good-practice");

    public static Task<Comparison> ReadsComparison(this Person person) => person.Read<Comparison>("/api/programme/comparison");

    /// <summary>Proposes a new action adapted from another draft's good practice.</summary>
    public static Task<HttpResponseMessage> ProposesAdaptation(this Person person, Guid draftId, Guid citedDraftId, Guid citedNodeId,
        string text) =>
        person.Proposes(draftId, new {
            kind = ProposalKind.Insert, nodeKind = NodeKind.Action, text = new { en = text }, rationale = "Worked well elsewhere",
            adaptedFrom = new { draftId = citedDraftId, nodeId = citedNodeId },
        });
}
