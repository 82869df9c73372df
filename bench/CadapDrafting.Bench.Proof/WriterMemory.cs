using System.Globalization;
using CadapDrafting.Drafts;
using CadapDrafting.Drafts.Writing;
using CadapDrafting.Hosting;
using CadapDrafting.Identity;

namespace CadapDrafting.Proof;

/// <summary>
/// The writer's memory after many drafts were touched: the server in this process, N drafts created through the writer
/// (32 at a time), managed heap after a full collection at the baseline, with every draft held, and once idle drafts
/// were released.
/// </summary>
public static class WriterMemory
{
    private static readonly Actor Editor = new("kg-editor", "Bench editor", "KG", new HashSet<Role> { Role.Drafter, Role.Editor });

    public static async Task<string> RunAsync(string connectionString, int drafts)
    {
        var (app, _) = await LoopbackServer.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Marten:Schema"] = $"{Throughput.Schema}_writer_memory_{DateTime.UtcNow:MMddHHmmss}",
            ["Seeds:OnStartup"] = "false",
            ["Seeds:Directory"] = Path.Combine(ServerProcess.RepositoryRoot(), "seeds"),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        try
        {
            var writer = app.Services.GetRequiredService<DraftWriter>();
            await TouchAsync(writer, 200); // warm-up: code paths, pools and caches
            writer.ReleaseIdle(TimeSpan.Zero);
            var baseline = Heap();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await TouchAsync(writer, drafts);
            var took = clock.Elapsed;
            var held = writer.HeldDrafts;
            var touched = Heap();
            var released = writer.ReleaseIdle(TimeSpan.Zero);
            var after = Heap();
            static string Mb(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);
            var perDraft = ((touched - baseline) / 1024.0 / Math.Max(1, held)).ToString("0.0", CultureInfo.InvariantCulture);
            var left = ((after - baseline) / 1048576.0).ToString("+0.0;-0.0", CultureInfo.InvariantCulture);
            var s = string.Create(CultureInfo.InvariantCulture,
                $"## Writer memory after {drafts:N0} drafts touched\n\nManaged heap after a full collection: baseline {Mb(baseline)} MB; " +
                $"with {held:N0} drafts held {Mb(touched)} MB (≈ {perDraft} KB per draft); " +
                $"after releasing {released:N0} idle drafts {Mb(after)} MB ({left} MB against the baseline). " +
                $"{drafts / took.TotalSeconds:N0} drafts created per second.\n\n");
            Console.WriteLine(s);
            return s;
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    private static async Task TouchAsync(DraftWriter writer, int drafts)
    {
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= drafts)
            {
                var commandId = Guid.NewGuid();
                var create = new CreateDraft("KG", DraftKind.ActionPlan, new() { ["en"] = "Memory plan" }, 2026, 2030, "en");
                var draftId = Idempotency.NewIdOf(commandId, Editor.UserId, "draft");
                var outcome = await writer.SendAsync(draftId, new CommandEnvelope(commandId, Editor, null, create));
                if (!outcome.Succeeded) throw new InvalidOperationException(outcome.Problem!.Detail);
            }
        })));
    }

    private static long Heap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
