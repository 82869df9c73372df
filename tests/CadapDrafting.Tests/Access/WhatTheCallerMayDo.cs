using CadapDrafting.Drafts;
using CadapDrafting.Identity;

namespace CadapDrafting.Tests.Access;

/// <summary>
/// A draft read says what the reader may do on it now, from the access policy and the lifecycle rules, so the web
/// app offers only what can work; and it lists the people who share the draft by name, never beyond who may read it.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class WhatTheCallerMayDo(AppFixture app)
{
    private static async Task<IReadOnlyList<string>> MayDo(Person person, Guid draft) => (await person.Reads(draft)).AllowedActions!;

    [Fact]
    public async Task Each_role_is_offered_what_the_policy_and_the_stage_allow_and_no_more()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var drafter = await Person.SignIn(app, "kg-drafter");
        var approver = await Person.SignIn(app, "kg-approver-1");
        var expert = await Person.SignIn(app, "eu-expert-1");
        var auditor = await Person.SignIn(app, "auditor");
        var draft = await editor.CreatesDraft("KG");
        await editor.Inserts(draft, NodeKind.Action, "Opioid agonist therapy in primary care");

        Assert.Superset(new HashSet<string> { "ProposeChange", "DecideProposal", "Comment", "OpenConsultation", "SetApprovalPolicy", "StartReview",
            "Withdraw" },
            (await MayDo(editor, draft)).ToHashSet());
        Assert.DoesNotContain("ReturnToDrafting", await MayDo(editor, draft));
        Assert.Equal(["ProposeChange", "Comment", "ResolveAnyThread", "ExportEvidence"], await MayDo(drafter, draft));
        Assert.Equal(["Comment", "ExportEvidence"], await MayDo(approver, draft));
        Assert.Equal(["ExportEvidence"], await MayDo(auditor, draft));

        await editor.OpensRound(draft);
        Assert.Equal(["ProposeChange", "Comment"], await MayDo(expert, draft));
        Assert.Contains("CloseConsultation", await MayDo(editor, draft));

        await editor.SetsApprovalPolicy(draft, 2, "kg-approver-1", "kg-approver-2", "kg-approver-3");
        await Expect.Status(await editor.StartsReview(draft), HttpStatusCode.OK);
        var inReview = await MayDo(editor, draft);
        Assert.DoesNotContain("ProposeChange", inReview);
        Assert.DoesNotContain("SetApprovalPolicy", inReview);
        Assert.Contains("ReturnToDrafting", inReview);
        Assert.DoesNotContain("ProposeChange", await MayDo(expert, draft));
        Assert.Contains("SignOff", await MayDo(approver, draft));
        // Approvers answer questions during review: the page offers commenting because the server says so.
        Assert.Contains("Comment", await MayDo(approver, draft));

        await Expect.Status(await approver.SignsOff(draft, (await approver.Reads(draft)).Revision), HttpStatusCode.OK);
        Assert.DoesNotContain("SignOff", await MayDo(approver, draft));
        Assert.Contains("SignOff", await MayDo(await Person.SignIn(app, "kg-approver-2"), draft));
    }

    [Fact]
    public async Task The_offer_follows_the_reader_even_when_the_draft_has_not_changed()
    {
        var editor = await Person.SignIn(app, "tj-editor");
        var drafter = await Person.SignIn(app, "tj-drafter");
        var draft = await editor.CreatesDraft("TJ");

        var editorRead = await editor.Reads(draft);
        var drafterRead = await drafter.Reads(draft);
        Assert.Equal(editorRead.Position, drafterRead.Position);
        Assert.Contains("StartReview", editorRead.AllowedActions!);
        Assert.DoesNotContain("StartReview", drafterRead.AllowedActions!);
    }

    [Fact]
    public async Task The_people_of_a_draft_are_those_who_may_read_it_with_name_and_organisation()
    {
        var editor = await Person.SignIn(app, "uz-editor");
        var draft = await editor.CreatesDraft("UZ");

        var people = await editor.Read<List<PersonOnDraft>>($"/api/drafts/{draft}/people");
        var ids = people.Select(p => p.Id).ToHashSet();
        Assert.Superset(new HashSet<string> { "uz-drafter", "uz-editor", "uz-approver-1", "auditor" }, ids);
        Assert.DoesNotContain("eu-expert-1", ids);
        Assert.DoesNotContain(ids, id => id.StartsWith("kg-"));
        var lead = people.Single(p => p.Id == "uz-editor");
        Assert.Equal(("Jasur Abdullaev", "National Centre on Drug Control under the Cabinet of Ministers of Uzbekistan"), (lead.Name,
            lead.Organisation));
        Assert.Equal(("Жасур Абдуллаев", "Национальный центр по контролю за наркотиками при Кабинете Министров Республики Узбекистан"),
            (lead.NameRu, lead.OrganisationRu));
        Assert.Equal([Role.Auditor], people.Single(p => p.Id == "auditor").Roles);

        await editor.OpensRound(draft);
        var shared = await editor.Read<List<PersonOnDraft>>($"/api/drafts/{draft}/people");
        var expert = shared.Single(p => p.Id == "eu-expert-1");
        Assert.False(expert.SeesInternalThreads);
        Assert.DoesNotContain(shared, p => p.Id == "cso-1");

        var neighbour = await Person.SignIn(app, "kg-drafter");
        await Expect.Status(await neighbour.Http.GetAsync($"/api/drafts/{draft}/people"), HttpStatusCode.NotFound);
    }
}
