using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using CadapDrafting.Proposals;
using JasperFx.Events;

namespace CadapDrafting.Programme;

/// <summary>
/// What a proposal says it is adapted from: another draft's good-practice action, as it read when cited.
/// A client names only the draft and node; the server fills in the rest from the library.
/// </summary>
public sealed record CitedGoodPractice(Guid DraftId, Guid NodeId, string? Country = null, string? Number = null,
    Dictionary<string, string>? Text = null)
{
    public static void Validate(Validation v, CitedGoodPractice cited, Draft citing)
    {
        if (cited.DraftId == citing.Id)
            v.Add("adaptedFrom.draftId", "A draft cannot cite its own actions; cite good practice of another draft.");
        if (cited.Country is null)
            v.Add("adaptedFrom", "The cited good practice was not looked up in the library.");
    }
}

/// <summary>One draft's action was cited by a proposal of another draft: recorded on the cited draft so the link runs both ways.</summary>
public sealed record GoodPracticeCitation(Guid NodeId, Guid CitingDraftId, string CitingCountry, Guid ProposalId, string CitedBy,
    DateTimeOffset CitedAt);

/// <summary>
/// Published from the citing draft's transaction through the outbox, so it is delivered once that commit
/// is durable, and redelivered until the cited draft has recorded it.
/// </summary>
public sealed record GoodPracticeCited(Guid CitedDraftId, Guid CitedNodeId, Guid CitingDraftId, string CitingCountry, Guid ProposalId,
    string CitedBy, DateTimeOffset CitedAt, Guid CommandId);

/// <summary>A commit of a proposal that cites good practice sends the citation to the cited draft, through the outbox.</summary>
public sealed class GoodPracticeCitationObserver : IDraftCommitObserver
{
    public IEnumerable<object> OutboxMessages(Draft draftAfter, IReadOnlyList<IEvent> appended) =>
        GoodPracticeCitedHandler.From(draftAfter.Id, draftAfter.Country, appended);
}

public static class GoodPracticeCitedHandler
{
    /// <summary>
    /// The back-link is written by the library, not by the person who cited: they usually may not even read the
    /// cited draft. It may read every draft and this command is its only write; no endpoint sends it.
    /// </summary>
    public static readonly Actor Library = new("good-practice-library", "Good-practice library", null, new HashSet<Role> { Role.Auditor });

    public static async Task Handle(GoodPracticeCited message, DraftWriter writer, CancellationToken ct)
    {
        // Derived from the citing command, so a redelivered message is answered from the first outcome.
        var commandId = DeterministicGuid.Create(message.CommandId, "good-practice-citation");
        await writer.SendOrRetryLaterAsync(message.CitedDraftId, new CommandEnvelope(commandId, Library, message.CommandId.ToString("D"),
            new RecordGoodPracticeCitation(message.CitedNodeId, message.CitingDraftId, message.CitingCountry, message.ProposalId,
                message.CitedBy, message.CitedAt)), ct);
    }

    /// <summary>The messages a committed slice of a draft's events causes: one per proposal that cites good practice.</summary>
    public static IEnumerable<GoodPracticeCited> From(Guid citingDraftId, string citingCountry, IEnumerable<IEvent> events) =>
        events.Where(e => e.Data is ProposalSubmitted { AdaptedFrom: not null })
            .Select(e =>
            {
                var submitted = (ProposalSubmitted)e.Data;
                var context = EventMetadata.ContextOf(e, 0);
                return new GoodPracticeCited(submitted.AdaptedFrom!.DraftId, submitted.AdaptedFrom.NodeId, citingDraftId, citingCountry,
                    submitted.ProposalId, context.Actor, context.At,
                    Guid.TryParse(EventMetadata.Header(e, EventMetadata.CommandId), out var id) ? id : submitted.ProposalId);
            });
}

public sealed record RecordGoodPracticeCitation(Guid NodeId, Guid CitingDraftId, string CitingCountry, Guid ProposalId, string CitedBy,
    DateTimeOffset CitedAt) : IDraftCommand
{
    // Adding a back-link changes nothing anyone wrote; the library actor reads every draft. See GoodPracticeCitedHandler.Library.
    public DraftAction Action => DraftAction.Read;
    public string? Reason => $"Cited by proposal {ProposalId} of draft {CitingDraftId} ({CitingCountry}), on behalf of {CitedBy}.";

    public Decision Decide(Draft draft, CommandContext context)
    {
        if (draft.GoodPracticeCitations.Any(c => c.CitingDraftId == CitingDraftId && c.ProposalId == ProposalId))
            return Decision.Emit(new CitationRecordedResult(false));
        return Decision.Emit(new CitationRecordedResult(true),
            new GoodPracticeCitationRecorded(NodeId, CitingDraftId, CitingCountry, ProposalId, CitedBy, CitedAt));
    }
}

public sealed record GoodPracticeCitationRecorded(Guid NodeId, Guid CitingDraftId, string CitingCountry, Guid ProposalId, string CitedBy,
    DateTimeOffset CitedAt) : IDraftEvent
{
    public void ApplyTo(Draft draft, EventContext context) =>
        draft.GoodPracticeCitations.Add(new GoodPracticeCitation(NodeId, CitingDraftId, CitingCountry, ProposalId, CitedBy, CitedAt));
}

public sealed record CitationRecordedResult(bool Recorded);
