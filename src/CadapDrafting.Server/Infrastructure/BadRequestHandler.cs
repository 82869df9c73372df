using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;

namespace CadapDrafting.Infrastructure;

/// <summary>
/// Turns malformed requests (broken JSON, wrong types, bodies over the limit, query values that do not bind) into the
/// problem the framework meant — 400 or 413 — in every environment, instead of an error page. A 400 names the field
/// and what it accepts, in the client's terms (<see cref="ExpectedValues"/>), never a .NET type name.
/// </summary>
public sealed partial class BadRequestHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is not BadHttpRequestException bad) return false;
        var problem = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
            ? new Problem(413, "Request too large", "The request body is larger than this endpoint accepts.")
            : Describe(http, bad);
        await HttpCommands.ToResult(http, problem).ExecuteAsync(http);
        return true;
    }

    private static Problem Describe(HttpContext http, BadHttpRequestException bad)
    {
        // The handler runs after the failed request was cleared: the endpoint is on the exception feature.
        var endpoint = http.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? http.GetEndpoint();
        if (bad.InnerException is JsonException json)
        {
            var field = ExpectedValues.FieldName(json.Path);
            var type = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType is { } body ? ExpectedValues.AtPath(body, json.Path) : null;
            var detail = json.Path is null
                ? "The request body is not valid JSON."
                : type is null
                    ? $"The request body is not valid JSON for this command at '{field}'."
                    : $"'{field}' is {ExpectedValues.Of(type)}.";
            return Malformed(field, detail);
        }
        if (ParameterPattern().Match(bad.Message) is { Success: true } parameter)
        {
            var name = parameter.Groups["name"].Value;
            var type = endpoint?.Metadata.GetMetadata<MethodInfo>()?.GetParameters().FirstOrDefault(p => p.Name == name)?.ParameterType;
            var detail = bad.Message.StartsWith("Required", StringComparison.Ordinal)
                ? name == "body" || type is not null && parameter.Groups["source"].Value == "body"
                    ? $"The request needs a JSON body{(type is null ? "" : ": " + ExpectedValues.Of(type))}."
                    : $"'{name}' is required{(type is null ? "" : ": " + ExpectedValues.Of(type))}."
                : $"'{name}' is {(type is null ? "not in the expected form" : ExpectedValues.Of(type))}.";
            return Malformed(parameter.Groups["source"].Value == "body" ? "body" : name, detail);
        }
        return Malformed("request", "The request is malformed.");
    }

    /// <summary>
    /// The problem for a 400 the endpoint's generated binding gave without an exception (a query value that does not parse):
    /// the first query parameter whose value is not of its kind, named with what it accepts.
    /// </summary>
    internal static Problem UnparsedQueryValue(HttpContext http)
    {
        var parameters = http.GetEndpoint()?.Metadata.GetMetadata<MethodInfo>()?.GetParameters() ?? [];
        foreach (var parameter in parameters)
        {
            if (parameter.Name is not { } name || !http.Request.Query.TryGetValue(name, out var values)) continue;
            var raw = values.ToString();
            if (raw.Length > 0 && !Parses(parameter.ParameterType, raw))
                return Malformed(name, $"'{name}' is {ExpectedValues.Of(parameter.ParameterType)}.");
        }
        return Malformed("request", "The request is malformed.");
    }

    /// <summary>Whether a query value binds to the type as the generated binding parses it (enums by name or number, the rest invariant).</summary>
    private static bool Parses(Type type, string raw)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum) return Enum.TryParse(type, raw, ignoreCase: false, out _);
        var tryParse = type.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static,
            [typeof(string), typeof(IFormatProvider), type.MakeByRefType()]);
        return tryParse is null || (bool)tryParse.Invoke(null, [raw, System.Globalization.CultureInfo.InvariantCulture, null])!;
    }

    private static Problem Malformed(string field, string detail) =>
        new(400, "Malformed request", detail) { Errors = new Dictionary<string, string[]> { [field] = [detail] } };

    // The framework's own words: Failed to bind parameter "Nullable<ProposalStatus> status" from "Foo".
    // Required parameter "SubmitProposal command" was not provided from body.
    [GeneratedRegex("""parameter "(?<type>[^"]*) (?<name>\w+)"(?: was not provided from (?<source>\w+))?""")]
    private static partial Regex ParameterPattern();
}

/// <summary>
/// Endpoints are bound by code generated at build time, which answers a query value that does not parse with a bare 400 (no
/// exception, no body, where the runtime binder threw): such an answer gets the same named problem as a thrown one.
/// </summary>
public static class UnparsedQueryValues
{
    public static void UseNamedUnparsedQueryValues(this WebApplication app) => app.Use(async (http, next) =>
    {
        await next(http);
        if (http.Response.StatusCode != StatusCodes.Status400BadRequest || http.Response.HasStarted) return;
        await HttpCommands.ToResult(http, BadRequestHandler.UnparsedQueryValue(http)).ExecuteAsync(http);
    });
}
