using System.Text.Json;
using System.Text.RegularExpressions;
using CadapDrafting.Identity;

namespace CadapDrafting.Tests.Access;

/// <summary>
/// The demo people are named as ministry staff and experts are: a person's name and their organisation, in English
/// and Russian, with no role or country tacked on (the app says the role itself, in the interface language). The
/// development sign-in and the Keycloak demo realm know the same people by the same names, roles and countries.
/// </summary>
public sealed class NamingTheDemoPeople
{
    private static readonly DemoUsers Users = new(Path.Combine(Repository.Root, "seeds"));

    [Fact]
    public void Every_demo_person_has_a_plain_name_and_an_organisation_in_English_and_Russian()
    {
        foreach (var user in Users.All)
        {
            Assert.Matches(new Regex(@"^\p{Lu}[\p{L}'-]+( \p{Lu}[\p{L}'-]+)+$"), user.Name);
            Assert.Matches(new Regex(@"^[А-ЯЁ][а-яёА-ЯЁ'-]+( [А-ЯЁ][а-яёА-ЯЁ'-]+)+$"), user.NameRu!);
            Assert.False(string.IsNullOrWhiteSpace(user.Organisation), $"{user.Id} has no organisation");
            Assert.Matches(new Regex(@"\p{IsCyrillic}"), user.OrganisationRu!);
        }
        Assert.Equal(Users.All.Count, Users.All.Select(u => u.Name).Distinct().Count());
    }

    [Fact]
    public void The_Keycloak_demo_realm_knows_the_same_people_by_the_same_names_roles_and_countries()
    {
        using var realm = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "deploy", "keycloak", "cadap-realm.json")));
        var inRealm = realm.RootElement.GetProperty("users").EnumerateArray().ToList();
        Assert.NotEmpty(inRealm);
        foreach (var person in inRealm)
        {
            var id = person.GetProperty("username").GetString()!;
            var user = Users.Find(id);
            Assert.True(user is not null, $"{id} is in the realm but not among the demo users");
            Assert.Equal(user!.Name, $"{person.GetProperty("firstName").GetString()} {person.GetProperty("lastName").GetString()}");
            Assert.Equal(user.Roles.Select(r => r.ToString()).Order(),
                person.GetProperty("realmRoles").EnumerateArray().Select(r => r.GetString()!).Order());
            var groups = person.TryGetProperty("groups", out var g) ? g.EnumerateArray().Select(x => x.GetString()).ToList() : [];
            Assert.Equal(user.Country is null ? [] : new List<string?> { $"/{user.Country}" }, groups);
        }
        Assert.Empty(Users.All.Select(u => u.Id).Except(inRealm.Select(p => p.GetProperty("username").GetString()!)));
    }
}
