using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;

namespace CadapDrafting.Lifecycle;

/// <summary>A name for a revision of the document, e.g. "submitted to the Cabinet".</summary>
public sealed class NamedVersion
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public int Revision { get; set; }
    /// <summary>The draft's position when the revision was reached: where to replay to for its text.</summary>
    public long RevisionPosition { get; set; }
    public string NamedBy { get; set; } = "";
    public DateTimeOffset NamedAt { get; set; }
}

/// <summary>
/// Names a revision (the current one unless said). Naming changes no content, so it is allowed on an
/// approved draft too; that is where "submitted to the Cabinet" usually happens.
/// </summary>
public sealed record NameVersion([TextLimit(NameVersion.MaxNameLength)] string Name, int? Revision = null, string? Reason = null) : IDraftCommand
{
    public const int MaxNameLength = 200;

    public DraftAction Action => DraftAction.ManageLifecycle;

    public Decision Decide(Draft draft, CommandContext context)
    {
        if (draft.Status == DraftStatus.Withdrawn) return LifecycleRules.Refuse(draft, "The draft is Withdrawn; its versions cannot be named.");
        var revision = Revision ?? draft.Revision;
        var v = new Validation();
        v.Require(!string.IsNullOrWhiteSpace(Name), "name", "A named version needs a name.");
        v.Require((Name ?? "").Length <= MaxNameLength, "name", $"A name is limited to {MaxNameLength} characters.");
        v.Require(revision >= 0 && revision <= draft.Revision, "revision", $"The draft's revisions run from 0 to {draft.Revision}.");
        if (v.ToProblem() is { } invalid) return invalid;

        var name = Name!.Trim();
        if (draft.NamedVersions.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase)) is { } taken)
            return Problem.Conflict($"The name \"{taken.Name}\" already marks revision {taken.Revision}; choose another name.",
                new Dictionary<string, object?> { ["versionId"] = taken.Id, ["revision"] = taken.Revision });

        var id = context.NewId("named-version");
        return Decision.Emit(new NamedVersionResult(id, revision),
            new VersionNamed(id, name, revision, draft.RevisionPositions[revision]));
    }
}

public sealed record VersionNamed(Guid VersionId, string Name, int Revision, long RevisionPosition) : IDraftEvent
{
    public void ApplyTo(Draft draft, EventContext context) =>
        draft.NamedVersions.Add(new NamedVersion
        {
            Id = VersionId, Name = Name, Revision = Revision, RevisionPosition = RevisionPosition, NamedBy = context.Actor,
            NamedAt = context.At,
        });
}

public sealed record NamedVersionResult(Guid VersionId, int Revision);
