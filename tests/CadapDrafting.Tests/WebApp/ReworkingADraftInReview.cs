using CadapDrafting.Drafts;
using Microsoft.Playwright;

namespace CadapDrafting.Tests.WebApp;

/// <summary>
/// Review does not always end in approval: an approver refuses with a reason, the lead drafter takes the draft back
/// to Drafting (being told what that does to signatures), names a version, restructures by dragging, and withdraws.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ReworkingADraftInReview(LiveServer server, Chromium chromium)
{
    [Fact]
    public async Task A_refusal_sends_the_draft_back_to_drafting_where_it_is_restructured_named_and_finally_withdrawn()
    {
        const string story = "reworking-in-review";
        var editor = await server.SignIn("tm-editor");
        var signer = await server.SignIn("tm-approver-1");
        var draft = await editor.CreatesDraft("TM", title: "Legal framework against trafficking");
        var seizures = await editor.Inserts(draft, NodeKind.Action, "Seizure data recorded every year");
        await editor.Inserts(draft, NodeKind.Action, "Joint investigations with neighbouring states", afterNodeId: seizures);
        await editor.SetsApprovalPolicy(draft, 2, "tm-approver-1", "tm-approver-2", "tm-approver-3");
        await Expect.Status(await editor.StartsReview(draft), HttpStatusCode.OK);
        await Expect.Status(await signer.SignsOff(draft, 2), HttpStatusCode.OK);

        await using var refuser = await chromium.OpensTheAppAs(server, "tm-approver-2", story);
        await refuser.OpensDraft(draft);
        await refuser.Sees(refuser.Page.GetByTestId("signoff-progress")).ToContainTextAsync("Signed by: Jennet Berdiyeva");
        await refuser.Page.GetByRole(AriaRole.Button, new() { Name = "Refuse to sign…" }).ClickAsync();
        await refuser.Dialog().GetByLabel("Why you refuse to sign").FillAsync("Crime data are not recorded every year yet");
        await refuser.Screenshot("refuses-with-a-reason");
        await refuser.Dialog().GetByRole(AriaRole.Button, new() { Name = "Refuse", Exact = true }).ClickAsync();
        await refuser.Sees(refuser.Page.Locator(".refusal")).ToContainTextAsync("Crime data are not recorded every year yet");

        await using var lead = await chromium.OpensTheAppAs(server, "tm-editor", story);
        await lead.OpensDraft(draft);
        await lead.Sees(lead.Page.Locator(".refusal")).ToContainTextAsync("Serdar Orazov");
        await lead.Page.GetByRole(AriaRole.Button, new() { Name = "Return to Drafting…" }).ClickAsync();
        await lead.Sees(lead.Dialog()).ToContainTextAsync("Signatures given so far are dismissed");
        await lead.Dialog().GetByLabel("Why it goes back").FillAsync("Add the yearly crime statistics first");
        await lead.Screenshot("is-told-what-returning-does-to-signatures");
        await lead.Dialog().GetByRole(AriaRole.Button, new() { Name = "Return to Drafting" }).ClickAsync();
        await lead.Sees(lead.Page.GetByTestId("draft-status")).ToHaveTextAsync("Drafting");
        await refuser.Sees(refuser.Page.GetByRole(AriaRole.Button, new() { Name = "Refuse to sign…" })).ToHaveCountAsync(0);

        await lead.Page.GetByLabel("Version name").FillAsync("Submitted to the Cabinet");
        await lead.Page.GetByRole(AriaRole.Button, new() { Name = "Name this version" }).ClickAsync();
        await lead.Sees(lead.Panel("History")).ToContainTextAsync("Submitted to the Cabinet");

        await lead.Node("Action 1").Locator(".node-number").DragToAsync(lead.Node("Action 2"));
        await lead.Sees(lead.Node("Action 1")).ToContainTextAsync("Joint investigations with neighbouring states");
        await lead.Sees(lead.Node("Action 2")).ToContainTextAsync("Seizure data recorded every year");
        await lead.Screenshot("names-a-version-and-drags-an-action-down");

        await lead.Page.GetByRole(AriaRole.Button, new() { Name = "Withdraw…" }).ClickAsync();
        await lead.Sees(lead.Dialog()).ToContainTextAsync("for good");
        await lead.Dialog().GetByLabel("Why it is withdrawn").FillAsync("Replaced by the new Criminal Code chapter");
        await lead.Dialog().GetByRole(AriaRole.Button, new() { Name = "Withdraw the draft" }).ClickAsync();
        await lead.Sees(lead.Page.GetByTestId("draft-status")).ToHaveTextAsync("Withdrawn");
        await lead.Sees(lead.Node("Action 1").GetByRole(AriaRole.Button, new() { Name = "Suggest new text for Action 1" })).ToHaveCountAsync(0);
        await lead.Screenshot("withdraws-the-draft");
    }

    /// <summary>
    /// A live update draws the lifecycle panel again (here a round another editor opens): the version name the lead
    /// drafter is typing stays, and so does a refusal shown beside the control.
    /// </summary>
    [Fact]
    public async Task A_version_name_being_typed_survives_a_round_opened_meanwhile_and_a_refusal_stays_beside_the_form()
    {
        var editor = await server.SignIn("tm-editor");
        var draft = await editor.CreatesDraft("TM", title: "Border cooperation plan");
        await editor.Inserts(draft, NodeKind.Action, "Joint patrols on the southern border");

        await using var lead = await chromium.OpensTheAppAs(server, "tm-editor", "typing-a-version-name");
        await lead.OpensDraft(draft);
        var name = lead.Page.GetByLabel("Version name");
        await name.FillAsync("Agreed with the border service");
        await editor.OpensRound(draft, isPublic: false);
        await lead.Sees(lead.Page.GetByTestId("round-status")).ToContainTextAsync("Round 1");
        await lead.Sees(name).ToHaveValueAsync("Agreed with the border service");
        await lead.Page.GetByRole(AriaRole.Button, new() { Name = "Name this version" }).ClickAsync();
        await lead.Sees(lead.Panel("History")).ToContainTextAsync("Agreed with the border service");
        await lead.Sees(name).ToHaveValueAsync("");

        // The same name again is refused; the refusal stays beside the form after the page has read the draft again.
        await name.FillAsync("Agreed with the border service");
        await lead.Page.GetByRole(AriaRole.Button, new() { Name = "Name this version" }).ClickAsync();
        await lead.Sees(lead.Page.Locator(".version-form .problem")).ToContainTextAsync("already marks revision");
    }
}
