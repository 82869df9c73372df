namespace CadapDrafting.Drafts;

/// <summary>
/// Numbers derived from position, never stored: parts and chapters count at their level, sections
/// within their container, articles and actions run through the whole document (as in laws and action
/// plans), points within their article or action. Inserting or moving a node renumbers what follows.
/// </summary>
public static class Numbering
{
    public static IReadOnlyDictionary<Guid, string> Of(Draft draft)
    {
        var numbers = new Dictionary<Guid, string>();
        var runningByKind = new Dictionary<NodeKind, int>();

        void Walk(IReadOnlyList<Guid> ids, string? parentNumber)
        {
            var localByKind = new Dictionary<NodeKind, int>();
            foreach (var id in ids)
            {
                var node = draft.Nodes[id];
                string number;
                switch (node.Kind)
                {
                    case NodeKind.Article or NodeKind.Action:
                        runningByKind[node.Kind] = runningByKind.GetValueOrDefault(node.Kind) + 1;
                        number = runningByKind[node.Kind].ToString();
                        break;
                    case NodeKind.Part or NodeKind.Chapter:
                        localByKind[node.Kind] = localByKind.GetValueOrDefault(node.Kind) + 1;
                        number = localByKind[node.Kind].ToString();
                        break;
                    default:
                        localByKind[node.Kind] = localByKind.GetValueOrDefault(node.Kind) + 1;
                        var local = localByKind[node.Kind].ToString();
                        number = parentNumber is null ? local : $"{parentNumber}.{local}";
                        break;
                }
                numbers[id] = number;
                Walk(node.ChildIds, number);
            }
        }

        Walk(draft.RootNodeIds, null);
        return numbers;
    }
}
