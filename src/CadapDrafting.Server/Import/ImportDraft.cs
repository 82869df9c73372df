using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using CadapDrafting.Proposals;

namespace CadapDrafting.Import;

/// <summary>One node as the reviewed outline gives it: its depth, kind, text and where in the Word file it came from.</summary>
public sealed record ImportedLine(string LineId, int Level, NodeKind Kind, string Text, ActionAttributes? Attributes, string Source,
    string? Number)
{
    public static List<ImportedLine> From(ImportOutline outline) =>
        outline.Nodes.Select(l => new ImportedLine(l.Id, l.Level, ImportLine.NodeKindOf(l.Kind)!.Value, l.Text,
            ImportLine.NodeKindOf(l.Kind) == NodeKind.Action ? l.Attributes : null, l.Source, l.Number)).ToList();
}

/// <summary>Where a node came from: the file (by name and SHA-256), the paragraph or table row, the number it had there.</summary>
public sealed record NodeSource(string FileName, string Sha256, string Language, string Paragraph, string? Number);

public sealed record ImportedNode(Guid NodeId, Guid? ParentId, NodeKind Kind, Dictionary<string, string> Text, ActionAttributes? Attributes,
    string Source, string? Number);

/// <summary>
/// A new draft from a reviewed Word file: one command, so the draft and its whole structure arrive at one position
/// with the file's name and SHA-256 and, per node, the paragraph it came from.
/// </summary>
public sealed record ImportDraft(
    string Country,
    DraftKind Kind,
    Dictionary<string, string> Title,
    int PeriodStart,
    int PeriodEnd,
    string Language,
    ImportSource Source,
    List<ImportedLine> Lines,
    string? Reason = null) : IDraftCreation
{
    public Decision Decide(Guid draftId, CommandContext context)
    {
        var created = new CreateDraft(Country, Kind, Title, PeriodStart, PeriodEnd, Language, Reason).Decide(draftId, context);
        if (created.IsRefused) return created;
        var draftCreated = (DraftCreated)created.Events.Single();

        var v = new Validation();
        var nodes = Tree(Lines, Language, context, v);
        if (!v.IsValid) return v.ToProblem()!;
        return Decision.Emit(new DraftImportedResult(draftId, nodes.Count, 1),
            draftCreated, new DraftImported(Source, Language, nodes));
    }

    /// <summary>Parents follow from levels: a line's parent is the nearest line above it with a smaller level.</summary>
    internal static List<ImportedNode> Tree(List<ImportedLine> lines, string language, CommandContext context, Validation v)
    {
        if (lines is not { Count: > 0 }) v.Add("lines", "The import has no nodes.");
        var nodes = new List<ImportedNode>();
        var stack = new List<(ImportedLine Line, Guid Id)>();
        for (var i = 0; i < (lines?.Count ?? 0); i++)
        {
            var line = lines![i];
            while (stack.Count > 0 && stack[^1].Line.Level >= line.Level) stack.RemoveAt(stack.Count - 1);
            var parent = stack.Count > 0 ? stack[^1] : default;
            var parentKind = stack.Count > 0 ? parent.Line.Kind : (NodeKind?)null;
            if (!NodeRules.MayContain(parentKind, line.Kind))
                v.Add($"lines[{i}]",
                    $"{line.Source}: a {line.Kind} cannot be placed " +
                    $"{(parentKind is null ? "at the top level" : $"inside a {parentKind} ({parent.Line.Source})")}.");
            if (string.IsNullOrWhiteSpace(line.Text)) v.Add($"lines[{i}].text", $"{line.Source}: the {line.Kind} has no text.");
            else if (line.Text.Length > ProposalChange.MaxTextLength)
                v.Add($"lines[{i}].text", $"{line.Source}: text is limited to {ProposalChange.MaxTextLength} characters.");
            if (line.Attributes is { } attributes)
            {
                if (!NodeRules.CarriesActionAttributes(line.Kind))
                    v.Add($"lines[{i}].attributes", $"{line.Source}: only actions carry action attributes.");
                else attributes.Validate(v, $"lines[{i}].attributes");
            }
            var id = context.NewId($"import/{line.LineId}");
            nodes.Add(new ImportedNode(id, stack.Count > 0 ? parent.Id : null, line.Kind, new() { [language] = line.Text.Trim() }, line.Attributes,
                line.Source, line.Number));
            stack.Add((line, id));
        }
        return nodes;
    }
}

