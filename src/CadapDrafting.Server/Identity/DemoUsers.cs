using System.Text.Json;

namespace CadapDrafting.Identity;

/// <summary>A demo person; <paramref name="NameRu"/> and <paramref name="OrganisationRu"/> are how the Russian interface shows them.</summary>
public sealed record DemoUser(
    string Id, string Name, string? Country, List<Role> Roles, string? Organisation = null, string? NameRu = null, string? OrganisationRu = null)
{
    public Actor ToActor() => new(Id, Name, Country, Roles.ToHashSet());
}

/// <summary>The people of the development sign-in, read from <c>seeds/users.json</c>.</summary>
public sealed class DemoUsers
{
    public IReadOnlyList<DemoUser> All { get; }

    public DemoUsers(string seedsDirectory)
    {
        var json = File.ReadAllText(Path.Combine(seedsDirectory, "users.json"));
        var file = JsonSerializer.Deserialize<UsersFile>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        })!;
        All = file.Users;
    }

    public DemoUser? Find(string id) => All.FirstOrDefault(u => u.Id == id);

    public DemoUser Get(string id) => Find(id) ?? throw new KeyNotFoundException($"No demo user {id}");

    private sealed record UsersFile(List<DemoUser> Users);
}
