using System.Reflection;
using CadapDrafting.Comments;
using CadapDrafting.Drafts;
using CadapDrafting.Evidence;
using CadapDrafting.Infrastructure;
using CadapDrafting.Proposals;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CadapDrafting.Tests.Drafting;

/// <summary>
/// A draft is stored in parts so that a commit writes what changed, not every proposal and comment the draft ever had:
/// its own document, and one per proposal and per comment thread. Read back, the parts are exactly the replay.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class StoringADraftInParts(AppFixture app)
{
    private IDocumentStore Store => app.Host.Services.GetRequiredService<IDocumentStore>();

    [Fact]
    public async Task A_new_proposal_or_comment_leaves_the_stored_documents_of_the_others_untouched()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var draft = await editor.CreatesDraft("KG");
        var action = await editor.Inserts(draft, NodeKind.Action, "Opioid agonist therapy in every region");
        var first = await editor.ProposesText(draft, action, 1, "Opioid agonist therapy in every region by 2028");
        var thread = await editor.StartsThread(draft, action, "Which regions first?");
        var (proposalVersion, threadVersion) = await VersionsOf(first, thread.ThreadId);

        await editor.ProposesText(draft, action, 1, "Opioid agonist therapy in every oblast");
        await editor.StartsThread(draft, action, "Who pays for it?");

        Assert.Equal((proposalVersion, threadVersion), await VersionsOf(first, thread.ThreadId));
        await Expect.Status(await editor.Replies(draft, thread.ThreadId, "Chui and Osh first"), HttpStatusCode.OK);
        Assert.NotEqual(threadVersion, (await VersionsOf(first, thread.ThreadId)).Thread);
    }

    [Fact]
    public async Task Read_back_and_rebuilt_from_its_events_the_draft_equals_a_replay_of_its_stream()
    {
        var editor = await Person.SignIn(app, "tj-editor");
        var drafter = await Person.SignIn(app, "tj-drafter");
        var draft = await editor.CreatesDraft("TJ");
        var action = await editor.Inserts(draft, NodeKind.Action, "Expand treatment services");
        var kept = await drafter.ProposesText(draft, action, 1, "Expand drug treatment services");
        var accepted = await editor.ProposesText(draft, action, 1, "Expand voluntary treatment services");
        await Expect.Status(await editor.Accepts(draft, accepted), HttpStatusCode.OK);
        await Expect.Status(await drafter.Rebases(draft, kept, 2, "Expand voluntary drug treatment services"), HttpStatusCode.OK);
        var thread = await drafter.StartsThread(draft, action, "Is voluntary the right word?");
        await Expect.Status(await editor.Replies(draft, thread.ThreadId, "Yes, as in the strategy"), HttpStatusCode.OK);
        await Expect.Status(await editor.Resolves(draft, thread.ThreadId), HttpStatusCode.OK);

        Assert.Equal(await ReplayOf(draft), await StoredOf(draft));
        await DraftStore.RebuildAsync(Store, draft, CancellationToken.None);
        Assert.Equal(await ReplayOf(draft), await StoredOf(draft));
        var stored = (await LoadAsync(draft))!;
        Assert.Equal(3, stored.Proposals.Count); // the insert, accepted at once, and the two text proposals
        Assert.Single(stored.Threads);
    }

    [Fact]
    public async Task Rebuilt_together_in_one_transaction_every_draft_still_equals_a_replay_of_its_own_stream()
    {
        var editor = await Person.SignIn(app, "uz-editor");
        var drafts = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var draft = await editor.CreatesDraft("UZ", title: $"Plan {i}");
            var action = await editor.Inserts(draft, NodeKind.Action, $"Action of plan {i}");
            await editor.ProposesText(draft, action, 1, $"Better action of plan {i}");
            await editor.StartsThread(draft, action, $"A question on plan {i}");
            drafts.Add(draft);
        }
        var never = Guid.NewGuid();

        var reported = new Dictionary<Guid, long>();
        await DraftStore.RebuildAsync(Store, [.. drafts, never], (_, _, id, position) => reported[id] = position, CancellationToken.None);

        foreach (var draft in drafts)
        {
            Assert.Equal(await ReplayOf(draft), await StoredOf(draft));
            Assert.Equal((await LoadAsync(draft))!.Position, reported[draft]);
        }
        Assert.Equal(0, reported[never]);
        Assert.Null(await LoadAsync(never));
    }

    [Fact]
    public async Task Rebuilt_from_its_events_the_drafts_search_rows_are_the_ones_its_commits_wrote()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var draft = await editor.CreatesDraft("KZ", title: "Harm reduction plan");
        var chapter = await editor.Inserts(draft, NodeKind.Chapter, "Fewer overdose deaths");
        var action = await editor.Inserts(draft, NodeKind.Action, "Naloxone in every pharmacy", parentId: chapter);
        var onNode = await editor.StartsThread(draft, action, "Which pharmacies first?");
        await Expect.Status(await editor.Replies(draft, onNode.ThreadId, "The state network first"), HttpStatusCode.OK);
        var proposal = await editor.ProposesText(draft, action, 1, "Naloxone in every pharmacy by 2027");
        await editor.StartsThreadOnProposal(draft, proposal, "Is 2027 realistic?");
        var written = await SearchRowsOf(draft);

        await DraftStore.RebuildAsync(Store, draft, CancellationToken.None);

        Assert.Equal(6, written.Count); // the title, two nodes, three comments
        Assert.Equal(written, await SearchRowsOf(draft));
    }

    /// <summary>
    /// A rebuild leaves a part or search row stored as it would write it again, so it must still tell one that is not: here
    /// a thread and a search row altered in the database, a proposal's row deleted and a stray one added.
    /// </summary>
    [Fact]
    public async Task A_rebuild_repairs_altered_missing_and_stray_parts_and_search_rows_and_leaves_the_rest()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var draft = await editor.CreatesDraft("KG", title: "Prevention plan");
        var action = await editor.Inserts(draft, NodeKind.Action, "Prevention in every school");
        var proposal = await editor.ProposesText(draft, action, 1, "Prevention in every school and college");
        var thread = await editor.StartsThread(draft, action, "Which colleges?");
        var replay = await ReplayOf(draft);
        var rows = await SearchRowsOf(draft);
        var options = Store.Options;
        var threads = options.FindOrResolveDocumentType(typeof(StoredThread)).TableName.QualifiedName;
        var proposals = options.FindOrResolveDocumentType(typeof(StoredProposal)).TableName.QualifiedName;
        var search = $"{options.DatabaseSchemaName}.{Search.SearchIndex.TableName}";
        await using (var session = Store.LightweightSession())
        {
            session.QueueSqlCommand($"update {threads} set data = jsonb_set(data, '{{thread,resolved}}', 'true') where id = ?",
                StoredThread.IdOf(draft, thread.ThreadId));
            session.QueueSqlCommand($"delete from {proposals} where id = ?", StoredProposal.IdOf(draft, proposal));
            session.QueueSqlCommand($"insert into {proposals} (id, data, mt_version, mt_dotnet_type) select ?, data, gen_random_uuid(), " +
                $"mt_dotnet_type from {proposals} where data->>'draftId' = ? limit 1", StoredProposal.IdOf(draft, Guid.NewGuid()), draft.ToString());
            session.QueueSqlCommand($"update {search} set text = 'altered', vector = to_tsvector('simple', 'altered') " +
                "where draft_id = ? and comment_id is not null", draft);
            await session.SaveChangesAsync();
        }
        Assert.NotEqual(replay, await StoredOf(draft));
        Assert.NotEqual(rows, await SearchRowsOf(draft));

        await DraftStore.RebuildAsync(Store, draft, CancellationToken.None);

        Assert.Equal(replay, await StoredOf(draft));
        Assert.Equal(rows, await SearchRowsOf(draft));
        await using var read = Store.QuerySession();
        Assert.Equal(2, await read.Query<StoredProposal>().CountAsync(p => p.DraftId == draft)); // the insert and the proposal
    }

    [Fact]
    public async Task A_proposal_id_used_again_in_another_countrys_draft_leaves_the_first_proposal_where_it_was()
    {
        var kg = await Person.SignIn(app, "kg-editor");
        var tj = await Person.SignIn(app, "tj-editor");
        var kgDraft = await kg.CreatesDraft("KG");
        var kgAction = await kg.Inserts(kgDraft, NodeKind.Action, "Harm reduction in prisons");
        var kgProposal = await kg.ProposesText(kgDraft, kgAction, 1, "Harm reduction in every prison");
        var tjDraft = await tj.CreatesDraft("TJ");
        var tjAction = await tj.Inserts(tjDraft, NodeKind.Action, "Harm reduction services");

        var reused = await tj.Proposes(tjDraft, new {
            proposalId = kgProposal, kind = ProposalKind.Amend, nodeId = tjAction, baseRevision = 1,
            text = new { en = "Harm reduction services in every region" }, rationale = "Same id, other draft",
        });
        await Expect.Status(reused, HttpStatusCode.OK);

        Assert.Equal("Harm reduction in every prison", (await kg.ReadsProposals(kgDraft)).Single(p => p.Id == kgProposal).Text!["en"]);
        Assert.Equal("Harm reduction services in every region", (await tj.ReadsProposals(tjDraft)).Single(p => p.Id == kgProposal).Text!["en"]);
        Assert.Equal(await ReplayOf(kgDraft), await StoredOf(kgDraft));
    }

    [Fact]
    public async Task A_draft_stored_whole_by_an_earlier_version_is_read_whole_and_rewritten_in_parts_at_start_up()
    {
        var editor = await Person.SignIn(app, "uz-editor");
        var draft = await editor.CreatesDraft("UZ");
        var action = await editor.Inserts(draft, NodeKind.Action, "Community-based rehabilitation");
        var proposal = await editor.ProposesText(draft, action, 1, "Community-based rehabilitation in every viloyat");
        var thread = await editor.StartsThread(draft, action, "Which ministry leads?");
        await StoreAsAnEarlierVersionDid(draft);

        Assert.Contains(await editor.ReadsProposals(draft), p => p.Id == proposal);
        await new DraftStorageUpgrade(Store,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<DraftStorageUpgrade>.Instance).StartAsync(CancellationToken.None);

        await using var session = Store.QuerySession();
        var own = await DraftStore.LoadOwnDocumentAsync(session, draft);
        Assert.Empty(own!.Proposals);
        Assert.Empty(own.Threads);
        Assert.Contains(await session.Query<StoredThread>().Where(t => t.DraftId == draft).ToListAsync(), t => t.Thread.Id == thread.ThreadId);
        Assert.Equal(await ReplayOf(draft), await StoredOf(draft));
    }

    /// <summary>What the earlier version kept: the whole draft in one document, and no parts.</summary>
    private async Task StoreAsAnEarlierVersionDid(Guid draftId)
    {
        await using var session = Store.LightweightSession();
        var whole = await session.Events.AggregateStreamAsync<Draft>(draftId);
        session.DeleteWhere<StoredProposal>(p => p.DraftId == draftId);
        session.DeleteWhere<StoredThread>(t => t.DraftId == draftId);
        session.Store(whole!);
        await session.SaveChangesAsync();
    }

    [Fact]
    public void Every_event_that_names_a_proposal_or_thread_says_so_to_the_store()
    {
        // The store rewrites the proposals and threads the events name through these interfaces; an event that changed
        // one without naming it would leave its stored document behind the replay.
        var events = typeof(IDraftEvent).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } &&
            typeof(IDraftEvent).IsAssignableFrom(t));
        // A citation names the citing proposal, which lives in another draft.
        var namesAnotherDraftsProposal = typeof(CadapDrafting.Programme.GoodPracticeCitationRecorded);
        var unmarked = events.Where(t =>
                (Named(t, nameof(IProposalEvent.ProposalId)) && !typeof(IProposalEvent).IsAssignableFrom(t) && t != namesAnotherDraftsProposal) ||
                (Named(t, nameof(IThreadEvent.ThreadId)) && !typeof(IThreadEvent).IsAssignableFrom(t)))
            .Select(t => t.Name).ToList();
        Assert.Empty(unmarked);
        Assert.Contains(events, t => typeof(IProposalEvent).IsAssignableFrom(t));
        Assert.Contains(events, t => typeof(IThreadEvent).IsAssignableFrom(t));

        static bool Named(Type t, string property) =>
            t.GetProperty(property, BindingFlags.Public | BindingFlags.Instance)?.PropertyType == typeof(Guid);
    }

    private async Task<(Guid Proposal, Guid Thread)> VersionsOf(Guid proposalId, Guid threadId)
    {
        await using var session = Store.QuerySession();
        var proposal = await session.Query<StoredProposal>().SingleAsync(p => p.Proposal.Id == proposalId);
        var thread = await session.Query<StoredThread>().SingleAsync(t => t.Thread.Id == threadId);
        return ((await session.MetadataForAsync(proposal!))!.CurrentVersion, (await session.MetadataForAsync(thread!))!.CurrentVersion);
    }

    private async Task<Draft?> LoadAsync(Guid draftId)
    {
        await using var session = Store.QuerySession();
        return await DraftStore.LoadAsync(session, draftId);
    }

    private async Task<List<string>> SearchRowsOf(Guid draftId)
    {
        var schema = Store.Options.DatabaseSchemaName;
        await using var session = Store.QuerySession();
        return (await session.AdvancedSql.QueryAsync<string>(
            $"select concat_ws('|', id, node_id, thread_id, comment_id, internal, language, kind, number, config, text, vector::text) " +
            $"from {schema}.{Search.SearchIndex.TableName} where draft_id = ? order by id", CancellationToken.None, draftId)).ToList();
    }

    private async Task<string> StoredOf(Guid draftId) => Canonical(await LoadAsync(draftId));

    private async Task<string> ReplayOf(Guid draftId)
    {
        await using var session = Store.QuerySession();
        return Canonical(await session.Events.AggregateStreamAsync<Draft>(draftId));
    }

    private string Canonical(Draft? draft) => CanonicalJson.From(Store.Options.Serializer().ToJson(draft));
}
