using System.Globalization;
using System.Text.RegularExpressions;
using CsvHelper;
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
public static partial class CommentMatrix
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

    private static readonly CsvWriterOptions CsvOptions = CsvWriterOptions.Default with
    {
        // A byte-order mark so spreadsheet programs read Cyrillic and Central Asian scripts as UTF-8.
        WriteByteOrderMark = true,
        Injection = CsvInjection.Escape,
    };

    /// <summary>
    /// The matrix as RFC 4180 CSV (UTF-8 with a byte-order mark). No cell can run as a formula: a cell that starts
    /// like one is escaped with <c>'</c>, and so is every part of a cell after a comma, semicolon, tab or line break,
    /// because a spreadsheet whose list separator is <c>;</c> (Russian Excel) splits cells there and would otherwise
    /// run what follows.
    /// </summary>
    public static byte[] ToCsv(CommentMatrixView matrix)
    {
        var bytes = new MemoryStream();
        using (var csv = CsvWriter.Create(bytes, CsvOptions, leaveOpen: true))
        {
            Line(csv, "No.", "Anchor", "Quoted text", "Reviewer", "Date (UTC)", "Comment", "Disposition", "Response", "Answered by",
                "Answered (UTC)", "Comment id");
            foreach (var r in matrix.Rows)
                Line(csv, r.Line.ToString(CultureInfo.InvariantCulture), r.Anchor, r.QuotedText, r.Reviewer, Time(r.At), r.Comment,
                    r.Disposition, r.Response, r.DisposedBy, r.DisposedAt is { } at ? Time(at) : null, r.CommentId.ToString());
        }
        return bytes.ToArray();
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static void Line(CsvWriter csv, params string?[] cells)
    {
        foreach (var cell in cells) csv.WriteField(cell is null ? null : FormulaAfterSeparator().Replace(cell, "$1'$2"));
        csv.EndRecord();
    }

    /// <summary>A formula character (= + - @) that starts a cell, after blanks or quotes, where some spreadsheet splits cells; the escape goes right
    /// before it.</summary>
    [GeneratedRegex(@"([,;\t\r\n][\s""]*)([=+\-@])")]
    private static partial Regex FormulaAfterSeparator();
}
