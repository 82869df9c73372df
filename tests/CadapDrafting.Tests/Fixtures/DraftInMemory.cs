using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>
/// A draft held in memory for testing decision functions without a database: commands are decided on
/// it and their events applied, exactly as the writer does, minus storage.
/// </summary>
public sealed class DraftInMemory
{
    public Draft Draft { get; } = new();
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public static Actor Editor(string country = "KG") =>
        new($"{country.ToLowerInvariant()}-editor", "Editor", country, new HashSet<Role> { Role.Drafter, Role.Editor });
    public static Actor Drafter(string country = "KG") =>
        new($"{country.ToLowerInvariant()}-drafter", "Drafter", country, new HashSet<Role> { Role.Drafter });

    public static DraftInMemory Created(string country = "KG", DraftKind kind = DraftKind.ActionPlan)
    {
        var draft = new DraftInMemory();
        var decision = new CreateDraft(country, kind, new() { ["en"] = "Plan" }, 2025, 2030)
            .Decide(Guid.NewGuid(), new CommandContext(Editor(country), Now, Guid.NewGuid()));
        draft.Apply(decision, Editor(country));
        return draft;
    }

    /// <summary>Decides a command as <paramref name="actor"/> and, unless refused, applies its events.</summary>
    public Decision Run(IDraftCommand command, Actor? actor = null)
    {
        actor ??= Editor(Draft.Country);
        var decision = AccessPolicy.Check(actor, command.Action, Draft) is { } refusal
            ? Decision.Refuse(refusal)
            : command.Decide(Draft, new CommandContext(actor, Now, Guid.NewGuid()));
        Apply(decision, actor);
        return decision;
    }

    private void Apply(Decision decision, Actor actor)
    {
        foreach (var e in decision.Events) Draft.Record(e, new EventContext(Draft.Position + 1, actor.UserId, Now));
    }

    public Guid Insert(NodeKind kind, string text, Guid? parent = null, Guid? after = null, ActionAttributes? attributes = null)
    {
        var decision = Run(new Proposals.SubmitProposal(Proposals.ProposalKind.Insert, null, null, "structure",
            new() { ["en"] = text }, attributes is null ? null : Proposals.AttributePatch.Whole(attributes), kind, parent, after, AcceptNow: true));
        Assert.Null(decision.Refusal);
        return decision.Events.OfType<Proposals.ProposalSubmitted>().Single().NodeId;
    }
}
