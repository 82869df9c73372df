using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>An action's record as a person types it into the record form.</summary>
public sealed record ActionRecord(
    string Objective,
    string[] ResponsibleBodies,
    string Start,
    string End,
    string Indicator,
    string Baseline,
    string BaselineYear,
    string Target,
    string TargetYear,
    string DataSource,
    string Amount,
    string Currency,
    string FundsSource,
    string Pillar,
    string RespondsTo,
    string Commitment,
    string SdgTarget,
    string Evidence);

/// <summary>
/// The whole drafting cycle told as what a person does in the web app (English interface): starting a draft from
/// a template, writing structure and records, deciding proposals, consultation, approval and sign-off, audit.
/// </summary>
public static class DraftingInTheBrowser
{
    private static readonly LocatorGetByLabelOptions Exactly = new() { Exact = true };

    /// <summary>The number of "Action 2".</summary>
    public static string Number(string node) => node.Split(' ')[^1];

    public static ILocator Dialog(this WebUser user) => user.Page.GetByRole(AriaRole.Dialog);

    public static ILocator Panel(this WebUser user, string name) => user.Page.GetByRole(AriaRole.Region, new() { Name = name, Exact = true });

    /// <summary>Starts a draft of the person's country from the template of its kind and waits in it, live.</summary>
    public static async Task<Guid> StartsDraftFromTemplate(this WebUser user, string kind, string title, int from, int to)
    {
        await user.Page.GetByRole(AriaRole.Button, new() { Name = user.Say("New draft") }).ClickAsync();
        var dialog = user.Dialog();
        await dialog.GetByLabel(user.Say("Kind"), Exactly).SelectOptionAsync(new SelectOptionValue { Label = user.Say(kind) });
        await dialog.GetByLabel(WebUser.StartingWith(user.Say("Title (RU)").Split('(')[0].Trim())).First.FillAsync(title);
        await dialog.GetByLabel(user.Say("Period from")).FillAsync(from.ToString());
        await dialog.GetByLabel(user.Say("Period to")).FillAsync(to.ToString());
        await dialog.GetByLabel(WebUser.StartingWith(user.Say("The usual parts (Law)").Split('(')[0].Trim())).CheckAsync();
        await user.Screenshot("starts-a-draft-from-the-template");
        await dialog.GetByRole(AriaRole.Button, new() { Name = user.Say("Create draft") }).ClickAsync();
        await user.Sees(user.Page.Locator("#draft-title")).ToContainTextAsync(title);
        await user.Sees(user.Page.GetByTestId("live-status")).ToHaveTextAsync(user.Say("Live"));
        var match = Regex.Match(user.Page.Url, "/drafts/([0-9a-f-]{36})");
        return Guid.Parse(match.Groups[1].Value);
    }

    /// <summary>Rewrites a node's text directly (an editor outside suggestion mode).</summary>
    public static async Task RewritesDirectly(this WebUser user, string node, string text, string rationale)
    {
        var target = user.Node(node);
        await target.GetByRole(AriaRole.Button, new() { Name = user.Say($"Suggest new text for {user.NodeName(node)}") }).ClickAsync();
        await target.GetByLabel(WebUser.StartingWith(user.Say("Proposed text (RU)").Split('(')[0].Trim())).FillAsync(text);
        await target.GetByLabel(user.Say("Why (rationale)")).FillAsync(rationale);
        await user.Sees(target.GetByLabel(user.Say("Apply directly (accept at once)"))).ToBeCheckedAsync();
        await target.GetByRole(AriaRole.Button, new() { Name = user.Say("Submit proposal") }).ClickAsync();
        await user.Sees(user.Node(node).Locator(".node-text").First).ToHaveTextAsync(text);
    }

    /// <summary>Adds an action as the last one inside a chapter, directly.</summary>
    public static async Task WritesActionIn(this WebUser user, string chapter, string text, string expectedNumber)
    {
        var target = user.Node(chapter);
        await target.GetByRole(AriaRole.Button, new() { Name = user.Say($"Propose a new node after {user.NodeName(chapter)}") }).ClickAsync();
        await target.GetByLabel(user.Say("Kind of node")).SelectOptionAsync("Action");
        await target.GetByLabel(WebUser.StartingWith(user.Say("Text of the new node (RU)").Split('(')[0].Trim())).FillAsync(text);
        await target.GetByLabel(user.Say("Why (rationale)")).FillAsync(user.Say("Measures agreed in the working group",
            "Меры согласованы рабочей группой"));
        await target.GetByRole(AriaRole.Button, new() { Name = user.Say("Submit proposal") }).ClickAsync();
        await user.Sees(user.Node(expectedNumber)).ToContainTextAsync(text);
    }

