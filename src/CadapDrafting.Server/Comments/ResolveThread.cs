using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using CadapDrafting.Lifecycle;

namespace CadapDrafting.Comments;

/// <summary>Marks a thread as settled. Its author or the drafting team may.</summary>
public sealed record ResolveThread(Guid ThreadId, string? Reason = null) : IDraftCommand
{
    public DraftAction Action => DraftAction.Comment;

    public Decision Decide(Draft draft, CommandContext context)
    {
        if (ThreadRules.Check(draft, context, ThreadId, "resolve") is { } refused) return refused;
        if (!draft.Threads[ThreadId].IsOpen) return Problem.Conflict("The thread is already resolved.");
        return Decision.Emit(new CommentResult(ThreadId), new ThreadResolved(ThreadId, Reason));
    }
}

/// <summary>Takes a resolved thread up again.</summary>
public sealed record ReopenThread(Guid ThreadId, string? Reason = null) : IDraftCommand
{
    public DraftAction Action => DraftAction.Comment;

    public Decision Decide(Draft draft, CommandContext context)
    {
        if (ThreadRules.Check(draft, context, ThreadId, "reopen") is { } refused) return refused;
        if (draft.Threads[ThreadId].IsOpen) return Problem.Conflict("The thread is open already.");
        return Decision.Emit(new CommentResult(ThreadId), new ThreadReopened(ThreadId, Reason));
    }
}

public sealed record ThreadResolved(Guid ThreadId, string? Reason) : IDraftEvent, IThreadEvent
{
    public void ApplyTo(Draft draft, EventContext context)
    {
        var thread = draft.Threads[ThreadId];
        thread.Status = ThreadStatus.Resolved;
        thread.ResolvedBy = context.Actor;
        thread.ResolvedAt = context.At;
    }
}

public sealed record ThreadReopened(Guid ThreadId, string? Reason) : IDraftEvent, IThreadEvent
{
    public void ApplyTo(Draft draft, EventContext context)
    {
        var thread = draft.Threads[ThreadId];
        thread.Status = ThreadStatus.Open;
        thread.ResolvedBy = null;
        thread.ResolvedAt = null;
    }
}

internal static class ThreadRules
{
    public static Problem? Check(Draft draft, CommandContext context, Guid threadId, string verb)
    {
        if (LifecycleRules.CheckOpenForChange(draft, $"{verb} its threads") is { } closed) return closed;
        if (!draft.Threads.TryGetValue(threadId, out var thread) || !thread.VisibleTo(context.Actor, draft))
            return Problem.NotFound($"Thread {threadId}");
        if (thread.Author != context.Actor.UserId && !Audience.IsDraftingTeam(context.Actor, draft))
            return Problem.Forbidden($"Only the thread's author or the drafting team may {verb} it.");
        return null;
    }
}
