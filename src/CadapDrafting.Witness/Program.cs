using CadapDrafting.Witness;

// An independent witness of the drafts' logs: its own process, key and storage. It polls the server's signed
// heads, checks each extends the last head it saw of that draft, cosigns it, keeps it and hands the cosignature
// back; it serves what it holds to auditors (GET /heads/{draftId}). Configuration: the "Witness" section
// (Witness__Name, Witness__KeyFile, Witness__Storage, Witness__Server, Witness__TokenFile, Witness__PollSeconds).
var app = WitnessApp.Build(args);
await app.RunAsync();
