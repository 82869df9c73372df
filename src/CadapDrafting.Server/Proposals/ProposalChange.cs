using System.Text.Json;
using CadapDrafting.Drafts;
using CadapDrafting.Infrastructure;

namespace CadapDrafting.Proposals;

/// <summary>
/// The content of a proposed change, shared by submitting and rebasing: validated against the draft
/// as it is now.
/// </summary>
public sealed record ProposalChange(
    Dictionary<string, string>? Text = null,
    Dictionary<string, JsonElement>? Attributes = null,
    Guid? ParentId = null,
    Guid? AfterNodeId = null)
{
    public const int MaxTextLength = 20_000;

    /// <param name="currentAttributes">The action's record the attribute changes apply to (null for a new node).</param>
    public void Validate(Validation v, Draft draft, ProposalKind kind, NodeKind targetKind, ActionAttributes? currentAttributes)
    {
        if (Text is not null)
        {
            foreach (var (lang, text) in Text)
            {
                if (!draft.Languages.Contains(lang))
                    v.Add($"text.{lang}", $"'{lang}' is not one of this draft's languages ({string.Join(", ", draft.Languages)}).");
                else if (string.IsNullOrWhiteSpace(text))
                    v.Add($"text.{lang}", "Text cannot be empty; propose a deletion to remove a node.");
                else if (text.Length > MaxTextLength)
                    v.Add($"text.{lang}", $"Text is limited to {MaxTextLength} characters.");
            }
        }
        if (Attributes is not null)
        {
            if (!NodeRules.CarriesActionAttributes(targetKind))
                v.Add("attributes", $"Only actions carry action attributes; this is a {targetKind}.");
            else
                AttributePatch.Validate(v, currentAttributes, Attributes, "attributes");
        }
        switch (kind)
        {
            case ProposalKind.Amend:
                v.Require(Text is { Count: > 0 } || Attributes is { Count: > 0 }, "text", "An amendment changes the text or the attributes.");
                break;
            case ProposalKind.Insert:
                v.Require(Text is { Count: > 0 }, "text", "A new node needs text in at least one language.");
                break;
        }
    }

    public void ValidatePlacement(Validation v, Draft draft, NodeKind kind, Guid? movingNodeId)
    {
        NodeKind? parentKind = null;
        if (ParentId is { } parent)
        {
            if (!draft.Nodes.TryGetValue(parent, out var parentNode)) { v.Add("parentId", "The parent node does not exist."); return; }
            parentKind = parentNode.Kind;
            if (movingNodeId is { } moving && draft.IsWithin(parent, moving))
                v.Add("parentId", "A node cannot move into itself or its own children.");
        }
        if (!NodeRules.MayContain(parentKind, kind))
            v.Add("parentId", $"A {kind} cannot be placed {(parentKind is null ? "at the top level" : $"inside a {parentKind}")}.");
        if (AfterNodeId is { } after && (!draft.ChildrenOf(ParentId).Contains(after) || after == movingNodeId))
            v.Add("afterNodeId", "The node to follow must be another child of the same parent.");
    }
}
