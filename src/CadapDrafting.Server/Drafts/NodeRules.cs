namespace CadapDrafting.Drafts;

/// <summary>Which kinds of node may hold which: parts and chapters at the top, points at the bottom.</summary>
public static class NodeRules
{
    public static bool MayContain(NodeKind? parent, NodeKind child) => (parent, child) switch
    {
        (null, NodeKind.Part or NodeKind.Chapter or NodeKind.Section or NodeKind.Article or NodeKind.Action) => true,
        (NodeKind.Part, NodeKind.Chapter or NodeKind.Section or NodeKind.Article or NodeKind.Action) => true,
        (NodeKind.Chapter, NodeKind.Section or NodeKind.Article or NodeKind.Action) => true,
        (NodeKind.Section, NodeKind.Article or NodeKind.Action) => true,
        (NodeKind.Article or NodeKind.Action or NodeKind.Point, NodeKind.Point) => true,
        _ => false,
    };

    public static bool CarriesActionAttributes(NodeKind kind) => kind == NodeKind.Action;
}
