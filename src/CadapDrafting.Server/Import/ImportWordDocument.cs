using System.Collections.Concurrent;
using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;

namespace CadapDrafting.Import;

/// <summary>Where an imported file goes: a new draft (kind, country, period, language) or a new language of an existing one.</summary>
public sealed record ImportTarget(
    string? Country = null,
    DraftKind Kind = DraftKind.Strategy,
    Dictionary<string, string>? Title = null,
    int PeriodStart = 0,
    int PeriodEnd = 0,
    string? Language = null,
    Guid? DraftId = null);

/// <summary>
/// Import a reviewed Word file. A message with a handler, as every import is: the endpoint, the demo seeder and any
/// batch job send it; the handler reads, recognises and stores the file through one command on the draft's writer.
/// </summary>
public sealed record ImportWordDocument(Guid CommandId, Actor Actor, string? CorrelationId, string FileName, byte[] Content,
    ImportTarget Target, ImportCorrections Corrections, string? Reason = null);

/// <summary>What became of an import: the draft and the writer's outcome, or why the file was refused (nothing stored).</summary>
public sealed record ImportResult(Guid DraftId, CommandOutcome? Outcome, Problem? Refusal, ImportOutline? Outline)
{
    public Problem? Problem => Refusal ?? Outcome?.Problem;
}

public static class ImportWordDocumentHandler
{
    public static async Task<ImportResult> Handle(ImportWordDocument message, DraftWriter writer, ImportProgress progress,
        ILogger<ImportWordDocument> logger, CancellationToken ct)
    {
        var target = message.Target;
        var draftId = target.DraftId ?? DeterministicGuid.Create(message.CommandId, "draft");
        void Report(string stage, int done = 0, int total = 0) =>
            progress.Report(message.CommandId, message.Actor.UserId, draftId, stage, done, total);
        ImportResult Refused(Problem problem)
        {
            Report("refused");
            logger.LogInformation("Import of '{File}' refused: {Detail}", message.FileName, problem.Detail);
            return new ImportResult(draftId, null, problem, null);
        }

        Report("reading");
        var (document, unreadable) = WordFile.Read(message.Content, message.FileName);
        if (unreadable is not null) return Refused(unreadable);

        Report("recognising", 0, document!.Blocks.Count);
        var language = target.Language ?? "ru";
        var (outline, unrecognised) = RecogniseOutline.From(document, target.Kind, target.PeriodStart, target.PeriodEnd, message.Corrections);
        if (unrecognised is not null) return Refused(unrecognised);
        if (outline!.Problems.Count > 0)
            return Refused(Problem.Invalid(outline.Problems.Select((p, i) => (p, i)).ToDictionary(x => $"outline[{x.i}]", x => new[] { x.p })));

        var lines = ImportedLine.From(outline);
        Report("storing", 0, lines.Count);
        var reason = message.Reason ?? $"Imported from the Word file '{document.Source.FileName}' (SHA-256 {document.Source.Sha256[..12]}…).";
        object command = target.DraftId is null
            ? new ImportDraft(target.Country ?? "", target.Kind, target.Title is { Count: > 0 } title
                ? title : new() { [language] = outline.Title ?? document.Source.FileName },
                target.PeriodStart, target.PeriodEnd, language, document.Source, lines, reason)
            : new ImportTranslation(language, document.Source, lines, reason);
        var outcome = await writer.SendAsync(draftId, new CommandEnvelope(message.CommandId, message.Actor, message.CorrelationId, command), ct);
        Report(outcome.Succeeded ? "done" : "refused", outcome.Succeeded ? lines.Count : 0, lines.Count);
        logger.LogInformation("Import of '{File}' into draft {DraftId}: {Nodes} nodes, status {Status}", message.FileName, draftId, lines.Count,
            outcome.Status);
        return new ImportResult(draftId, outcome, null, outline);
    }
}

public sealed record ImportStatus(Guid ImportId, Guid DraftId, string Stage, int Done, int Total, DateTimeOffset At);

/// <summary>How far each running import has come, for the person who started it (kept ten minutes after the last step).</summary>
public sealed class ImportProgress(TimeProvider clock)
{
    private readonly ConcurrentDictionary<Guid, (string UserId, ImportStatus Status)> _imports = new();

    public void Report(Guid importId, string userId, Guid draftId, string stage, int done, int total)
    {
        var now = clock.GetUtcNow();
        _imports[importId] = (userId, new ImportStatus(importId, draftId, stage, done, total, now));
        foreach (var (id, entry) in _imports)
            if (now - entry.Status.At > TimeSpan.FromMinutes(10)) _imports.TryRemove(id, out _);
    }

    public ImportStatus? Of(Guid importId, string userId) =>
        _imports.TryGetValue(importId, out var entry) && entry.UserId == userId ? entry.Status : null;
}
