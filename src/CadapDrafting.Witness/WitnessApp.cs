using CadapDrafting.Evidence;

namespace CadapDrafting.Witness;

/// <summary>The witness as a web application: the polling loop, and what it holds served to auditors.</summary>
public static class WitnessApp
{
    public const string ServerClient = "server";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, bool poll = true)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var settings = builder.Configuration.GetSection(WitnessSettings.Section).Get<WitnessSettings>() ?? new WitnessSettings();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(SigningKey.LoadOrCreate(settings.KeyFile, create: true));
        builder.Services.AddSingleton(new WitnessStore(settings.Storage));
        builder.Services.AddHttpClient(ServerClient);
        builder.Services.AddSingleton(sp => new Witness(sp.GetRequiredService<IHttpClientFactory>().CreateClient(ServerClient), settings,
            sp.GetRequiredService<SigningKey>(), sp.GetRequiredService<WitnessStore>(), sp.GetRequiredService<ILogger<Witness>>()));
        if (poll) builder.Services.AddHostedService<WitnessLoop>();

        var app = builder.Build();
        app.MapGet("/key", (SigningKey key) => Results.Ok(PublishedKey.Of(key, PublishedKey.WitnessRole, settings.Name).ToJson()));
        app.MapGet("/heads/{draftId:guid}", (WitnessStore store, Guid draftId) =>
            store.Latest(draftId) is { } head ? Results.Ok(head.ToJson()) : Results.NotFound());
        app.MapGet("/heads/{draftId:guid}/all", (WitnessStore store, Guid draftId) => Results.Ok(store.Heads(draftId).Select(h => h.ToJson())));
        app.MapGet("/alarms", (WitnessStore store) => Results.Ok(store.Alarms()));
        return app;
    }
}
