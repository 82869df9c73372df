using Alba;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.Events.Projections;
using Marten;
using Wolverine;
using Wolverine.Http;
using Wolverine.Http.Marten;
using Wolverine.Marten;

namespace CadapDrafting.Bench.Wolverine;

/// <summary>
/// The Critter Stack's idiomatic way to write one comment to one draft: a Wolverine HTTP endpoint using the aggregate
/// handler workflow, which loads a minimal draft aggregate under an exclusive lock on its stream, appends the event the
/// handler returns and commits, one transaction per command. No access checks, no hash chain, no live push: the least
/// work such an endpoint can do.
/// </summary>
public static class IdiomaticPath
{
    public static Task<IAlbaHost> StartAsync(string connectionString)
    {
        var builder = WebApplication.CreateBuilder([]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddMarten(opts =>
            {
                opts.Connection(connectionString);
                opts.DatabaseSchemaName = "wolverine_bench";
                opts.Projections.Snapshot<MinimalDraft>(SnapshotLifecycle.Inline);
                opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            .IntegrateWithWolverine();
        builder.Services.AddWolverineHttp();
        builder.Host.UseWolverine(opts =>
        {
            opts.ApplicationAssembly = typeof(IdiomaticPath).Assembly;
            opts.Discovery.DisableConventionalDiscovery();
            opts.Policies.AutoApplyTransactions();
            opts.CodeGeneration.TypeLoadMode = TypeLoadMode.Dynamic;
            opts.UseRuntimeCompilation();
        });
        return AlbaHost.For(builder, app => app.MapWolverineEndpoints(o => o.MapMartenConcurrencyFailuresToConflict()));
    }

    public static async Task<Guid> StartDraftAsync(IAlbaHost host)
    {
        var id = Guid.NewGuid();
        await using var session = host.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Events.StartStream<MinimalDraft>(id, new MinimalDraftStarted("Bench plan"));
        await session.SaveChangesAsync();
        return id;
    }
}

public sealed record MinimalDraftStarted(string Title);

public sealed record MinimalCommentAdded(string Text);

public sealed record AddMinimalComment(string Text);

public sealed class MinimalDraft
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public string Title { get; set; } = "";
    public int Comments { get; set; }

    public static MinimalDraft Create(MinimalDraftStarted e) => new() { Title = e.Title };
    public void Apply(MinimalCommentAdded e) => Comments++;
}

public static class AddMinimalCommentEndpoint
{
    [WolverinePost("/minimal-drafts/{id}/comments")]
    [EmptyResponse]
    public static MinimalCommentAdded Post(AddMinimalComment command,
        [WriteAggregate(LoadStyle = global::Wolverine.Marten.ConcurrencyStyle.Exclusive)] MinimalDraft draft) => new(command.Text);
}
