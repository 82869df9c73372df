using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;

namespace CadapDrafting.Drafts;

public sealed record CreateDraft(
    string Country,
    DraftKind Kind,
    [TextLimit(CreateDraft.MaxTitleLength)] Dictionary<string, string> Title,
    int PeriodStart,
    int PeriodEnd,
    string? SourceLanguage = null,
    string? Reason = null) : IDraftCreation
{
    public const int MaxTitleLength = 500;

    public Decision Decide(Guid draftId, CommandContext context)
    {
        var v = new Validation();
        v.Require(Countries.IsKnown(Country), "country", "The country is one of KZ, KG, TJ, TM, UZ.");
        if (!v.IsValid) return v.ToProblem()!;

        var country = Country.ToUpperInvariant();
        var languages = Countries.LanguagesOf(country);
        var source = SourceLanguage ?? "ru";
        v.Require(Title is { Count: > 0 } && Title.Values.Any(t => !string.IsNullOrWhiteSpace(t)), "title",
            "A draft needs a title in at least one language.");
        foreach (var lang in (Title ?? new()).Keys.Where(l => !languages.Contains(l)))
            v.Add($"title.{lang}", $"'{lang}' is not one of this draft's languages ({string.Join(", ", languages)}).");
        v.Require(PeriodStart is >= 1991 and <= 2100, "periodStart", "The period starts in a year between 1991 and 2100.");
        v.Require(PeriodEnd >= PeriodStart && PeriodEnd <= 2100, "periodEnd", "The period ends in or after the year it starts.");
        v.Require(languages.Contains(source), "sourceLanguage", $"The source language is one of {string.Join(", ", languages)}.");
        if (!v.IsValid) return v.ToProblem()!;

        var actor = context.Actor;
        if (!AccessPolicy.Allows(actor, DraftAction.Create, new AccessPolicy.DraftScope(country, false, false, false, false)))
            return Problem.Forbidden($"You may create drafts only for your own country ({actor.Country ?? "none"}).");

        return Decision.Emit(new DraftCreatedResult(draftId),
            new DraftCreated(draftId, country, Kind, Title!, PeriodStart, PeriodEnd, source, [.. languages]));
    }
}

public sealed record DraftCreated(
    Guid DraftId,
    string Country,
    DraftKind Kind,
    Dictionary<string, string> Title,
    int PeriodStart,
    int PeriodEnd,
    string SourceLanguage,
    List<string> Languages) : IDraftEvent
{
    public void ApplyTo(Draft draft, EventContext context)
    {
        draft.Id = DraftId;
        draft.Country = Country;
        draft.Kind = Kind;
        draft.Title = new(Title);
        draft.PeriodStart = PeriodStart;
        draft.PeriodEnd = PeriodEnd;
        draft.SourceLanguage = SourceLanguage;
        draft.Languages = [.. Languages];
        draft.Status = DraftStatus.Drafting;
        draft.CreatedBy = context.Actor;
        draft.CreatedAt = context.At;
        draft.RevisionPositions = [context.Position];
    }
}

public sealed record DraftCreatedResult(Guid DraftId);
