using CadapDrafting.Hosting;
using JasperFx;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddCadapDrafting();

    var app = builder.Build();
    app.UseCadapDrafting();

    return await app.RunJasperFxCommands(args);
}
finally
{
    // A private PostgreSQL started for this run never outlives it, even when start-up fails.
    Database.StopEmbedded();
}

/// <summary>The server's entry point, visible to the integration tests.</summary>
public partial class Program;
