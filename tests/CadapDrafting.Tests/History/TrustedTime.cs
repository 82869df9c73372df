using CadapDrafting.Drafts;
using CadapDrafting.Evidence;
using CadapDrafting.Transparency;
using Microsoft.Extensions.DependencyInjection;

namespace CadapDrafting.Tests.History;

/// <summary>
/// The server configured with an RFC 3161 timestamp authority (a local one, run with openssl): every head it signs
/// carries the authority's token, the evidence bundle carries the tokens, and the offline verifier, trusting that
/// authority's certificate, reports when the log provably existed, no longer on the server's word.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class TrustedTime(AppFixture app, LiveServer live)
{
    /// <summary>The settings of both running servers (the test cluster shares the database).</summary>
    private LogSettings[] Settings => [app.Host.Services.GetRequiredService<LogSettings>(), live.Services.GetRequiredService<LogSettings>()];

    /// <summary>
    /// A new draft whose latest head carries a token of <paramref name="authority"/>: Evidence:TimestampAuthority is set on the
    /// running servers while it is written (every other story runs without one). Another server on the same database may sign a
    /// head first, without a token: then the next change is awaited.
    /// </summary>
    private async Task<(Guid Draft, SignedTreeHead Head)> ATimestampedHead(LocalTimestampAuthority authority, Person editor, Person auditor,
        string country, string action)
    {
        foreach (var s in Settings) s.TimestampAuthority = authority.Address.ToString();
        try
        {
            var draft = await editor.CreatesDraft(country);
            SignedTreeHead head;
            var attempts = 0;
            do
            {
                await editor.Inserts(draft, NodeKind.Action, $"{action}, site {++attempts}");
                head = await auditor.SeesSignedHeadAt(draft, (await editor.Reads(draft)).Position);
            }
            while (head.Timestamp is null && attempts < 5);
            return (draft, head);
        }
        finally
        {
            foreach (var s in Settings) s.TimestampAuthority = null;
        }
    }

    [Fact]
    public async Task Heads_signed_with_a_timestamp_authority_configured_carry_its_token_and_the_verifier_reports_the_time()
    {
        await using var authority = await LocalTimestampAuthority.StartAsync();
        var editor = await Person.SignIn(app, "kg-editor");
        var auditor = await Person.SignIn(app, "auditor");
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        var (draft, head) = await ATimestampedHead(authority, editor, auditor, "KG", "Drug-checking services at festivals");

        // The head as the server serves it carries a token over exactly its signed bytes, from that authority.
        Assert.True(head.Timestamp is not null, $"answered {authority.Answered}; " + string.Join("\n", app.Logs.Entries
            .Where(e => e.Category.Contains("Timestamp")).Select(e => $"{e.Message} {e.Exception}")));
        Assert.True(System.Security.Cryptography.Pkcs.Rfc3161TimestampToken.TryDecode(head.Timestamp, out var token, out _));
        Assert.True(token!.VerifySignatureForData(head.Head.SignedMessage(), out var signer));
        Assert.Equal("CN=Test Time Authority", signer!.Subject);
        Assert.InRange(token.TokenInfo.Timestamp, before, DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.True(authority.Answered > 0);

        // The bundle carries the tokens; the verifier checks each and reports the time the authority vouches for.
        var folder = Directory.CreateTempSubdirectory("cadap-timed-bundle-").FullName;
        var bundle = Path.Combine(folder, "bundle.zip");
        await File.WriteAllBytesAsync(bundle, await auditor.ExportsBundle(draft));
        var output = new StringWriter();
        var exit = VerifierCommand.Run([bundle, "--server-key", TestLog.ServerKeyFile, "--tsa-cert", authority.CaCertificateFile], output, output);
        Assert.True(exit == 0, output.ToString());
        Assert.Contains("carry an RFC 3161 timestamp whose imprint and signature hold; the latest: positions 1–", output.ToString());
        Assert.Contains("\"CN=Test Time Authority\" vouches, an authority you trust", output.ToString());

        // Trusting another authority only: the same bundle is refused, with the reason.
        await using var other = await LocalTimestampAuthority.StartAsync("Another Time Authority");
        output = new StringWriter();
        Assert.Equal(1, VerifierCommand.Run([bundle, "--tsa-cert", other.CaCertificateFile], output, output));
        Assert.Contains("which is not a timestamp authority you trust (--tsa-cert)", output.ToString());
    }

    [Fact]
    public async Task The_verify_endpoint_checks_the_stored_tokens_against_the_configured_authority_and_names_the_head_of_an_altered_one()
    {
        await using var authority = await LocalTimestampAuthority.StartAsync();
        var editor = await Person.SignIn(app, "tj-editor");
        var auditor = await Person.SignIn(app, "auditor");
        var (draft, head) = await ATimestampedHead(authority, editor, auditor, "TJ", "Low-threshold services in Dushanbe");
        Assert.NotNull(head.Timestamp);
        // Evidence:TimestampAuthorityCertificate, set on the running servers for this story only.
        foreach (var s in Settings) s.TimestampAuthorityCertificate = authority.CaCertificateFile;
        try
        {

            // The server's own check holds the token to the configured authority, as the offline verifier does.
            var report = await auditor.Verifies(draft);
            Assert.True(report.Intact, report.Problem);
            Assert.Contains(report.Proven!, p => p.Contains("carry an RFC 3161 timestamp whose imprint and signature hold") &&
                                                 p.Contains("\"CN=Test Time Authority\" vouches, an authority you trust"));

            // An insider flips the last byte of the stored token: the endpoint names the head whose token no longer holds.
            await DatabaseForger.AltersTimestampToken(draft, head.Head.Size, token =>
            {
                token[^1] ^= 0x01;
                return token;
            });
            report = await auditor.Verifies(draft);
            Assert.False(report.Intact);
            Assert.Contains($"the timestamp token of the head at size {head.Head.Size}", report.Problem);

            // A genuine token of the same authority, but for other bytes (another head's), put in its place: named too.
            var other = await authority.TokenFor("cadap-tree-head/1\n{}"u8.ToArray());
            await DatabaseForger.AltersTimestampToken(draft, head.Head.Size, _ => other);
            report = await auditor.Verifies(draft);
            Assert.False(report.Intact);
            Assert.Contains($"the timestamp token of the head at size {head.Head.Size} was made for other bytes than this head's signed message",
                report.Problem);
        }
        finally
        {
            foreach (var s in Settings) s.TimestampAuthorityCertificate = null;
        }
    }

    [Fact]
    public async Task Without_a_timestamp_authority_the_verifier_says_the_times_are_the_servers_word()
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var auditor = await Person.SignIn(app, "auditor");
        var draft = await editor.CreatesDraft("KZ");
        var head = await auditor.SeesSignedHeadAt(draft, 1);
        Assert.Null(head.Timestamp);
        var bundle = Path.Combine(Directory.CreateTempSubdirectory("cadap-untimed-bundle-").FullName, "bundle.zip");
        await File.WriteAllBytesAsync(bundle, await auditor.ExportsBundle(draft));
        var output = new StringWriter();
        Assert.Equal(0, VerifierCommand.Run([bundle], output, output));
        Assert.Contains("not proven: the times of events and heads are the server's word: no timestamp authority vouched for them",
            output.ToString());
    }
}
