using CadapDrafting.Drafts;
using CadapDrafting.Evidence;
using CadapDrafting.Proposals;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CadapDrafting.Tests.Drafting;

/// <summary>
/// An action carries a record besides its text (objective, owners, budget, SDG targets, markers…). A proposal on that
/// record changes exactly the fields it names, and the editor sees each of them before → after before accepting.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ChangingAnActionsRecord(AppFixture app)
{
    private static ActionAttributes Record() => ProgrammeVocabulary.Complete(Pillar.Treatment, "3.5") with
    {
        Objective = "Opioid agonist therapy reaches every region",
        Commitments = ["UNGASS 2016 outcome document, ch. 1"],
        HumanRightsMarker = true,
        GenderMarker = true,
        EvidenceReferences = ["WHO guidelines 2009"],
    };

    [Fact]
    public async Task A_proposal_naming_only_the_budget_changes_the_budget_and_nothing_else()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var drafter = await Person.SignIn(app, "kg-drafter");
        var draft = await editor.CreatesDraft("KG");
        var action = await editor.InsertsAction(draft, new() { ["en"] = "Opioid agonist therapy" }, Record());

        var response = await drafter.Proposes(draft, new {
            kind = ProposalKind.Amend, nodeId = action, baseRevision = 1, rationale = "Costed by the Ministry of Finance",
            attributes = new { budget = new { amount = 250_000, currency = "KGS", source = "Republican budget" }, timeline = (object?)null },
        });
        await Expect.Status(response, HttpStatusCode.OK);
        var proposalId = (await Person.Accepted(response)).Result!.Value.GetProperty("proposalId").GetGuid();

        var view = await drafter.Read<JsonElement>($"/api/drafts/{draft}/proposals/{proposalId}");
        var changes = view.GetProperty("fieldChanges").EnumerateArray().ToList();
        Assert.Equal(["budget", "timeline"], changes.Select(c => c.GetProperty("field").GetString()));
        Assert.Equal(120_000, changes[0].GetProperty("before").GetProperty("amount").GetDecimal());
        Assert.Equal(("KGS", 250_000m), (changes[0].GetProperty("after").GetProperty("currency").GetString(),
            changes[0].GetProperty("after").GetProperty("amount").GetDecimal()));
        Assert.Equal("2025-01-01", changes[1].GetProperty("before").GetProperty("start").GetString());
        Assert.Equal(JsonValueKind.Null, changes[1].GetProperty("after").ValueKind);

        await Expect.Status(await editor.Accepts(draft, proposalId), HttpStatusCode.OK);

        var after = (await editor.Reads(draft)).Node(action).Attributes!;
        var expected = Record() with { Budget = new Budget(250_000, "KGS", "Republican budget"), Timeline = null };
        Assert.Equal(Canonical(expected), Canonical(after));
        var accepted = await drafter.Read<JsonElement>($"/api/drafts/{draft}/proposals/{proposalId}");
        Assert.Equal(120_000, accepted.GetProperty("fieldChanges")[0].GetProperty("before").GetProperty("amount").GetDecimal());
    }

    [Fact]
    public async Task A_field_change_that_names_no_attribute_or_a_wrong_value_is_refused_by_field_with_what_is_allowed()
    {
        var editor = await Person.SignIn(app, "tj-editor");
        var draft = await editor.CreatesDraft("TJ");
        var action = await editor.InsertsAction(draft, new() { ["en"] = "Needle and syringe programmes" }, Record());
        var position = (await editor.Reads(draft)).Position;

        var unknown = await Expect.Problem(await editor.Proposes(draft, new {
            kind = ProposalKind.Amend, nodeId = action, baseRevision = 1, rationale = "Typo in the field name",
            attributes = new { budgett = new { amount = 1, currency = "EUR" } },
        }), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("objective", unknown.GetProperty("errors").GetProperty("attributes.budgett")[0].GetString());

        var wrongPillar = await Expect.Problem(await editor.Proposes(draft, new {
            kind = ProposalKind.Amend, nodeId = action, baseRevision = 1, rationale = "New pillar", attributes = new { pillar = "Magic" },
        }), HttpStatusCode.UnprocessableEntity);
        var message = wrongPillar.GetProperty("errors").GetProperty("attributes.pillar")[0].GetString()!;
        Assert.Contains("HarmReduction", message);
        Assert.DoesNotContain("System.", message);

        Assert.Equal(position, (await editor.Reads(draft)).Position);
    }

    [Fact]
    public async Task A_field_change_written_against_an_old_revision_is_still_stale()
    {
        var editor = await Person.SignIn(app, "uz-editor");
        var draft = await editor.CreatesDraft("UZ");
        var action = await editor.InsertsAction(draft, new() { ["en"] = "School-based prevention" }, Record());
        var late = await editor.Proposes(draft, new {
            kind = ProposalKind.Amend, nodeId = action, baseRevision = 1, rationale = "More money", attributes = new { budget = new { amount = 1 } },
        });
        var lateId = (await Person.Accepted(late)).Result!.Value.GetProperty("proposalId").GetGuid();
        await editor.Amends(draft, action, attributes: null, text: new() { ["en"] = "School-based prevention in every district" });

        var stale = await Expect.Problem(await editor.Accepts(draft, lateId), HttpStatusCode.Conflict);

        Assert.Equal(2, stale.GetProperty("currentRevision").GetInt32());
        Assert.Equal(120_000, (await editor.Reads(draft)).Node(action).Attributes!.Budget!.Amount);
    }

    [Fact]
    public async Task A_proposal_recorded_as_a_whole_record_before_field_changes_still_replaces_the_whole_record_on_replay_and_rebuild()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var draft = await editor.CreatesDraft("KZ");
        var action = await editor.InsertsAction(draft, new() { ["en"] = "Naloxone in every ambulance" }, Record());
        var store = app.Host.Services.GetRequiredService<IDocumentStore>();
        var wholeRecord = new ActionAttributes { Budget = new Budget(5, "KZT") };
        var proposalId = Guid.NewGuid();

        // As the earlier version stored an attribute proposal: the whole record, no field changes.
        await using (var session = store.LightweightSession())
        {
            session.Events.Append(draft,
                new ProposalSubmitted(proposalId, ProposalKind.Amend, action, null, null, null, 1, new() { ["en"] = "Naloxone in every ambulance" },
                    null, wholeRecord, "Only the budget, as the form sent it"),
                new ProposalAccepted(proposalId, action, ProposalKind.Amend, 2, 2, "Agreed"));
            await session.SaveChangesAsync();
        }
        await DraftStore.RebuildAsync(store, draft, CancellationToken.None);

        await using var query = store.QuerySession();
        var replay = (await query.Events.AggregateStreamAsync<Draft>(draft))!;
        var stored = (await DraftStore.LoadAsync(query, draft))!;
        Assert.Equal(Canonical(wholeRecord), Canonical(replay.Nodes[action].Attributes));
        Assert.Equal(Serialize(store, replay), Serialize(store, stored));
    }

    private static string Canonical(ActionAttributes? attributes) => CanonicalJson.From(JsonSerializer.Serialize(attributes, Person.Json));

    private static string Serialize(IDocumentStore store, Draft draft) => CanonicalJson.From(store.Options.Serializer().ToJson(draft));
}
