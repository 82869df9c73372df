using CadapDrafting.Evidence;

namespace CadapDrafting.Transparency;

/// <summary>A witness the server knows: its name, its public key (SubjectPublicKeyInfo, base64) and where it answers.</summary>
public sealed class WitnessSettings
{
    public string Name { get; set; } = "";
    public string PublicKey { get; set; } = "";
    public string? Url { get; set; }
}

/// <summary>
/// The "Evidence" section. The signing key is a PEM file named here, never in the database: someone who can
/// write the database cannot sign. Rotation: point <see cref="SigningKeyFile"/> at a new key and list the
/// earlier keys' files in <see cref="PreviousKeyFiles"/>, so heads signed before stay verifiable and the log carries on
/// from them. A previous key's file that holds its private half endorses the new key (a key transition,
/// docs/evidence.md §5.2): witnesses and auditors that trust the earlier key take the new one on that endorsement
/// alone. With only public halves listed nobody who trusts the earlier key trusts the new one.
/// </summary>
public sealed class LogSettings
{
    public const string Section = "Evidence";

    public string? SigningKeyFile { get; set; }
    public List<string> PreviousKeyFiles { get; set; } = [];
    /// <summary>Heads are signed after every commit; drafts with unsigned events are also swept this often.</summary>
    public double SignEverySeconds { get; set; } = 5;
    /// <summary>
    /// A busy draft gets at most one head per this many seconds: the commits in between are covered by the next head,
    /// which comes at most this much later. Signing after every commit batch cost a head, its peaks, a transaction and a
    /// round of reads per batch (most of PostgreSQL's work on a busy draft) for heads that nobody could tell apart.
    /// </summary>
    public double MinSecondsBetweenHeads { get; set; } = 0.25;
    /// <summary>Off only to measure what signing costs.</summary>
    public bool Signing { get; set; } = true;
    public List<WitnessSettings> Witnesses { get; set; } = [];
    /// <summary>An RFC 3161 timestamp authority (its URL) that timestamps each signed head; none by default.</summary>
    public string? TimestampAuthority { get; set; }
    /// <summary>
    /// The certificate (PEM or DER) of that authority, or of its CA: the server's own checks (the verify endpoint and
    /// command) hold the heads' tokens to it, as an auditor does with cadap-verify --tsa-cert.
    /// </summary>
    public string? TimestampAuthorityCertificate { get; set; }
}

/// <summary>The server's current signing key and every public key its heads may carry (its own earlier ones and the witnesses').</summary>
public sealed class LogKeys : IDisposable
{
    public LogKeys(SigningKey current, IEnumerable<byte[]> previousServerKeys, IEnumerable<PublishedKey> witnesses,
        IEnumerable<KeyTransition>? transitions = null)
    {
        Current = current;
        var server = new List<PublishedKey> { PublishedKey.Of(current, PublishedKey.ServerRole, "server") };
        foreach (var key in previousServerKeys)
            if (server.All(k => !k.PublicKey.AsSpan().SequenceEqual(key)))
                server.Add(new PublishedKey(SigningKey.KeyIdOf(key), key, PublishedKey.ServerRole, "server"));
        ServerKeys = server;
        WitnessKeys = witnesses.ToList();
        Transitions = (transitions ?? []).Where(t => t.To == current.KeyId && server.Any(t.MadeBy)).ToList();
    }

    public SigningKey Current { get; }
    public IReadOnlyList<PublishedKey> ServerKeys { get; }
    /// <summary>The endorsements of the current key by earlier keys whose private halves were configured (docs/evidence.md §5.2).</summary>
    public IReadOnlyList<KeyTransition> Transitions { get; }
    public IReadOnlyList<PublishedKey> WitnessKeys { get; }
    public IEnumerable<PublishedKey> All => ServerKeys.Concat(WitnessKeys);

    public PublishedKey? Server(string keyId) => ServerKeys.FirstOrDefault(k => k.KeyId == keyId);
    public PublishedKey? Witness(string keyId) => WitnessKeys.FirstOrDefault(k => k.KeyId == keyId);

    public bool Holds(SignedTreeHead head) =>
        Server(head.KeyId) is { } key && SigningKey.Verify(key.PublicKey, head.Head.SignedMessage(), head.Signature);

    /// <summary>
    /// Loads the configured key. In Development, with no key configured, one is made in the git-ignored
    /// .data/evidence directory beside the database's own data, outside the database. Elsewhere a missing key stops start-up.
    /// </summary>
    public static LogKeys Load(LogSettings settings, IHostEnvironment environment)
    {
        var path = settings.SigningKeyFile;
        var create = false;
        if (string.IsNullOrWhiteSpace(path))
        {
            if (!environment.IsDevelopment())
                throw new InvalidOperationException(
                    "Evidence:SigningKeyFile is not set: name the PEM file of the key that signs the drafts' log heads (openssl ecparam -name " +
                        "prime256v1 -genkey | openssl pkcs8 -topk8 -nocrypt).");
            path = Path.Combine(environment.ContentRootPath, ".data", "evidence", "server-signing-key.pem");
            create = true;
        }
        SigningKey current;
        try { current = SigningKey.LoadOrCreate(path, create); }
        catch (IOException) when (create && File.Exists(path))
        {
            // Another node of the same checkout made it a moment ago.
            current = SigningKey.LoadOrCreate(path, create: false);
        }
        var previous = settings.PreviousKeyFiles.Select(PublicKeyFromFile).ToList();
        var transitions = settings.PreviousKeyFiles.Select(f => Endorsement(f, current)).OfType<KeyTransition>().ToList();
        var witnesses = settings.Witnesses.Select(w =>
        {
            var key = Convert.FromBase64String(w.PublicKey);
            return new PublishedKey(SigningKey.KeyIdOf(key), key, PublishedKey.WitnessRole, w.Name);
        }).ToList();
        return new LogKeys(current, previous, witnesses, transitions);
    }

    /// <summary>The earlier key in <paramref name="path"/> endorsing the current key, when the file holds its private half.</summary>
    private static KeyTransition? Endorsement(string path, SigningKey current)
    {
        var pem = File.ReadAllText(path);
        if (!pem.Contains("PRIVATE KEY", StringComparison.Ordinal)) return null;
        using var earlier = SigningKey.FromPem(pem, path);
        return earlier.KeyId == current.KeyId ? null : KeyTransition.Endorse(earlier, current.KeyId);
    }

    /// <summary>The public key in a PEM file holding either a private key or a public key.</summary>
    private static byte[] PublicKeyFromFile(string path)
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        return key.ExportSubjectPublicKeyInfo();
    }

    public void Dispose() => Current.Dispose();
}
