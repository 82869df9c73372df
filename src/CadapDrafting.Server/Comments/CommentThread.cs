using System.Text.RegularExpressions;
using CadapDrafting.Consultation;
using CadapDrafting.Drafts;
using CadapDrafting.Identity;

namespace CadapDrafting.Comments;

public enum ThreadVisibility { Internal, SharedWithReviewers }

public enum ThreadStatus { Open, Resolved }

/// <summary>
/// A discussion anchored to a node (optionally to a quoted span of its text) or to a proposal. Threads
/// never touch the content, so they never conflict with edits or with each other.
/// </summary>
public sealed class CommentThread
{
    public Guid Id { get; set; }
    public Guid? NodeId { get; set; }
    public Guid? ProposalId { get; set; }
    public QuotedSpan? Quote { get; set; }
    public ThreadVisibility Visibility { get; set; }
    public ThreadStatus Status { get; set; } = ThreadStatus.Open;
    public string Author { get; set; } = "";
    public DateTimeOffset StartedAt { get; set; }
    public List<Comment> Comments { get; set; } = [];
    public string? ResolvedBy { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }

    public bool IsOpen => Status == ThreadStatus.Open;

    /// <summary>A copy of the thread with only <paramref name="comments"/>.</summary>
    public CommentThread WithComments(IEnumerable<Comment> comments)
    {
        var copy = (CommentThread)MemberwiseClone();
        copy.Comments = comments.ToList();
        return copy;
    }

    /// <summary>Everyone who wrote in the thread, in order of their first comment.</summary>
    public IEnumerable<string> Participants() => Comments.Select(c => c.Author).Prepend(Author).Distinct();

    /// <summary>Whether the reader sees the thread at all: shared (or of their team), and for a public-only reader, with something said in a public
    /// round.</summary>
    public bool VisibleTo(Actor actor, Draft draft) =>
        VisibleTo(Visibility, actor, draft) && (Audience.ScopeOf(actor, draft) != ReaderScope.PublicRounds ||
                                                Comments.Any(c => Audience.SaidInPublicRound(draft, c.Round)));

    public static bool VisibleTo(ThreadVisibility visibility, Actor actor, Draft draft) =>
        visibility == ThreadVisibility.SharedWithReviewers || Audience.SeesInternalThreads(actor, draft);
}

public sealed class Comment
{
    public Guid Id { get; set; }
    public string Author { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public string Text { get; set; } = "";
    public List<string> Mentions { get; set; } = [];
    /// <summary>The consultation round the comment was written in, when one was open.</summary>
    public int? Round { get; set; }
    /// <summary>Written by a reviewer (EU expert or CSO) rather than the drafting team: it is owed a disposition.</summary>
    public bool ByReviewer { get; set; }
    public CommentDisposition? Disposition { get; set; }
}

/// <summary>
/// A quoted span of one language's text of a node, as it read at the node revision it was written against.
/// When that text changes the quote stays attached and is shown as outdated.
/// </summary>
public sealed record QuotedSpan(string Language, int Start, int End, [Infrastructure.TextLimit(Proposals.ProposalChange.MaxTextLength)] string Text,
    int NodeRevision)
{
    /// <summary>Where the quoted words are in the node's current text, or null when they are gone (outdated).</summary>
    public (int Start, int End)? Locate(DraftNode? node)
    {
        if (node is null || !node.Text.TryGetValue(Language, out var current)) return null;
        if (Start >= 0 && End - Start == Text.Length && End <= current.Length && string.CompareOrdinal(current, Start, Text, 0, Text.Length) == 0)
            return (Start, End);
        // Text inserted before the span only shifts it: the quote still stands if the words occur once.
        var found = current.IndexOf(Text, StringComparison.Ordinal);
        if (found < 0 || current.IndexOf(Text, found + 1, StringComparison.Ordinal) >= 0) return null;
        return (found, found + Text.Length);
    }
}

/// <summary>An event about one comment thread.</summary>
public interface IThreadEvent
{
    Guid ThreadId { get; }
}

public enum ReaderScope { WholeRecord, SharedThreads, PublicRounds }

/// <summary>What a reader may not see of a draft's discussion: whole threads, and single comments of threads they see.</summary>
public sealed record HiddenParts(IReadOnlySet<Guid> Threads, IReadOnlySet<Guid> Comments)
{
    /// <summary>Whether a stored event (its data as JSON) concerns a hidden thread or comment.</summary>
    public bool Hides(System.Text.Json.JsonElement data) =>
        data.ValueKind == System.Text.Json.JsonValueKind.Object &&
        (data.TryGetProperty("threadId", out var thread) && thread.TryGetGuid(out var threadId) && Threads.Contains(threadId) ||
         data.TryGetProperty("commentId", out var comment) && comment.TryGetGuid(out var commentId) && Comments.Contains(commentId));

