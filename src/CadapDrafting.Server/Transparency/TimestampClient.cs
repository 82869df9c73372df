using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace CadapDrafting.Transparency;

/// <summary>
/// Asks the configured RFC 3161 timestamp authority to timestamp a signed head's message, so a head's time is
/// vouched for by someone other than the server. Without an authority configured it does nothing; when the
/// authority fails the head is still signed, without a token, and the failure logged.
/// </summary>
public sealed class TimestampClient(HttpClient http, LogSettings settings, ILogger<TimestampClient> logger)
{
    public async Task<byte[]?> StampAsync(byte[] message, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(settings.TimestampAuthority)) return null;
        try
        {
            var request = Rfc3161TimestampRequest.CreateFromData(message, HashAlgorithmName.SHA256,
                nonce: RandomNumberGenerator.GetBytes(8), requestSignerCertificates: true);
            using var content = new ByteArrayContent(request.Encode());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
            using var response = await http.PostAsync(settings.TimestampAuthority, content, ct);
            response.EnsureSuccessStatusCode();
            var token = request.ProcessResponse(await response.Content.ReadAsByteArrayAsync(ct), out _);
            return token.AsSignedCms().Encode();
        }
        catch (Exception ex) when (ex is HttpRequestException or CryptographicException or TaskCanceledException)
        {
            logger.LogWarning(ex, "The timestamp authority {Authority} did not timestamp a head", settings.TimestampAuthority);
            return null;
        }
    }
}

/// <summary>
/// The timestamp authorities the server's own checks trust (Evidence:TimestampAuthorityCertificate): the stored heads'
/// tokens are checked by <see cref="HeadTimestamps"/>, the check the offline verifier makes, against these. Read when
/// first needed and again whenever the setting names another file.
/// </summary>
public sealed class TimestampAuthorities(LogSettings settings)
{
    private sealed record Loaded(string Path, List<X509Certificate2> Certificates);

    private Loaded? _loaded;

    /// <summary>The trusted certificates (none when none is configured), or why the configured file could not be read.</summary>
    public (IReadOnlyList<X509Certificate2> Trusted, string? Problem) Trusted()
    {
        var path = settings.TimestampAuthorityCertificate;
        if (string.IsNullOrWhiteSpace(path)) return ([], null);
        if (_loaded is { } loaded && loaded.Path == path) return (loaded.Certificates, null);
        try
        {
            var certificates = HeadTimestamps.LoadCertificates(path);
            _loaded = new Loaded(path, certificates);
            return (certificates, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or CryptographicException)
        {
            return ([], $"the timestamp authority's certificate ({path}) cannot be read ({ex.Message}): the tokens were checked without it");
        }
    }
}
