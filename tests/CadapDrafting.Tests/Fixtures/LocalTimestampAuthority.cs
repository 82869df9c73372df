using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>
/// An RFC 3161 timestamp authority of the test's own: a throwaway CA and a time-stamping certificate made with
/// openssl, and a small HTTP endpoint in this process that hands each DER request to `openssl ts -reply` and answers
/// with its response, as a real authority answers over HTTP (RFC 3161 §3.4).
/// </summary>
public sealed class LocalTimestampAuthority : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SemaphoreSlim _one = new(1, 1);

    private LocalTimestampAuthority(string folder, string name, WebApplication app, Uri address)
    {
        Folder = folder;
        Name = name;
        _app = app;
        Address = address;
    }

    public string Folder { get; }
    public string Name { get; }
    public Uri Address { get; }
    /// <summary>The CA's certificate (PEM): what an auditor trusts (--tsa-cert).</summary>
    public string CaCertificateFile => Path.Combine(Folder, "ca.crt");
    /// <summary>The authority's own certificate (PEM).</summary>
    public string CertificateFile => Path.Combine(Folder, "tsa.crt");
    public int Answered { get; private set; }

    public static async Task<LocalTimestampAuthority> StartAsync(string name = "Test Time Authority")
    {
        var folder = Directory.CreateTempSubdirectory("cadap-tsa-").FullName;
        await MakeCertificatesAsync(folder, name);
        var port = Hosting.EmbeddedPostgres.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var authority = new LocalTimestampAuthority(folder, name, app, new Uri($"http://127.0.0.1:{port}/"));
        app.MapPost("/", authority.AnswerAsync);
        await app.StartAsync();
        return authority;
    }

    /// <summary>A token for <paramref name="message"/> straight from the authority, as the server's client asks for one.</summary>
    public async Task<byte[]> TokenFor(byte[] message)
    {
        var request = Rfc3161TimestampRequest.CreateFromData(message, HashAlgorithmName.SHA256, nonce: RandomNumberGenerator.GetBytes(8),
            requestSignerCertificates: true);
        using var http = new HttpClient();
        using var content = new ByteArrayContent(request.Encode());
        content.Headers.ContentType = new("application/timestamp-query");
        using var response = await http.PostAsync(Address, content);
        response.EnsureSuccessStatusCode();
        return request.ProcessResponse(await response.Content.ReadAsByteArrayAsync(), out _).AsSignedCms().Encode();
    }

    private async Task AnswerAsync(HttpContext http)
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body);
        await _one.WaitAsync();
        try
        {
            var query = Path.Combine(Folder, "query.der");
            var reply = Path.Combine(Folder, "reply.der");
            await File.WriteAllBytesAsync(query, body.ToArray());
            File.Delete(reply);
            var (code, output) = await Openssl(Folder, "ts", "-reply", "-config", "tsa.cnf", "-queryfile", query, "-out", reply);
            if (code != 0)
            {
                http.Response.StatusCode = 500;
                await http.Response.WriteAsync(output);
                return;
            }
            Answered++;
            http.Response.ContentType = "application/timestamp-reply";
            await http.Response.Body.WriteAsync(await File.ReadAllBytesAsync(reply));
        }
        finally { _one.Release(); }
    }

    private static async Task MakeCertificatesAsync(string folder, string name)
    {
        await File.WriteAllTextAsync(Path.Combine(folder, "tsa-ext.cnf"),
            "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "serial"), "01\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "tsa.cnf"), $"""
            [ tsa ]
            default_tsa = local
            [ local ]
            dir = {folder}
            serial = $dir/serial
            crypto_device = builtin
            signer_cert = $dir/tsa.crt
            certs = $dir/tsa.crt
            signer_key = $dir/tsa.key
            signer_digest = sha256
            default_policy = 1.3.6.1.4.1.55555.1
            digests = sha256, sha384, sha512
            accuracy = secs:1
            ordering = yes
            tsa_name = yes
            ess_cert_id_chain = no
            ess_cert_id_alg = sha256

            """);
        foreach (var args in new[]
                 {
                     new[] { "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                         "-days", "3650", "-subj", $"/CN={name} CA", "-addext", "basicConstraints=critical,CA:TRUE",
                         "-addext", "keyUsage=critical,keyCertSign,cRLSign" },
                     ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "tsa.key", "-out", "tsa.csr",
                         "-subj", $"/CN={name}"],
                     ["x509", "-req", "-in", "tsa.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "tsa.crt", "-days", "3650",
                         "-extfile", "tsa-ext.cnf"],
                 })
        {
            var (code, output) = await Openssl(folder, args);
            if (code != 0) throw new InvalidOperationException($"openssl {string.Join(' ', args)} failed: {output}");
        }
    }

    private static async Task<(int Code, string Output)> Openssl(string folder, params string[] args)
    {
        var info = new ProcessStartInfo("openssl")
        {
            WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
    }
}