    /// <summary>Fills an action's whole record in its form and saves it (or proposes it, in suggestion mode).</summary>
    public static async Task FillsRecord(this WebUser user, string node, ActionRecord r, string rationale)
    {
        var number = user.NodeName(node);
        await user.Node(node).GetByRole(AriaRole.Button, new() { Name = user.Say($"Edit record of {number}") }).ClickAsync();
        var form = user.Page.GetByRole(AriaRole.Form, new() { Name = user.Say($"Record of {number}") });
        await form.GetByLabel(user.SayIn("record.", "Objective"), Exactly).FillAsync(r.Objective);
        foreach (var body in r.ResponsibleBodies)
        {
            await form.GetByRole(AriaRole.Combobox, new() { Name = user.SayIn("record.", "Responsible bodies") }).FillAsync(body);
            await form.GetByRole(AriaRole.Button, new() { Name = user.SayIn("ui.", "Add"), Exact = true }).ClickAsync();
        }
        await form.GetByLabel(user.SayIn("record.", "Start"), Exactly).FillAsync(r.Start);
        await form.GetByLabel(user.SayIn("record.", "End"), Exactly).FillAsync(r.End);
        var indicator = form.GetByRole(AriaRole.Group, new() { Name = user.SayIn("record.", "Indicator 1") });
        if (await indicator.CountAsync() == 0) await form.GetByRole(AriaRole.Button, new()
        {
            Name = user.SayIn("record.",
            "Add an indicator")
        }).ClickAsync();
        await indicator.GetByLabel(user.SayIn("record.", "Name"), Exactly).FillAsync(r.Indicator);
        await indicator.GetByLabel(user.SayIn("record.", "Baseline"), Exactly).FillAsync(r.Baseline);
        await indicator.GetByLabel(user.SayIn("record.", "Baseline year"), Exactly).FillAsync(r.BaselineYear);
        await indicator.GetByLabel(user.SayIn("record.", "Target"), Exactly).FillAsync(r.Target);
        await indicator.GetByLabel(user.SayIn("record.", "Target year"), Exactly).FillAsync(r.TargetYear);
        await indicator.GetByLabel(user.SayIn("record.", "Data source"), Exactly).FillAsync(r.DataSource);
        await indicator.GetByLabel(user.SayIn("record.", "Recorded every year"), Exactly).CheckAsync();
        await form.GetByLabel(user.SayIn("record.", "Amount"), Exactly).FillAsync(r.Amount);
        await form.GetByLabel(user.SayIn("record.", "Currency"), Exactly).FillAsync(r.Currency);
        await form.GetByLabel(user.SayIn("record.", "Source of funds"), Exactly).FillAsync(r.FundsSource);
        await form.GetByLabel(user.SayIn("record.", "Pillar"), Exactly).SelectOptionAsync(new SelectOptionValue
        {
            Label = user.SayIn("pillar.",
            r.Pillar)
        });
        await form.GetByLabel(user.SayIn("record.", "Responds to"), Exactly).SelectOptionAsync(new SelectOptionValue
        {
            Label = user.SayIn("use.",
            r.RespondsTo)
        });
        await form.GetByLabel(WebUser.StartingWith(user.SayIn("record.", "International commitments (one per line)"))).FillAsync(r.Commitment);
        foreach (var ticked in await form.Locator(".sdg-list input:checked").AllAsync()) await ticked.UncheckAsync();
        await form.GetByLabel(new Regex($"^{Regex.Escape(r.SdgTarget)} ")).CheckAsync();
        await form.GetByLabel(user.SayIn("record.", "Human-rights marker"), Exactly).CheckAsync();
        await form.GetByLabel(user.SayIn("record.", "Gender marker"), Exactly).CheckAsync();
        await form.GetByLabel(WebUser.StartingWith(user.SayIn("record.", "Evidence references (one per line)"))).FillAsync(r.Evidence);
        await form.GetByLabel(user.SayIn("record.", "Why (rationale)"), Exactly).FillAsync(rationale);
        var save = new Regex($"^({user.SayIn("record.", "Save record")}|{user.SayIn("record.", "Propose record change")})$");
        await form.GetByRole(AriaRole.Button, new() { NameRegex = save }).ClickAsync();
        await user.Sees(form).ToHaveCountAsync(0);
    }

