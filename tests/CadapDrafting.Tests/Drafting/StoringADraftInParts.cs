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
        await DraftProjection.RebuildAsync(Store, draft, CancellationToken.None);
        Assert.Equal(await ReplayOf(draft), await StoredOf(draft));
        var stored = (await LoadAsync(draft))!;
        Assert.Equal(3, stored.Proposals.Count); // the insert, accepted at once, and the two text proposals
        Assert.Single(stored.Threads);
    }

    [Fact]
    public void Every_event_that_names_a_proposal_or_thread_says_so_to_the_store()
    {
        // The store rewrites the proposals and threads the events name through these interfaces; an event that changed
        // one without naming it would leave its stored document behind the replay.
        var events = typeof(IDraftEvent).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IDraftEvent).IsAssignableFrom(t));
        // A citation names the citing proposal, which lives in another draft.
        var namesAnotherDraftsProposal = typeof(CadapDrafting.Programme.GoodPracticeCitationRecorded);
        var unmarked = events.Where(t =>
                (Named(t, nameof(IProposalEvent.ProposalId)) && !typeof(IProposalEvent).IsAssignableFrom(t) && t != namesAnotherDraftsProposal) ||
                (Named(t, nameof(IThreadEvent.ThreadId)) && !typeof(IThreadEvent).IsAssignableFrom(t)))
            .Select(t => t.Name).ToList();
        Assert.Empty(unmarked);
        Assert.Contains(events, t => typeof(IProposalEvent).IsAssignableFrom(t));
        Assert.Contains(events, t => typeof(IThreadEvent).IsAssignableFrom(t));

        static bool Named(Type t, string property) => t.GetProperty(property, BindingFlags.Public | BindingFlags.Instance)?.PropertyType == typeof(Guid);
    }

    private async Task<(Guid Proposal, Guid Thread)> VersionsOf(Guid proposalId, Guid threadId)
    {
        await using var session = Store.QuerySession();
        var proposal = await session.LoadAsync<StoredProposal>(proposalId);
        var thread = await session.LoadAsync<StoredThread>(threadId);
        return ((await session.MetadataForAsync(proposal!))!.CurrentVersion, (await session.MetadataForAsync(thread!))!.CurrentVersion);
    }

    private async Task<Draft?> LoadAsync(Guid draftId)
    {
        await using var session = Store.QuerySession();
        return await DraftStore.LoadAsync(session, draftId);
    }

    private async Task<string> StoredOf(Guid draftId) => Canonical(await LoadAsync(draftId));

    private async Task<string> ReplayOf(Guid draftId)
    {
        await using var session = Store.QuerySession();
        return Canonical(await session.Events.AggregateStreamAsync<Draft>(draftId));
    }

    private string Canonical(Draft? draft) => CanonicalJson.From(Store.Options.Serializer().ToJson(draft));
}
