using CadapDrafting.Hosting;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>One throwaway PostgreSQL cluster for the whole test run, started from the installed binaries.</summary>
public static class TestDatabase
{
    private static readonly Lazy<EmbeddedPostgres> Cluster = new(() =>
    {
        var directory = Path.Combine(Path.GetTempPath(), $"cadap-tests-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        var pg = EmbeddedPostgres.Start(directory, durable: false, log: _ => { });
        pg.DestroyWhenProcessExits();
        return pg;
    });

    public static EmbeddedPostgres Instance => Cluster.Value;
    public static string ConnectionString => Cluster.Value.ConnectionString;
}
