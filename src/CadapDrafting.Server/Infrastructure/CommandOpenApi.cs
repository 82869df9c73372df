using CadapDrafting.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace CadapDrafting.Infrastructure;

/// <summary>
/// What every command operation shares, written into the OpenAPI document once instead of on every endpoint: the
/// <c>Idempotency-Key</c> header, the accepted answer (<see cref="CommandAccepted"/>), the problems the write path can
/// answer, and the bearer scheme. A command operation is a POST that declares the draft action it performs.
/// </summary>
public static class CommandOpenApi
{
    public const string BearerScheme = "Bearer";

    /// <summary>The problems any command can answer, besides the ones its endpoint declares.</summary>
    public static readonly IReadOnlyDictionary<string, string> CommandProblems = new Dictionary<string, string>
    {
        ["401"] = "No valid bearer token.",
        ["403"] = "The draft's access policy does not allow you this action.",
        ["404"] = "The draft (or the thing named in the path) does not exist or is not visible to you.",
        ["409"] = "The draft's state does not allow this now; extension members say what the state is and what to do " +
            "(e.g. currentRevision, baseRevision, currentText, diffToProposed and nextStep for a stale proposal).",
        ["413"] = "The request body is over the size limit.",
        ["422"] = "A field is invalid (errors name each field), or the Idempotency-Key was used by you for a different command.",
        ["429"] = "Too many requests; the Retry-After header says when to try again.",
    };

    public static void AddCommandDocumentation(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                Description = "A token from the configured identity provider (in Development, from POST /api/dev/sign-in).",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer(async (operation, context, ct) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            operation.Security ??= [];
            // An operation open to anyone says so with an empty requirement, so no one reads its silence as "the document's default".
            operation.Security.Add(metadata.OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().Any()
                ? new OpenApiSecurityRequirement()
                : new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
            if (!IsCommand(context.Description.HttpMethod, metadata)) return;
            await DocumentCommandAsync(operation, context, ct);
        });
        // A command's own members that a client never sends (what it is checked against) stay out of request schemas.
        options.AddSchemaTransformer((schema, context, _) =>
        {
            var type = context.JsonTypeInfo.Type;
            var isCommand = typeof(IDraftCommand).IsAssignableFrom(type) || typeof(IDraftCreation).IsAssignableFrom(type);
            if (isCommand && schema.Properties is { } properties)
                properties.Remove("action");
            return Task.CompletedTask;
        });
    }

    /// <summary>Declares the result record of the command this endpoint sends: the answer's <c>result</c> is documented as it.</summary>
    public static RouteHandlerBuilder Returns<TResult>(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new CommandResultType(typeof(TResult)));

    /// <summary>
    /// An example of what a client sends (<paramref name="request"/>, null for a command without a body) and the answer it
    /// gets (<paramref name="result"/> at <paramref name="position"/>), written into the operation as typed values, so an
    /// example that no longer fits its schema fails to compile or fails the lint test.
    /// </summary>
    public static RouteHandlerBuilder Example<TResult>(this RouteHandlerBuilder builder, object? request, TResult result, long position) =>
        builder.WithMetadata(new CommandExample(request, new CommandAccepted<TResult>(result, position, false)));

    /// <summary>
    /// A POST that declares the draft action it performs, unless it answers with something other than
    /// <see cref="CommandAccepted"/> (a preview that stores nothing, say) or with no content (a witness handing back a
    /// cosignature, which is kept beside the log and is no command of the draft's writer).
    /// </summary>
    public static bool IsCommand(string? httpMethod, IEnumerable<object> metadata)
    {
        var all = metadata.ToList();
        return string.Equals(httpMethod, "POST", StringComparison.OrdinalIgnoreCase)
            && all.OfType<RequiresDraftActionAttribute>().Any()
            && !all.OfType<Microsoft.AspNetCore.Http.Metadata.IProducesResponseTypeMetadata>()
                .Any(p => p.StatusCode == StatusCodes.Status204NoContent
                    || (p.StatusCode is 200 or 201 && p.Type is { } type && type != typeof(CommandAccepted)));
    }

    private static async Task DocumentCommandAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        operation.Parameters ??= [];
        if (!operation.Parameters.Any(p => p.Name == HttpCommands.CommandIdHeader))
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = HttpCommands.CommandIdHeader, In = ParameterLocation.Header, Required = true,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
                Description = "A UUID the client makes up for this command. Send a retry with the same key: the first outcome is " +
                    "returned (Idempotent-Replayed: true). Keys are your own: another user's equal key is a different command.",
            });

        operation.Responses ??= new OpenApiResponses();
        var result = context.Description.ActionDescriptor.EndpointMetadata.OfType<CommandResultType>().LastOrDefault()?.Type;
        var answer = result is null ? typeof(CommandAccepted) : typeof(CommandAccepted<>).MakeGenericType(result);
        var accepted = await context.GetOrCreateSchemaAsync(answer, null, ct);
        var success = operation.Responses.ContainsKey("201") ? "201" : "200";
        operation.Responses[success] = new OpenApiResponse
        {
            Description = success == "201"
                ? "Created; Location names the new resource."
                : "Applied (or replayed): the command's result and the draft's position.",
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = accepted } },
        };

        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<CommandExample>().LastOrDefault() is { } example)
        {
            var json = context.ApplicationServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>()
                .Value.SerializerOptions;
            if (example.Request is { } sent && operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true)
            {
                var node = System.Text.Json.JsonSerializer.SerializeToNode(sent, sent.GetType(), json)!.AsObject();
                // What a client leaves out stays out: the internal action and the members left null.
                foreach (var name in node.Where(m => m.Value is null || m.Key == "action").Select(m => m.Key).ToList()) node.Remove(name);
                body.Example = node;
            }
            operation.Responses[success].Content!["application/json"].Example =
                System.Text.Json.JsonSerializer.SerializeToNode(example.Answer, example.Answer.GetType(), json);
        }

        var problem = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, ct);
        var validation = await context.GetOrCreateSchemaAsync(typeof(HttpValidationProblemDetails), null, ct);
        foreach (var (status, description) in CommandProblems)
            operation.Responses[status] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = status == "422" ? validation : problem },
                },
            };
    }
}

/// <summary>The result record an endpoint's command answers with.</summary>
public sealed record CommandResultType(Type Type);

/// <summary>An example request of a command endpoint and its answer, for the OpenAPI document.</summary>
public sealed record CommandExample(object? Request, object Answer);

/// <summary>The ids the OpenAPI examples use, the same across examples so they read as one story.</summary>
public static class ApiExamples
{
    public static readonly Guid DraftId = Guid.Parse("0b6f3c1e-5d2a-4f7e-9c41-2a8d6e0f1b35");
    public static readonly Guid NodeId = Guid.Parse("5e1d9a70-3c2b-4b8e-a6f4-71c0d2e93a18");
    public static readonly Guid ProposalId = Guid.Parse("c47a2e19-8b05-4d63-b1f2-9e3a6d0c5f84");
    public static readonly Guid ThreadId = Guid.Parse("8d2f61b4-0e7c-4a95-93d8-5b1c7e4a2f06");
    public static readonly Guid CommentId = Guid.Parse("f19c03a7-6d48-4e2b-8a5f-0c7b3e91d642");
}