/// <summary>The structure of a Word file became the draft's content, as revision 1 (the first accepted content).</summary>
public sealed record DraftImported(ImportSource Source, string Language, List<ImportedNode> Nodes) : IDraftEvent
{
    public void ApplyTo(Draft draft, EventContext context)
    {
        foreach (var imported in Nodes)
        {
            var node = new DraftNode
            {
                Id = imported.NodeId, ParentId = imported.ParentId, Kind = imported.Kind, Text = new(imported.Text),
                Attributes = imported.Attributes, Revision = 1,
            };
            draft.Nodes[node.Id] = node;
            draft.ChildrenOf(imported.ParentId).Add(node.Id);
            Programme.Translations.TrackNewNode(node, draft.SourceLanguage);
            draft.NodeSources[node.Id] = [new NodeSource(Source.FileName, Source.Sha256, Language, imported.Source, imported.Number)];
        }
        draft.NextRevision(context.Position);
    }
}

/// <summary>
/// Another language of an existing draft from a Word file with the same structure: the file's nodes are aligned with the
/// draft's, one by one in document order, and each gets its text in the new language.
/// </summary>
public sealed record ImportTranslation(string Language, ImportSource Source, List<ImportedLine> Lines, string? Reason = null) : IDraftCommand
{
    public DraftAction Action => DraftAction.DecideProposal;

    public Decision Decide(Draft draft, CommandContext context)
    {
        if (!draft.AcceptsContentChanges)
            return Problem.Conflict($"The draft is in {draft.Status}; its content cannot change now.",
                new Dictionary<string, object?> { ["status"] = draft.Status.ToString() });
        if (!draft.Languages.Contains(Language))
            return Problem.Invalid("language", $"'{Language}' is not one of this draft's languages ({string.Join(", ", draft.Languages)}).");
        if (Language == draft.SourceLanguage)
            return Problem.Invalid("language", $"'{Language}' is the draft's source language; import a translation into another language.");

        var nodes = draft.InDocumentOrder().ToList();
        var lines = Lines ?? [];
        if (lines.Count != nodes.Count)
            return Problem.Invalid("lines", $"The file has {lines.Count} nodes and the draft {nodes.Count}; they must match one by one. " +
                                            (FirstMismatch(nodes, lines) is { } m ? m : ""));
        if (FirstMismatch(nodes, lines) is { } mismatch) return Problem.Invalid("lines", mismatch);
        var v = new Validation();
        for (var i = 0; i < lines.Count; i++)
            if (string.IsNullOrWhiteSpace(lines[i].Text)) v.Add($"lines[{i}].text", $"{lines[i].Source}: no text.");
            else if (lines[i].Text.Length > ProposalChange.MaxTextLength) v.Add($"lines[{i}].text", $"{lines[i].Source}: text is too long.");
        if (!v.IsValid) return v.ToProblem()!;

        var texts = nodes.Zip(lines, (node, line) => new ImportedText(node.Id, line.Text.Trim(), line.Source, line.Number)).ToList();
        var events = new List<IDraftEvent> { new TranslationImported(Source, Language, texts, draft.Revision + 1) };
        events.AddRange(SignOff.SignOffDismissed.For(draft, draft.Revision + 1));
        return Decision.Emit(new DraftImportedResult(draft.Id, texts.Count, draft.Revision + 1), events);
    }

    private static string? FirstMismatch(List<DraftNode> nodes, List<ImportedLine> lines)
    {
        for (var i = 0; i < Math.Min(nodes.Count, lines.Count); i++)
            if (nodes[i].Kind != lines[i].Kind)
                return $"Node {i + 1} of the draft is a {nodes[i].Kind} but {lines[i].Source} of the file is a {lines[i].Kind}; correct the " +
                    "outline so they align.";
        return null;
    }
}

public sealed record ImportedText(Guid NodeId, string Text, string Source, string? Number);

public sealed record TranslationImported(ImportSource Source, string Language, List<ImportedText> Texts, int Revision) : IDraftEvent
{
    public void ApplyTo(Draft draft, EventContext context)
    {
        foreach (var text in Texts)
        {
            var node = draft.Nodes[text.NodeId];
            node.Text[Language] = text.Text;
            node.TranslatedAgainst[Language] = node.SourceTextRevision;
            node.Revision++;
            (draft.NodeSources.TryGetValue(node.Id, out var sources) ? sources : draft.NodeSources[node.Id] = [])
                .Add(new NodeSource(Source.FileName, Source.Sha256, Language, text.Source, text.Number));
        }
        draft.NextRevision(context.Position);
    }
}

/// <summary>The answer to an import: the draft, how many nodes the file gave, and the draft's revision after it.</summary>
public sealed record DraftImportedResult(Guid DraftId, int Nodes, int Revision);
