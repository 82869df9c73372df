using System.Text;
using System.Text.Json;
using CadapDrafting.Drafts;
using CadapDrafting.Drafts.Writing;
using CadapDrafting.Hosting;
using CadapDrafting.Infrastructure;
using CadapDrafting.Proposals;
using Marten;
using Npgsql;

namespace CadapDrafting.Proof;

/// <summary>
/// Reads what a server stored, with the server's own store configuration, and checks it: every acknowledged
/// command stored exactly once, nothing stored for a refused one, positions contiguous, the hash chain intact,
/// no amendment applied over a text it was not written against, and the stored draft equal to a replay.
/// </summary>
public sealed class StoreInspector : IAsyncDisposable
{
    private readonly WebApplication? _host;

    public IDocumentStore Store { get; }
    public string Schema { get; }
    public string ConnectionString { get; }

    public StoreInspector(IDocumentStore store, string connectionString, string schema)
    {
        Store = store;
        ConnectionString = connectionString;
        Schema = schema;
    }

    private StoreInspector(WebApplication host, string connectionString, string schema)
        : this(host.Services.GetRequiredService<IDocumentStore>(), connectionString, schema) => _host = host;

    /// <summary>The server's store configuration, built but never started: nothing listens, nothing runs in the background.</summary>
    public static StoreInspector Open(string connectionString, string schema)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Development",
            ApplicationName = typeof(ServerSetup).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Marten:Schema"] = schema,
            ["Seeds:OnStartup"] = "false",
            ["Seeds:Directory"] = Path.Combine(ServerProcess.RepositoryRoot(), "seeds"),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddCadapDrafting();
        return new StoreInspector(builder.Build(), connectionString, schema);
    }

    /// <summary>Drafts' events and command records stored in the whole schema: a refused request must leave both unchanged.</summary>
    public async Task<(long Events, long Commands)> CountStoredAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select (select count(*) from {Schema}.mt_events e join {Schema}.mt_streams s on s.id = e.stream_id " +
            // People's inbox streams (notifications, written after a commit) are no draft's record.
            $"where {CadapDrafting.Notifications.PersonInboxes.NotAnInbox("s")}), (select count(*) from {Schema}.mt_doc_commandrecord)",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    public async Task<List<string>> CheckAsync(IReadOnlyCollection<SentCommand> commands, IEnumerable<Guid> drafts)
    {
        var problems = new List<string>();
        var eventsByCommand = new Dictionary<Guid, List<(Guid Draft, long Position)>>();
        foreach (var draftId in drafts.Distinct())
        {
            var stream = await ReadStreamAsync(draftId);
            foreach (var e in stream)
                if (e.CommandId is { } id)
                {
                    if (!eventsByCommand.TryGetValue(id, out var list)) eventsByCommand[id] = list = [];
                    list.Add((draftId, e.Position));
                }
            problems.AddRange(CheckPositionsAndChain(draftId, stream));
            problems.AddRange(await CheckNoBlindApplyAsync(draftId));
            problems.AddRange(await CheckStoredEqualsReplayAsync(draftId));
        }

        await using var session = Store.QuerySession();
        var sentIds = commands.Select(c => c.CommandId).Distinct().ToArray();
        var records = (await session.Query<CommandRecord>().Where(r => r.CommandId.IsOneOf(sentIds)).ToListAsync()).ToDictionary(r => r.CommandId);
        foreach (var sent in commands)
        {
            eventsByCommand.TryGetValue(sent.CommandId, out var stored);
            records.TryGetValue(sent.CommandId, out var record);
            if (sent.Acknowledged)
            {
                if (record is null) { problems.Add($"Acknowledged command {sent.CommandId} ({sent.Url}) has no command record"); continue; }
                var expected = record.LastPosition - record.FirstPosition + 1;
                var positions = stored?.Where(s => s.Draft == sent.DraftId).Select(s => s.Position).OrderBy(p => p).ToList() ?? [];
                if (positions.Count != expected || positions.Count > 0 &&
                    (positions[0] != record.FirstPosition || positions[^1] != record.LastPosition))
                    problems.Add($"Acknowledged command {sent.CommandId} ({sent.Url}): record says positions " +
                        $"{record.FirstPosition}..{record.LastPosition}, stream has [{string.Join(',', positions)}]");
            }
            else if (sent.Refused)
            {
                if (record is not null || stored is { Count: > 0 })
                    problems.Add($"Refused command {sent.CommandId} ({sent.Url}, {sent.Status}) was stored: record {record is not null}, events " +
                        $"{stored?.Count ?? 0}");
            }
            else if (record is not null)
            {
                // Never answered: it may have been stored, but then exactly once.
                var count = stored?.Count ?? 0;
                if (count != record.LastPosition - record.FirstPosition + 1)
                    problems.Add($"Unanswered command {sent.CommandId} stored {count} events but its record names " +
                        $"{record.FirstPosition}..{record.LastPosition}");
            }
        }
        return problems;
    }

    public sealed record StoredEvent(long Position, string Type, string Data, string Headers, string? CommandId0)
    {
        public Guid? CommandId => Guid.TryParse(CommandId0, out var id) ? id : null;
    }

    public async Task<List<StoredEvent>> ReadStreamAsync(Guid draftId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select version, type, data::text, coalesce(headers::text, '{{}}'), headers->>'commandId' from {Schema}.mt_events where stream_id = " +
                "@id order by version",
            connection);
        command.Parameters.AddWithValue("id", draftId);
        var events = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            events.Add(new StoredEvent(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4)));
        return events;
    }

    /// <summary>The History slice's chain verifier, the same code the offline verifier runs over an exported bundle.</summary>
    public static IEnumerable<string> CheckPositionsAndChain(Guid draftId, IReadOnlyList<StoredEvent> stream)
    {
        var verifier = new CadapDrafting.Evidence.ChainVerifier(draftId);
        foreach (var e in stream)
            if (!verifier.Add(new CadapDrafting.Evidence.ChainEvent(draftId, e.Position, e.Type, e.Data, e.Headers))) break;
        var verdict = verifier.Finish(expectedCount: stream.Count);
        if (!verdict.Intact) yield return $"Draft {draftId}: hash chain broken at position {verdict.FirstBadPosition}: {verdict.Problem}";
    }

    /// <summary>Every accepted amendment or deletion replaced exactly the node revision it was written (or rebased) against.</summary>
    public async Task<List<string>> CheckNoBlindApplyAsync(Guid draftId)
    {
        await using var session = Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(draftId);
        var problems = new List<string>();
        var baseOf = new Dictionary<Guid, (ProposalKind Kind, Guid Node, int Base)>();
        var nodeRevision = new Dictionary<Guid, int>();
        foreach (var e in events)
            switch (e.Data)
            {
                case ProposalSubmitted s:
                    baseOf[s.ProposalId] = (s.Kind, s.NodeId, s.BaseNodeRevision);
                    break;
                case ProposalRebased r when baseOf.TryGetValue(r.ProposalId, out var p):
                    baseOf[r.ProposalId] = p with { Base = r.BaseNodeRevision };
                    break;
                case ProposalAccepted a:
                    var (kind, node, based) = baseOf[a.ProposalId];
                    var current = nodeRevision.GetValueOrDefault(node);
                    if (kind is ProposalKind.Amend or ProposalKind.Delete && based != current)
                        problems.Add($"Draft {draftId} position {e.Version}: proposal {a.ProposalId} written against node revision {based} applied " +
                            $"over revision {current}");
                    if (kind == ProposalKind.Amend && a.NodeRevision != current + 1)
                        problems.Add($"Draft {draftId} position {e.Version}: node revision jumped from {current} to {a.NodeRevision}");
                    nodeRevision[node] = a.NodeRevision;
                    break;
            }
        return problems;
    }

    public async Task<List<string>> CheckStoredEqualsReplayAsync(Guid draftId)
    {
        await using var session = Store.QuerySession();
        var stored = await DraftStore.LoadAsync(session, draftId);
        var replayed = await session.Events.AggregateStreamAsync<Draft>(draftId);
        var a = Canonical(stored);
        var b = Canonical(replayed);
        return a == b
            ? [] : [$"Draft {draftId}: stored document ({a.Length} chars) differs from the replay of its stream ({b.Length} chars) at char " +
            $"{FirstDifference(a, b)}"];
    }

    /// <summary>Rebuilds every draft's documents from the events and compares each draft with what was stored.</summary>
    public async Task<(List<string> Problems, long Events, TimeSpan Took)> RebuildAndCompareAsync(IReadOnlyCollection<Guid> drafts)
    {
        var before = new Dictionary<Guid, string>();
        await using (var session = Store.QuerySession())
            foreach (var id in drafts) before[id] = Canonical(await DraftStore.LoadAsync(session, id));
        var (events, took) = await RebuildAsync();
        var problems = new List<string>();
        await using (var session = Store.QuerySession())
            foreach (var id in drafts)
            {
                var after = Canonical(await DraftStore.LoadAsync(session, id));
                if (after != before[id])
                    problems.Add($"Draft {id}: stored document differs from a full rebuild at char {FirstDifference(before[id], after)}");
            }
        return (problems, events, took);
    }

    public async Task<(long Events, TimeSpan Took)> RebuildAsync()
    {
        var (events, _) = await CountStoredAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await DraftStore.RebuildAllAsync(Store, (_, _, _, _) => { }, CancellationToken.None);
        return (events, clock.Elapsed);
    }

    private string Canonical(Draft? draft) => draft is null
        ? "null" : CadapDrafting.Evidence.CanonicalJson.From(Store.Options.Serializer().ToJson(draft));

    private static int FirstDifference(string a, string b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++) if (a[i] != b[i]) return i;
        return n;
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
    }
}
