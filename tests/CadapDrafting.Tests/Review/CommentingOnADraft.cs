using CadapDrafting.Comments;
using CadapDrafting.Drafts;
using CadapDrafting.Proposals;

namespace CadapDrafting.Tests.Review;

[Collection(ServerCollection.Name)]
public sealed class CommentingOnADraft(AppFixture app)
{
    [Fact]
    public async Task Fifty_people_commenting_on_the_same_node_at_once_all_succeed_first_time()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var draft = await editor.CreatesDraft("KG");
        var action = await editor.Inserts(draft, NodeKind.Action, "Opioid agonist therapy in every region");
        await editor.OpensRound(draft, isPublic: true);
        string[] who = ["kg-editor", "kg-drafter", "eu-expert-1", "eu-expert-2", "cso-1"];
        var people = new List<Person>();
        for (var i = 0; i < 50; i++) people.Add(await Person.SignIn(app, who[i % who.Length]));

        var responses = await Task.WhenAll(people.Select((person, i) =>
            person.Comments(draft, new { nodeId = action, text = $"Comment {i}: name the regions" })));

        foreach (var response in responses) await Expect.Status(response, HttpStatusCode.OK);
        var accepted = await Task.WhenAll(responses.Select(Person.Accepted));
        Assert.All(accepted, a => Assert.False(a.Replayed));
        Assert.Equal(50, accepted.Select(a => a.Position).Distinct().Count());
        var threads = await editor.ReadsThreads(draft, $"?nodeId={action}");
        Assert.Equal(50, threads.Open);
        Assert.Equal(50, threads.Threads.Count);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"Comment {i}: name the regions").Order(),
            threads.Threads.Select(t => t.Comments.Single().Text).Order());
    }

    [Fact]
    public async Task A_quote_whose_text_changes_stays_attached_and_is_marked_outdated_with_its_original_revision()
    {
        var editor = await Person.SignIn(app, "tj-editor");
        var drafter = await Person.SignIn(app, "tj-drafter");
        var draft = await editor.CreatesDraft("TJ");
        const string text = "Provide methadone treatment in all prisons";
        var action = await editor.Inserts(draft, NodeKind.Action, text);
        var quoted = "all prisons";
        var start = text.IndexOf(quoted, StringComparison.Ordinal);
        var thread = await drafter.StartsThread(draft, action, "Is this feasible by 2026?",
            quote: new { language = "en", start, end = start + quoted.Length, text = quoted, nodeRevision = 1 });

        var before = (await drafter.ReadsThreads(draft, $"?nodeId={action}")).Threads.Single().Quote!;
        Assert.False(before.Outdated);

        var change = await editor.ProposesText(draft, action, 1, "Provide methadone treatment in pilot prisons");
        await Expect.Status(await editor.Accepts(draft, change), HttpStatusCode.OK);

        var after = (await drafter.ReadsThreads(draft, $"?nodeId={action}")).Threads.Single();
        Assert.Equal(thread.ThreadId, after.Id);
        Assert.Equal(action, after.NodeId);
        Assert.True(after.Quote!.Outdated);
        Assert.Equal(1, after.Quote.NodeRevision);
        Assert.Equal(2, after.Quote.CurrentNodeRevision);
        Assert.Equal("all prisons", after.Quote.Text);
        Assert.Null(after.Quote.CurrentStart);
    }

    [Fact]
    public async Task A_quote_survives_text_inserted_before_it()
    {
        var editor = await Person.SignIn(app, "tj-editor");
        var draft = await editor.CreatesDraft("TJ");
        var action = await editor.Inserts(draft, NodeKind.Action, "Expand needle and syringe programmes");
        await editor.StartsThread(draft, action, "Which cities?",
            quote: new { language = "en", start = 7, end = 36, text = "needle and syringe programmes", nodeRevision = 1 });

        var change = await editor.ProposesText(draft, action, 1, "Fund and expand needle and syringe programmes");
        await Expect.Status(await editor.Accepts(draft, change), HttpStatusCode.OK);

        var quote = (await editor.ReadsThreads(draft, $"?nodeId={action}")).Threads.Single().Quote!;
        Assert.False(quote.Outdated);
        Assert.Equal(16, quote.CurrentStart);
    }

    [Fact]
    public async Task A_quote_that_is_not_in_the_current_text_is_refused()
    {
        var editor = await Person.SignIn(app, "uz-editor");
        var draft = await editor.CreatesDraft("UZ");
        var action = await editor.Inserts(draft, NodeKind.Action, "Research in narcology");

        var response = await editor.Comments(draft, new {
            nodeId = action, text = "Which institutes?",
            quote = new { language = "en", start = 0, end = 5, text = "Study", nodeRevision = 1 },
        });

        var problem = await Expect.Problem(response, HttpStatusCode.UnprocessableEntity);
        Assert.True(problem.GetProperty("errors").TryGetProperty("quote.text", out _));
        Assert.Equal(0, (await editor.ReadsThreads(draft)).Open);
    }

    [Fact]
    public async Task EU_experts_and_CSOs_see_only_shared_threads_and_their_own_threads_are_shared()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var expert = await Person.SignIn(app, "eu-expert-1");
        var cso = await Person.SignIn(app, "cso-1");
        var draft = await editor.CreatesDraft("KZ");
        var article = await editor.Inserts(draft, NodeKind.Article, "Access to harm reduction services");
        var internalThread = await editor.StartsThread(draft, article, "Check with the Ministry of Finance first", ThreadVisibility.Internal);
        var sharedThread = await editor.StartsThread(draft, article, "Reviewers: is the scope right?", ThreadVisibility.SharedWithReviewers);
        await editor.OpensRound(draft, isPublic: true);

        var expertThread = await expert.StartsThread(draft, article, "Consider adding naloxone distribution");
        var expertAsksInternal = await expert.Comments(draft, new { nodeId = article, text = "Just for us", visibility = "Internal" });
        await Expect.Problem(expertAsksInternal, HttpStatusCode.UnprocessableEntity);

        var seenByExpert = await expert.ReadsThreads(draft, $"?nodeId={article}");
        var seenByCso = await cso.ReadsThreads(draft, $"?nodeId={article}");
        var seenByTeam = await editor.ReadsThreads(draft, $"?nodeId={article}");
        Assert.Equal([sharedThread.ThreadId, expertThread.ThreadId], seenByExpert.Threads.Select(t => t.Id));
        // A CSO hears only what was said in public rounds: the team's question to reviewers came before the round opened.
        Assert.Equal([expertThread.ThreadId], seenByCso.Threads.Select(t => t.Id));
        Assert.Equal(3, seenByTeam.Open);
        Assert.Equal(ThreadVisibility.SharedWithReviewers, seenByTeam.Threads.Single(t => t.Id == expertThread.ThreadId).Visibility);

        await Expect.Problem(await expert.Replies(draft, internalThread.ThreadId, "What does Finance say?"), HttpStatusCode.NotFound);
        await Expect.Problem(await expert.Http.GetAsync($"/api/drafts/{draft}/threads/{internalThread.ThreadId}"), HttpStatusCode.NotFound);
        await Expect.Problem(await cso.Replies(draft, sharedThread.ThreadId, "Yes, and include outreach workers"), HttpStatusCode.NotFound);
        await Expect.Status(await cso.Replies(draft, expertThread.ThreadId, "Yes, and include outreach workers"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_CSO_comments_only_in_a_public_consultation_and_an_expert_only_while_it_is_open()
    {
        var editor = await Person.SignIn(app, "tm-editor");
        var expert = await Person.SignIn(app, "eu-expert-2");
        var cso = await Person.SignIn(app, "cso-1");
        var draft = await editor.CreatesDraft("TM", DraftKind.Law);
        var article = await editor.Inserts(draft, NodeKind.Article, "Storage of narcotic substances");

        await Expect.Problem(await expert.Comments(draft, new { nodeId = article, text = "Early view" }), HttpStatusCode.NotFound);
        await editor.OpensRound(draft, isPublic: false);
        await Expect.Status(await expert.Comments(draft, new { nodeId = article, text = "Define 'licensed storage'" }), HttpStatusCode.OK);
        await Expect.Problem(await cso.Comments(draft, new { nodeId = article, text = "And us?" }), HttpStatusCode.NotFound);

        await Expect.Status(await editor.ClosesRound(draft), HttpStatusCode.OK);
        await Expect.Problem(await expert.Comments(draft, new { nodeId = article, text = "One more thing" }), HttpStatusCode.Forbidden);
        Assert.Single((await expert.ReadsThreads(draft)).Threads);
    }

    [Fact]
    public async Task Only_the_author_or_the_drafting_team_resolve_and_reopen_a_thread()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var drafter = await Person.SignIn(app, "kg-drafter");
        var expert = await Person.SignIn(app, "eu-expert-1");
        var otherExpert = await Person.SignIn(app, "eu-expert-2");
        var draft = await editor.CreatesDraft("KG");
        var action = await editor.Inserts(draft, NodeKind.Action, "School-based prevention");
        await editor.OpensRound(draft);
        var thread = await expert.StartsThread(draft, action, "Use the UNODC/WHO standards");

        await Expect.Problem(await otherExpert.Resolves(draft, thread.ThreadId), HttpStatusCode.Forbidden);
        await Expect.Status(await drafter.Resolves(draft, thread.ThreadId), HttpStatusCode.OK);
        await Expect.Problem(await drafter.Resolves(draft, thread.ThreadId), HttpStatusCode.Conflict);
        await Expect.Problem(await expert.Replies(draft, thread.ThreadId, "Not addressed"), HttpStatusCode.Conflict);
        await Expect.Status(await expert.Reopens(draft, thread.ThreadId), HttpStatusCode.OK);
        await Expect.Status(await expert.Replies(draft, thread.ThreadId, "The standards are not cited yet"), HttpStatusCode.OK);

        var threads = await editor.ReadsThreads(draft, $"?nodeId={action}");
        Assert.Equal(1, threads.Open);
        Assert.Equal(0, threads.Resolved);
        Assert.Equal(2, threads.Threads.Single().Comments.Count);
    }

    [Fact]
    public async Task Threads_on_a_proposal_are_counted_apart_from_threads_on_its_node()
    {
        var editor = await Person.SignIn(app, "uz-editor");
        var drafter = await Person.SignIn(app, "uz-drafter");
        var draft = await editor.CreatesDraft("UZ");
        var action = await editor.Inserts(draft, NodeKind.Action, "Inter-agency collaboration");
        var proposal = await drafter.ProposesText(draft, action, 1, "Inter-agency collaboration with a standing secretariat");
        var onProposal = await editor.StartsThreadOnProposal(draft, proposal, "Who funds the secretariat?");
        var onNode = await editor.StartsThread(draft, action, "Name the agencies");
        await Expect.Status(await editor.Resolves(draft, onNode.ThreadId), HttpStatusCode.OK);

        var counts = await editor.Read<List<AnchorCounts>>($"/api/drafts/{draft}/threads/counts");
        Assert.Contains(new AnchorCounts(action, "1", null, 0, 1), counts);
        Assert.Contains(new AnchorCounts(null, null, proposal, 1, 0), counts);
        var proposalThreads = await editor.ReadsThreads(draft, $"?proposalId={proposal}");
        Assert.Equal([onProposal.ThreadId], proposalThreads.Threads.Select(t => t.Id));
    }

    [Fact]
    public async Task Mentions_and_replies_reach_the_inbox_of_those_concerned()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var drafter = await Person.SignIn(app, "kz-drafter");
        var expert = await Person.SignIn(app, "eu-expert-2");
        var draft = await editor.CreatesDraft("KZ");
        var article = await editor.Inserts(draft, NodeKind.Article, "Synthetic drugs and NPS: prevention");
        await editor.OpensRound(draft);
        var thread = await drafter.StartsThread(draft, article, "@kz-editor please check the NPS definition",
            ThreadVisibility.SharedWithReviewers);
        await Expect.Status(await expert.Replies(draft, thread.ThreadId, "The EU early warning system list could help"), HttpStatusCode.OK);
        var internalOnly = await drafter.StartsThread(draft, article, "Team only: is the definition final?", ThreadVisibility.Internal);

        var editorsInbox = (await editor.ReadsInboxUntil(i => i.Any(e => e.DraftId == draft))).Where(i => i.DraftId == draft).ToList();
        var draftersInbox = (await drafter.ReadsInboxUntil(i => i.Any(e => e.DraftId == draft))).Where(i => i.DraftId == draft).ToList();
        var expertsInbox = (await expert.ReadsInbox()).Where(i => i.DraftId == draft).ToList();
        var mention = Assert.Single(editorsInbox);
        Assert.Equal((InboxReason.Mention, "kz-drafter", thread.ThreadId), (mention.Reason, mention.From, mention.ThreadId));
        var reply = Assert.Single(draftersInbox);
        Assert.Equal((InboxReason.Reply, "eu-expert-2"), (reply.Reason, reply.From));
        Assert.DoesNotContain(expertsInbox, i => i.ThreadId == internalOnly.ThreadId);

        var unknown = await drafter.Comments(draft, new { nodeId = article, text = "@nobody-here have a look" });
        await Expect.Problem(unknown, HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task A_mention_of_someone_who_cannot_read_the_thread_is_refused_naming_the_mention()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var drafter = await Person.SignIn(app, "kz-drafter");
        var draft = await editor.CreatesDraft("KZ");
        var article = await editor.Inserts(draft, NodeKind.Article, "Synthetic drugs and NPS: prevention");
        await editor.OpensRound(draft);
        var before = (await editor.Reads(draft)).Position;

        var internalThread = await Expect.Problem(await drafter.Comments(draft,
            new { nodeId = article, text = "@kz-editor and @eu-expert-2, must not see this", visibility = ThreadVisibility.Internal }),
            HttpStatusCode.UnprocessableEntity);
        var notReading = await Expect.Problem(await drafter.Comments(draft,
            new { nodeId = article, text = "@cso-1 what do you think?", visibility = ThreadVisibility.SharedWithReviewers }),
            HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["@eu-expert-2"], internalThread.GetProperty("mentions").EnumerateArray().Select(m => m.GetString()));
        Assert.Contains("@eu-expert-2", internalThread.GetProperty("errors").GetProperty("text")[0].GetString());
        Assert.Equal(["@cso-1"], notReading.GetProperty("mentions").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(before, (await editor.Reads(draft)).Position);
        // The round's opening reaches the expert; neither refused mention does.
        Assert.DoesNotContain(await (await Person.SignIn(app, "eu-expert-2")).ReadsInbox(),
            i => i.DraftId == draft && i.Reason == InboxReason.Mention);
    }

    [Fact]
    public async Task An_approver_asked_during_review_answers_in_the_thread_but_cannot_propose()
    {
        var editor = await Person.SignIn(app, "tj-editor");
        var approver = await Person.SignIn(app, "tj-approver-1");
        var draft = await editor.CreatesDraft("TJ");
        var action = await editor.Inserts(draft, NodeKind.Action, "Treatment for women who use drugs");
        await editor.SetsApprovalPolicy(draft, 1, "tj-approver-1");
        await Expect.Status(await editor.StartsReview(draft), HttpStatusCode.OK);

        var question = await editor.StartsThread(draft, action, "@tj-approver-1 does the Ministry accept the budget line?");
        Assert.Contains(await approver.ReadsInboxUntil(inbox => inbox.Any(i => i.ThreadId == question.ThreadId)),
            i => i.ThreadId == question.ThreadId && i.Reason == InboxReason.Mention);
        await Expect.Status(await approver.Replies(draft, question.ThreadId, "@tj-editor yes, within the 2026 ceiling"), HttpStatusCode.OK);
        var own = await approver.StartsThread(draft, action, "Please name the responsible ministry in the next edition");

        var thread = (await editor.ReadsThreads(draft)).Threads.Single(t => t.Id == question.ThreadId);
        Assert.Equal("tj-approver-1", thread.Comments[1].Author);
        Assert.Contains((await editor.ReadsThreads(draft)).Threads, t => t.Id == own.ThreadId);
        var propose = await approver.Proposes(draft, new {
            kind = ProposalKind.Amend, nodeId = action, baseRevision = 1, text = new { en = "Treatment for women" }, rationale = "Shorter",
        });
        await Expect.Problem(propose, HttpStatusCode.Forbidden);
    }
}
