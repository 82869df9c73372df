using System.Diagnostics;
using CadapDrafting.Identity;
using Microsoft.AspNetCore.Mvc;

namespace CadapDrafting.Infrastructure;

/// <summary>The HTTP edge of the write path: command id, actor and correlation in; outcome or problem out.</summary>
public static class HttpCommands
{
    /// <summary>The client-chosen id of a command; a retry with the same key returns the first outcome.</summary>
    public const string CommandIdHeader = "Idempotency-Key";
    public const string PositionHeader = "X-Draft-Position";

    public static async Task<IResult> SendAsync(HttpContext http, DraftWriter writer, Guid draftId, object command,
        Func<CommandOutcome, string?>? location = null)
    {
        if (!TryReadCommandId(http, out var commandId, out var problem)) return problem!;
        // No draft has the empty id (ids are derived from command ids), and the event store refuses it as a stream id.
        if (draftId == Guid.Empty && command is not IDraftCreation) return ToResult(http, Problem.NotFound("The draft"));
        if (TextSafety.FindUnsafe(command) is { } unsafeField)
            return ToResult(http, Problem.Invalid(unsafeField, "Text contains a NUL character or a broken surrogate pair."));
        if (TextSafety.FindTooLong(command) is var (longField, limit))
            return ToResult(http, Problem.Invalid(longField, $"'{longField}' is limited to {limit} characters.") with
            {
                Extensions = new Dictionary<string, object?> { ["maxLength"] = limit },
            });

        var actor = Actor.FromPrincipal(http.User);
        var correlation = Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
        var outcome = await writer.SendAsync(draftId, new CommandEnvelope(commandId, actor, correlation, command), http.RequestAborted);

        if (outcome.Problem is { } refused) return ToResult(http, refused);
        http.Response.Headers[PositionHeader] = outcome.Position.ToString();
        if (outcome.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
        var body = new CommandAccepted(outcome.Result, outcome.Position, outcome.Replayed);
        return outcome.Status == 201
            ? TypedResults.Created(location?.Invoke(outcome), body)
            : TypedResults.Ok(body);
    }

    public static bool TryReadCommandId(HttpContext http, out Guid commandId, out IResult? problem)
    {
        problem = null;
        var sent = http.Request.Headers[CommandIdHeader].ToString();
        if (Guid.TryParse(sent, out commandId) && commandId != Guid.Empty) return true;
        problem = ToResult(http, sent.Length == 0
            ? new Problem(400, "Command id missing",
                $"Every command carries a client-generated id (a UUID) in the {CommandIdHeader} header; send a retry with the same id.")
            : new Problem(400, "Command id not a UUID",
                $"The {CommandIdHeader} header must be a UUID (e.g. 3f2c8a4e-9b1d-4c6e-8f00-2a7d5e1b9c42), not the empty UUID; " +
                "generate one per command and send a retry with the same one.")
            {
                Errors = new Dictionary<string, string[]> { [CommandIdHeader] = ["Not a UUID."] },
            });
        return false;
    }

    private static readonly HashSet<string> ReservedMembers = ["type", "title", "status", "detail", "instance", "errors", "traceId"];

    public static IResult ToResult(HttpContext http, Problem problem)
    {
        var details = problem.Errors is { } errors
            ? new ValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value))
            : new ProblemDetails();
        details.Status = problem.Status;
        details.Title = problem.Title;
        details.Detail = problem.Detail;
        details.Type = $"https://httpstatuses.io/{problem.Status}";
        details.Instance = http.Request.Path;
        foreach (var (key, value) in problem.Extensions ?? new Dictionary<string, object?>())
        {
            // RFC 7807's members keep their meaning: "status" is the HTTP status, never a domain state (that is "draftStatus").
            if (ReservedMembers.Contains(key)) throw new InvalidOperationException($"A problem extension cannot be named '{key}'.");
            details.Extensions[key] = value;
        }
        details.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
        // A refusal that passes with time says when to try again, in the header clients and proxies read.
        if (problem.Extensions?.GetValueOrDefault("retryAfterSeconds") is int retryAfter)
            http.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(details);
    }
}

/// <summary>What an applied (or replayed) command answers: its result record, the draft's position after it, and whether it is a replay.</summary>
public sealed record CommandAccepted(System.Text.Json.JsonElement? Result, long Position, bool Replayed);

/// <summary>The same answer with its result typed, for the OpenAPI document (<see cref="CommandOpenApi.Returns{TResult}"/>).</summary>
public sealed record CommandAccepted<TResult>(TResult Result, long Position, bool Replayed);
