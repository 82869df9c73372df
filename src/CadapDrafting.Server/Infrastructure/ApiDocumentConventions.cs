using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CadapDrafting.Infrastructure;

/// <summary>
/// What every operation of the OpenAPI document shares, so the document passes Redocly's recommended rules without a
/// warning (test <c>LintingTheApiDocument</c>): the document's description and licence, a server address without a
/// trailing slash, a description for each tag, an operation id for each operation, the problems any operation can answer
/// (401 without a token, 429 over the request limit), and no schema that nothing uses.
/// </summary>
public static class ApiDocumentConventions
{
    /// <summary>One line per tag (the capability folders' <c>WithTags</c>); a tag without one fails the lint test.</summary>
    public static readonly IReadOnlyDictionary<string, string> TagDescriptions = new Dictionary<string, string>
    {
        ["Identity"] = "Who the caller is and what the access policy lets them do.",
        ["Development sign-in"] = "Demo users and their tokens; only in Development.",
        ["Drafts"] = "Drafts of strategies, action plans and laws: create them, read their document and activity.",
        ["Proposals"] = "Proposed changes to one node each: submit, accept, reject, withdraw, rebase.",
        ["Comments"] = "Comment threads on nodes and proposals, replies, mentions and the inbox.",
        ["Consultation"] = "Consultation rounds with EU experts and civil society, and the answers to their comments.",
        ["Lifecycle"] = "The draft's status: review, approval, withdrawal, new editions.",
        ["Named versions"] = "Names given to revisions, e.g. the one submitted to the Cabinet.",
        ["Sign-off"] = "The approval policy, signatures and refusals of a revision, and adoption.",
        ["Programme"] = "Balance by pillar and SDG target, translations, good practice across countries.",
        ["History"] = "The record of events: as-of views, comparisons, exports and the evidence bundle.",
        ["Log"] = "The drafts' signed append-only log: heads, keys, inclusion and consistency proofs.",
        ["Live"] = "How live updates are followed (SignalR hub) and caught up.",
        ["Import"] = "Word files recognised and imported as drafts.",
        ["Search"] = "Full-text search over the drafts and comments the caller may read.",
        ["Operations"] = "Node status, draining and audits for those who run the servers.",
    };

    public static void AddDocumentConventions(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "CadapDrafting API";
            document.Info.Description = "Drafting drug strategies and action plans together: every change is an event with actor, time and " +
                "reason. Commands answer `{result, position, replayed}` or an RFC 7807 problem; send each with an `Idempotency-Key`.";
            document.Info.License ??= new OpenApiLicense { Name = "Proprietary", Identifier = "LicenseRef-Proprietary" };
            foreach (var server in document.Servers ?? [])
                server.Url = server.Url?.TrimEnd('/') is { Length: > 0 } url ? url : "/";
            foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
                if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description)) tag.Description ??= description;
            RemoveUnusedSchemas(document);
            return Task.CompletedTask;
        });
        options.AddOperationTransformer(async (operation, context, ct) =>
        {
            operation.OperationId ??= OperationId(context.Description.HttpMethod, context.Description.RelativePath);
            operation.Responses ??= new OpenApiResponses();
            var anonymous = context.Description.ActionDescriptor.EndpointMetadata
                .OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().Any();
            if (!anonymous) await AddProblemAsync(operation, context, "401", "No valid bearer token.", ct);
            await AddProblemAsync(operation, context, "429", "Too many requests; the Retry-After header says when to try again.", ct);
        });
    }

    /// <summary>The HTTP method and the path's fixed segments, e.g. <c>postDraftsProposalsAccept</c>; a last parameter adds <c>By…</c>.</summary>
    public static string OperationId(string? method, string? relativePath)
    {
        var id = new StringBuilder((method ?? "get").ToLowerInvariant());
        var segments = (relativePath ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (i == 0 && segment == "api") continue;
            var parameter = segment.StartsWith('{');
            if (parameter && i < segments.Length - 1) continue;
            if (parameter) id.Append("By");
            foreach (var word in segment.Trim('{', '}').Split(':')[0].Split('-', '.', '_'))
                if (word.Length > 0) id.Append(char.ToUpperInvariant(word[0])).Append(word[1..]);
        }
        return id.ToString();
    }

    private static async Task AddProblemAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, string status,
        string description, CancellationToken ct)
    {
        if (operation.Responses!.ContainsKey(status)) return;
        var problem = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, ct);
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
        };
    }

    /// <summary>Drops component schemas no operation reaches (e.g. the untyped answer once every command declares its result).</summary>
    private static void RemoveUnusedSchemas(OpenApiDocument document)
    {
        if (document.Components?.Schemas is not { } schemas) return;
        var used = new HashSet<string>();
        void Visit(IOpenApiSchema? schema)
        {
            if (schema is null) return;
            if (schema is OpenApiSchemaReference reference)
            {
                if (reference.Reference.Id is { } id && used.Add(id) && schemas.TryGetValue(id, out var target)) Visit(target);
                return;
            }
            foreach (var property in schema.Properties?.Values ?? []) Visit(property);
            foreach (var part in (schema.AllOf ?? []).Concat(schema.AnyOf ?? []).Concat(schema.OneOf ?? [])) Visit(part);
            Visit(schema.Items);
            Visit(schema.AdditionalProperties);
            Visit(schema.Not);
        }
        void VisitContent(IDictionary<string, OpenApiMediaType>? content)
        {
            foreach (var media in content?.Values ?? []) Visit(media.Schema);
        }
        foreach (var path in document.Paths.Values)
            foreach (var operation in path.Operations?.Values.AsEnumerable() ?? [])
            {
                foreach (var parameter in operation.Parameters ?? []) Visit(parameter.Schema);
                VisitContent(operation.RequestBody?.Content);
                foreach (var response in operation.Responses?.Values.AsEnumerable() ?? []) VisitContent(response.Content);
            }
        foreach (var name in schemas.Keys.Where(name => !used.Contains(name)).ToList()) schemas.Remove(name);
    }
}
