using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using CadapDrafting.Lifecycle;

namespace CadapDrafting.Programme;

/// <summary>
/// Why and by whom an action was offered to the other countries as good practice, and the action as it was then: what
/// the library publishes (<see cref="Text"/> and <see cref="Attributes"/>; null for marks recorded before snapshots).
/// </summary>
public sealed record GoodPracticeMark(Guid NodeId, string MarkedBy, DateTimeOffset MarkedAt, string Reason,
    Dictionary<string, string>? Text = null, ActionAttributes? Attributes = null)
{
    public bool HasSnapshot => Text is not null;
}

/// <summary>
/// The country's editor offers one action of the draft to the good-practice library. It changes no
/// content, so an adopted plan's actions can be marked too; a withdrawn draft offers nothing. Marking publishes a
/// snapshot of the action as it is now; edits afterwards stay private until the action is marked again, which
/// publishes a new snapshot.
/// </summary>
public sealed record MarkGoodPractice(Guid NodeId, string Reason) : IDraftCommand
{
    public DraftAction Action => DraftAction.DecideProposal;
    string? IDraftCommand.Reason => Reason;

    public Decision Decide(Draft draft, CommandContext context)
    {
        if (!draft.Nodes.TryGetValue(NodeId, out var node)) return Problem.NotFound($"Node {NodeId}");
        if (draft.Status == DraftStatus.Withdrawn) return LifecycleRules.Refuse(draft, "The draft is Withdrawn; it offers no good practice.");
        var v = new Validation();
        v.Require(node.Kind == NodeKind.Action, "nodeId", $"Only actions are good practice; this is a {node.Kind}.");
        v.Require(!string.IsNullOrWhiteSpace(Reason), "reason", "Say what makes the action worth adapting elsewhere.");
        if (v.ToProblem() is { } invalid) return invalid;
        var remarked = draft.GoodPractices.ContainsKey(NodeId);
        return Decision.Emit(new GoodPracticeResult(NodeId, remarked),
            new GoodPracticeMarked(NodeId, Reason.Trim(), new Dictionary<string, string>(node.Text), node.Attributes));
    }
}

/// <summary>An action was (re)marked as good practice, with the snapshot the library publishes; marks recorded before snapshots have none.</summary>
public sealed record GoodPracticeMarked(Guid NodeId, string Reason, Dictionary<string, string>? Text = null, ActionAttributes? Attributes = null)
    : IDraftEvent
{
    public void ApplyTo(Draft draft, EventContext context) =>
        draft.GoodPractices[NodeId] = new GoodPracticeMark(NodeId, context.Actor, context.At, Reason,
            Text is null ? null : new Dictionary<string, string>(Text), Attributes);
}

/// <summary>Takes an action out of the library. Citations already made stay recorded on both drafts.</summary>
public sealed record UnmarkGoodPractice(Guid NodeId, string Reason) : IDraftCommand
{
    public DraftAction Action => DraftAction.DecideProposal;
    string? IDraftCommand.Reason => Reason;

    public Decision Decide(Draft draft, CommandContext context)
    {
        if (!draft.GoodPractices.ContainsKey(NodeId))
            return Problem.Conflict("The action is not marked as good practice; there is nothing to unmark.");
        if (string.IsNullOrWhiteSpace(Reason)) return Problem.Invalid("reason", "Say why the action is no longer offered as good practice.");
        return Decision.Emit(new GoodPracticeResult(NodeId, Remarked: false), new GoodPracticeUnmarked(NodeId, Reason.Trim()));
    }
}

public sealed record GoodPracticeUnmarked(Guid NodeId, string Reason) : IDraftEvent
{
    public void ApplyTo(Draft draft, EventContext context) => draft.GoodPractices.Remove(NodeId);
}

/// <param name="Remarked">true when the action was marked already and this published a new snapshot of it.</param>
public sealed record GoodPracticeResult(Guid NodeId, bool Remarked);
