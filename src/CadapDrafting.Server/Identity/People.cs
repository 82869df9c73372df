using CadapDrafting.Drafts;
using Marten;

namespace CadapDrafting.Identity;

/// <summary>
/// Someone as others see them on a draft: by name and organisation, never only by user id; <c>NameRu</c> and
/// <c>OrganisationRu</c> are the same in Russian, for the Russian interface (absent: the English ones).
/// </summary>
public sealed record PersonOnDraft(
    string Id, string Name, string? Organisation, string? Country, List<Role> Roles, bool SeesInternalThreads,
    string? NameRu = null, string? OrganisationRu = null);

/// <summary>
/// The people who may read a draft, for showing names instead of ids and for @mention autocomplete. Scoped to the
/// draft: a caller learns only of people who share it with them, and nothing of a draft they may not read.
/// </summary>
public static class People
{
    public static List<PersonOnDraft> OfDraft(DemoUsers users, Draft draft) =>
        users.All
            .Select(u => (User: u, Actor: u.ToActor()))
            .Where(x => AccessPolicy.Allows(x.Actor, DraftAction.Read, draft))
            .Select(x => new PersonOnDraft(x.User.Id, x.User.Name, x.User.Organisation, x.User.Country, x.User.Roles,
                Comments.Audience.SeesInternalThreads(x.Actor, draft), x.User.NameRu, x.User.OrganisationRu))
            .OrderBy(p => p.Name, StringComparer.CurrentCulture)
            .ToList();

    public static void MapPeopleEndpoints(this WebApplication app)
    {
        app.MapGet("/api/drafts/{draftId:guid}/people", async (HttpContext http, IQuerySession session, DemoUsers users, Guid draftId) =>
            {
                var (draft, refusal) = await DraftReads.LoadVisibleAsync(http, session, draftId, withProposalsAndThreads: false);
                return refusal ?? Results.Ok(OfDraft(users, draft!));
            })
            .WithTags("Identity").Requires(DraftAction.Read)
            .WithSummary("The people who may read the draft, by name and organisation (for names and @mentions)")
            .Produces<List<PersonOnDraft>>().ProducesProblem(404);
    }
}