    public static async Task OpensConsultationRound(this WebUser user, DateTime endsAtLocal, bool isPublic)
    {
        await user.Page.GetByRole(AriaRole.Button, new() { Name = user.Say("Open consultation…") }).ClickAsync();
        var dialog = user.Dialog();
        await dialog.GetByLabel(user.Say("Ends on")).FillAsync(endsAtLocal.ToString("yyyy-MM-dd'T'HH:mm"));
        if (isPublic) await dialog.GetByLabel(WebUser.StartingWith(user.Words?.Key("round.public") ?? "Public")).CheckAsync();
        await user.Screenshot("opens-a-consultation-round");
        await dialog.GetByRole(AriaRole.Button, new() { Name = user.Say("Open the round") }).ClickAsync();
        await user.Sees(user.Page.GetByTestId("draft-status")).ToHaveTextAsync(user.Say("Consultation"));
    }

    /// <summary>Selects words in a node's text with the mouse, as a person marks what they comment on.</summary>
    public static async Task SelectsWords(this WebUser user, string node, string words)
    {
        var text = user.Node(node).Locator(".node-text").First;
        await text.EvaluateAsync("""
            (el, words) => {
              const node = [...el.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent.includes(words));
              const start = node.textContent.indexOf(words);
              const range = document.createRange();
              range.setStart(node, start);
              range.setEnd(node, start + words.length);
              const selection = window.getSelection();
              selection.removeAllRanges();
              selection.addRange(range);
            }
            """, words);
    }

    /// <summary>Types a comment on the selected words, mentioning someone picked by name from the suggestions.</summary>
    public static async Task CommentsOnSelectionMentioning(this WebUser user, string node, string before, string typedName, string pickedName,
        string after)
    {
        var number = user.NodeName(node);
        await user.Node(node).GetByRole(AriaRole.Button, new() { Name = user.Say($"Comment on {number}") }).ClickAsync();
        var form = user.Page.GetByRole(AriaRole.Form, new() { Name = user.Say($"Comment on {number}") });
        var field = form.GetByRole(AriaRole.Textbox, new() { Name = user.Words?.Key("comments.text") ?? "Comment", Exact = true });
        await field.FillAsync(before + " ");
        await field.PressSequentiallyAsync("@" + typedName);
        var suggestion = form.GetByRole(AriaRole.Option, new() { NameRegex = new Regex(Regex.Escape(pickedName)) });
        await user.Sees(suggestion).ToBeVisibleAsync();
        await user.Screenshot("mentions-someone-by-name");
        await field.PressAsync("Enter");
        await field.PressSequentiallyAsync(after);
        await form.GetByRole(AriaRole.Button, new() { Name = user.Say("Send") }).ClickAsync();
        await user.Sees(user.CommentIn(node, after)).ToBeVisibleAsync();
    }

    /// <summary>An approver signs the revision under review, confirming in the dialog what the signature binds to.</summary>
    public static async Task SignsTheRevision(this WebUser user)
    {
        var sign = WebUser.StartingWith(user.Words?.Key("review.sign").Split('{')[0].Trim() ?? "Sign revision");
        await user.Page.GetByRole(AriaRole.Button, new() { NameRegex = sign }).ClickAsync();
        var binds = user.Words?.Key("review.signText").Split('{')[0].Trim() ?? "Your signature binds to the exact text";
        await user.Sees(user.Dialog()).ToContainTextAsync(binds);
        await user.Dialog().GetByRole(AriaRole.Button, new() { NameRegex = sign }).ClickAsync();
    }

    /// <summary>Clicks a control that starts a download and returns the file's name and text.</summary>
    public static async Task<(string Name, byte[] Content)> Downloads(this WebUser user, ILocator control)
    {
        var download = await user.Page.RunAndWaitForDownloadAsync(() => control.ClickAsync());
        var path = await download.PathAsync();
        return (download.SuggestedFilename, await File.ReadAllBytesAsync(path));
    }

    /// <summary>The page is no wider than the window: long text wrapped instead of widening it.</summary>
    public static async Task SeesNoHorizontalOverflow(this WebUser user)
    {
        var widths = await user.Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(widths[0] <= widths[1], $"The page is {widths[0]} px wide in a {widths[1]} px window.");
    }
}
