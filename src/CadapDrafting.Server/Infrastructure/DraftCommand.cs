using CadapDrafting.Drafts;
using CadapDrafting.Identity;

namespace CadapDrafting.Infrastructure;

/// <summary>A fact recorded in a draft's stream. Applying it to the draft's state is its only behaviour.</summary>
public interface IDraftEvent
{
    void ApplyTo(Draft draft, EventContext context);
}

/// <summary>Who recorded an event, when, and at which position of the draft.</summary>
public sealed record EventContext(long Position, string Actor, DateTimeOffset At);

/// <summary>What the decision functions see besides the draft: who asks, and when.</summary>
/// <param name="CommandId">The client's command id within its sender's own ids (see Idempotency.RecordIdOf).</param>
public sealed record CommandContext(Actor Actor, DateTimeOffset Now, Guid CommandId)
{
    /// <summary>An id derived from the command id, so a retried command names the same new things.</summary>
    public Guid NewId(string purpose) => DeterministicGuid.Create(CommandId, purpose);
}

/// <summary>
/// A command on one draft: a pure decision from the draft's current state to the events it causes,
/// or a refusal. Side effects (storage, locking, push) happen around it, never inside.
/// </summary>
public interface IDraftCommand
{
    /// <summary>The action checked against the access policy before deciding.</summary>
    DraftAction Action { get; }

    /// <summary>Why the change is made, recorded with every event the command causes.</summary>
    string? Reason { get; }

    Decision Decide(Draft draft, CommandContext context);
}

/// <summary>Starts a draft's stream. Decided on no state at all.</summary>
public interface IDraftCreation
{
    string? Reason { get; }
    Decision Decide(Guid draftId, CommandContext context);
}

public sealed record Decision(IReadOnlyList<IDraftEvent> Events, object? Result, Problem? Refusal)
{
    public bool IsRefused => Refusal is not null;

    public static Decision Emit(object? result, params IDraftEvent[] events) => new(events, result, null);
    public static Decision Emit(object? result, IEnumerable<IDraftEvent> events) => new(events.ToList(), result, null);
    public static Decision Refuse(Problem problem) => new([], null, problem);

    public static implicit operator Decision(Problem problem) => Refuse(problem);
}

public static class DeterministicGuid
{
    public static Guid Create(Guid seed, string purpose)
    {
        var bytes = System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(seed.ToString("N") + ":" + purpose));
        var g = bytes.AsSpan(0, 16).ToArray();
        g[7] = (byte)((g[7] & 0x0F) | 0x50); // version 5-style marker
        g[8] = (byte)((g[8] & 0x3F) | 0x80);
        return new Guid(g);
    }
}
