using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using CadapDrafting.Proposals;
using Marten;

namespace CadapDrafting.Programme;

/// <summary>
/// Good practice across countries. A marked action is meant to be shared, so the library shows it even from
/// a draft the reader may not otherwise see — but only that: the draft's title, country and period, the marked
/// action's text and attributes as they were when marked (a snapshot: later private edits never show), why it was
/// marked, and which countries cited it. Never the draft's other nodes, proposals, comments or history; a citing draft's
/// ids and people only to readers who may read that draft.
/// </summary>
public static class GoodPracticeLibrary
{
    /// <summary>Those who exchange good practice: drafting teams of every country, EU experts, and auditors.</summary>
    public static bool MayBrowse(Actor actor) =>
        actor.Roles.Any(role => AccessPolicy.ReachOf(role, DraftAction.BrowseGoodPractice) == Reach.Everywhere);

    /// <summary>
    /// Marked actions that still exist, in drafts that were not withdrawn, as a reader sees them who may read the drafts
    /// <paramref name="readsDraft"/> says. A mark recorded before snapshots existed shows only to readers of its own draft.
    /// </summary>
    public static IEnumerable<GoodPracticeEntry> EntriesOf(Draft draft, Func<Guid, bool> readsDraft) =>
        EntriesOf(draft, readsDraft(draft.Id)).Select(e => e with { CitedBy = e.CitedBy.Select(c => c.For(readsDraft(c.DraftId!.Value))).ToList() });

    /// <summary>The entries with every citation link; <paramref name="readsDraft"/> says whether marks without a snapshot may show.</summary>
    public static IEnumerable<GoodPracticeEntry> EntriesOf(Draft draft, bool readsDraft)
    {
        if (draft.Status == DraftStatus.Withdrawn || draft.GoodPractices.Count == 0) return [];
        var numbers = Numbering.Of(draft);
        return draft.InDocumentOrder()
            .Where(n => draft.GoodPractices.TryGetValue(n.Id, out var mark) && (mark.HasSnapshot || readsDraft))
            .Select(n => draft.GoodPractices[n.Id])
            .Select(m =>
            {
                var node = draft.Nodes[m.NodeId];
                return new GoodPracticeEntry(draft.Id, draft.Country, Countries.All[draft.Country].Name, draft.Title, draft.Kind,
                    draft.PeriodStart, draft.PeriodEnd, node.Id, numbers[node.Id], m.Text ?? node.Text,
                    m.HasSnapshot ? m.Attributes : node.Attributes, m.MarkedBy, m.MarkedAt,
                    m.Reason, draft.GoodPracticeCitations.Where(c => c.NodeId == node.Id).Select(CitationLink.Of).ToList());
            });
    }

    public static bool Matches(GoodPracticeEntry entry, string? text, Pillar? pillar, string? sdg, string? country) =>
        (string.IsNullOrWhiteSpace(text) || entry.Text.Values.Append(entry.Attributes?.Objective ?? "").Append(entry.Reason)
            .Any(t => t.Contains(text.Trim(), StringComparison.OrdinalIgnoreCase)))
        && (pillar is null || entry.Attributes?.Pillar == pillar)
        && (string.IsNullOrWhiteSpace(sdg) || entry.Attributes?.SdgTargets.Contains(sdg.Trim()) == true)
        && (string.IsNullOrWhiteSpace(country) || string.Equals(entry.Country, country.Trim(), StringComparison.OrdinalIgnoreCase));

    public static async Task<List<GoodPracticeEntry>> SearchAsync(IQuerySession session, Actor reader, string? text, Pillar? pillar,
        string? sdg, string? country, CancellationToken ct)
    {
        var drafts = (await DraftStore.QueryOwnDocumentsAsync(session, ct)).ToDictionary(d => d.Id);
        bool Reads(Guid id) => drafts.TryGetValue(id, out var d) && AccessPolicy.Allows(reader, DraftAction.Read, d);
        return drafts.Values.SelectMany(d => EntriesOf(d, Reads))
            .Where(e => Matches(e, text, pillar, sdg, country))
            .OrderBy(e => e.Country).ThenBy(e => e.DraftId).ToList();
    }

    /// <summary>What a citing proposal records of the good practice it names, or why it cannot cite it.</summary>
    public static async Task<(CitedGoodPractice? Cited, Problem? Problem)> ResolveAsync(IQuerySession session, CitedGoodPractice reference,
        CancellationToken ct)
    {
        var draft = await DraftStore.LoadOwnDocumentAsync(session, reference.DraftId, ct);
        // What is cited is what the library publishes: the snapshot, never the live text of a private draft.
        var entry = draft is null ? null : EntriesOf(draft, readsDraft: false).FirstOrDefault(e => e.NodeId == reference.NodeId);
        if (entry is null)
            return (null, Problem.Invalid("adaptedFrom",
                "The cited action is not current good practice: find it in the library (GET /api/good-practice) and cite its draftId and nodeId."));
        return (new CitedGoodPractice(entry.DraftId, entry.NodeId, entry.Country, entry.Number, new(entry.Text)), null);
    }
}

public sealed record GoodPracticeEntry(
    Guid DraftId,
    string Country,
    string CountryName,
    Dictionary<string, string> DraftTitle,
    DraftKind DraftKind,
    int PeriodStart,
    int PeriodEnd,
    Guid NodeId,
    string Number,
    Dictionary<string, string> Text,
    ActionAttributes? Attributes,
    string MarkedBy,
    DateTimeOffset MarkedAt,
    string Reason,
    List<CitationLink> CitedBy);

/// <summary>
/// A link from a cited action to the proposal that adapted it. Which draft, proposal and person cited it is shown only to
/// readers who may read the citing draft; everyone else learns the country and the time.
/// </summary>
public sealed record CitationLink(Guid? DraftId, string Country, Guid? ProposalId, string? CitedBy, DateTimeOffset CitedAt)
{
    public static CitationLink Of(GoodPracticeCitation c) => new(c.CitingDraftId, c.CitingCountry, c.ProposalId, c.CitedBy, c.CitedAt);

    public CitationLink For(bool readsCitingDraft) => readsCitingDraft ? this : this with { DraftId = null, ProposalId = null, CitedBy = null };
}

/// <summary>One draft's side of the exchange: what it offers (and who cited it), and what its proposals adapted from others.</summary>
public sealed record DraftGoodPractice(Guid DraftId, long Position, List<GoodPracticeEntry> Offered, List<Adaptation> AdaptedFrom)
{
    public static DraftGoodPractice Of(Draft draft, Func<Guid, bool> readsDraft) =>
        new(draft.Id, draft.Position, GoodPracticeLibrary.EntriesOf(draft, readsDraft).ToList(),
            draft.Proposals.Values.Where(p => p.AdaptedFrom is not null).OrderBy(p => p.SubmittedAt)
                .Select(p => new Adaptation(p.Id, p.Status, p.NodeId, p.Author, p.SubmittedAt, p.AdaptedFrom!)).ToList());
}

public sealed record Adaptation(Guid ProposalId, ProposalStatus Status, Guid NodeId, string Author, DateTimeOffset SubmittedAt,
    CitedGoodPractice Source);
