using CadapDrafting.Infrastructure;
using JasperFx.Events;
using Marten;
using Npgsql;

namespace CadapDrafting.Drafts.Writing;

/// <summary>
/// One batch's view of its draft: taken under the draft's lock, evolved by every event the batch appends, and what the
/// batch stores and hands to the commit observers.
/// </summary>
public sealed class WorkingState
{
    private WorkingState(Guid draftId, Draft? draft, long position, bool storeAllParts)
    {
        DraftId = draftId;
        Draft = draft;
        Position = position;
        StoreAllParts = storeAllParts;
    }

    public Guid DraftId { get; }

    /// <summary>The draft after the events appended so far; null while the draft has no stream.</summary>
    public Draft? Draft { get; private set; }

    /// <summary>The stream's position after the events appended so far.</summary>
    public long Position { get; private set; }

    /// <summary>Every part must be written again: the stored document was missing, behind its stream or in an older form.</summary>
    public bool StoreAllParts { get; }

    public List<IEvent> Appended { get; } = [];

    /// <summary>What the commit observers captured from each appended event, handed back to them after the commit.</summary>
    public List<object> Captured { get; } = [];

    public string LastHash => Draft?.LastHash ?? HashChain.Genesis;

    public bool HasChanges => Appended.Count > 0 || StoreAllParts;

    /// <summary>
    /// Locks the draft for this session's transaction and takes its state: the state this process left after its last
    /// commit when nobody wrote since (<paramref name="held"/> at the stream's position), else read back from storage.
    /// </summary>
    public static async Task<WorkingState> LockAndLoadAsync(IDocumentSession session, Guid draftId, Draft? held)
    {
        var position = await DraftStreamLock.AcquireAsync(session, draftId, CancellationToken.None);
        if (held is not null && held.Position == position) return new WorkingState(draftId, held, position, false);
        if (position == 0) return new WorkingState(draftId, null, 0, false);
        var (draft, storeAllParts) = await DraftStore.LoadForWritingAsync(session, draftId, position, CancellationToken.None);
        return new WorkingState(draftId, draft, position, storeAllParts);
    }

    /// <summary>Adds the event to the transaction (starting the stream with the draft's first event).</summary>
    public IEvent Append(IDocumentSession session, IDraftEvent change) =>
        (Draft is null ? session.Events.StartStream<Draft>(DraftId, change) : session.Events.Append(DraftId, change)).Events[^1];

    /// <summary>
    /// The one evolve step, the same the stored projection uses, between the event's stamp and its seal (the content it
    /// leaves and its chain hash); observers capture what they need right after it.
    /// </summary>
    public void Evolve(IEvent appended, EventStamp stamp, DraftCommitObservers observers)
    {
        Position++;
        var previousHash = LastHash;
        Draft = EventMetadata.Evolve(Draft, DraftId, appended);
        Draft.LastHash = stamp.Seal(appended, Draft, previousHash);
        Appended.Add(appended);
        observers.Capture(Draft, appended, Position, Captured);
    }

    /// <summary>Stores the draft's parts in the transaction of its events.</summary>
    public void StoreParts(IDocumentSession session)
    {
        if (StoreAllParts) DraftStore.StoreAll(session, Draft!);
        else DraftStore.Store(session, Draft!, Appended);
    }

    /// <summary>Failures after which the same command may succeed when sent again: nothing was stored.</summary>
    public static bool IsTransient(Exception ex) =>
        ex is NpgsqlException or TimeoutException or Marten.Exceptions.MartenCommandException
            or JasperFx.ConcurrencyException or InvalidOperationException { InnerException: NpgsqlException };
}
