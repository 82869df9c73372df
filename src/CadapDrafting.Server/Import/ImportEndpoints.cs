using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using Marten;
using Wolverine;

namespace CadapDrafting.Import;

/// <summary>
/// Word files in: upload for a preview of the outline as recognised (nothing stored), upload again with the review's
/// corrections to import as a new draft or as a new language of an existing one, and follow the import's progress.
/// </summary>
public static class ImportEndpoints
{
    /// <summary>The largest request an upload may be: the 20 MB file plus the form around it.</summary>
    public const long MaxUploadRequestBytes = WordFile.MaxBytes + 512 * 1024;

    /// <summary>Uploads carry files; every other /api request keeps the small body limit of a command.</summary>
    public static bool IsUpload(PathString path) =>
        path.StartsWithSegments("/api/imports") || path.Value?.EndsWith("/imports", StringComparison.Ordinal) == true;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static void MapImportEndpoints(this WebApplication app)
    {
        var imports = app.MapGroup("/api/imports").WithTags("Import").DisableAntiforgery();

        imports.MapPost("/preview", async (HttpContext http) =>
            {
                if (MayNotCreate(http) is { } forbidden) return forbidden;
                var (upload, refusal) = await UploadAsync(http);
                if (refusal is not null) return refusal;
                var (document, unreadable) = WordFile.Read(upload!.Content, upload.FileName);
                if (unreadable is not null) return HttpCommands.ToResult(http, unreadable);
                var (outline, unrecognised) = RecogniseOutline.From(document!, upload.Target.Kind, upload.Target.PeriodStart, upload.Target.PeriodEnd,
                    upload.Corrections);
                return unrecognised is not null ? HttpCommands.ToResult(http, unrecognised) : Results.Ok(ImportPreview.Of(outline!));
            })
            .Requires(DraftAction.Create).WithSummary("Upload a Word file (multipart: file, kind, periodStart, periodEnd, corrections) and see its " +
                "outline as recognised; nothing is stored")
            .Produces<ImportPreview>().ProducesValidationProblem(422).ProducesProblem(403);

        imports.MapPost("/", async (HttpContext http, IMessageBus bus) =>
            {
                if (MayNotCreate(http) is { } forbidden) return forbidden;
                if (!HttpCommands.TryReadCommandId(http, out var commandId, out var missing)) return missing!;
                var (upload, refusal) = await UploadAsync(http);
                if (refusal is not null) return refusal;
                return await SendAsync(http, bus, commandId, upload! with { Target = upload.Target with { DraftId = null } });
            })
            .Returns<DraftImportedResult>()
            .Requires(DraftAction.Create)
            .WithSummary("Import a Word file as a new draft (multipart: file, country, kind, title, periodStart, periodEnd, language, corrections)")
            .Produces<CommandAccepted>(201).ProducesValidationProblem(422).ProducesProblem(403);

        imports.MapGet("/{importId:guid}/progress", (HttpContext http, ImportProgress progress, Guid importId) =>
                progress.Of(importId, Actor.FromPrincipal(http.User).UserId) is { } status
                    ? Results.Ok(status)
                    : HttpCommands.ToResult(http, Problem.NotFound($"Import {importId}")))
            .OpenToAnySignedInUser("shows only imports the caller started")
            .WithSummary("How far an import has come: reading, recognising, storing, done or refused")
            .Produces<ImportStatus>().ProducesProblem(404);

        app.MapPost("/api/drafts/{draftId:guid}/imports", async (HttpContext http, IQuerySession session, IMessageBus bus, Guid draftId) =>
            {
                var (draft, denied) = await DraftReads.LoadVisibleAsync(http, session, draftId, withProposalsAndThreads: false);
                if (denied is not null) return denied;
                if (!HttpCommands.TryReadCommandId(http, out var commandId, out var missing)) return missing!;
                var (upload, refusal) = await UploadAsync(http, draft);
                if (refusal is not null) return refusal;
                return await SendAsync(http, bus, commandId, upload! with { Target = upload.Target with { DraftId = draftId } });
            })
            .WithTags("Import").DisableAntiforgery()
            .Returns<DraftImportedResult>()
            .Requires(DraftAction.DecideProposal)
            .WithSummary("Import a Word file as another language of this draft, aligned node by node (multipart: file, language, corrections)")
            .Produces<CommandAccepted>().ProducesValidationProblem(422).ProducesProblem(403).ProducesProblem(404);
    }

    private sealed record Upload(string FileName, byte[] Content, ImportTarget Target, ImportCorrections Corrections);

    /// <summary>
    /// Checked before a byte of the upload is read: the country may be named in the query (else the caller's own), so a
    /// caller who may not create drafts there is refused without sending 20 MB first.
    /// </summary>
    private static IResult? MayNotCreate(HttpContext http)
    {
        var actor = Actor.FromPrincipal(http.User);
        var country = http.Request.Query["country"].ToString() is { Length: > 0 } named ? named.ToUpperInvariant() : actor.Country ?? "";
        return AccessPolicy.Allows(actor, DraftAction.Create, new AccessPolicy.DraftScope(country, false, false, false, false))
            ? null
            : HttpCommands.ToResult(http, Problem.Forbidden($"Only {country}'s drafters and editors import drafts for {country}."));
    }

