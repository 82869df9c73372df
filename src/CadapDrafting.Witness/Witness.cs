using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CadapDrafting.Evidence;

namespace CadapDrafting.Witness;

/// <summary>What one look at the server found for one draft.</summary>
public sealed record Observation(Guid DraftId, long Size, string Outcome);

/// <summary>
/// One round of witnessing: every head the server offers is checked — signed by a server key the witness trusts,
/// and consistent (RFC 9162 consistency proof) with the last head of that draft the witness cosigned — then
/// cosigned, kept, and handed back to the server. A head that does not extend what the witness saw is never
/// cosigned; it is kept as an alarm with the head it contradicts.
/// </summary>
public sealed class Witness(HttpClient server, WitnessSettings settings, SigningKey key, WitnessStore store, ILogger<Witness> logger)
{
    public string Name => settings.Name;
    public SigningKey Key => key;

    public async Task<List<Observation>> ObserveAsync(CancellationToken ct)
    {
        var trusted = await TrustedServerKeysAsync(ct);
        using var response = await SendAsync(HttpMethod.Get, "/api/log/heads", null, ct);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        var offers = new List<SignedTreeHead>();
        foreach (var element in doc.RootElement.EnumerateArray())
        {
            try { offers.Add(SignedTreeHead.Parse(element, "a head the server offered")); }
            catch (FormatException ex) { logger.LogWarning("The server offered a head that cannot be read: {Problem}", ex.Message); }
        }
        // A head signed with a key not trusted yet: the server may have rotated its key. Its new key is taken only on the
        // endorsement of a key this witness already trusts (docs/evidence.md §5.2).
        if (offers.Any(o => trusted.All(k => SigningKey.KeyIdOf(k) != o.KeyId))) trusted = await LearnEndorsedKeysAsync(trusted, ct);
        var observations = new List<Observation>();
        foreach (var offered in offers) observations.Add(await WitnessAsync(offered, trusted, ct));
        return observations;
    }

    private async Task<Observation> WitnessAsync(SignedTreeHead offered, List<byte[]> trusted, CancellationToken ct)
    {
        var head = offered.Head;
        var key = trusted.FirstOrDefault(k => SigningKey.KeyIdOf(k) == offered.KeyId);
        if (key is null || !SigningKey.Verify(key, head.SignedMessage(), offered.Signature))
            return new(head.DraftId, head.Size, "refused: not signed by a server key this witness trusts");

        var last = store.Latest(head.DraftId);
        if (last is not null)
        {
            if (last.Head.SameAs(head)) return new(head.DraftId, head.Size, "seen already");
            string? problem = null;
            if (head.Size < last.Head.Size) problem = $"the log shrank from {last.Head.Size} to {head.Size} events";
            else if (head.Size == last.Head.Size && !head.Root.AsSpan().SequenceEqual(last.Head.Root))
                problem = $"a second, different head at size {head.Size}: the log forked";
            else if (head.Time < last.Head.Time) problem = "the head is older than the last head seen";
            else if (head.Size > last.Head.Size && !await ConsistentAsync(last.Head, head, ct))
                problem = $"the head at size {head.Size} does not extend the head at size {last.Head.Size}: history was rewritten";
            if (problem is not null)
            {
                logger.LogCritical("Draft {DraftId}: {Problem}", head.DraftId, problem);
                store.Alarm(head.DraftId, problem, last, offered);
                return new(head.DraftId, head.Size, "alarm: " + problem);
            }
        }

        var cosigned = offered with { Cosignatures = [Key.Cosign(head, Name, DateTimeOffset.UtcNow)] };
        store.Keep(cosigned);
        try
        {
            using var back = await SendAsync(HttpMethod.Post, $"/api/drafts/{head.DraftId:D}/log/cosignatures", cosigned.ToJsonLine(), ct);
            if (!back.IsSuccessStatusCode)
                logger.LogWarning("The server did not take the cosignature of draft {DraftId} at {Size}: {Status}", head.DraftId, head.Size,
                    (int)back.StatusCode);
        }
        catch (HttpRequestException ex) { logger.LogWarning(ex, "Handing back a cosignature failed"); }
        return new(head.DraftId, head.Size, "cosigned");
    }

