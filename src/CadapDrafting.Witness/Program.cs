namespace CadapDrafting.Witness;

/// <summary>
/// An independent witness of the drafts' logs: its own process, key and storage. It polls the server's signed
/// heads, checks each extends the last head it saw of that draft, cosigns it, keeps it and hands the cosignature
/// back; it serves what it holds to auditors (GET /heads/{draftId}). Configuration: the "Witness" section
/// (Witness__Name, Witness__KeyFile, Witness__Storage, Witness__Server, Witness__TokenFile, Witness__ServerKeys__0,
/// Witness__PollSeconds) and ASPNETCORE_URLS for where it answers.
/// </summary>
public static class WitnessProgram
{
    public static async Task Main(string[] args) => await WitnessApp.Build(args).RunAsync();
}
