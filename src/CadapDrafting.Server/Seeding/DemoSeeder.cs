using System.Text.Json;
using System.Text.Json.Serialization;
using CadapDrafting.Drafts;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using CadapDrafting.Proposals;
using Marten;

namespace CadapDrafting.Seeding;

/// <summary>
/// Loads the demo drafts through the same paths people use, so their history is real events: the drafts in
/// <c>seeds/drafts</c> through commands, the programmes in <c>seeds/word</c> through the Word importer (a new draft
/// from the Russian file, then the English file as its second language), then each draft's demo history. Command ids
/// are derived from each seed's key, so loading twice appends nothing.
/// </summary>
public sealed class DemoSeeder(DraftWriter writer, DemoUsers users, IDocumentStore store, SeedFiles files, IServiceScopeFactory scopes,
    ILogger<DemoSeeder> logger)
{
    private static readonly Guid SeedNamespace = Guid.Parse("6f3c2a1e-0d55-4e0b-9a57-5eed0000c0de");

    public async Task<IReadOnlyList<Guid>> SeedAsync(CancellationToken ct, IProgress<string>? progress = null)
    {
        var seeds = files.Load();
        var wordSeeds = files.LoadWord();
        var total = seeds.Count + wordSeeds.Count;
        var drafts = new List<Guid>();
        void Loaded(string country, Dictionary<string, string> title, Guid draftId)
        {
            drafts.Add(draftId);
            logger.LogInformation("Seeding demo drafts: {Done}/{Total} {Country} '{Title}' loaded", drafts.Count, total, country,
                title.GetValueOrDefault("en"));
            progress?.Report($"{drafts.Count}/{total} {country} '{title.GetValueOrDefault("en")}'");
        }
        foreach (var seed in wordSeeds)
        {
            var draftId = await ImportDraftAsync(seed, ct);
            await DemoHistory.ReplayAsync(seed.Key, draftId, this, ct);
            Loaded(seed.Country, seed.Title, draftId);
        }
        foreach (var seed in seeds) Loaded(seed.Country, seed.Title, await SeedDraftAsync(seed, ct));
        return drafts;
    }

    /// <summary>The first file makes the draft; every further file is another language of it, aligned node by node.</summary>
    private async Task<Guid> ImportDraftAsync(WordSeed seed, CancellationToken ct)
    {
        var actor = users.Get(seed.CreatedBy).ToActor();
        Guid? draftId = null;
        await using var scope = scopes.CreateAsyncScope();
        var bus = scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>();
        foreach (var file in seed.Files)
        {
            var path = Path.Combine(files.Directory, "word", file.File);
            var target = new Import.ImportTarget(seed.Country, seed.Kind, draftId is null ? seed.Title : null, seed.PeriodStart, seed.PeriodEnd,
                file.Language, draftId);
            var result = await bus.InvokeAsync<Import.ImportResult>(new Import.ImportWordDocument(CommandId(seed.Key, $"import/{file.Language}"),
                actor,
                $"seed:{seed.Key}", file.File, await File.ReadAllBytesAsync(path, ct), target, Import.ImportCorrections.None,
                $"Demo draft imported from the Word file {file.File}. {seed.Source}"), ct, TimeSpan.FromMinutes(2));
            if (result.Problem is { } problem) Ensure(new CommandOutcome(problem.Status, null, 0, problem, false), seed.Key);
            draftId = result.DraftId;
        }
        return draftId!.Value;
    }

    /// <summary>Sends one demo command as the named user; its id follows from the seed's key and the step.</summary>
    internal async Task<CommandOutcome> SendAsync(string key, string step, Guid draftId, string userId, object command, CancellationToken ct)
    {
        var outcome = await writer.SendAsync(draftId, new CommandEnvelope(CommandId(key, step), users.Get(userId).ToActor(), $"seed:{key}", command),
            ct);
        Ensure(outcome, $"{key} ({step})");
        return outcome;
    }

    /// <summary>
    /// The signed head a sign-off is made at, as the sign-off endpoint finds it (docs/evidence.md §11): the earliest covering the draft's
    /// position, signed first when none does. Null when none can be signed here (the sign-off is then recorded without one).
    /// </summary>
    internal async Task<Evidence.SignedHeadStatement?> SignOffHeadAsync(Guid draftId, CancellationToken ct)
    {
        var draft = await ReadAsync(draftId, ct);
        await using var scope = scopes.CreateAsyncScope();
        var heads = scope.ServiceProvider.GetRequiredService<Transparency.SignedHeads>();
        var bus = scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>();
        try
        {
            return await heads.EarliestCoveringAsync(bus, draftId, draft.Position, ct) is { } head ? Evidence.SignedHeadStatement.Of(head) : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "No signed head for the demo sign-off of draft {DraftId}", draftId);
            return null;
        }
    }

    internal async Task<Draft> ReadAsync(Guid draftId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await DraftStore.LoadAsync(session, draftId, ct) ?? throw new InvalidOperationException($"Draft {draftId} was not stored");
    }

    public async Task<bool> DatabaseIsEmptyAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return !await session.Query<Draft>().AnyAsync(ct);
    }

    private async Task<Guid> SeedDraftAsync(DraftSeed seed, CancellationToken ct)
    {
        var actor = users.Get(seed.CreatedBy).ToActor();
        var createId = CommandId(seed.Key, "create");
        var draftId = Idempotency.NewIdOf(createId, actor.UserId, "draft");
        var created = await writer.SendAsync(draftId,
            new CommandEnvelope(createId, actor, $"seed:{seed.Key}", new CreateDraft(seed.Country, seed.Kind, seed.Title, seed.PeriodStart,
                seed.PeriodEnd, Reason: $"Demo draft loaded from the seed sheet. {seed.Source}")), ct);
        Ensure(created, seed.Key);

        // Node ids follow from command ids, so every insert can be queued at once; the draft's queue keeps their order.
        var inserts = new List<Task<CommandOutcome>>();
        void Queue(IReadOnlyList<NodeSeed> nodes, Guid? parentId, string path)
        {
            Guid? previous = null;
            for (var i = 0; i < nodes.Count; i++)
            {
                var node = nodes[i];
                var commandId = CommandId(seed.Key, $"{path}/{i}");
                var nodeId = Idempotency.NewIdOf(commandId, actor.UserId, "node");
                var command = new SubmitProposal(ProposalKind.Insert, null, null, "Initial text of the demo draft", node.Text,
                    node.Attributes is { } attributes ? AttributePatch.Whole(attributes) : null, node.Kind, parentId, previous, AcceptNow: true);
                inserts.Add(writer.SendAsync(draftId, new CommandEnvelope(commandId, actor, $"seed:{seed.Key}", command), ct));
                Queue(node.Children ?? [], nodeId, $"{path}/{i}");
                previous = nodeId;
            }
        }
        Queue(seed.Nodes, null, "nodes");
        foreach (var outcome in await Task.WhenAll(inserts)) Ensure(outcome, seed.Key);
        return draftId;
    }

    private static Guid CommandId(string key, string step) => DeterministicGuid.Create(SeedNamespace, $"{key}/{step}");

    private static void Ensure(CommandOutcome outcome, string key)
    {
        if (outcome.Problem is { } problem)
            throw new InvalidOperationException($"Seeding {key} failed: {problem.Status} {problem.Title}: {problem.Detail} " +
                                                string.Join("; ", problem.Errors?.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}") ?? []));
    }
}