    private async Task<bool> ConsistentAsync(TreeHead earlier, TreeHead later, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get,
            $"/api/drafts/{later.DraftId:D}/log/consistency?from={earlier.Size}&to={later.Size}", null, ct);
        if (!response.IsSuccessStatusCode) return false;
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        try
        {
            var o = StrictObject.Of(doc.RootElement, "a consistency proof", ["draftId", "from", "to", "proof"]);
            if (o.Integer("from") != earlier.Size || o.Integer("to") != later.Size) return false;
            var proof = o.Array("proof").EnumerateArray().Select(p => Convert.FromHexString(p.GetString() ?? "")).ToList();
            return Rfc9162.VerifyConsistency(earlier.Size, earlier.Root, later.Size, later.Root, proof);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException) { return false; }
    }

    /// <summary>
    /// The server keys this witness trusts: the configured ones and those it took since on an endorsement; with none configured,
    /// those the server named at first contact (kept and trusted from then on).
    /// </summary>
    private async Task<List<byte[]>> TrustedServerKeysAsync(CancellationToken ct)
    {
        var kept = store.ServerKeys();
        if (settings.ServerKeys.Count > 0)
            return settings.ServerKeys.Select(Convert.FromBase64String).Concat(kept).DistinctBy(SigningKey.KeyIdOf).ToList();
        if (kept.Count > 0) return kept;
        var (listed, _) = await ServerKeysAsync(ct);
        var keys = listed.Select(k => k.PublicKey).ToList();
        store.TrustServerKeys(keys);
        return keys;
    }

    /// <summary>
    /// Asks the server for its keys and takes each new one that a key this witness trusts endorses (a key transition whose signature
    /// holds, along a chain of rotations), keeping the endorsement. A key the server lists that nothing trusted endorses — a key file
    /// replaced by someone without the earlier key — is refused and kept as an alarm, once.
    /// </summary>
    private async Task<List<byte[]>> LearnEndorsedKeysAsync(List<byte[]> trusted, CancellationToken ct)
    {
        List<PublishedKey> listed;
        List<KeyTransition> transitions;
        try { (listed, transitions) = await ServerKeysAsync(ct); }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or FormatException or KeyNotFoundException or
                                       InvalidOperationException)
        {
            logger.LogWarning("The server's keys could not be read: {Problem}", ex.Message);
            return trusted;
        }
        var known = trusted.Select(k => new PublishedKey(SigningKey.KeyIdOf(k), k, PublishedKey.ServerRole, "server")).ToList();
        var reached = KeyTransition.Reach(known, listed, transitions);
        foreach (var (key, endorsement) in reached.Where(r => r.Endorsement is not null))
        {
            logger.LogInformation("Trusting the server's new key {KeyId}: key {From} endorses it", key.KeyId, endorsement!.From);
            store.TrustEndorsedServerKey(key.PublicKey, endorsement);
        }
        foreach (var refused in listed.Where(k => reached.All(r => r.Key.KeyId != k.KeyId)))
        {
            if (store.HasKeyAlarm(refused.KeyId)) continue;
            var problem = $"the server lists key {refused.KeyId}, which no key this witness trusts endorses: heads it signs are refused";
            logger.LogCritical("{Problem}", problem);
            store.KeyAlarm(refused, problem);
        }
        return reached.Select(r => r.Key.PublicKey).ToList();
    }

    private async Task<(List<PublishedKey>, List<KeyTransition>)> ServerKeysAsync(CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/log/keys", null, ct);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        var keys = doc.RootElement.GetProperty("keys").EnumerateArray().Select(k => PublishedKey.Parse(k))
            .Where(k => k.Role == PublishedKey.ServerRole).ToList();
        var transitions = doc.RootElement.TryGetProperty("transitions", out var t) && t.ValueKind == JsonValueKind.Array
            ? t.EnumerateArray().Select(e => KeyTransition.Parse(e)).ToList()
            : [];
        return (keys, transitions);
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json, CancellationToken ct)
    {
        var request = new HttpRequestMessage(method, new Uri(new Uri(settings.Server.TrimEnd('/') + "/"), path.TrimStart('/')));
        var token = settings.Token ?? (settings.TokenFile is { } file ? File.ReadAllText(file).Trim() : null);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return server.SendAsync(request, ct);
    }
}

/// <summary>Polls the server every few seconds.</summary>
public sealed class WitnessLoop(Witness witness, WitnessSettings settings, ILogger<WitnessLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(0.1, settings.PollSeconds)));
        do
        {
            try
            {
                var seen = await witness.ObserveAsync(stoppingToken);
                foreach (var o in seen.Where(o => o.Outcome != "seen already"))
                    logger.LogInformation("Draft {DraftId} at {Size}: {Outcome}", o.DraftId, o.Size, o.Outcome);
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("The server could not be asked for heads: {Problem}", ex.Message);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
