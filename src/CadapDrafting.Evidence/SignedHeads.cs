using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CadapDrafting.Evidence;

/// <summary>What a head says: the draft's log had <paramref name="Size"/> events with this Merkle root at this time.</summary>
public sealed record TreeHead(Guid DraftId, long Size, byte[] Root, DateTimeOffset Time)
{
    public const string SignedContext = "cadap-tree-head/1\n";

    public string RootHex => Convert.ToHexStringLower(Root);

    /// <summary>The head in canonical form: {"draftId","root","size","time"}.</summary>
    public string Canonical() =>
        $"{{\"draftId\":\"{DraftId:D}\",\"root\":\"{RootHex}\",\"size\":{Size},\"time\":\"{EvidenceTime.Of(Time)}\"}}";

    /// <summary>The bytes the server signs.</summary>
    public byte[] SignedMessage() => Encoding.UTF8.GetBytes(SignedContext + Canonical());

    public static TreeHead Parse(JsonElement element, string what = "a head")
    {
        var o = StrictObject.Of(element, what, ["draftId", "root", "size", "time"]);
        var size = o.Integer("size");
        if (size < 0) throw new FormatException($"{what}: the size is negative");
        return new TreeHead(o.Id("draftId"), size, o.Hex("root", Rfc9162.HashSize), o.Time("time"));
    }

    public bool SameAs(TreeHead other) =>
        DraftId == other.DraftId && Size == other.Size && Root.AsSpan().SequenceEqual(other.Root) && Time == other.Time;
}

/// <summary>A witness's statement that it saw a head consistent with every head it saw before, at its own time.</summary>
public sealed record Cosignature(string Witness, string KeyId, DateTimeOffset Time, byte[] Signature)
{
    public const string SignedContext = "cadap-cosignature/1\n";

    public static byte[] SignedMessage(TreeHead head, string witness, DateTimeOffset time)
    {
        var sb = new StringBuilder(SignedContext).Append("{\"head\":").Append(head.Canonical()).Append(",\"time\":\"")
            .Append(EvidenceTime.Of(time)).Append("\",\"witness\":");
        CanonicalForm.WriteString(witness, sb);
        return Encoding.UTF8.GetBytes(sb.Append('}').ToString());
    }

    public static Cosignature Parse(JsonElement element, string what = "a cosignature")
    {
        var o = StrictObject.Of(element, what, ["keyId", "signature", "time", "witness"]);
        return new Cosignature(o.String("witness"), Convert.ToHexStringLower(o.Hex("keyId", 32)), o.Time("time"), o.Base64("signature"));
    }

    public Dictionary<string, object> ToJson() => new()
    {
        ["witness"] = Witness, ["keyId"] = KeyId, ["time"] = EvidenceTime.Of(Time), ["signature"] = Convert.ToBase64String(Signature),
    };
}

/// <summary>A head with the server's signature, an optional RFC 3161 timestamp token over the signed message, and cosignatures.</summary>
public sealed record SignedTreeHead(TreeHead Head, string KeyId, byte[] Signature, byte[]? Timestamp, IReadOnlyList<Cosignature> Cosignatures)
{
    public static SignedTreeHead Parse(JsonElement element, string what = "a signed head")
    {
        var o = StrictObject.Of(element, what, ["head", "keyId", "signature"], ["timestamp", "cosignatures"]);
        var cosignatures = new List<Cosignature>();
        if (o.Has("cosignatures"))
            foreach (var c in o.Array("cosignatures").EnumerateArray()) cosignatures.Add(Cosignature.Parse(c, $"{what}: a cosignature"));
        return new SignedTreeHead(TreeHead.Parse(o.Element("head"), $"{what}: its head"), Convert.ToHexStringLower(o.Hex("keyId", 32)),
            o.Base64("signature"), o.Has("timestamp") ? o.Base64("timestamp") : null, cosignatures);
    }

    public static SignedTreeHead Parse(string json, string what = "a signed head")
    {
        using var doc = StrictObject.Parse(json, what);
        return Parse(doc.RootElement, what);
    }

    public Dictionary<string, object> ToJson()
    {
        var json = new Dictionary<string, object>
        {
            ["head"] = new Dictionary<string, object>
            {
                ["draftId"] = Head.DraftId.ToString("D"), ["size"] = Head.Size, ["root"] = Head.RootHex, ["time"] = EvidenceTime.Of(Head.Time),
            },
            ["keyId"] = KeyId,
            ["signature"] = Convert.ToBase64String(Signature),
        };
        if (Timestamp is not null) json["timestamp"] = Convert.ToBase64String(Timestamp);
        if (Cosignatures.Count > 0) json["cosignatures"] = Cosignatures.Select(c => c.ToJson()).ToList();
        return json;
    }

