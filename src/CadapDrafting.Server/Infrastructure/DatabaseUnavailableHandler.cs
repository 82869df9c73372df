using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace CadapDrafting.Infrastructure;

/// <summary>
/// While PostgreSQL cannot be reached (restart, failover, network), any request that needs it is answered
/// 503 with Retry-After, as the draft writer answers commands, instead of a 500: the client may simply try again.
/// Errors PostgreSQL reports about a statement itself stay what they are.
/// </summary>
public sealed class DatabaseUnavailableHandler(ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (!IsUnreachable(exception)) return false;
        logger.LogWarning("PostgreSQL unreachable while answering {Method} {Path}: {Message}", http.Request.Method, http.Request.Path,
            exception.Message);
        http.Response.Headers.RetryAfter = "2";
        await HttpCommands.ToResult(http, Problem.Unavailable("The database cannot be reached just now. Try again in a moment."))
            .ExecuteAsync(http);
        return true;
    }

    public static bool IsUnreachable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            switch (e)
            {
                // Connection-class (08) and operator-intervention (57P) states: the server is going away or not there yet.
                case PostgresException pg:
                    return pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("57P", StringComparison.Ordinal);
                case NpgsqlException { IsTransient: true }:
                case System.Net.Sockets.SocketException:
                    return true;
            }
        return false;
    }
}