    /// <summary>Whether an event concerns a hidden thread or comment.</summary>
    public bool Hides(object data) =>
        data is IThreadEvent e && Threads.Contains(e.ThreadId) ||
        data switch
        {
            CommentThreadStarted s => Comments.Contains(s.CommentId),
            CommentReplied r => Comments.Contains(r.CommentId),
            CommentDisposed d => Comments.Contains(d.CommentId),
            _ => false,
        };
}

/// <summary>Who stands where towards a draft's comments.</summary>
public static class Audience
{
    /// <summary>The country's drafters and editors: they answer comments and may resolve any thread.</summary>
    public static bool IsDraftingTeam(Actor actor, Draft draft) =>
        SameCountry(actor, draft) && (actor.Has(Role.Drafter) || actor.Has(Role.Editor));

    /// <summary>EU experts and CSOs from outside the drafting team: their comments are shared and owed a disposition.</summary>
    public static bool IsReviewer(Actor actor, Draft draft) =>
        !IsDraftingTeam(actor, draft) && (actor.Has(Role.EuExpert) || actor.Has(Role.Cso));

    /// <summary>The country's own people and auditors see internal threads; reviewers see shared ones only.</summary>
    public static bool SeesInternalThreads(Actor actor, Draft draft) => SeesInternalThreads(actor, draft.Country);

    /// <summary>The same rule, from the draft's country alone (for reads that do not load drafts).</summary>
    public static bool SeesInternalThreads(Actor actor, string draftCountry) =>
        actor.Country is not null && string.Equals(actor.Country, draftCountry, StringComparison.OrdinalIgnoreCase) || actor.Has(Role.Auditor);

    /// <summary>
    /// How much of a draft's discussion a reader sees: its own country's people and auditors the whole record; EU experts
    /// the threads shared with reviewers; readers who may read the draft only because it was opened to the public (CSOs)
    /// only what was said in public rounds — what was said in a round that was not public stays with the team and the EU
    /// experts even after a later public round opens.
    /// </summary>
    public static ReaderScope ScopeOf(Actor actor, Draft draft) =>
        SeesInternalThreads(actor, draft) ? ReaderScope.WholeRecord
        : SeesOnlyPublicRounds(actor, draft) ? ReaderScope.PublicRounds
        : ReaderScope.SharedThreads;

    /// <summary>Whether the actor may read the draft only because it was opened to the public.</summary>
    public static bool SeesOnlyPublicRounds(Actor actor, Draft draft) =>
        !AccessPolicy.Allows(actor, DraftAction.Read,
            AccessPolicy.DraftScope.Of(draft) with { SharedWithPublic = false, InPublicConsultation = false });

    public static bool SaidInPublicRound(Draft draft, int? round) => round is { } n && draft.Rounds.Any(r => r.Number == n && r.IsPublic);

    /// <summary>Whether a public-only reader may see what is said in <paramref name="round"/> (null: outside any round).</summary>
    public static bool Hears(Actor actor, Draft draft, int? round) =>
        ScopeOf(actor, draft) != ReaderScope.PublicRounds || SaidInPublicRound(draft, round);

    public static bool SeesComment(Actor actor, Draft draft, Comment comment) => Hears(actor, draft, comment.Round);

    /// <summary>The threads and comments <paramref name="actor"/> may not see in this draft; null when they see everything.</summary>
    public static HiddenParts? HiddenFrom(Actor actor, Draft draft) => HiddenFor(ScopeOf(actor, draft), draft);

