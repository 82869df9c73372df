using CadapDrafting.Infrastructure;
using Marten;
using Wolverine;

namespace CadapDrafting.Transparency;

/// <summary>The signed log of every draft: keys, signing after commit (a message), the sweep, proofs and witnesses.</summary>
public static class TransparencySetup
{
    public const string SigningQueue = "log-signing";

    public static void AddTransparency(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(LogSettings.Section).Get<LogSettings>() ?? new LogSettings();
        var services = builder.Services;
        services.AddSingleton(settings);
        // Loaded now, so a missing or unreadable key stops start-up with one line instead of failing at the first commit.
        services.AddSingleton(LogKeys.Load(settings, builder.Environment));
        services.AddSingleton<SignedHeads>();
        services.AddSingleton<LogLeafTable>();
        services.AddSingleton<LogProofs>();
        services.AddSingleton<HeadSigner>();
        services.AddSingleton<EvidenceExport>();
        services.AddSingleton<TimestampAuthorities>();
        services.AddHttpClient<TimestampClient>(c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddHttpClient<WitnessHeads>(c => c.Timeout = TimeSpan.FromSeconds(5));
        services.AddDraftCommitObserver<HeadSigningTrigger>();
        services.AddHostedService<HeadSigningSweep>();
    }

    public static void ConfigureMarten(StoreOptions opts)
    {
        opts.Schema.For<SignedHeadRecord>().Index(h => h.DraftId);
        opts.Storage.ExtendedSchemaObjects.Add(LogLeafTable.Definition(opts.DatabaseSchemaName));
        opts.Storage.ExtendedSchemaObjects.Add(LogLeafTable.TilesDefinition(opts.DatabaseSchemaName));
    }

    public static void ConfigureWolverine(WolverineOptions opts)
    {
        // Not durable: a head missed by a stopped process is signed by the next sweep. Two at a time; one draft's are serialised by the signer.
        opts.PublishMessage<SignDraftHead>().ToLocalQueue(SigningQueue);
        opts.LocalQueue(SigningQueue).MaximumParallelMessages(2);
    }
}
