namespace CadapDrafting.Infrastructure;

/// <summary>
/// A refusal, shaped as an RFC 7807 problem. Decisions return it instead of throwing so a refused
/// command appends nothing and the caller learns what to do next.
/// </summary>
public sealed record Problem(int Status, string Title, string Detail)
{
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    public static Problem NotFound(string what) => new(404, "Not found", $"{what} does not exist or is not visible to you.");
    public static Problem Forbidden(string detail) => new(403, "Forbidden", detail);
    public static Problem Conflict(string detail, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new(409, "Conflict", detail) { Extensions = extensions };
    public static Problem Invalid(string field, string message) =>
        new(422, "Validation failed", message) { Errors = new Dictionary<string, string[]> { [field] = [message] } };
    public static Problem Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(422, "Validation failed", string.Join(" ", errors.SelectMany(e => e.Value))) { Errors = errors };
    public static Problem Unavailable(string detail) => new(503, "Service unavailable", detail);
}

/// <summary>Collects field errors so one response names every bad field.</summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = new();

    public Validation Require(bool condition, string field, string message)
    {
        if (!condition) Add(field, message);
        return this;
    }

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    public bool IsValid => _errors.Count == 0;

    public Problem? ToProblem() =>
        IsValid ? null : Problem.Invalid(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}