    public static HiddenParts? HiddenFor(ReaderScope scope, Draft draft)
    {
        if (scope == ReaderScope.WholeRecord) return null;
        var threads = new HashSet<Guid>();
        var comments = new HashSet<Guid>();
        foreach (var thread in draft.Threads.Values)
        {
            if (thread.Visibility == ThreadVisibility.Internal) { threads.Add(thread.Id); continue; }
            if (scope != ReaderScope.PublicRounds) continue;
            var unheard = thread.Comments.Where(c => !SaidInPublicRound(draft, c.Round)).Select(c => c.Id).ToList();
            comments.UnionWith(unheard);
            if (unheard.Count == thread.Comments.Count) threads.Add(thread.Id);
        }
        return new HiddenParts(threads, comments);
    }

    /// <summary>
    /// Leaves out of a draft (current or past) the threads and comments <paramref name="hidden"/> names. Threads are
    /// replaced, never changed in place, so a state shared with others (a checkpoint) is left as it was.
    /// </summary>
    public static void Trim(Draft state, HiddenParts? hidden)
    {
        if (hidden is null) return;
        state.Threads = state.Threads.Where(t => !hidden.Threads.Contains(t.Key))
            .ToDictionary(t => t.Key, t => t.Value.Comments.Any(c => hidden.Comments.Contains(c.Id)) ? t.Value.WithComments(
                t.Value.Comments.Where(c => !hidden.Comments.Contains(c.Id))) : t.Value);
    }

    private static bool SameCountry(Actor actor, Draft draft) =>
        actor.Country is not null && string.Equals(actor.Country, draft.Country, StringComparison.OrdinalIgnoreCase);
}

public static partial class Mentions
{
    /// <summary>
    /// A mention is a promise that the person mentioned can read what they are pointed at. Someone who cannot read the
    /// thread (another country's people, a reviewer in an internal thread, someone unknown) is refused with one
    /// message whatever the reason, so a refusal never tells whether such a user exists elsewhere.
    /// </summary>
    /// <param name="people">The mentioned people found in the user directory (looked up at the edge); absent = unknown.</param>
    public static Infrastructure.Problem? Check(Draft draft, IEnumerable<string> mentions, IReadOnlyDictionary<string, Actor>? people,
        Func<Actor, bool> readsThread)
    {
        var refused = mentions.Where(id => people?.GetValueOrDefault(id) is not { } person ||
                                           !AccessPolicy.Allows(person, DraftAction.Read, draft) || !readsThread(person))
            .Select(id => "@" + id).ToList();
        if (refused.Count == 0) return null;
        var message = $"{string.Join(", ", refused)} cannot be mentioned here: only people who can read this thread can be mentioned.";
        return Infrastructure.Problem.Invalid("text", message) with
        {
            Extensions = new Dictionary<string, object?> { ["mentions"] = refused },
        };
    }

    /// <summary>The user ids mentioned as @user-id in a text, each once, in order.</summary>
    public static List<string> In(string? text) =>
        string.IsNullOrEmpty(text) ? [] : MentionPattern().Matches(text).Select(m => m.Groups[1].Value).Distinct().ToList();

    // Not preceded by a word character or a dot, so e-mail addresses are not mentions.
    [GeneratedRegex(@"(?<![\w.@])@([A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?)")]
    private static partial Regex MentionPattern();
}

/// <summary>Rules shared by every comment, whether it starts a thread or replies.</summary>
public static class CommentRules
{
    public const int MaxTextLength = 8_000;

    public static void ValidateText(Infrastructure.Validation v, string? text)
    {
        v.Require(!string.IsNullOrWhiteSpace(text), "text", "A comment needs text.");
        v.Require((text ?? "").Length <= MaxTextLength, "text", $"A comment is limited to {MaxTextLength} characters.");
    }

    /// <summary>
    /// The round a comment belongs to, and a refusal when a reviewer writes after the round's end date
    /// (the round stays open until the editor closes it, but the reviewers' time is over).
    /// </summary>
    public static (int? Round, Infrastructure.Problem? Refusal) RoundFor(Draft draft, Actor actor, DateTimeOffset now)
    {
        var round = draft.Status == DraftStatus.Consultation ? draft.CurrentRound() : null;
        if (round is not null && Audience.IsReviewer(actor, draft) && now > round.EndsAt)
            return (null, Infrastructure.Problem.Conflict(
                $"Consultation round {round.Number} ended on {round.EndsAt:yyyy-MM-dd HH:mm} UTC; comments are no longer taken.",
                new Dictionary<string, object?> { ["round"] = round.Number, ["endsAt"] = round.EndsAt }));
        return (round?.Number, null);
    }
}
