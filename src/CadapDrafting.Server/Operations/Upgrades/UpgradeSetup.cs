namespace CadapDrafting.Operations.Upgrades;

/// <summary>Two builds in one cluster during a rolling upgrade: the node registry and the cluster's schema gate.</summary>
public static class UpgradeSetup
{
    public static void AddRollingUpgrades(IServiceCollection services)
    {
        services.AddSingleton<ClusterSchema>();
        services.AddSingleton<NodeRegistry>();
        services.AddHostedService(sp => sp.GetRequiredService<NodeRegistry>());
    }
}
