using CadapDrafting.Hosting;
using JasperFx;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddCadapDrafting();

    var app = builder.Build();
    app.UseCadapDrafting();

    // Started with no arguments the server just runs: the command layer would first search every assembly for commands,
    // a noticeable part of a cold start. Any argument (seed, verify, export, rebuild, projections, codegen, help …) goes to it.
    if (args.Length == 0)
    {
        await app.RunAsync();
        return 0;
    }
    return await app.RunJasperFxCommands(args);
}
catch (StartupRefusedException refused)
{
    // One clear line, no stack trace: the operator has a setting to fix, not a bug to report.
    Console.Error.WriteLine(refused.Message);
    return 1;
}
catch (EmbeddedPostgresException failure)
{
    // What failed, why and what to do, in one line: a person starting the server reads this, not a stack trace.
    Console.Error.WriteLine($"The server did not start: the local PostgreSQL failed: {failure.Message}");
    return 1;
}
finally
{
    // A private PostgreSQL started for this run never outlives it, even when start-up fails.
    Database.StopEmbedded();
}

/// <summary>The server's entry point, visible to the integration tests.</summary>
public partial class Program;
