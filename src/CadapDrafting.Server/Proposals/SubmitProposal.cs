using System.Text.Json;
using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;

namespace CadapDrafting.Proposals;

/// <summary>
/// Suggests a change to one node. Attributes are a merge patch over the action's record: the fields named change,
/// a field set to null is removed, the others stay. With <see cref="AcceptNow"/> an editor's direct edit goes the same
/// way: the proposal is recorded and accepted in one command, so every change has one path.
/// </summary>
public sealed record SubmitProposal(
    ProposalKind Kind,
    Guid? NodeId,
    int? BaseRevision,
    string Rationale,
    [TextLimit(ProposalChange.MaxTextLength)] Dictionary<string, string>? Text = null,
    Dictionary<string, JsonElement>? Attributes = null,
    NodeKind? NodeKind = null,
    Guid? ParentId = null,
    Guid? AfterNodeId = null,
    bool AcceptNow = false,
    Guid? ProposalId = null,
    Programme.CitedGoodPractice? AdaptedFrom = null) : IDraftCommand
{
    public const int MaxRationaleLength = 4_000;

    public DraftAction Action => DraftAction.Propose;
    public string? Reason => Rationale;

    public Decision Decide(Draft draft, CommandContext context)
    {
        if (!draft.AcceptsContentChanges)
            return Problem.Conflict($"The draft is in {draft.Status}; proposals are taken only in Drafting and Consultation.",
                new Dictionary<string, object?> { ["draftStatus"] = draft.Status.ToString() });

        var v = new Validation();
        v.Require(!string.IsNullOrWhiteSpace(Rationale), "rationale", "Say why the change is proposed.");
        v.Require((Rationale ?? "").Length <= MaxRationaleLength, "rationale", $"A rationale is limited to {MaxRationaleLength} characters.");

        var change = new ProposalChange(Text, Attributes, ParentId, AfterNodeId);
        var proposalId = ProposalId ?? context.NewId("proposal");
        if (draft.Proposals.ContainsKey(proposalId))
            return Problem.Conflict("A proposal with this id already exists.");

        DraftNode? node = null;
        if (Kind != ProposalKind.Insert)
        {
            if (NodeId is not { } nodeId) { v.Add("nodeId", "Name the node the proposal changes."); return v.ToProblem()!; }
            if (!draft.Nodes.TryGetValue(nodeId, out node)) return Problem.NotFound($"Node {nodeId}");
            if (Kind != ProposalKind.Move)
            {
                if (BaseRevision is not { } baseRevision) v.Add("baseRevision", "Name the node revision the proposal was written against.");
                else if (baseRevision != node.Revision)
                    return Rebase.StaleConflict(draft, node, baseRevision, Text);
            }
        }

        var targetKind = node?.Kind ?? NodeKind ?? default;
        if (Kind == ProposalKind.Insert && NodeKind is null) v.Add("nodeKind", "Name the kind of node to insert.");
        change.Validate(v, draft, Kind, targetKind, node?.Attributes);
        if (Kind is ProposalKind.Insert or ProposalKind.Move && (Kind == ProposalKind.Move || NodeKind is not null))
            change.ValidatePlacement(v, draft, targetKind, node?.Id);
        if (AdaptedFrom is not null) Programme.CitedGoodPractice.Validate(v, AdaptedFrom, draft);
        if (v.ToProblem() is { } invalid) return invalid;

        var submitted = new ProposalSubmitted(proposalId, Kind, node?.Id ?? context.NewId("node"),
            Kind == ProposalKind.Insert ? NodeKind : null, ParentId, AfterNodeId, node?.Revision ?? 0,
            node is null ? new() : new(node.Text), Text, null, Rationale!.Trim(), AdaptedFrom, Attributes, node?.Attributes);

        if (!AcceptNow) return Decision.Emit(new ProposalSubmittedResult(proposalId, submitted.NodeId), submitted);

        if (AccessPolicy.Check(context.Actor, DraftAction.DecideProposal, draft) is { } refusal) return refusal;
        var accepted = AcceptProposal.Accept(draft, submitted.ToProposal(context.Actor.UserId, context.Now), Rationale!.Trim());
        if (accepted.IsRefused) return accepted;
        return Decision.Emit(new ProposalSubmittedResult(proposalId, submitted.NodeId, Accepted: true),
            new IDraftEvent[] { submitted }.Concat(accepted.Events));
    }
}

/// <summary>
/// A proposal was made. <see cref="Attributes"/> (a whole record that replaces the action's attributes) is how
/// proposals were recorded before field-level changes and keeps that meaning on replay; proposals are now recorded
/// with <see cref="AttributeChanges"/> (a merge patch) and the record they were written against.
/// </summary>
public sealed record ProposalSubmitted(
    Guid ProposalId,
    ProposalKind Kind,
    Guid NodeId,
    NodeKind? NodeKind,
    Guid? ParentId,
    Guid? AfterNodeId,
    int BaseNodeRevision,
    Dictionary<string, string> BaseText,
    Dictionary<string, string>? Text,
    ActionAttributes? Attributes,
    string Rationale,
    Programme.CitedGoodPractice? AdaptedFrom = null,
    Dictionary<string, JsonElement>? AttributeChanges = null,
    ActionAttributes? BaseAttributes = null) : IProposalEvent
{
    public void ApplyTo(Draft draft, EventContext context) => draft.Proposals[ProposalId] = ToProposal(context.Actor, context.At);

    public Proposal ToProposal(string author, DateTimeOffset at) =>
        new()
        {
            Id = ProposalId,
            Kind = Kind,
            NodeId = NodeId,
            NodeKind = NodeKind,
            ParentId = ParentId,
            AfterNodeId = AfterNodeId,
            BaseNodeRevision = BaseNodeRevision,
            BaseText = new(BaseText),
            Text = Text is null ? null : new(Text),
            Attributes = Attributes,
            AttributeChanges = AttributeChanges,
            BaseAttributes = BaseAttributes,
            Rationale = Rationale,
            Author = author,
            SubmittedAt = at,
            AdaptedFrom = AdaptedFrom,
        };
}

/// <summary>The new proposal and its node (new for an insert); <c>accepted</c> is present when it was accepted at once.</summary>
public sealed record ProposalSubmittedResult(Guid ProposalId, Guid NodeId, bool? Accepted = null);
