using CadapDrafting.Consultation;
using CadapDrafting.Live;

namespace CadapDrafting.Comments;

/// <summary>What comment events change for viewers: the thread, seen only by the draft's team while it is internal.</summary>
public static class CommentUpdateParts
{
    public static IServiceCollection AddCommentUpdateParts(this IServiceCollection services) => services
        .AddUpdateParts<CommentThreadStarted>((view, e) => [Thread(view, e.ThreadId)])
        .AddUpdateParts<CommentReplied>((view, e) => [Thread(view, e.ThreadId)])
        .AddUpdateParts<ThreadResolved>((view, e) => [Thread(view, e.ThreadId)])
        .AddUpdateParts<ThreadReopened>((view, e) => [Thread(view, e.ThreadId)])
        .AddUpdateParts<CommentDisposed>((view, e) => [Thread(view, e.ThreadId)]);

    public const string ThreadKind = "thread";

    public static UpdatePart Thread(UpdateView view, Guid threadId)
    {
        var thread = view.Draft.Threads[threadId];
        return new UpdatePart(ThreadKind, threadId, ThreadView.Of(view.Draft, thread, view.Numbers),
            TeamOnly: thread.Visibility == ThreadVisibility.Internal);
    }
}
