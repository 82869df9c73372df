using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using CadapDrafting.Lifecycle;

namespace CadapDrafting.Programme;

/// <summary>
/// An editor confirms that a stale translation still says what the changed source text says. The text
/// itself does not change, so this is no new document revision.
/// </summary>
public sealed record ConfirmTranslation(Guid NodeId, string Language, string? Reason = null) : IDraftCommand
{
    public DraftAction Action => DraftAction.DecideProposal;

    public Decision Decide(Draft draft, CommandContext context)
    {
        if (!draft.Nodes.TryGetValue(NodeId, out var node)) return Problem.NotFound($"Node {NodeId}");
        if (LifecycleRules.CheckOpenForChange(draft, "confirm translations") is { } closed) return closed;
        if (!draft.Languages.Contains(Language ?? ""))
            return Problem.Invalid("language", $"'{Language}' is not one of this draft's languages ({string.Join(", ", draft.Languages)}).");
        if (Language == draft.SourceLanguage)
            return Problem.Invalid("language", $"'{Language}' is the source language; translations follow it, it is never stale.");

        switch (Translations.StateOf(node, Language!, draft.SourceLanguage))
        {
            case TranslationState.Missing:
                return Problem.Conflict($"The node has no '{Language}' text to confirm. Propose a translation instead.",
                    new Dictionary<string, object?> { ["translation"] = nameof(TranslationState.Missing) });
            case TranslationState.UpToDate:
                return Problem.Conflict($"The '{Language}' text already follows source text revision {node.SourceTextRevision}; there is nothing " +
                    "to confirm.",
                    new Dictionary<string, object?>
                    {
                        ["translation"] = nameof(TranslationState.UpToDate),
                        ["sourceTextRevision"] = node.SourceTextRevision
                    });
        }

        return Decision.Emit(new TranslationConfirmedResult(NodeId, Language!, node.SourceTextRevision),
            new TranslationConfirmed(NodeId, Language!, node.SourceTextRevision));
    }
}

public sealed record TranslationConfirmed(Guid NodeId, string Language, int SourceTextRevision) : IDraftEvent
{
    public void ApplyTo(Draft draft, EventContext context)
    {
        if (draft.Nodes.TryGetValue(NodeId, out var node)) node.TranslatedAgainst[Language] = SourceTextRevision;
    }
}

public sealed record TranslationConfirmedResult(Guid NodeId, string Language, int SourceTextRevision);
