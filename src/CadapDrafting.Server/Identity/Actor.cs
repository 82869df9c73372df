using System.Security.Claims;

namespace CadapDrafting.Identity;

/// <summary>Operator: runs the servers; sees how they and their projections are doing, never a draft.</summary>
public enum Role { Drafter, Editor, Approver, EuExpert, Cso, Auditor, Operator }

/// <summary>The authenticated person a command or query is done by. Taken from the token, never from the request body.</summary>
public sealed record Actor(string UserId, string DisplayName, string? Country, IReadOnlySet<Role> Roles)
{
    public const string CountryClaim = "country";

    public bool Has(Role role) => Roles.Contains(role);

    public static Actor FromPrincipal(ClaimsPrincipal principal)
    {
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? principal.FindFirstValue("sub")
                 ?? throw new InvalidOperationException("An authenticated principal has no subject");
        var roles = principal.FindAll(ClaimTypes.Role).Concat(principal.FindAll("role"))
            .Select(c => Enum.TryParse<Role>(c.Value, ignoreCase: true, out var r) ? r : (Role?)null)
            .OfType<Role>()
            .ToHashSet();
        return new Actor(id, principal.FindFirstValue("name") ?? principal.FindFirstValue(ClaimTypes.Name) ?? id,
            principal.FindFirstValue(CountryClaim), roles);
    }
}
