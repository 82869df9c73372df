using System.Diagnostics;
using System.Net.Http.Json;
using CadapDrafting.Evidence;

namespace CadapDrafting.Tests.History;

/// <summary>
/// The witness as someone else runs it: the cadap-witness program in a process of its own, with a key and storage
/// of its own, following the server over the network. It cosigns what it saw grow consistently and serves it.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class WitnessingTheLog(LiveServer server)
{
    [Fact]
    public async Task The_witness_program_cosigns_the_heads_it_polls_and_serves_them_to_auditors()
    {
        var storage = Directory.CreateTempSubdirectory("cadap-witness-process-").FullName;
        var port = Hosting.EmbeddedPostgres.FreePort();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cadap-witness.dll"));
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["Witness__Name"] = "kz-auditor-office";
        info.Environment["Witness__Storage"] = storage;
        info.Environment["Witness__KeyFile"] = Path.Combine(storage, "key.pem");
        info.Environment["Witness__Server"] = server.Address.ToString();
        info.Environment["Witness__Token"] = await server.TokenFor("auditor");
        info.Environment["Witness__PollSeconds"] = "0.3";
        using var witness = Process.Start(info)!;
        witness.OutputDataReceived += (_, _) => { };
        witness.ErrorDataReceived += (_, _) => { };
        witness.BeginOutputReadLine();
        witness.BeginErrorReadLine();
        try
        {
            var editor = await server.SignIn("kz-editor");
            var draft = await editor.CreatesDraft("KZ");
            await editor.Inserts(draft, Drafts.NodeKind.Action, "Alternative development in the Chui valley");
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var held = await Eventually.Until(async () =>
            {
                try
                {
                    var response = await http.GetAsync($"/heads/{draft}");
                    return response.IsSuccessStatusCode ? SignedTreeHead.Parse(await response.Content.ReadAsStringAsync()) : null;
                }
                catch (HttpRequestException) { return null; }
            }, h => h is not null && h.Head.Size == 3, TimeSpan.FromSeconds(60));

            Assert.NotNull(held);
            Assert.Equal(3, held!.Head.Size);
            Assert.True(SigningKey.Verify(TestLog.ServerKey.PublicKey, held.Head.SignedMessage(), held.Signature));
            var key = PublishedKey.Parse(await http.GetFromJsonAsync<JsonElement>("/key"));
            var cosignature = Assert.Single(held.Cosignatures);
            Assert.Equal("kz-auditor-office", cosignature.Witness);
            Assert.True(SigningKey.Verify(key.PublicKey, Cosignature.SignedMessage(held.Head, cosignature.Witness, cosignature.Time),
                cosignature.Signature));
            Assert.True(File.Exists(Path.Combine(storage, "heads", $"{draft:D}.jsonl")));
        }
        finally
        {
            witness.Kill(entireProcessTree: true);
            await witness.WaitForExitAsync();
        }
    }
}
