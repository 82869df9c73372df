using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using CadapDrafting.Lifecycle;

namespace CadapDrafting.Consultation;

/// <summary>
/// The drafting team's answer to a reviewer comment of a consultation round: accepted, partly accepted, or
/// rejected with a reason. Recording it again replaces the earlier answer (both stay in the history).
/// </summary>
public sealed record RecordDisposition(Guid CommentId, DispositionKind Disposition, string? Reason = null) : IDraftCommand
{
    public const int MaxReasonLength = 4_000;

    public DraftAction Action => DraftAction.DisposeComment;

    public Decision Decide(Draft draft, CommandContext context)
    {
        if (LifecycleRules.CheckOpenForChange(draft, "record dispositions") is { } closed) return closed;
        var found = draft.Threads.Values
            .SelectMany(t => t.Comments.Select(c => (Thread: t, Comment: c)))
            .FirstOrDefault(x => x.Comment.Id == CommentId);
        if (found.Comment is null) return Problem.NotFound($"Comment {CommentId}");
        if (!found.Comment.ByReviewer || found.Comment.Round is null)
            return Problem.Invalid("commentId", "Only reviewer comments written during a consultation round receive a disposition.");

        var v = new Validation();
        v.Require(Enum.IsDefined(Disposition), "disposition", "The disposition is Accepted, PartlyAccepted or Rejected.");
        v.Require(Disposition != DispositionKind.Rejected || !string.IsNullOrWhiteSpace(Reason), "reason",
            "Say why the comment is rejected.");
        v.Require((Reason ?? "").Length <= MaxReasonLength, "reason", $"A reason is limited to {MaxReasonLength} characters.");
        if (v.ToProblem() is { } invalid) return invalid;

        return Decision.Emit(new DispositionResult(CommentId, Disposition),
            new CommentDisposed(found.Thread.Id, CommentId, found.Comment.Round.Value, Disposition, Reason?.Trim()));
    }
}

public sealed record CommentDisposed(Guid ThreadId, Guid CommentId, int Round, DispositionKind Disposition, string? Reason) : IDraftEvent,
    Comments.IThreadEvent
{
    public void ApplyTo(Draft draft, EventContext context)
    {
        var comment = draft.Threads[ThreadId].Comments.First(c => c.Id == CommentId);
        comment.Disposition = new CommentDisposition { Kind = Disposition, Reason = Reason, By = context.Actor, At = context.At };
    }
}

public sealed record DispositionResult(Guid CommentId, DispositionKind Disposition);
