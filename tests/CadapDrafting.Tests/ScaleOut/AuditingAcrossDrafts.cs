using CadapDrafting.Drafts;
using CadapDrafting.Operations;

namespace CadapDrafting.Tests.ScaleOut;

/// <summary>The cross-draft audit index: who did how much where, kept up asynchronously and shown only for drafts the reader may read.</summary>
[Collection(ServerCollection.Name)]
public sealed class AuditingAcrossDrafts(AppFixture app)
{
    [Fact]
    public async Task The_auditor_sees_who_changed_each_country_draft_and_a_country_sees_only_its_own()
    {
        var kzEditor = await Person.SignIn(app, "kz-editor");
        var kzDrafter = await Person.SignIn(app, "kz-drafter");
        var kgEditor = await Person.SignIn(app, "kg-editor");
        var auditor = await Person.SignIn(app, "auditor");
        var kazakh = await kzEditor.CreatesDraft("KZ", title: "Audited working text");
        var article = await kzEditor.Inserts(kazakh, NodeKind.Article, "Access to treatment");
        await kzDrafter.ProposesText(kazakh, article, 1, "Access to voluntary treatment");
        var kyrgyz = await kgEditor.CreatesDraft("KG", title: "Audited Kyrgyz plan");

        var position = (await kzEditor.Reads(kazakh)).Position;
        var entry = await EventuallyIndexed(auditor, kazakh, position);
        Assert.Equal("KZ", entry.Country);
        Assert.Equal(position, entry.EventsIndexed);
        Assert.Equal(position - 1, entry.EventsByActor["kz-editor"]);
        Assert.Equal(1, entry.EventsByActor["kz-drafter"]);
        Assert.Equal("kz-drafter", entry.LastActor);
        await EventuallyIndexed(auditor, kyrgyz, 1);

        var seenInKyrgyzstan = await kgEditor.Read<AuditIndexPage>("/api/audit/drafts");
        Assert.Contains(seenInKyrgyzstan.Drafts, d => d.Id == kyrgyz);
        Assert.DoesNotContain(seenInKyrgyzstan.Drafts, d => d.Id == kazakh);
        Assert.All(seenInKyrgyzstan.Drafts, d => Assert.Equal("KG", d.Country));
    }

    private static async Task<DraftAuditView> EventuallyIndexed(Person reader, Guid draftId, long position)
    {
        var page = await Eventually.Until(() => reader.Read<AuditIndexPage>("/api/audit/drafts"),
            p => p.Drafts.SingleOrDefault(d => d.Id == draftId)?.EventsIndexed >= position, TimeSpan.FromSeconds(20));
        var entry = page.Drafts.SingleOrDefault(d => d.Id == draftId);
        if (entry is null || entry.EventsIndexed < position)
            Assert.Fail($"draft {draftId} was not indexed up to position {position} (lag {page.Lag})");
        return entry!;
    }
}
