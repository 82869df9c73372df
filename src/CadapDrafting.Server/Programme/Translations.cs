using CadapDrafting.Drafts;

namespace CadapDrafting.Programme;

public enum TranslationState { UpToDate, Stale, Missing }

/// <summary>
/// Parallel languages. Each node counts how often its source-language text changed; every other language
/// remembers the source revision it was written or confirmed against. A translation behind the source is
/// stale until it is rewritten or an editor confirms it still says the same.
/// </summary>
public static class Translations
{
    /// <summary>Called as an amendment is applied, before the node's text changes.</summary>
    public static void TrackAmendment(DraftNode node, string sourceLanguage, IReadOnlyDictionary<string, string>? written)
    {
        if (written is null) return;
        if (written.TryGetValue(sourceLanguage, out var source) && node.Text.GetValueOrDefault(sourceLanguage) != source)
            node.SourceTextRevision++;
        // Languages written together with (or after) the source text are translations of the source as it now is.
        foreach (var language in written.Keys.Where(l => l != sourceLanguage))
            node.TranslatedAgainst[language] = node.SourceTextRevision;
    }

    /// <summary>Called once a new node holds its first text.</summary>
    public static void TrackNewNode(DraftNode node, string sourceLanguage)
    {
        node.SourceTextRevision = node.Text.ContainsKey(sourceLanguage) ? 1 : 0;
        foreach (var language in node.Text.Keys.Where(l => l != sourceLanguage))
            node.TranslatedAgainst[language] = node.SourceTextRevision;
    }

    public static TranslationState StateOf(DraftNode node, string language, string sourceLanguage)
    {
        if (!node.Text.ContainsKey(language)) return TranslationState.Missing;
        if (language == sourceLanguage) return TranslationState.UpToDate;
        return node.TranslatedAgainst.TryGetValue(language, out var against) && against < node.SourceTextRevision
            ? TranslationState.Stale
            : TranslationState.UpToDate;
    }

    /// <summary>Per language of the draft: how many nodes are up to date, stale or missing, naming the stale and missing ones.</summary>
    public static TranslationStatus StatusOf(Draft draft) => StatusOf(draft, Numbering.Of(draft));

    public static TranslationStatus StatusOf(Draft draft, IReadOnlyDictionary<Guid, string> numbers)
    {
        var nodes = draft.InDocumentOrder().ToList();
        var languages = draft.Languages.Select(language =>
        {
            var states = nodes.Select(n => (Node: n, State: StateOf(n, language, draft.SourceLanguage))).ToList();
            NodeRef Ref(DraftNode n) => new(n.Id, n.Kind, numbers[n.Id], n.SourceTextRevision, n.TranslatedAgainst.GetValueOrDefault(language));
            return new LanguageStatus(language, language == draft.SourceLanguage,
                states.Count(s => s.State == TranslationState.UpToDate),
                states.Count(s => s.State == TranslationState.Stale),
                states.Count(s => s.State == TranslationState.Missing),
                states.Where(s => s.State == TranslationState.Stale).Select(s => Ref(s.Node)).ToList(),
                states.Where(s => s.State == TranslationState.Missing).Select(s => Ref(s.Node)).ToList());
        }).ToList();
        return new TranslationStatus(draft.SourceLanguage, nodes.Count, languages);
    }
}

public sealed record TranslationStatus(string SourceLanguage, int Nodes, List<LanguageStatus> Languages);

public sealed record LanguageStatus(string Language, bool IsSource, int UpToDate, int Stale, int Missing, List<NodeRef> StaleNodes,
    List<NodeRef> MissingNodes);

/// <summary>A node named in a translation list: which source revision it is at and which one this language follows.</summary>
public sealed record NodeRef(Guid NodeId, NodeKind Kind, string Number, int SourceTextRevision, int TranslatedAgainst);
