using CadapDrafting.Drafts;
using CadapDrafting.Proposals;

namespace CadapDrafting.Tests.Drafting;

[Collection(ServerCollection.Name)]
public sealed class WritingAPlanTogether(AppFixture app)
{
    [Fact]
    public async Task An_inserted_action_renumbers_the_actions_after_it()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var draft = await editor.CreatesDraft("KG");
        var chapter = await editor.Inserts(draft, NodeKind.Chapter, "Demand reduction");
        var first = await editor.Inserts(draft, NodeKind.Action, "Prevention in schools", chapter);
        var second = await editor.Inserts(draft, NodeKind.Action, "Opioid agonist therapy", chapter, first);
        var third = await editor.Inserts(draft, NodeKind.Action, "Needle and syringe programmes", chapter, second);

        var before = await editor.Reads(draft);
        Assert.Equal(["1", "2", "3"], new[] { first, second, third }.Select(id => before.Node(id).Number));

        var inserted = await editor.Inserts(draft, NodeKind.Action, "Family-based prevention", chapter, first);

        var after = await editor.Reads(draft);
        Assert.Equal(["1", "2", "3", "4"], new[] { first, inserted, second, third }.Select(id => after.Node(id).Number));
        Assert.Equal(before.Revision + 1, after.Revision);
    }

    [Fact]
    public async Task Accepting_a_proposal_written_against_an_old_revision_is_refused_with_what_is_needed_to_rebase()
    {
        var editor = await Person.SignIn(app, "tj-editor");
        var drafter = await Person.SignIn(app, "tj-drafter");
        var draft = await editor.CreatesDraft("TJ");
        var action = await editor.Inserts(draft, NodeKind.Action, "Expand treatment services in every region");

        var mine = await drafter.ProposesText(draft, action, 1, "Expand drug treatment services in every region");
        var theirs = await editor.ProposesText(draft, action, 1, "Expand voluntary treatment services in every region");
        await Expect.Status(await editor.Accepts(draft, theirs), HttpStatusCode.OK);

        var refused = await Expect.Problem(await editor.Accepts(draft, mine), HttpStatusCode.Conflict);
        Assert.Equal(2, refused.GetProperty("currentRevision").GetInt32());
        Assert.Equal(1, refused.GetProperty("baseRevision").GetInt32());
        Assert.Equal("Expand voluntary treatment services in every region", refused.GetProperty("currentText").GetProperty("en").GetString());
        var diff = refused.GetProperty("diffToProposed").GetProperty("en").EnumerateArray()
            .Select(s => (s.GetProperty("op").GetString(), s.GetProperty("text").GetString())).ToList();
        Assert.Contains(("Delete", "voluntary"), diff);
        Assert.Contains(("Insert", "drug"), diff);
        Assert.Contains("rebase", refused.GetProperty("nextStep").GetString());

        var document = await editor.Reads(draft);
        Assert.Equal("Expand voluntary treatment services in every region", document.Node(action).Text["en"]);
        var stale = (await editor.ReadsProposals(draft)).Single(p => p.Id == mine);
        Assert.True(stale.Stale);
    }

    [Fact]
    public async Task A_stale_proposal_rebased_onto_the_current_text_can_be_accepted()
    {
        var editor = await Person.SignIn(app, "tj-editor");
        var drafter = await Person.SignIn(app, "tj-drafter");
        var draft = await editor.CreatesDraft("TJ");
        var action = await editor.Inserts(draft, NodeKind.Action, "Reduce demand among young people");
        var mine = await drafter.ProposesText(draft, action, 1, "Reduce drug demand among young people");
        var theirs = await editor.ProposesText(draft, action, 1, "Reduce demand among young people and students");
        await Expect.Status(await editor.Accepts(draft, theirs), HttpStatusCode.OK);

        var rebased = await drafter.Rebases(draft, mine, 2, "Reduce drug demand among young people and students");
        await Expect.Status(rebased, HttpStatusCode.OK);
        var proposal = (await drafter.ReadsProposals(draft)).Single(p => p.Id == mine);
        Assert.Equal(2, proposal.Revision);
        Assert.False(proposal.Stale);

        await Expect.Status(await editor.Accepts(draft, mine), HttpStatusCode.OK);
        var document = await editor.Reads(draft);
        Assert.Equal("Reduce drug demand among young people and students", document.Node(action).Text["en"]);
        Assert.Equal(3, document.Node(action).Revision);
    }

    [Fact]
    public async Task A_retried_command_returns_the_first_outcome_and_appends_nothing()
    {
        var editor = await Person.SignIn(app, "uz-editor");
        var draft = await editor.CreatesDraft("UZ");
        var action = await editor.Inserts(draft, NodeKind.Action, "Research in narcology");
        var commandId = Guid.NewGuid();
        var proposal = new {
            kind = ProposalKind.Amend, nodeId = action, baseRevision = 1, text = new { en = "Research in narcology: prevention" },
            rationale = "Scope"
        };

        var first = await editor.Proposes(draft, proposal, commandId);
        var retry = await editor.Proposes(draft, proposal, commandId);

        await Expect.Status(first, HttpStatusCode.OK);
        await Expect.Status(retry, HttpStatusCode.OK);
        var a = await Person.Accepted(first);
        var b = await Person.Accepted(retry);
        Assert.False(a.Replayed);
        Assert.True(b.Replayed);
        Assert.Equal(a.Position, b.Position);
        Assert.Equal(a.Result!.Value.GetProperty("proposalId").GetGuid(), b.Result!.Value.GetProperty("proposalId").GetGuid());
        Assert.Single(await editor.ReadsProposals(draft));
        Assert.Equal(a.Position, (await editor.Reads(draft)).Position);

        var reused = await editor.Proposes(draft, proposal with { rationale = "Something else" }, commandId);
        var problem = await Expect.Problem(reused, HttpStatusCode.UnprocessableEntity);
        Assert.True(problem.GetProperty("errors").TryGetProperty("commandId", out _));
    }

    [Fact]
    public async Task Thirty_two_people_proposing_on_different_nodes_at_once_all_succeed_first_time()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var draft = await editor.CreatesDraft("KZ");
        var nodes = new List<Guid>();
        Guid? previous = null;
        for (var i = 0; i < 32; i++)
        {
            previous = await editor.Inserts(draft, NodeKind.Article, $"Article text {i}", afterNodeId: previous);
            nodes.Add(previous.Value);
        }
        var drafters = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Person.SignIn(app, i % 2 == 0 ? "kz-drafter" : "kz-editor")));

        var responses = await Task.WhenAll(nodes.Select((node, i) =>
            drafters[i].Proposes(draft, new {
                kind = ProposalKind.Amend, nodeId = node, baseRevision = 1, text = new { en = $"Amended article {i}" },
                rationale = "Harmonise"
            })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var positions = (await Task.WhenAll(responses.Select(Person.Accepted))).Select(a => a.Position).Order().ToList();
        Assert.Equal(32, positions.Distinct().Count());
        Assert.Equal(32, (await editor.ReadsProposals(draft)).Count);
    }

    [Fact]
    public async Task Invalid_action_attributes_are_refused_naming_the_field()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var draft = await editor.CreatesDraft("KG");
        var response = await editor.Proposes(draft, new {
            kind = ProposalKind.Insert, nodeKind = NodeKind.Action, text = new { en = "Mobile outreach for people who inject drugs" },
            rationale = "Harm reduction", acceptNow = true,
            attributes = new {
                timeline = new { start = "2026-01-01", end = "2025-06-30" },
                sdgTargets = new[] { "3.5", "99.9" },
                budget = new { amount = -5, currency = "KGS" },
            },
        });

        var problem = await Expect.Problem(response, HttpStatusCode.UnprocessableEntity);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("attributes.timeline.end", out _));
        Assert.True(errors.TryGetProperty("attributes.sdgTargets[1]", out _));
        Assert.True(errors.TryGetProperty("attributes.budget.amount", out _));
        Assert.Empty((await editor.Reads(draft)).Nodes);
    }

    [Fact]
    public async Task Deleting_a_node_supersedes_the_open_proposals_on_it()
    {
        var editor = await Person.SignIn(app, "tm-editor");
        var drafter = await Person.SignIn(app, "tm-drafter");
        var draft = await editor.CreatesDraft("TM", DraftKind.Law);
        var article = await editor.Inserts(draft, NodeKind.Article, "Storage of narcotic substances");
        var point = await editor.Inserts(draft, NodeKind.Point, "Licensed storage only", article);
        var onPoint = await drafter.ProposesText(draft, point, 1, "Licensed and inspected storage only");

        var delete = await editor.Proposes(draft,
            new { kind = ProposalKind.Delete, nodeId = article, baseRevision = 1, rationale = "Moved to the regulation", acceptNow = true });
        await Expect.Status(delete, HttpStatusCode.OK);

        var superseded = (await editor.ReadsProposals(draft, "?status=Superseded")).Single();
        Assert.Equal(onPoint, superseded.Id);
        Assert.Empty((await editor.Reads(draft)).Nodes);
        await Expect.Problem(await editor.Accepts(draft, onPoint), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_drafter_may_propose_but_not_accept_and_another_country_sees_nothing()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var drafter = await Person.SignIn(app, "kg-drafter");
        var neighbour = await Person.SignIn(app, "kz-editor");
        var draft = await editor.CreatesDraft("KG");
        var action = await editor.Inserts(draft, NodeKind.Action, "Prevention campaign");
        var proposal = await drafter.ProposesText(draft, action, 1, "Evidence-based prevention campaign");

        await Expect.Problem(await drafter.Accepts(draft, proposal), HttpStatusCode.Forbidden);
        await Expect.Problem(await neighbour.Accepts(draft, proposal), HttpStatusCode.NotFound);
        await Expect.Problem(await neighbour.Http.GetAsync($"/api/drafts/{draft}"), HttpStatusCode.NotFound);
        Assert.DoesNotContain(await neighbour.Read<List<DraftSummary>>("/api/drafts"), d => d.Id == draft);
        await Expect.Problem(await neighbour.Command("/api/drafts",
            new { country = "KG", kind = "Law", title = new { en = "x" }, periodStart = 2025, periodEnd = 2026 }), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Every_event_records_who_when_why_and_the_command()
    {
        var editor = await Person.SignIn(app, "uz-editor");
        var draft = await editor.CreatesDraft("UZ");
        var commandId = Guid.NewGuid();
        var response = await editor.Proposes(draft, new {
            kind = ProposalKind.Insert, nodeKind = NodeKind.Action, text = new { en = "Inter-agency working group" },
            rationale = "Inter-agency collaboration is a pillar of the plan", acceptNow = true,
        }, commandId);
        await Expect.Status(response, HttpStatusCode.OK);

        var activity = await editor.Read<List<ActivityEntry>>($"/api/drafts/{draft}/activity");
        Assert.Equal(["proposal_accepted", "proposal_submitted", "draft_created"], activity.Select(a => a.Type));
        Assert.All(activity, a => Assert.Equal("uz-editor", a.Actor));
        Assert.All(activity.Take(2), a => Assert.Equal("Inter-agency collaboration is a pillar of the plan", a.Reason));
        Assert.Equal([3L, 2L, 1L], activity.Select(a => a.Position));
    }

    /// <summary>"My proposals" in the page reads a person's decided proposals by author, not every decided proposal of the draft.</summary>
    [Fact]
    public async Task Proposals_are_listed_by_author_when_asked_an_unknown_author_is_an_empty_list_and_a_control_character_a_400()
    {
        var editor = await Person.SignIn(app, "uz-editor");
        var drafter = await Person.SignIn(app, "uz-drafter");
        var draft = await editor.CreatesDraft("UZ");
        var action = await editor.Inserts(draft, NodeKind.Action, "School-based prevention");
        var proposed = await drafter.ProposesText(draft, action, 1, "Family and school-based prevention", "Families matter most");
        await Expect.Status(await editor.Accepts(draft, proposed), HttpStatusCode.OK);

        var everyone = await editor.Read<List<ProposalView>>($"/api/drafts/{draft}/proposals?status=Accepted");
        var drafters = await editor.Read<List<ProposalView>>($"/api/drafts/{draft}/proposals?status=Accepted&author=uz-drafter");
        var odd = await editor.Read<List<ProposalView>>($"/api/drafts/{draft}/proposals?status=Accepted&author=%22W%2F%22x%22");
        var broken = await editor.Http.GetAsync($"/api/drafts/{draft}/proposals?status=Accepted&author=x%0D%0AETag:%20y");

        Assert.Equal(2, everyone.Count);
        Assert.Equal(proposed, Assert.Single(drafters).Id);
        Assert.Empty(odd);
        await Expect.Problem(broken, HttpStatusCode.BadRequest);
    }
}
