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

    private static Problem Malformed(string field, string detail) =>
        new(400, "Malformed request", detail) { Errors = new Dictionary<string, string[]> { [field] = [detail] } };

    // The framework's own words: Failed to bind parameter "Nullable<ProposalStatus> status" from "Foo".
    // Required parameter "SubmitProposal command" was not provided from body.
    [GeneratedRegex("""parameter "(?<type>[^"]*) (?<name>\w+)"(?: was not provided from (?<source>\w+))?""")]
    private static partial Regex ParameterPattern();
}
