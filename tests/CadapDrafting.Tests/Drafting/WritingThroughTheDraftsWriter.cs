using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CadapDrafting.Tests.Drafting;

[Collection(ServerCollection.Name)]
public sealed class WritingThroughTheDraftsWriter(AppFixture app)
{
    private static readonly Actor KazakhEditor = new("kz-editor", "KZ editor", "KZ", new HashSet<Role> { Role.Drafter, Role.Editor });

    /// <summary>A command whose decision breaks: the server's fault, whatever the request said.</summary>
    private sealed record BrokenDecision(string? Reason = null) : IDraftCommand
    {
        public DraftAction Action => DraftAction.Read;
        public Decision Decide(Draft draft, CommandContext context) => throw new InvalidOperationException("a bug in a decide function");
    }

    [Fact]
    public async Task A_fault_inside_a_decision_is_a_logged_server_error_that_stores_nothing()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var draftId = await editor.CreatesDraft("KZ");
        var before = (await editor.Reads(draftId)).Position;
        var writer = app.Host.Services.GetRequiredService<DraftWriter>();

        var outcome = await writer.SendAsync(draftId, new CommandEnvelope(Guid.NewGuid(), KazakhEditor, null, new BrokenDecision()));

        Assert.Equal(500, outcome.Status);
        Assert.Equal(500, outcome.Problem!.Status);
        Assert.Equal(before, (await editor.Reads(draftId)).Position);
        Assert.Contains(app.Logs.Entries, e => e.Category.EndsWith(nameof(DraftWriter)) && e.Level == LogLevel.Error
            && e.Message.Contains(nameof(BrokenDecision)) && e.Message.Contains(draftId.ToString()));
        // The draft's next command is decided as if nothing happened.
        await editor.Inserts(draftId, NodeKind.Article, "Prevention in schools");
        Assert.True((await editor.Reads(draftId)).Position > before);
    }

    [Fact]
    public async Task A_draft_left_idle_is_let_go_and_its_next_command_reads_it_back_from_storage()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var writer = app.Host.Services.GetRequiredService<DraftWriter>();
        var drafts = new List<Guid>();
        for (var i = 0; i < 20; i++) drafts.Add(await editor.CreatesDraft("KZ", title: $"Plan {i}"));
        Assert.True(writer.HeldDrafts >= drafts.Count);

        writer.ReleaseIdle(TimeSpan.Zero);
        // Work left by earlier stories (notifications, signing) may be writing some draft just now, and a busy draft is not
        // let go: it goes once that work is done.
        for (var wait = 0; wait < 50 && writer.HeldDrafts > 0; wait++)
        {
            await Task.Delay(100);
            writer.ReleaseIdle(TimeSpan.Zero);
        }

        Assert.Equal(0, writer.HeldDrafts);
        var article = await editor.Inserts(drafts[7], NodeKind.Article, "Treatment for everyone who asks");
        var document = await editor.Reads(drafts[7]);
        Assert.Equal("Treatment for everyone who asks", document.Node(article).Text["en"]);
        Assert.Equal("Plan 7", document.Title["en"]);
        Assert.Equal(1, writer.HeldDrafts);
    }
}
