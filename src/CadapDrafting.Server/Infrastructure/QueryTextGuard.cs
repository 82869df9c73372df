namespace CadapDrafting.Infrastructure;

/// <summary>
/// A query parameter with a control character (NUL and the rest of C0, DEL) is bad input: it is refused with a 400 naming
/// the parameter before any endpoint passes it to PostgreSQL (which cannot hold a NUL in text) or to a log line.
/// </summary>
public static class QueryTextGuard
{
    public static void UseQueryTextGuard(this WebApplication app) => app.Use(async (http, next) =>
    {
        foreach (var (name, values) in http.Request.Query)
        {
            if (!HasControlCharacter(name) && !values.Any(v => v is not null && HasControlCharacter(v))) continue;
            var field = HasControlCharacter(name) ? "query" : name;
            var detail =
                $"The query parameter '{(field == "query" ? "(name)" : name)}' contains a control character; send text without control characters.";
            await HttpCommands.ToResult(http, new Problem(400, "Malformed request", detail)
            {
                Errors = new Dictionary<string, string[]> { [field] = [detail] },
            }).ExecuteAsync(http);
            return;
        }
        await next(http);
    });

    private static bool HasControlCharacter(string text) => text.Any(c => c < ' ' || c == '\u007f');
}
