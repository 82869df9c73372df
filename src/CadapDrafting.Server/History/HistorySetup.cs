using CadapDrafting.Infrastructure;

namespace CadapDrafting.History;

public static class HistorySetup
{
    public static IServiceCollection AddHistory(this IServiceCollection services)
    {
        services.AddSingleton<EventRows>();
        services.AddSingleton<DraftHistory>();
        services.AddSingleton<Timeline>();
        services.AddSingleton<ChainCheck>();
        services.AddSingleton<Exports.PdfRenderer>();
        services.AddDraftCommitObserver<CheckpointWriter>();
        return services;
    }
}