    private static async Task<IResult> SendAsync(HttpContext http, IMessageBus bus, Guid commandId, Upload upload)
    {
        var actor = Actor.FromPrincipal(http.User);
        var correlation = Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
        var result = await bus.InvokeAsync<ImportResult>(
            new ImportWordDocument(commandId, actor, correlation, upload.FileName, upload.Content, upload.Target, upload.Corrections),
            http.RequestAborted, TimeSpan.FromMinutes(2));
        if (result.Problem is { } problem) return HttpCommands.ToResult(http, problem);
        var outcome = result.Outcome!;
        http.Response.Headers[HttpCommands.PositionHeader] = outcome.Position.ToString();
        if (outcome.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
        var body = new CommandAccepted(outcome.Result, outcome.Position, outcome.Replayed);
        return outcome.Status == 201 ? TypedResults.Created($"/api/drafts/{result.DraftId}", body) : TypedResults.Ok(body);
    }

    /// <summary>Reads the multipart form: the file and the target's fields; a bad form is a 422 that names the field.</summary>
    private static async Task<(Upload?, IResult?)> UploadAsync(HttpContext http, Draft? existing = null)
    {
        IResult Invalid(string field, string message, string reason = "form") => HttpCommands.ToResult(http, WordFile.Refuse(field, message, reason));
        if (http.Request.ContentLength > MaxUploadRequestBytes)
            return (null, Invalid("file",
                $"The upload is {http.Request.ContentLength / (1024 * 1024.0):0.0} MB; a Word file for import may be at most 20 MB.", "tooLarge"));
        if (!http.Request.HasFormContentType)
            return (null, HttpCommands.ToResult(http, new Problem(415, "Unsupported media type",
                "Send the Word file as multipart/form-data with a 'file' field.")));
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = MaxUploadRequestBytes;

        IFormCollection form;
        try { form = await http.Request.ReadFormAsync(http.RequestAborted); }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException)
        {
            return (null, Invalid("file", $"The upload could not be read as a form, or it is larger than 20 MB ({ex.Message}).", "tooLarge"));
        }
        if (form.Files.GetFile("file") is not { } file)
            return (null, Invalid("file", "Choose a Word file (.docx) to import: the form has no 'file'."));
        if (file.Length > WordFile.MaxBytes)
            return (null, Invalid("file", $"The file is {file.Length / (1024 * 1024.0):0.0} MB; a Word file for import may be at most 20 MB.",
                "tooLarge"));
        var content = new byte[file.Length];
        await using (var stream = file.OpenReadStream()) await stream.ReadExactlyAsync(content, http.RequestAborted);

        // Each field in the form or in the query string (where the target is checked before the upload is read).
        string? Field(string name) =>
            (form.TryGetValue(name, out var f) && !string.IsNullOrWhiteSpace(f.ToString()) ? f.ToString()
                : http.Request.Query.TryGetValue(name, out var q) && !string.IsNullOrWhiteSpace(q.ToString()) ? q.ToString() : null)?.Trim();
        var v = new Validation();
        int Year(string name, int fallback)
        {
            if (Field(name) is not { } text) return fallback;
            if (int.TryParse(text, out var year)) return year;
            v.Add(name, $"'{text}' is not a year.");
            return fallback;
        }
        var kind = existing?.Kind ?? DraftKind.Strategy;
        if (Field("kind") is { } kindText && !Enum.TryParse(kindText, ignoreCase: true, out kind))
            v.Add("kind", "The kind is Strategy, ActionPlan or Law.");
        Dictionary<string, string>? title = null;
        if (Field("title") is { } titleText) title = new() { [Field("language") ?? "ru"] = titleText };
        var corrections = ImportCorrections.None;
        if (Field("corrections") is { } correctionsJson)
        {
            try { corrections = JsonSerializer.Deserialize<ImportCorrections>(correctionsJson, Json) ?? ImportCorrections.None; }
            catch (JsonException ex) { v.Add("corrections", $"The corrections are not valid JSON: {ex.Message}"); }
        }
        var target = new ImportTarget(Field("country") ?? existing?.Country, kind, title, Year("periodStart", existing?.PeriodStart ?? 0),
            Year("periodEnd", existing?.PeriodEnd ?? 0), Field("language"));
        if (!v.IsValid) return (null, HttpCommands.ToResult(http, v.ToProblem()!));
        return (new Upload(file.FileName, content, target, corrections), null);
    }
}

/// <summary>The review step's view of a file: every line with kind, level and confidence; unknown table columns to map.</summary>
public sealed record ImportPreview(
    string FileName,
    string Sha256,
    string Language,
    string? Title,
    int Paragraphs,
    int Tables,
    int Nodes,
    int Actions,
    List<ImportLine> Lines,
    List<TableColumn> Columns,
    List<TableColumn> UnknownColumns,
    List<string> Problems)
{
    public static ImportPreview Of(ImportOutline o) => new(o.Source.FileName, o.Source.Sha256, o.Language, o.Title, o.Paragraphs, o.Tables,
        o.Nodes.Count(), o.Actions, o.Lines, o.Columns, o.UnknownColumns, o.Problems);
}
