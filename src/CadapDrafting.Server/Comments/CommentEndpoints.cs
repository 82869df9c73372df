using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using Marten;

namespace CadapDrafting.Comments;

public static class CommentEndpoints
{
    public sealed record ReplyRequest(string Text);
    public sealed record ReasonRequest(string? Reason);

    public static void MapCommentEndpoints(this WebApplication app)
    {
        var threads = app.MapGroup("/api/drafts/{draftId:guid}/threads").WithTags("Comments");

        threads.MapPost("/", (HttpContext http, DemoUsers users, DraftWriter writer, Guid draftId, StartThread command) =>
                HttpCommands.SendAsync(http, writer, draftId, command with { MentionedPeople = People(users, command.Text) }))
            .Returns<CommentResult>()
            .Example(new StartThread("@kg-editor the baseline year is missing from this indicator.", ApiExamples.NodeId),
                new CommentResult(ApiExamples.ThreadId, ApiExamples.CommentId), position: 44)
            .Requires(DraftAction.Comment).WithSummary("Start a comment thread on a node (optionally quoting a span of its text) or on a proposal; " +
                "@user-id mentions")
            .Produces<CommandAccepted>().ProducesValidationProblem(422).ProducesProblem(404).ProducesProblem(403).ProducesProblem(409);

        threads.MapPost("/{threadId:guid}/replies", (HttpContext http, DemoUsers users, DraftWriter writer, Guid draftId, Guid threadId,
                ReplyRequest body) =>
                HttpCommands.SendAsync(http, writer, draftId,
                    new ReplyToThread(threadId, body.Text) { MentionedPeople = People(users, body.Text) }))
            .Returns<CommentResult>()
            .Requires(DraftAction.Comment).WithSummary("Reply in a thread")
            .Produces<CommandAccepted>().ProducesValidationProblem(422).ProducesProblem(404).ProducesProblem(409);

        threads.MapPost("/{threadId:guid}/resolve", (HttpContext http, DraftWriter writer, Guid draftId, Guid threadId, ReasonRequest? body) =>
                HttpCommands.SendAsync(http, writer, draftId, new ResolveThread(threadId, body?.Reason)))
            .Returns<CommentResult>()
            .Requires(DraftAction.Comment).WithSummary("Resolve a thread (its author or the drafting team)")
            .Produces<CommandAccepted>().ProducesProblem(409).ProducesProblem(403);

        threads.MapPost("/{threadId:guid}/reopen", (HttpContext http, DraftWriter writer, Guid draftId, Guid threadId, ReasonRequest? body) =>
                HttpCommands.SendAsync(http, writer, draftId, new ReopenThread(threadId, body?.Reason)))
            .Returns<CommentResult>()
            .Requires(DraftAction.Comment).WithSummary("Reopen a resolved thread (its author or the drafting team)")
            .Produces<CommandAccepted>().ProducesProblem(409).ProducesProblem(403);

        threads.MapGet("/", async (HttpContext http, IQuerySession session, Guid draftId, Guid? nodeId, Guid? proposalId, ThreadStatus? status) =>
            {
                var (draft, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId);
                if (refusal is not null) return refusal;
                var actor = Actor.FromPrincipal(http.User);
                var audience = Audience.ScopeOf(actor, draft!);
                if (DraftReads.NotModified(http, draft!, $"-t{audience}{nodeId}{proposalId}{status}")) return Results.StatusCode(304);
                return Results.Ok(ThreadQueries.List(draft!, actor, nodeId, proposalId, status));
            })
            .Requires(DraftAction.Read).WithSummary("Threads you may see, on one node or proposal or on the whole draft, with open/resolved counts")
            .Produces<ThreadList>();

        threads.MapGet("/counts", async (HttpContext http, IQuerySession session, Guid draftId) =>
            {
                var (draft, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId);
                if (refusal is not null) return refusal;
                return Results.Ok(ThreadQueries.Counts(draft!, Actor.FromPrincipal(http.User)));
            })
            .Requires(DraftAction.Read).WithSummary("Open and resolved thread counts per node (in document order) and per proposal")
            .Produces<List<AnchorCounts>>();

        threads.MapGet("/{threadId:guid}", async (HttpContext http, IQuerySession session, Guid draftId, Guid threadId) =>
            {
                var (draft, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId);
                if (refusal is not null) return refusal;
                return draft!.Threads.TryGetValue(threadId, out var thread) && thread.VisibleTo(Actor.FromPrincipal(http.User), draft)
                    ? Results.Ok(ThreadView.Of(draft, thread, Numbering.Of(draft)))
                    : HttpCommands.ToResult(http, Problem.NotFound($"Thread {threadId}"));
            })
            .Requires(DraftAction.Read).WithSummary("One thread").Produces<ThreadView>().ProducesProblem(404);

        app.MapGet("/api/inbox", async (HttpContext http, IQuerySession session, DemoUsers users, int? limit) =>
                (await Inbox.ForAsync(session, Actor.FromPrincipal(http.User), Math.Clamp(limit ?? 50, 1, 500), http.RequestAborted))
                .Select(e => e.Named(users)).ToList())
            .WithTags("Comments")
            .OpenToAnySignedInUser("the caller's own notifications, filtered by the read rule per draft").WithSummary("Your mentions and the " +
                "replies in threads you took part in, across drafts, newest first")
            .Produces<List<InboxEntry>>();

        app.MapGet("/api/inbox/unread", async (HttpContext http, IQuerySession session) =>
                new UnreadCount(await Inbox.UnreadAsync(session, Actor.FromPrincipal(http.User), http.RequestAborted)))
            .WithTags("Comments")
            .OpenToAnySignedInUser("the caller's own notifications, counted after the read rule per draft")
            .WithSummary("How many of your notifications are unread").Produces<UnreadCount>();

        app.MapPost("/api/inbox/read", async (HttpContext http, IDocumentStore store, IQuerySession session, TimeProvider clock,
                Notifications.InboxPush push, Notifications.MarkNotificationsRead.Request? body) =>
            {
                var actor = Actor.FromPrincipal(http.User);
                if (Notifications.MarkNotificationsRead.Validate(body) is { } invalid) return HttpCommands.ToResult(http, invalid);
                var (refused, marked) = await Notifications.MarkNotificationsRead.SendAsync(store, actor, body, clock.GetUtcNow(),
                    http.RequestAborted);
                if (refused is not null) return HttpCommands.ToResult(http, refused);
                if (marked) await push.UnreadChangedAsync([actor.UserId], http.RequestAborted);
                return Results.Ok(new UnreadCount(await Inbox.UnreadAsync(session, actor, http.RequestAborted)));
            })
            .WithTags("Comments")
            .OpenToAnySignedInUser("marks only the caller's own notifications")
            .WithSummary("Mark your notifications read: those named by id, or all when none are named (an event on your inbox stream)")
            .Produces<UnreadCount>().ProducesProblem(400).ProducesProblem(404).ProducesValidationProblem(422);
    }

    public sealed record UnreadCount(int Unread);

    /// <summary>
    /// The people a text mentions, from the user directory: the directory lives at the edge, not in the draft. Whether
    /// each may be mentioned is decided with the draft (<see cref="Mentions.Check"/>), under one message for every reason.
    /// </summary>
    private static Dictionary<string, Actor> People(DemoUsers users, string? text) =>
        Mentions.In(text).Select(users.Find).OfType<DemoUser>().ToDictionary(u => u.Id, u => u.ToActor());
}
