using CadapDrafting.Evidence;

namespace CadapDrafting.Tests.Evidence;

/// <summary>
/// Heads timestamped by an RFC 3161 authority (a local one, run with openssl), checked by the offline verifier: a
/// token whose imprint and signature hold, from an authority the auditor trusts, turns "the server's word" about
/// time into a time someone else vouches for. A token of another head, a forged or altered token, or one from an
/// authority the auditor does not trust is refused with the reason; none of them crashes the verifier.
/// </summary>
public sealed class TimestampedHeads : IAsyncLifetime
{
    private LocalTimestampAuthority _authority = null!;
    private LocalTimestampAuthority _rogue = null!;

    public async Task InitializeAsync()
    {
        _authority = await LocalTimestampAuthority.StartAsync("Test Time Authority");
        _rogue = await LocalTimestampAuthority.StartAsync("Rogue Time Authority");
    }

    public async Task DisposeAsync()
    {
        await _authority.DisposeAsync();
        await _rogue.DisposeAsync();
    }

    private async Task<(List<ChainEvent> Events, List<SignedTreeHead> Heads)> Timestamped(LocalTimestampAuthority? by = null)
    {
        var events = ForgedBundles.Events(6);
        var heads = new List<SignedTreeHead>();
        foreach (var head in ForgedBundles.Heads(events, [3, 6]))
            heads.Add(head with { Timestamp = await (by ?? _authority).TokenFor(head.Head.SignedMessage()) });
        return (events, heads);
    }

    private static ChainVerdict Verify(List<ChainEvent> events, List<SignedTreeHead> heads, params string[] authorities) =>
        EvidenceBundle.Verify(new MemoryStream(ForgedBundles.Bundle(events, heads)), new BundleTrust
        {
            TimestampAuthorities = authorities.SelectMany(HeadTimestamps.LoadCertificates).ToList(),
        });

    [Fact]
    public async Task Heads_timestamped_by_an_authority_the_auditor_trusts_have_a_time_someone_else_vouches_for()
    {
        var before = DateTimeOffset.UtcNow.AddMinutes(-1);
        var (events, heads) = await Timestamped();

        var verdict = Verify(events, heads, _authority.CaCertificateFile);
        Assert.True(verdict.Intact, verdict.Problem);
        var line = Assert.Single(verdict.Proven, p => p.Contains("RFC 3161 timestamp"));
        Assert.Contains("2 head(s) carry an RFC 3161 timestamp whose imprint and signature hold", line);
        Assert.Contains("positions 1–6 existed by", line);
        Assert.Contains("CN=Test Time Authority", line);
        Assert.Contains("an authority you trust", line);
        var time = DateTimeOffset.Parse(line[(line.IndexOf("existed by ", StringComparison.Ordinal) + 11)..].Split(',')[0]);
        Assert.InRange(time, before, DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.DoesNotContain(verdict.NotProven, p => p.Contains("server's word"));

        // The authority's own certificate, rather than its CA's, is trusted as well.
        Assert.True(Verify(events, heads, _authority.CertificateFile).Intact);

        // Not naming the authority: the tokens hold, and the report says who vouches and that it was not named.
        var unnamed = Verify(events, heads);
        Assert.True(unnamed.Intact, unnamed.Problem);
        Assert.Contains(unnamed.NotProven, p => p.Contains("the timestamp authority was not named by you (--tsa-cert)"));
    }

    [Fact]
    public async Task Without_a_timestamp_authority_the_report_says_time_is_the_servers_word()
    {
        var events = ForgedBundles.Events(4);
        var verdict = Verify(events, ForgedBundles.Heads(events, [2, 4]), _authority.CaCertificateFile);
        Assert.True(verdict.Intact, verdict.Problem);
        Assert.Contains(verdict.NotProven, p => p.Contains("the times of events and heads are the server's word"));

        // Only the first head timestamped: the later positions' times are still the server's word.
        var heads = ForgedBundles.Heads(events, [2, 4]);
        heads[0] = heads[0] with { Timestamp = await _authority.TokenFor(heads[0].Head.SignedMessage()) };
        var partly = Verify(events, heads, _authority.CaCertificateFile);
        Assert.True(partly.Intact, partly.Problem);
        Assert.Contains(partly.NotProven, p => p.Contains("the times of positions 3–4 are the server's word"));
    }

    [Fact]
    public async Task A_token_of_another_head_an_altered_token_or_garbage_is_refused_with_the_reason()
    {
        var (events, heads) = await Timestamped();

        // The token of the head at 3 moved to the head at 6: made for other bytes.
        var swapped = heads.ToList();
        swapped[1] = swapped[1] with { Timestamp = heads[0].Timestamp };
        var verdict = Verify(events, swapped, _authority.CaCertificateFile);
        Assert.False(verdict.Intact);
        Assert.Contains("the timestamp token of the head at size 6 was made for other bytes than this head's signed message", verdict.Problem);

        // One byte of the token's signature changed (its last bytes are the signature value).
        var altered = heads.ToList();
        var token = heads[1].Timestamp!.ToArray();
        token[^5] ^= 0x01;
        altered[1] = altered[1] with { Timestamp = token };
        verdict = Verify(events, altered, _authority.CaCertificateFile);
        Assert.False(verdict.Intact);
        Assert.Contains("the timestamp token of the head at size 6", verdict.Problem);

        // Not a token at all.
        var garbage = heads.ToList();
        garbage[0] = garbage[0] with { Timestamp = "not a token"u8.ToArray() };
        verdict = Verify(events, garbage, _authority.CaCertificateFile);
        Assert.False(verdict.Intact);
        Assert.Contains("the timestamp token of the head at size 3 is not an RFC 3161 timestamp token", verdict.Problem);
    }

    [Fact]
    public async Task A_token_from_an_authority_the_auditor_does_not_trust_is_refused()
    {
        var (events, heads) = await Timestamped(_rogue);
        var verdict = Verify(events, heads, _authority.CaCertificateFile);
        Assert.False(verdict.Intact);
        Assert.Contains("is signed by \"CN=Rogue Time Authority\", which is not a timestamp authority you trust (--tsa-cert)", verdict.Problem);

        // The same bundle, offline, as an auditor runs the verifier: exit 1 and the reason; with the rogue's CA named, it holds.
        var folder = Directory.CreateTempSubdirectory("cadap-tsa-bundle-").FullName;
        var bundle = Path.Combine(folder, "bundle.zip");
        await File.WriteAllBytesAsync(bundle, ForgedBundles.Bundle(events, heads));
        var output = new StringWriter();
        Assert.Equal(1, VerifierCommand.Run([bundle, "--tsa-cert", _authority.CaCertificateFile], output, output));
        Assert.Contains("not a timestamp authority you trust", output.ToString());
        output = new StringWriter();
        Assert.Equal(0, VerifierCommand.Run([bundle, "--tsa-cert", _rogue.CaCertificateFile], output, output));
        Assert.Contains("CN=Rogue Time Authority\" vouches, an authority you trust", output.ToString());

        // A file that holds no certificate is bad usage, not a crash.
        var notACertificate = Path.Combine(folder, "not-a-cert.pem");
        await File.WriteAllTextAsync(notACertificate, "-----BEGIN NOTHING-----\nAAAA\n-----END NOTHING-----\n");
        output = new StringWriter();
        Assert.Equal(2, VerifierCommand.Run([bundle, "--tsa-cert", notACertificate], output, output));
    }
}
