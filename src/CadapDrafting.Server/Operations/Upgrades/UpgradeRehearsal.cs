#if REHEARSE_UPGRADE
using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using Marten;

namespace CadapDrafting.Operations.Upgrades;

/// <summary>
/// Only in a build compiled with <c>-p:RehearseUpgrade=true</c> (schema version <see cref="EventSchema.Released"/> + 1):
/// one new command, its new event type and the new field of the draft's document it sets, as a real upgrade would add
/// them. The rolling-upgrade test rolls a cluster from the released build onto this one while commands flow.
/// </summary>
public sealed record NoteUpgradeRehearsal([TextLimit(200)] string Note, string? Reason = null) : IDraftCommand
{
    public DraftAction Action => DraftAction.Propose;

    public Decision Decide(Draft draft, CommandContext context) =>
        string.IsNullOrWhiteSpace(Note)
            ? Problem.Invalid("note", "A rehearsal note needs text.")
            : Decision.Emit(new RehearsalNoteResult(Note.Trim()), new UpgradeRehearsalNoted(Note.Trim()));
}

[IntroducedIn(EventSchema.Released + 1)]
public sealed record UpgradeRehearsalNoted(string Note) : IDraftEvent
{
    public void ApplyTo(Draft draft, EventContext context) => draft.RehearsalNotes.Add(Note);
}

public sealed record RehearsalNoteResult(string Note);

public static class UpgradeRehearsal
{
    public static void Map(WebApplication app)
    {
        var notes = app.MapGroup("/api/drafts/{draftId:guid}/rehearsal-notes").WithTags("Upgrade rehearsal");
        notes.MapPost("/", (HttpContext http, DraftWriter writer, Guid draftId, NoteUpgradeRehearsal command) =>
                HttpCommands.SendAsync(http, writer, draftId, command))
            .Returns<RehearsalNoteResult>()
            .Requires(DraftAction.Propose).WithSummary("Rehearsal build only: record a note (an event type the released build does not know)")
            .Produces<CommandAccepted>().ProducesProblem(503).ProducesValidationProblem(422);
        notes.MapGet("/", async (HttpContext http, IQuerySession session, Guid draftId) =>
            {
                var (draft, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId, withProposalsAndThreads: false);
                return refusal ?? Results.Ok(draft!.RehearsalNotes);
            })
            .Requires(DraftAction.Read).WithSummary("Rehearsal build only: the notes (a field of the draft's document the released build lacks)")
            .Produces<List<string>>();
    }
}
#endif
