using CadapDrafting.Drafts;
using CadapDrafting.History;
using CadapDrafting.Proposals;

namespace CadapDrafting.Tests.History;

[Collection(ServerCollection.Name)]
public sealed class ComparingRevisions(AppFixture app)
{
    [Fact]
    public async Task The_diff_of_an_accepted_amendment_is_exactly_the_proposals_change()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var drafter = await Person.SignIn(app, "kz-drafter");
        var draft = await editor.CreatesDraft("KZ");
        var chapter = await editor.Inserts(draft, NodeKind.Chapter, "Demand reduction");
        var action = await editor.Inserts(draft, NodeKind.Action, "Provide opioid agonist therapy in prisons", chapter);
        var proposal = await drafter.ProposesText(draft, action, 1, "Provide opioid agonist therapy in all prisons and pre-trial centres");
        await Expect.Status(await editor.Accepts(draft, proposal), HttpStatusCode.OK);
        var revision = (await editor.Reads(draft)).Revision;

        var diff = await editor.ReadsDiff(draft, revision - 1, revision);

        var change = Assert.Single(diff.Nodes);
        var accepted = (await editor.ReadsProposals(draft, "?status=Accepted")).Single(p => p.Id == proposal);
        Assert.Equal(action, change.NodeId);
        Assert.Equal(NodeChange.Changed, change.Change);
        Assert.False(change.Moved);
        Assert.False(change.Renumbered);
        Assert.Equal(Segments(WordDiff.Between("Provide opioid agonist therapy in prisons",
            "Provide opioid agonist therapy in all prisons and pre-trial centres")), Segments(change.Text["en"]));
        Assert.Contains(change.Text["en"], s => s is { Op: DiffOp.Insert, Text: "all " });
        Assert.Equal(revision, accepted.AcceptedAsRevision);
    }

    [Fact]
    public async Task Inserting_moving_and_deleting_nodes_show_as_such_with_the_renumbering_they_cause()
    {
        var editor = await Person.SignIn(app, "tm-editor");
        var draft = await editor.CreatesDraft("TM");
        var first = await editor.Inserts(draft, NodeKind.Action, "Record seizures every year");
        var second = await editor.Inserts(draft, NodeKind.Action, "Train customs officers", afterNodeId: first);
        var third = await editor.Inserts(draft, NodeKind.Action, "Publish crime statistics", afterNodeId: second);
        var r0 = (await editor.Reads(draft)).Revision;

        var inserted = await editor.Inserts(draft, NodeKind.Action, "Create a drug observatory");
        var insert = await editor.ReadsDiff(draft, r0, r0 + 1);
        var added = insert.Nodes.Single(n => n.Change == NodeChange.Inserted);
        Assert.Equal(inserted, added.NodeId);
        Assert.Equal("1", added.NumberAfter);
        Assert.Equal([first, second, third], insert.Nodes.Where(n => n.Renumbered).Select(n => n.NodeId));
        Assert.DoesNotContain(insert.Nodes, n => n.Moved);

        var move = await editor.Proposes(draft,
            new { kind = ProposalKind.Move, nodeId = third, afterNodeId = inserted, rationale = "Statistics first", acceptNow = true });
        await Expect.Status(move, HttpStatusCode.OK);
        var moved = (await editor.ReadsDiff(draft, r0 + 1, r0 + 2)).Nodes;
        Assert.Equal(third, Assert.Single(moved, n => n.Moved).NodeId);
        Assert.All(moved, n => Assert.False(n.TextChanged));

        var delete = await editor.Proposes(draft,
            new { kind = ProposalKind.Delete, nodeId = second, baseRevision = 1, rationale = "Covered elsewhere", acceptNow = true });
        await Expect.Status(delete, HttpStatusCode.OK);
        var deleted = (await editor.ReadsDiff(draft, r0 + 2, r0 + 3)).Nodes;
        var gone = Assert.Single(deleted, n => n.Change == NodeChange.Deleted);
        Assert.Equal(second, gone.NodeId);
        Assert.Equal("Train customs officers", string.Concat(gone.Text["en"].Where(s => s.Op == DiffOp.Delete).Select(s => s.Text)));

        var whole = await editor.ReadsDiff(draft, r0, r0 + 3);
        Assert.Equal(inserted, whole.Nodes.Single(n => n.Change == NodeChange.Inserted).NodeId);
        Assert.Equal(second, whole.Nodes.Single(n => n.Change == NodeChange.Deleted).NodeId);
    }

    [Fact]
    public async Task Changed_action_attributes_are_named_with_their_values_before_and_after()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var draft = await editor.CreatesDraft("KG");
        var action = await editor.Inserts(draft, NodeKind.Action, "Expand needle and syringe programmes",
            attributes: new { objective = "Fewer HIV infections", sdgTargets = new[] { "3.3" } });
        var amend = await editor.Proposes(draft, new {
            kind = ProposalKind.Amend, nodeId = action, baseRevision = 1, rationale = "Add the SDG target on substance use",
            attributes = new { objective = "Fewer HIV infections", sdgTargets = new[] { "3.3", "3.5" }, pillar = "HarmReduction" },
            acceptNow = true,
        });
        await Expect.Status(amend, HttpStatusCode.OK);
        var revision = (await editor.Reads(draft)).Revision;

        var change = Assert.Single((await editor.ReadsDiff(draft, revision - 1, revision)).Nodes);
        Assert.Equal(["pillar", "sdgTargets"], change.Attributes.Select(a => a.Attribute));
        Assert.Equal("HarmReduction", change.Attributes[0].After!.Value.GetString());
        Assert.Equal(2, change.Attributes[1].After!.Value.GetArrayLength());
        Assert.False(change.TextChanged);

        var invalid = await Expect.Problem(await editor.Http.GetAsync($"/api/drafts/{draft}/history/diff?from=0&to=99"),
            HttpStatusCode.UnprocessableEntity);
        Assert.True(invalid.GetProperty("errors").TryGetProperty("to", out _));
    }

    private static List<(DiffOp, string)> Segments(IEnumerable<DiffSegment> segments) => segments.Select(s => (s.Op, s.Text)).ToList();
}
