using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace CadapDrafting.Evidence;

/// <summary>What one head's RFC 3161 timestamp token says, once checked: the time the authority vouches for, and who it is.</summary>
public sealed record TimestampFinding(long Size, DateTimeOffset Time, string Authority, bool Trusted);

/// <summary>
/// Checks a signed head's RFC 3161 timestamp token (docs/evidence.md §5.1): a DER token whose message imprint is
/// the SHA-256 of exactly the bytes the server signed, whose signature holds under the certificate it names, and —
/// when the auditor names the authorities they trust — whose signing certificate is one of them or chains to one
/// of them for time stamping at the token's own time. A token that does not hold is a problem, never an exception.
/// </summary>
public static class HeadTimestamps
{
    private const string Sha256Oid = "2.16.840.1.101.3.4.2.1";
    private const string TimeStampingUsage = "1.3.6.1.5.5.7.3.8";

    public static (TimestampFinding? Finding, string? Problem) Check(SignedTreeHead head, IReadOnlyList<X509Certificate2> trusted)
    {
        var size = head.Head.Size;
        if (head.Timestamp is not { } bytes) return (null, null);
        var what = $"the timestamp token of the head at size {size}";
        try
        {
            if (!Rfc3161TimestampToken.TryDecode(bytes, out var token, out var read) || read != bytes.Length)
                return (null, $"{what} is not an RFC 3161 timestamp token");
            var info = token.TokenInfo;
            var message = head.Head.SignedMessage();
            if (info.HashAlgorithmId.Value != Sha256Oid)
                return (null, $"{what} imprints its message with {info.HashAlgorithmId.Value}, not SHA-256");
            if (!info.GetMessageHash().Span.SequenceEqual(SHA256.HashData(message)))
                return (null, $"{what} was made for other bytes than this head's signed message: it belongs to another head or was altered");
            if (!token.VerifySignatureForData(message, out var signer, new X509Certificate2Collection(trusted.ToArray())) || signer is null)
                return (null, $"the signature of {what} does not hold: the token is forged or altered");
            var time = info.Timestamp;
            if (trusted.Count > 0 && !IsTrusted(signer, trusted, time))
                return (null, $"{what} is signed by \"{signer.Subject}\", which is not a timestamp authority you trust (--tsa-cert)");
            return (new TimestampFinding(size, time, signer.Subject, trusted.Count > 0), null);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
        {
            return (null, $"{what} cannot be read: {ex.Message}");
        }
    }

    /// <summary>The signer is one of the trusted certificates, or chains to one for time stamping at the token's time.</summary>
    private static bool IsTrusted(X509Certificate2 signer, IReadOnlyList<X509Certificate2> trusted, DateTimeOffset at)
    {
        if (trusted.Any(t => t.RawData.AsSpan().SequenceEqual(signer.RawData))) return true;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(TimeStampingUsage));
        foreach (var t in trusted) chain.ChainPolicy.CustomTrustStore.Add(t);
        return chain.Build(signer);
    }

    /// <summary>Certificates from a PEM file (one or more) or a DER file.</summary>
    public static List<X509Certificate2> LoadCertificates(string path)
    {
        var text = File.ReadAllBytes(path);
        if (text.AsSpan().StartsWith("-----"u8))
        {
            var collection = new X509Certificate2Collection();
            collection.ImportFromPemFile(path);
            if (collection.Count == 0) throw new FormatException($"{path} holds no certificate");
            return collection.ToList();
        }
        return [X509CertificateLoader.LoadCertificate(text)];
    }
}