public sealed record DraftSeed(string Key, string Country, DraftKind Kind, int PeriodStart, int PeriodEnd, string CreatedBy,
    Dictionary<string, string> Title, string Source, List<NodeSeed> Nodes);

/// <summary>A demo programme kept as Word files (one per language) in <c>seeds/word</c>, described by a JSON file beside them.</summary>
public sealed record WordSeed(string Key, string Country, DraftKind Kind, int PeriodStart, int PeriodEnd, string CreatedBy,
    Dictionary<string, string> Title, string Source, List<WordSeedFile> Files);

public sealed record WordSeedFile(string Language, string File);

public sealed record NodeSeed(NodeKind Kind, Dictionary<string, string> Text, ActionAttributes? Attributes, List<NodeSeed>? Children);

/// <summary>The seed files on disk.</summary>
public sealed class SeedFiles(string directory)
{
    public string Directory { get; } = directory;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public IReadOnlyList<DraftSeed> Load() => Read<DraftSeed>("drafts");

    public IReadOnlyList<WordSeed> LoadWord() => Read<WordSeed>("word");

    private List<T> Read<T>(string folder) =>
        System.IO.Directory.Exists(Path.Combine(Directory, folder))
            ? System.IO.Directory.GetFiles(Path.Combine(Directory, folder), "*.json").Order()
                .Select(f => JsonSerializer.Deserialize<T>(File.ReadAllText(f), Json) ?? throw new InvalidOperationException($"{f} is empty"))
                .ToList()
            : [];
}

/// <summary>Seeds an empty database once the server has started, when configured to (the local run does).</summary>
public sealed class SeedOnStartup(DemoSeeder seeder, IConfiguration configuration, IHostApplicationLifetime lifetime,
    ILogger<SeedOnStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Seeds:OnStartup", false)) return;
        var started = new TaskCompletionSource();
        await using var _ = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
        try
        {
            if (!await seeder.DatabaseIsEmptyAsync(stoppingToken))
            {
                logger.LogInformation("Seeding skipped: the database already holds drafts");
                return;
            }
            logger.LogInformation("Seeding the demo drafts into an empty database ...");
            var drafts = await seeder.SeedAsync(stoppingToken);
            logger.LogInformation("Seeding done: {Count} drafts", drafts.Count);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        catch (Exception ex)
        {
            logger.LogError(ex, "Seeding the demo drafts failed");
        }
    }
}
