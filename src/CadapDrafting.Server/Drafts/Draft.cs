using CadapDrafting.Comments;
using CadapDrafting.Consultation;
using CadapDrafting.Infrastructure;
using CadapDrafting.Lifecycle;
using CadapDrafting.Proposals;
using CadapDrafting.SignOff;

namespace CadapDrafting.Drafts;

public enum DraftKind { Strategy, ActionPlan, Law }

public enum DraftStatus { Drafting, Consultation, Review, Approved, Withdrawn }

public enum NodeKind { Part, Chapter, Section, Article, Action, Point }

/// <summary>
/// The whole state of one draft, rebuilt from its stream: the document tree, the proposals on it
/// and its lifecycle. It is the state commands are decided on and, stored inline with every commit,
/// the document read model. Numbers are never stored: <see cref="Numbering"/> derives them.
/// </summary>
public sealed class Draft
{
    public Guid Id { get; set; }
    public string Country { get; set; } = "";
    public DraftKind Kind { get; set; }
    public Dictionary<string, string> Title { get; set; } = new();
    public int PeriodStart { get; set; }
    public int PeriodEnd { get; set; }
    /// <summary>The language the text is written in first; translations follow it.</summary>
    public string SourceLanguage { get; set; } = "ru";
    public List<string> Languages { get; set; } = [];
    public DraftStatus Status { get; set; } = DraftStatus.Drafting;
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The draft's position: the number of events in its stream. Every change increments it.</summary>
    public long Position { get; set; }
    /// <summary>The document revision: how many changes to the content have been accepted.</summary>
    public int Revision { get; set; }
    /// <summary>RevisionPositions[r] is the position at which revision r was reached.</summary>
    public List<long> RevisionPositions { get; set; } = [];
    public DateTimeOffset LastChangedAt { get; set; }
    /// <summary>The hash of the last event, which the next event's hash chains to.</summary>
    public string LastHash { get; set; } = HashChain.Genesis;
    /// <summary>
    /// The revision whose content hash the log last stated (an event's contentHash header, docs/evidence.md §3.1); null
    /// before any event did. The writer states the content again whenever the revision moves away from it.
    /// </summary>
    public int? StatedContentRevision { get; set; }
    /// <summary>
    /// The position of the event that last stated a content hash (0 when none did, or in a document stored before this was kept): a
    /// sign-off's signed head must cover it.
    /// </summary>
    public long StatedContentPosition { get; set; }
    /// <summary>
    /// The newest schema version among the draft's events (<see cref="Operations.Upgrades.EventSchema"/>): a node whose
    /// build reads an older one refuses the draft instead of misreading it. Stored documents without it are version 1.
    /// </summary>
    public int SchemaVersion { get; set; } = Operations.Upgrades.EventSchema.Released;
#if REHEARSE_UPGRADE
    /// <summary>Only in the rehearsal build: the field a newer build adds (set by its new event type).</summary>
    public List<string> RehearsalNotes { get; set; } = [];
#endif

    public List<Guid> RootNodeIds { get; set; } = [];
    public Dictionary<Guid, DraftNode> Nodes { get; set; } = new();
    public Dictionary<Guid, Proposal> Proposals { get; set; } = new();

    public bool SharedWithReviewers { get; set; }
    public bool SharedWithPublic { get; set; }
    public bool CurrentRoundIsPublic { get; set; }

    // Review: comment threads, consultation rounds, sign-off, editions and named versions.
    public Dictionary<Guid, CommentThread> Threads { get; set; } = new();
    public List<ConsultationRound> Rounds { get; set; } = [];
    public ApprovalPolicy? ApprovalPolicy { get; set; }
    public List<SignOffRecord> SignOffs { get; set; } = [];
    public List<SignOffRefusal> SignOffRefusals { get; set; } = [];
    /// <summary>1 for the first edition; starting a new revision of an approved draft begins the next one.</summary>
    public int Edition { get; set; } = 1;
    /// <summary>Every approval of the draft: which revision each edition adopted, so an adopted text stays available.</summary>
    public List<Adoption> Adoptions { get; set; } = [];
    public List<NamedVersion> NamedVersions { get; set; } = [];

    // Programme: actions marked as good practice (by node id) and citations of them from other drafts.
    public Dictionary<Guid, Programme.GoodPracticeMark> GoodPractices { get; set; } = new();
    public List<Programme.GoodPracticeCitation> GoodPracticeCitations { get; set; } = [];

    /// <summary>Nodes imported from Word files: per node, each file and paragraph its text came from (lineage back to the file).</summary>
    public Dictionary<Guid, List<Import.NodeSource>> NodeSources { get; set; } = new();

    public ConsultationRound? CurrentRound() => Rounds.LastOrDefault(r => r.IsOpen);

    public bool AcceptsContentChanges => Status is DraftStatus.Drafting or DraftStatus.Consultation;

    public List<Guid> ChildrenOf(Guid? parentId) => parentId is { } id ? Nodes[id].ChildIds : RootNodeIds;

    public bool IsWithin(Guid nodeId, Guid ancestorId)
    {
        for (Guid? current = nodeId; current is { } c; current = Nodes[c].ParentId)
            if (c == ancestorId) return true;
        return false;
    }

    public IEnumerable<Guid> SubtreeOf(Guid nodeId)
    {
        yield return nodeId;
        foreach (var child in Nodes[nodeId].ChildIds.ToList())
            foreach (var id in SubtreeOf(child))
                yield return id;
    }

    /// <summary>Nodes in document order.</summary>
    public IEnumerable<DraftNode> InDocumentOrder()
    {
        IEnumerable<DraftNode> Walk(IEnumerable<Guid> ids) =>
            ids.SelectMany(id => new[] { Nodes[id] }.Concat(Walk(Nodes[id].ChildIds)));
        return Walk(RootNodeIds);
    }

    public void Record(IDraftEvent @event, EventContext context)
    {
        @event.ApplyTo(this, context);
        SchemaVersion = Math.Max(SchemaVersion, Operations.Upgrades.EventSchema.VersionOf(@event));
        Position = context.Position;
        LastChangedAt = context.At;
    }

    /// <summary>The draft's own stored document: all of it but its proposals and threads, which are stored one by one.</summary>
    public Draft WithoutProposalsAndThreads()
    {
        var stored = (Draft)MemberwiseClone();
        stored.Proposals = new();
        stored.Threads = new();
        return stored;
    }

    /// <summary>Records that the content changed: a new document revision.</summary>
    public void NextRevision(long position)
    {
        Revision++;
        RevisionPositions.Add(position);
    }
}

public sealed class DraftNode
{
    public Guid Id { get; set; }
    public Guid? ParentId { get; set; }
    public NodeKind Kind { get; set; }
    /// <summary>Text per language code (ru, en, and the national language).</summary>
    public Dictionary<string, string> Text { get; set; } = new();
    public ActionAttributes? Attributes { get; set; }
    /// <summary>How many accepted changes shaped this node's content. Proposals are written against one.</summary>
    public int Revision { get; set; }
    public List<Guid> ChildIds { get; set; } = [];

    // Parallel languages: how often the source-language text changed, and per other language the source
    // text revision it was last written or confirmed against (a language written before it is stale).
    public int SourceTextRevision { get; set; }
    public Dictionary<string, int> TranslatedAgainst { get; set; } = new();
}
