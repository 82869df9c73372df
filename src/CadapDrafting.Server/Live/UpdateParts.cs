using CadapDrafting.Drafts;
using CadapDrafting.Infrastructure;
using CadapDrafting.Proposals;

namespace CadapDrafting.Live;

/// <summary>
/// How the events of one type change what viewers see. A slice adds its own events with one line:
/// <c>services.AddUpdateParts&lt;ThreadOpened&gt;((view, e) =&gt; [view.Part("thread", e.ThreadId, ...)]);</c>
/// Events nobody registered still reach viewers, with the draft's lifecycle part, so positions stay contiguous.
/// </summary>
public sealed record UpdatePartsRegistration(Type EventType, Func<UpdateView, IDraftEvent, IEnumerable<UpdatePart>> Render);

public static class UpdatePartsRegistry
{
    public static IServiceCollection AddUpdateParts<TEvent>(this IServiceCollection services,
        Func<UpdateView, TEvent, IEnumerable<UpdatePart>> render) where TEvent : IDraftEvent =>
        services.AddSingleton(new UpdatePartsRegistration(typeof(TEvent), (view, e) => render(view, (TEvent)e)));
}

/// <summary>The draft right after an event, with the views a part is made of (numbers are derived once per update).</summary>
public sealed class UpdateView(Draft draft)
{
    private IReadOnlyDictionary<Guid, string>? _numbers;

    public Draft Draft { get; } = draft;
    public IReadOnlyDictionary<Guid, string> Numbers => _numbers ??= Numbering.Of(Draft);

    public UpdatePart Part(string kind, Guid? id, object? data) => new(kind, id, data);

    /// <summary>The node with its number and open proposals, or a removal when it no longer exists.</summary>
    public UpdatePart Node(Guid nodeId) =>
        Draft.Nodes.TryGetValue(nodeId, out var node)
            ? new UpdatePart("node", nodeId, LiveNode.Of(Draft, node, Numbers))
            : new UpdatePart("node", nodeId, null);

    /// <summary>The tree's shape and numbering: sent whenever structure or numbers change.</summary>
    public UpdatePart Outline() => new("outline", Draft.Id, Draft.InDocumentOrder()
        .Select(n => new OutlineEntry(n.Id, n.ParentId, n.Kind, Numbers[n.Id])).ToList());

    public UpdatePart Proposal(Guid proposalId) =>
        new("proposal", proposalId, Draft.Proposals.TryGetValue(proposalId, out var p) ? ProposalView.Of(Draft, p, Numbers) : null);

    public UpdatePart Lifecycle() => new("lifecycle", Draft.Id, LifecycleView.Of(Draft));
}

/// <summary>A node without its subtree: children are named, not repeated, so a text edit sends one node.</summary>
public sealed record LiveNode(Guid Id, Guid? ParentId, NodeKind Kind, string Number, Dictionary<string, string> Text, int Revision,
    ActionAttributes? Attributes, int OpenProposals, List<Guid> ChildIds)
{
    public static LiveNode Of(Draft draft, DraftNode node, IReadOnlyDictionary<Guid, string> numbers) =>
        new(node.Id, node.ParentId, node.Kind, numbers[node.Id], node.Text, node.Revision, node.Attributes,
            draft.Proposals.Values.Count(p => p.IsOpen && p.NodeId == node.Id), node.ChildIds);
}

public sealed record OutlineEntry(Guid Id, Guid? ParentId, NodeKind Kind, string Number);

public sealed record LifecycleView(DraftStatus Status, int Revision, Dictionary<string, string> Title, bool SharedWithReviewers,
    bool SharedWithPublic, bool CurrentRoundIsPublic, int OpenProposals)
{
    public static LifecycleView Of(Draft d) => new(d.Status, d.Revision, d.Title, d.SharedWithReviewers, d.SharedWithPublic,
        d.CurrentRoundIsPublic, d.Proposals.Values.Count(p => p.IsOpen));
}