    public string ToJsonLine() => JsonSerializer.Serialize(ToJson());
}

/// <summary>
/// A signing key: ECDSA over P-256 with SHA-256, signatures in the IEEE P1363 form (r || s, 64 bytes). The key id
/// is the lower-case hex SHA-256 of the public key's SubjectPublicKeyInfo (DER), so an id names exactly one key
/// and anyone holding the public key can compute it. The private key lives in a PEM file (PKCS#8), never in
/// the database.
/// </summary>
public sealed class SigningKey : IDisposable
{
    private readonly ECDsa _key;

    private SigningKey(ECDsa key)
    {
        _key = key;
        PublicKey = key.ExportSubjectPublicKeyInfo();
        KeyId = KeyIdOf(PublicKey);
    }

    public string KeyId { get; }
    public byte[] PublicKey { get; }

    public static SigningKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Loads the key in <paramref name="path"/>; when the file does not exist and <paramref name="create"/> is set, makes a new key there,
    /// readable by its owner only.</summary>
    public static SigningKey LoadOrCreate(string path, bool create)
    {
        if (File.Exists(path)) return FromPem(File.ReadAllText(path), path);
        if (!create) throw new FileNotFoundException($"The signing key file {path} does not exist", path);
        var key = Generate();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new FileStream(path, options))
        using (var writer = new StreamWriter(file)) writer.Write(key._key.ExportPkcs8PrivateKeyPem());
        return key;
    }

    public static SigningKey FromPem(string pem, string source = "the key")
    {
        var key = ECDsa.Create();
        try { key.ImportFromPem(pem); }
        catch (ArgumentException ex) { throw new InvalidOperationException($"{source} holds no PEM private key: {ex.Message}", ex); }
        if (key.KeySize != 256) throw new InvalidOperationException($"{source} is not a P-256 key");
        return new SigningKey(key);
    }

    public byte[] Sign(byte[] message) => _key.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public SignedTreeHead SignHead(TreeHead head) => new(head, KeyId, Sign(head.SignedMessage()), null, []);

    public Cosignature Cosign(TreeHead head, string witness, DateTimeOffset time)
    {
        time = EvidenceTime.Truncate(time);
        return new Cosignature(witness, KeyId, time, Sign(Cosignature.SignedMessage(head, witness, time)));
    }

    public static string KeyIdOf(byte[] subjectPublicKeyInfo) => Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo));

    /// <summary>Whether <paramref name="signature"/> is a valid signature of <paramref name="message"/> by the P-256 key in <paramref
    /// name="subjectPublicKeyInfo"/>.</summary>
    public static bool Verify(byte[] subjectPublicKeyInfo, byte[] message, byte[] signature)
    {
        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out var read);
            if (read != subjectPublicKeyInfo.Length || key.KeySize != 256) return false;
            return signature.Length == 64 &&
                key.VerifyData(message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException) { return false; }
    }

    public void Dispose() => _key.Dispose();
}

/// <summary>A public key as evidence lists it: its id, its SubjectPublicKeyInfo and whose it is (the server, or a named witness).</summary>
public sealed record PublishedKey(string KeyId, byte[] PublicKey, string Role, string Name)
{
    public const string ServerRole = "server";
    public const string WitnessRole = "witness";

    public static PublishedKey Parse(JsonElement element, string what = "a key")
    {
        var o = StrictObject.Of(element, what, ["keyId", "publicKey", "role", "name"]);
        var publicKey = o.Base64("publicKey");
        var keyId = Convert.ToHexStringLower(o.Hex("keyId", 32));
        if (SigningKey.KeyIdOf(publicKey) != keyId) throw new FormatException($"{what}: the key id {keyId} is not the hash of its public key");
        var role = o.String("role");
        if (role is not (ServerRole or WitnessRole)) throw new FormatException($"{what}: the role is \"server\" or \"witness\", not \"{role}\"");
        return new PublishedKey(keyId, publicKey, role, o.String("name"));
    }

    public static PublishedKey Of(SigningKey key, string role, string name) => new(key.KeyId, key.PublicKey, role, name);

    public Dictionary<string, object> ToJson() => new()
    {
        ["keyId"] = KeyId, ["publicKey"] = Convert.ToBase64String(PublicKey), ["role"] = Role, ["name"] = Name,
    };
}
