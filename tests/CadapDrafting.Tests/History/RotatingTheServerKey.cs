using System.Net.Http.Headers;
using CadapDrafting.Drafts;
using CadapDrafting.Evidence;
using CadapDrafting.Hosting;
using CadapDrafting.Witness;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CadapDrafting.Tests.History;

/// <summary>
/// The server's signing key is rotated: the server signs with key A, is restarted with key B and A's file in
/// Evidence:PreviousKeyFiles, and A endorses B (a key transition, docs/evidence.md §5.2). Heads signed with either key verify
/// everywhere, and a witness that trusted A takes B on that endorsement alone. A key file replaced by someone who does not
/// hold A lists a key nobody trusted endorses: the witness refuses its heads and keeps an alarm.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class RotatingTheServerKey
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cadap-rotation-").FullName;
    /// <summary>The servers of one story share a database schema of their own, as restarts of one server do.</summary>
    private readonly string _schema = $"rotation_{Guid.NewGuid():N}"[..24];

    private string KeyFile(string name, out SigningKey key)
    {
        var file = Path.Combine(_folder, $"{name}.pem");
        key = SigningKey.LoadOrCreate(file, create: true);
        return file;
    }

    [Fact]
    public async Task A_rotated_key_is_taken_by_the_witness_on_the_earlier_keys_endorsement_and_heads_of_both_keys_verify()
    {
        var a = KeyFile("a", out var keyA);
        var b = KeyFile("b", out var keyB);
        var storage = Path.Combine(_folder, "witness");
        Guid draft;
        await using (var first = await RestartedServer.StartAsync(_schema, a))
        {
            var editor = await first.SignIn("kz-editor");
            draft = await editor.CreatesDraft("KZ");
            await editor.Inserts(draft, NodeKind.Action, "Alternative development in the Chui valley");
            Assert.Equal(keyA.KeyId, (await (await first.SignIn("auditor")).SeesSignedHeadAt(draft, 3)).KeyId);
            await using var witness = await first.WitnessAsync(storage, keyA);
            Assert.Contains(new Observation(draft, 3, "cosigned"), await witness.Looks());
        }

        await using var second = await RestartedServer.StartAsync(_schema, b, a);
        var auditor = await second.SignIn("auditor");
        await (await second.SignIn("kz-editor")).Inserts(draft, NodeKind.Action, "Treatment in the community");
        var head = await auditor.SeesSignedHeadAt(draft, 5);
        Assert.Equal(keyB.KeyId, head.KeyId);

        // The server publishes A's endorsement of B.
        var keys = await auditor.Read<JsonElement>("/api/log/keys");
        var transition = KeyTransition.Parse(Assert.Single(keys.GetProperty("transitions").EnumerateArray().ToList()));
        Assert.Equal((keyA.KeyId, keyB.KeyId), (transition.From, transition.To));
        Assert.True(transition.MadeBy(PublishedKey.Of(keyA, PublishedKey.ServerRole, "server")));

        // The witness, which trusts A only, takes B on that endorsement and cosigns the head B signed, extending the one A signed.
        await using (var witness = await second.WitnessAsync(storage, keyA))
        {
            Assert.Contains(new Observation(draft, 5, "cosigned"), await witness.Looks());
            Assert.Equal(keyB.KeyId, witness.Store.Latest(draft)!.KeyId);
            Assert.Equal(transition.To, Assert.Single(witness.Store.Transitions()).To);
            Assert.Empty(witness.Store.Alarms());
        }

        // Old and new heads verify: the endpoint, and offline with both keys named, or with A alone and the bundle's transition.
        var report = await auditor.Verifies(draft);
        Assert.True(report.Intact, report.Problem);
        var bundle = Path.Combine(_folder, "bundle.zip");
        await File.WriteAllBytesAsync(bundle, await auditor.ExportsBundle(draft));
        var listed = EvidenceBundleKeys(bundle);
        Assert.Contains(keyA.KeyId, listed);
        Assert.Contains(keyB.KeyId, listed);
        var (both, bothOutput) = Verify(bundle, "--server-key", a, "--server-key", b);
        Assert.True(both == 0, bothOutput);
        Assert.Contains("a key you trust", bothOutput);
        var (byEndorsement, endorsedOutput) = Verify(bundle, "--server-key", a);
        Assert.True(byEndorsement == 0, endorsedOutput);
        Assert.Contains($"server key {ChainVerifier.Short(keyB.KeyId)} is endorsed by key {ChainVerifier.Short(keyA.KeyId)}", endorsedOutput);
        var (newOnly, newOnlyOutput) = Verify(bundle, "--server-key", b);
        Assert.Equal(1, newOnly);
        Assert.Contains($"signed with key {ChainVerifier.Short(keyA.KeyId)}, which is not one of the server keys you trust", newOnlyOutput);
        var python = await IndependentVerifier.RunAsync(bundle, "--server-key", Convert.ToBase64String(keyA.PublicKey));
        Assert.True(python.Exit == 0, python.Output);
    }

    [Fact]
    public async Task A_key_the_server_lists_without_an_endorsement_is_refused_by_the_witness_and_kept_as_an_alarm()
    {
        var a = KeyFile("a", out var keyA);
        var insiders = KeyFile("insider", out var keyC);
        // Someone who can replace the key file, but does not hold A: A's public half is all they can list.
        var aPublic = Path.Combine(_folder, "a-public.pem");
        using (var ecdsa = System.Security.Cryptography.ECDsa.Create())
        {
            ecdsa.ImportFromPem(await File.ReadAllTextAsync(a));
            await File.WriteAllTextAsync(aPublic, ecdsa.ExportSubjectPublicKeyInfoPem());
        }
        var storage = Path.Combine(_folder, "witness");
        Guid draft;
        await using (var first = await RestartedServer.StartAsync(_schema, a))
        {
            var editor = await first.SignIn("tm-editor");
            draft = await editor.CreatesDraft("TM");
            await editor.Inserts(draft, NodeKind.Action, "Border cooperation on precursors");
            await (await first.SignIn("auditor")).SeesSignedHeadAt(draft, 3);
            // This witness trusts the keys the server named at first contact: A.
            await using var witness = await first.WitnessAsync(storage, trusting: null);
            Assert.Contains(new Observation(draft, 3, "cosigned"), await witness.Looks());
        }

        await using var replaced = await RestartedServer.StartAsync(_schema, insiders, aPublic);
        var auditor = await replaced.SignIn("auditor");
        await (await replaced.SignIn("tm-editor")).Inserts(draft, NodeKind.Action, "Drug-free prisons programme");
        Assert.Equal(keyC.KeyId, (await auditor.SeesSignedHeadAt(draft, 5)).KeyId);
        Assert.Empty((await auditor.Read<JsonElement>("/api/log/keys")).GetProperty("transitions").EnumerateArray());

        await using var witness2 = await replaced.WitnessAsync(storage, trusting: null);
        Assert.Contains(new Observation(draft, 5, "refused: not signed by a server key this witness trusts"), await witness2.Looks());
        Assert.Equal(3, witness2.Store.Latest(draft)!.Head.Size);
        var alarm = Assert.Single(witness2.Store.Alarms());
        Assert.Equal(keyC.KeyId, alarm.GetProperty("refusedKey").GetProperty("keyId").GetString());
        Assert.Contains("which no key this witness trusts endorses", alarm.GetProperty("problem").GetString());
        // Looking again neither trusts it nor repeats the alarm.
        Assert.Contains(new Observation(draft, 5, "refused: not signed by a server key this witness trusts"), await witness2.Looks());
        Assert.Single(witness2.Store.Alarms());
        Assert.DoesNotContain(witness2.Store.ServerKeys(), k => SigningKey.KeyIdOf(k) == keyC.KeyId);
        Assert.Contains(witness2.Store.ServerKeys(), k => SigningKey.KeyIdOf(k) == keyA.KeyId);
    }

    private static List<string> EvidenceBundleKeys(string bundle)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(bundle);
        using var doc = JsonDocument.Parse(new StreamReader(zip.GetEntry("keys.json")!.Open()).ReadToEnd());
        return doc.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("keyId").GetString()!).ToList();
    }

    private static (int Exit, string Output) Verify(string bundle, params string[] options)
    {
        var output = new StringWriter();
        var exit = VerifierCommand.Run([bundle, .. options], output, output);
        return (exit, output.ToString());
    }

    /// <summary>The server as one restart of it runs: its own signing key (and earlier keys), on the story's database schema.</summary>
    private sealed class RestartedServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly DevTokens _tokens = new();

        private RestartedServer(WebApplication app, Uri address)
        {
            _app = app;
            Address = address;
        }

        public Uri Address { get; }

        public static async Task<RestartedServer> StartAsync(string schema, string keyFile, params string[] previousKeyFiles)
        {
            var settings = new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = TestDatabase.ConnectionString,
                ["Marten:Schema"] = schema,
                ["Seeds:OnStartup"] = "false",
                ["Hardening:RequestsPerWindow"] = "1000000",
                ["Evidence:SigningKeyFile"] = keyFile,
                ["Evidence:SignEverySeconds"] = "1",
            };
            for (var i = 0; i < previousKeyFiles.Length; i++) settings[$"Evidence:PreviousKeyFiles:{i}"] = previousKeyFiles[i];
            var (app, address) = await LoopbackServer.StartAsync(settings);
            return new RestartedServer(app, address);
        }

        public async Task<Person> SignIn(string userId)
        {
            var http = new HttpClient { BaseAddress = Address };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
                await _tokens.ForAsync(userId, () => new HttpClient { BaseAddress = Address }));
            return new Person(userId, http);
        }

        /// <summary>A witness of this server with its storage (kept across restarts), trusting <paramref name="trusting"/> or, when null, the keys
        /// the server names at first contact.</summary>
        public async Task<StartedWitness> WitnessAsync(string storage, SigningKey? trusting)
        {
            var values = new Dictionary<string, string?>
            {
                ["Witness:Name"] = "rotation-witness",
                ["Witness:KeyFile"] = Path.Combine(storage, "key.pem"),
                ["Witness:Storage"] = storage,
                ["Witness:Server"] = Address.ToString(),
                ["Witness:Token"] = await _tokens.ForAsync("auditor", () => new HttpClient { BaseAddress = Address }),
            };
            if (trusting is not null) values["Witness:ServerKeys:0"] = Convert.ToBase64String(trusting.PublicKey);
            var app = WitnessApp.Build([], builder =>
            {
                builder.WebHost.UseUrls($"http://127.0.0.1:{EmbeddedPostgres.FreePort()}");
                builder.Configuration.AddInMemoryCollection(values);
            }, poll: false);
            await app.StartAsync();
            return new StartedWitness(app);
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }

    private sealed class StartedWitness(WebApplication app) : IAsyncDisposable
    {
        public WitnessStore Store => app.Services.GetRequiredService<WitnessStore>();
        public Task<List<Observation>> Looks() =>
            app.Services.GetRequiredService<CadapDrafting.Witness.Witness>().ObserveAsync(CancellationToken.None);

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
