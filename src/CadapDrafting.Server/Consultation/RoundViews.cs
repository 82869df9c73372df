using System.Text;
using CadapDrafting.Comments;
using CadapDrafting.Drafts;

namespace CadapDrafting.Consultation;

public enum RoundState { Open, Ended, Closed }

/// <summary>Where a round stands: open, past its end date but not closed yet, or closed; and how far the answers are.</summary>
public sealed record RoundStatus(
    int Number,
    bool IsPublic,
    RoundState State,
    DateTimeOffset OpenedAt,
    string OpenedBy,
    DateTimeOffset EndsAt,
    DateTimeOffset? ClosedAt,
    string? ClosedBy,
    int ReviewerComments,
    int Pending,
    int Accepted,
    int PartlyAccepted,
    int Rejected)
{
    public static RoundStatus Of(Draft draft, ConsultationRound round, DateTimeOffset now)
    {
        var comments = CommentMatrix.ReviewerComments(draft, round.Number).Select(x => x.Comment).ToList();
        int Count(DispositionKind kind) => comments.Count(c => c.Disposition?.Kind == kind);
        var state = !round.IsOpen ? RoundState.Closed : now > round.EndsAt ? RoundState.Ended : RoundState.Open;
        return new RoundStatus(round.Number, round.IsPublic, state, round.OpenedAt, round.OpenedBy, round.EndsAt, round.ClosedAt,
            round.ClosedBy, comments.Count, comments.Count(c => c.Disposition is null), Count(DispositionKind.Accepted),
            Count(DispositionKind.PartlyAccepted), Count(DispositionKind.Rejected));
    }
}

/// <summary>One line of the comment–response matrix: a reviewer comment and the drafting team's answer.</summary>
public sealed record MatrixRow(
    int Line,
    Guid CommentId,
    Guid ThreadId,
    string Anchor,
    Guid? NodeId,
    Guid? ProposalId,
    string? QuotedText,
    string Reviewer,
    DateTimeOffset At,
    string Comment,
    string Disposition,
    string? Response,
    string? DisposedBy,
    DateTimeOffset? DisposedAt);

public sealed record CommentMatrixView(int Round, RoundStatus Status, List<MatrixRow> Rows);

/// <summary>
/// The comment–response matrix of a round: every reviewer comment written in it, in the order written,
/// with its disposition ("Pending" until the team answers).
/// </summary>
public static class CommentMatrix
{
    public static IEnumerable<(CommentThread Thread, Comment Comment)> ReviewerComments(Draft draft, int round) =>
        draft.Threads.Values
            .SelectMany(t => t.Comments.Where(c => c.ByReviewer && c.Round == round).Select(c => (Thread: t, Comment: c)))
            .OrderBy(x => x.Comment.At).ThenBy(x => x.Comment.Id);

    public static CommentMatrixView Of(Draft draft, ConsultationRound round, DateTimeOffset now)
    {
        var numbers = Numbering.Of(draft);
        var rows = ReviewerComments(draft, round.Number).Select((x, i) => new MatrixRow(
            i + 1, x.Comment.Id, x.Thread.Id, AnchorOf(draft, x.Thread, numbers), x.Thread.NodeId, x.Thread.ProposalId,
            x.Thread.Quote?.Text, x.Comment.Author, x.Comment.At, x.Comment.Text,
            x.Comment.Disposition?.Kind.ToString() ?? "Pending", x.Comment.Disposition?.Reason, x.Comment.Disposition?.By,
            x.Comment.Disposition?.At)).ToList();
        return new CommentMatrixView(round.Number, RoundStatus.Of(draft, round, now), rows);
    }

    private static string AnchorOf(Draft draft, CommentThread thread, IReadOnlyDictionary<Guid, string> numbers)
    {
        if (thread.ProposalId is { } proposalId)
        {
            var proposal = draft.Proposals.GetValueOrDefault(proposalId);
            var target = proposal is not null && numbers.TryGetValue(proposal.NodeId, out var number)
                ? $" on {draft.Nodes[proposal.NodeId].Kind} {number}"
                : "";
            return $"Proposal{target}";
        }
        return thread.NodeId is { } nodeId && draft.Nodes.TryGetValue(nodeId, out var node)
            ? $"{node.Kind} {numbers[nodeId]}"
            : "Deleted node";
    }

    public static string ToCsv(CommentMatrixView matrix)
    {
        var csv = new StringBuilder();
        Line(csv, "No.", "Anchor", "Quoted text", "Reviewer", "Date (UTC)", "Comment", "Disposition", "Response", "Answered by",
            "Answered (UTC)", "Comment id");
        foreach (var r in matrix.Rows)
            Line(csv, r.Line.ToString(), r.Anchor, r.QuotedText, r.Reviewer, Time(r.At), r.Comment, r.Disposition, r.Response,
                r.DisposedBy, r.DisposedAt is { } at ? Time(at) : null, r.CommentId.ToString());
        return csv.ToString();
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm");

    private static void Line(StringBuilder csv, params string?[] cells)
    {
        csv.AppendJoin(',', cells.Select(Cell));
        csv.Append("\r\n");
    }

    // RFC 4180 quoting; a leading = + - @ is neutralised so a spreadsheet never runs a comment as a formula.
    private static string Cell(string? value)
    {
        var text = value ?? "";
        if (text.Length > 0 && "=+-@\t\r".Contains(text[0])) text = "'" + text;
        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{text.Replace("\"", "\"\"")}\"" : text;
    }
}
