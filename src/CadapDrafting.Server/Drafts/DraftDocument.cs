using CadapDrafting.Proposals;

namespace CadapDrafting.Drafts;

/// <summary>The draft as a reader sees it: the numbered tree with text per language.</summary>
public sealed record DraftDocument(
    Guid Id,
    string Country,
    DraftKind Kind,
    Dictionary<string, string> Title,
    int PeriodStart,
    int PeriodEnd,
    string SourceLanguage,
    List<string> Languages,
    DraftStatus Status,
    long Position,
    int Revision,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastChangedAt,
    int OpenProposals,
    List<NodeView> Nodes)
{
    /// <summary>What the reader may do on the draft now (<see cref="Drafts.AllowedActions"/>); set on reads for a caller.</summary>
    public IReadOnlyList<string>? AllowedActions { get; init; }

    public static DraftDocument Of(Draft draft)
    {
        var numbers = Numbering.Of(draft);
        var openByNode = draft.Proposals.Values.Where(p => p.IsOpen).GroupBy(p => p.NodeId).ToDictionary(g => g.Key, g => g.Count());
        List<NodeView> Build(IEnumerable<Guid> ids) =>
            ids.Select(id => NodeView.Of(draft.Nodes[id], numbers, openByNode, Build(draft.Nodes[id].ChildIds))).ToList();
        return new DraftDocument(draft.Id, draft.Country, draft.Kind, draft.Title, draft.PeriodStart, draft.PeriodEnd,
            draft.SourceLanguage, draft.Languages, draft.Status, draft.Position, draft.Revision, draft.CreatedAt,
            draft.LastChangedAt, draft.Proposals.Values.Count(p => p.IsOpen), Build(draft.RootNodeIds));
    }
}

public sealed record NodeView(
    Guid Id,
    NodeKind Kind,
    string Number,
    Dictionary<string, string> Text,
    int Revision,
    ActionAttributes? Attributes,
    int OpenProposals,
    List<NodeView> Children)
{
    public static NodeView Of(DraftNode node, IReadOnlyDictionary<Guid, string> numbers, IReadOnlyDictionary<Guid, int> openByNode,
        List<NodeView> children) =>
        new(node.Id, node.Kind, numbers[node.Id], node.Text, node.Revision, node.Attributes,
            openByNode.GetValueOrDefault(node.Id), children);
}

/// <summary>A line of the draft list.</summary>
public sealed record DraftSummary(Guid Id, string Country, DraftKind Kind, Dictionary<string, string> Title, int PeriodStart,
    int PeriodEnd, DraftStatus Status, long Position, int Revision, int Nodes, int OpenProposals, DateTimeOffset LastChangedAt)
{
    public static DraftSummary Of(Draft d) => new(d.Id, d.Country, d.Kind, d.Title, d.PeriodStart, d.PeriodEnd, d.Status,
        d.Position, d.Revision, d.Nodes.Count, d.Proposals.Values.Count(p => p.Status == ProposalStatus.Open), d.LastChangedAt);
}
