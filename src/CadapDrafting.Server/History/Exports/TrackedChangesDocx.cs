using CadapDrafting.Drafts;
using CadapDrafting.Proposals;

namespace CadapDrafting.History.Exports;

/// <summary>
/// Word with tracked changes between two revisions, for a ministry that reviews a round's changes in Word: the later
/// text, with inserted and deleted words, inserted and deleted nodes and record rows as w:ins/w:del, and moved nodes
/// as w:moveFrom at their old place and w:moveTo at the new one. Each change carries the author of the accepted
/// proposal that made it and the moment it was accepted, from the events.
/// </summary>
public static class TrackedChangesDocx
{
    public static void Write(ExportDocument before, ExportDocument after, Stream output)
    {
        var diff = RevisionDiff.Between(before.State, after.State).ToDictionary(d => d.NodeId);
        var authorship = Authorship(after, before.Revision);
        Change ChangeOf(Guid nodeId, Mark mark, string? moveName = null) =>
            authorship.TryGetValue(nodeId, out var who)
                ? new Change(mark, who.Author, who.At, moveName)
                : new Change(mark, "CADAP", after.AsOf, moveName);

        var earlier = before.InDocumentOrder().ToList();
        var later = after.InDocumentOrder().ToDictionary(n => n.Id);
        bool Moved(Guid id) => diff.TryGetValue(id, out var d) && d.Moved;

        // Deleted and moved nodes are shown where they were: after the nearest earlier node that stays in place.
        var ghosts = new Dictionary<Guid, List<ExportNode>>();
        var anchor = Guid.Empty;
        foreach (var node in earlier)
        {
            if (!later.ContainsKey(node.Id) || Moved(node.Id))
            {
                if (!ghosts.TryGetValue(anchor, out var list)) ghosts[anchor] = list = [];
                list.Add(node);
            }
            else anchor = node.Id;
        }

        var body = new DocxBody(after);
        body.TitlePage(string.Format(after.Labels.ChangesBetween, before.Revision, after.Revision));
        body.TableOfContents(after.InDocumentOrder().Where(n => ExportDocument.IsHeading(n.Kind)));

        var beforeNodes = earlier.ToDictionary(n => n.Id);
        void Ghosts(Guid at)
        {
            foreach (var ghost in ghosts.GetValueOrDefault(at) ?? [])
            {
                var change = ChangeOf(ghost.Id, later.ContainsKey(ghost.Id) ? Mark.MovedFrom : Mark.Deleted, MoveName(ghost.Id));
                body.Node(ghost, body.PiecesOf(ghost, change), change, Rows(before, ghost, change with { Mark = Mark.Deleted }));
            }
        }

        Ghosts(Guid.Empty);
        foreach (var node in after.InDocumentOrder())
        {
            if (!beforeNodes.TryGetValue(node.Id, out var old))
            {
                var inserted = ChangeOf(node.Id, Mark.Inserted);
                body.Node(node, body.PiecesOf(node, inserted), inserted, Rows(after, node, inserted));
            }
            else if (Moved(node.Id))
            {
                var moved = ChangeOf(node.Id, Mark.MovedTo, MoveName(node.Id));
                body.Node(node, body.PiecesOf(node, moved), moved, Rows(after, node, moved with { Mark = Mark.Inserted }));
            }
            else
            {
                var change = ChangeOf(node.Id, Mark.Inserted);
                body.Node(node, TextPieces(body, old, node, change), record: RecordRows(after, old, node, change));
            }
            Ghosts(node.Id);
        }
        DocxPackage.Write(after, body, output);
    }

    private static string MoveName(Guid nodeId) => $"move{nodeId:N}"[..16];

    private static List<RecordRow> Rows(ExportDocument doc, ExportNode node, Change change) =>
        node.Attributes.Select(r => new RecordRow(r.Name, [new Piece(r.Value, doc.Language, change)], change)).ToList();

    /// <summary>The label as it reads now, then the text word by word: kept, inserted and deleted runs.</summary>
    private static List<Piece> TextPieces(DocxBody body, ExportNode old, ExportNode node, Change change)
    {
        var pieces = body.PiecesOf(node);
        if (old.Text == node.Text) return pieces;
        pieces.RemoveAt(pieces.Count - 1);
        foreach (var segment in WordDiff.Between(old.Text, node.Text))
        {
            var (language, mark) = segment.Op switch
            {
                DiffOp.Insert => (node.TextLanguage, (Change?)change),
                DiffOp.Delete => (old.TextLanguage, change with { Mark = Mark.Deleted }),
                _ => (node.TextLanguage, null),
            };
            pieces.Add(new Piece(segment.Text, language, mark));
        }
        return pieces;
    }

    /// <summary>Record rows matched by field (the n-th indicator with the n-th): changed values word by word, rows that came or went as a
    /// whole.</summary>
    private static List<RecordRow> RecordRows(ExportDocument doc, ExportNode old, ExportNode node, Change change)
    {
        static List<(string Key, string Name, string Value)> Keyed(ExportNode n) =>
            n.Attributes.Select((r, i) => (Key: $"{r.Name}#{n.Attributes.Take(i).Count(x => x.Name == r.Name)}", r.Name, r.Value)).ToList();
        var was = Keyed(old).ToDictionary(r => r.Key);
        var now = Keyed(node);
        var rows = new List<RecordRow>();
        foreach (var (key, name, value) in now)
        {
            if (!was.TryGetValue(key, out var previous)) rows.Add(new RecordRow(name, [new Piece(value, doc.Language, change)], change));
            else if (previous.Value == value) rows.Add(new RecordRow(name, [new Piece(value, doc.Language)]));
            else
                rows.Add(new RecordRow(name, WordDiff.Between(previous.Value, value).Select(s => new Piece(s.Text, doc.Language,
                    s.Op switch { DiffOp.Insert => change, DiffOp.Delete => change with { Mark = Mark.Deleted }, _ => null })).ToList()));
        }
        var deleted = change with { Mark = Mark.Deleted };
        foreach (var (key, name, value) in Keyed(old).Where(r => now.All(n => n.Key != r.Key)))
            rows.Add(new RecordRow(name, [new Piece(value, doc.Language, deleted)], deleted));
        return rows;
    }

    /// <summary>Per node, who wrote the last change accepted into it between the two revisions, and when it was accepted.</summary>
    private static Dictionary<Guid, (string Author, DateTimeOffset At)> Authorship(ExportDocument after, int fromRevision) =>
        after.State.Proposals.Values
            .Where(p => p.Status == ProposalStatus.Accepted && p.AcceptedAsRevision > fromRevision && p.AcceptedAsRevision <= after.Revision)
            .OrderBy(p => p.AcceptedAsRevision)
            .GroupBy(p => p.NodeId)
            .ToDictionary(g => g.Key, g => (g.Last().Author, g.Last().DecidedAt ?? after.AsOf));
}
