using System.Text.Json.Serialization;
using CadapDrafting.Drafts;
using CadapDrafting.Drafts.Writing;
using CadapDrafting.History;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using CadapDrafting.Live;
using CadapDrafting.Operations;
using CadapDrafting.Proposals;
using CadapDrafting.Seeding;
using CadapDrafting.Transparency;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Scalar.AspNetCore;
using Weasel.Core;
using Wolverine;
using Wolverine.Marten;

namespace CadapDrafting.Hosting;

public static class ServerSetup
{
    public static void AddCadapDrafting(this WebApplicationBuilder builder)
    {
        // Deployment safety: refuse an unsafe start before anything is started (see DeploymentSafety).
        DeploymentSafety.RefuseUnsafeStart(builder);
        builder.AddDeploymentSafety();
        var connectionString = Database.ResolveConnectionString(builder);
        var seedsDirectory = SeedsDirectory(builder);

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new DemoUsers(seedsDirectory));
        builder.Services.AddSingleton<DraftCommitObservers>();
        builder.Services.AddSingleton<DraftWriter>();
        builder.Services.AddSingleton(new SeedFiles(seedsDirectory));
        builder.Services.AddSingleton<DemoSeeder>();
        builder.Services.AddSingleton<Import.ImportProgress>();
        builder.Services.AddHostedService<SeedOnStartup>();
        builder.Services.AddHistory();
        Programme.ProgrammeSetup.AddProgramme(builder.Services);
        Consultation.ConsultationSetup.AddConsultation(builder.Services);
        Notifications.NotificationSetup.AddNotifications(builder.Services);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestHandler>();
        // A body that does not bind reaches the handler above as an exception in every environment (the framework throws only in
        // Development unless told), so production answers name the field and what it accepts as well.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        builder.Services.AddExceptionHandler<Operations.Upgrades.NewerSchemaHandler>();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddOpenApi(o =>
        {
            o.AddCommandDocumentation();
            o.AddDocumentConventions();
        });
        builder.AddCadapAuthentication();
        builder.Services.AddLive(builder.Configuration);
        builder.AddCadapHardening();
        builder.AddCadapOperations();
        builder.AddTransparency();
        builder.AddNodeDrain();
        Operations.Upgrades.UpgradeSetup.AddRollingUpgrades(builder.Services);
        builder.Services.AddHealthChecks()
            .AddCheck("database", new DatabaseHealthCheck(connectionString), tags: ["ready"]);

        builder.Services.AddMarten(opts =>
            {
                opts.Connection(connectionString);
                opts.DatabaseSchemaName = builder.Configuration["Marten:Schema"] ?? "cadap";
                opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
                opts.Events.MetadataConfig.HeadersEnabled = true;
                opts.Events.MetadataConfig.CorrelationIdEnabled = true;
                opts.Events.MetadataConfig.CausationIdEnabled = true;
                opts.Events.MetadataConfig.UserNameEnabled = true;
                // Replays only: the writer stores the draft's documents itself, in parts (see DraftStore.Store).
                opts.Projections.Add<DraftProjection>(ProjectionLifecycle.Live);
                opts.Schema.For<Draft>();
                opts.Schema.For<StoredProposal>().Index(p => p.DraftId);
                opts.Schema.For<StoredThread>().Index(t => t.DraftId);
                opts.Schema.For<CommandRecord>().Index(r => r.DraftId);
                opts.Schema.For<Comments.InboxItem>().Index(i => i.Recipient);
                // People's inboxes: events on a stream per person, the items projected in the transaction that appends them.
                opts.Projections.Add(new Notifications.InboxProjection(), ProjectionLifecycle.Inline);
                opts.Storage.ExtendedSchemaObjects.Add(Search.SearchIndex.Definition(opts.DatabaseSchemaName));
                opts.Storage.ExtendedSchemaObjects.Add(Search.SearchIndex.DraftsDefinition(opts.DatabaseSchemaName));
                OperationsSetup.ConfigureMarten(opts, builder.Configuration);
                TransparencySetup.ConfigureMarten(opts);
                opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            .AddAsyncDaemon(DaemonMode.HotCold)
            .IntegrateWithWolverine();
        // After Marten's own start-up work, which creates the tables it reads.
        builder.Services.AddHostedService<DraftStorageUpgrade>();
        builder.Services.AddHostedService<Notifications.InboxStorageUpgrade>();

        builder.Host.UseWolverine(opts =>
        {
            opts.ApplicationAssembly = typeof(Program).Assembly;
            opts.Policies.AutoApplyTransactions();
            BackgroundCommands.RetryLaterWhenNotStored(opts);
            Programme.ProgrammeSetup.ConfigureWolverine(opts);
            Consultation.ConsultationSetup.ConfigureWolverine(opts);
            Notifications.NotificationSetup.ConfigureWolverine(opts);
            TransparencySetup.ConfigureWolverine(opts);
            if (builder.Environment.IsProduction())
            {
                opts.CodeGeneration.TypeLoadMode = TypeLoadMode.Static;
            }
            else
            {
                opts.CodeGeneration.TypeLoadMode = TypeLoadMode.Auto;
                opts.UseRuntimeCompilation();
            }
        });
    }

    public static void UseCadapDrafting(this WebApplication app)
    {
        app.UseForwardedHeadersFromProxy();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSecurityHeadersAndBodyLimit();
        app.UseNodeDrain();
        app.UseQueryTextGuard();
        Web.WebApp.UseWebApp(app);
        app.UseAuthentication();
        app.UseCorrelatedLogging();
        app.UseRateLimitsPerUser();
        app.UseAuthorization();
        app.UseEndpointAccessGuard();
        app.UseNamedUnparsedQueryValues();

        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        // Served from this server only: no fonts from a CDN, no online services of the page's vendor, no telemetry.
        app.MapScalarApiReference("/api-reference", o => o.WithTitle("CadapDrafting API").DisableDefaultFonts().DisableAgent()
            .DisableMcp().DisableTelemetry().HideDeveloperTools().HideClientButton()
            .AddPreferredSecuritySchemes(CommandOpenApi.BearerScheme)).AllowAnonymous();

        app.MapIdentityEndpoints();
        app.MapPeopleEndpoints();
        app.MapDraftEndpoints();
        app.MapProposalEndpoints();
        Comments.CommentEndpoints.MapCommentEndpoints(app);
        Consultation.ConsultationEndpoints.MapConsultationEndpoints(app);
        Lifecycle.LifecycleEndpoints.MapLifecycleEndpoints(app);
        SignOff.SignOffEndpoints.MapSignOffEndpoints(app);
        Programme.ProgrammeEndpoints.MapProgrammeEndpoints(app);
        app.MapLiveEndpoints();
        app.MapHistoryEndpoints();
        app.MapTransparencyEndpoints();
        Import.ImportEndpoints.MapImportEndpoints(app);
        app.MapOperationsEndpoints();
        Search.SearchDrafts.MapSearchEndpoints(app);
#if REHEARSE_UPGRADE
        Operations.Upgrades.UpgradeRehearsal.Map(app);
#endif
    }

    private static string SeedsDirectory(WebApplicationBuilder builder)
    {
        var configured = builder.Configuration["Seeds:Directory"];
        if (!string.IsNullOrEmpty(configured)) return configured;
        var beside = Path.Combine(AppContext.BaseDirectory, "seeds");
        return Directory.Exists(beside) ? beside : Path.Combine(builder.Environment.ContentRootPath, "seeds");
    }

    private sealed class DatabaseHealthCheck(string connectionString) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(ct);
                await using var command = new NpgsqlCommand("select 1", connection);
                await command.ExecuteScalarAsync(ct);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex)
            {
                return HealthCheckResult.Unhealthy("PostgreSQL is not reachable", ex);
            }
        }
    }
}
