using System.Text.Json;
using CadapDrafting.Evidence;
using Marten;
using Wolverine;

namespace CadapDrafting.Transparency;

/// <summary>Reading the signed heads of a draft's log, as stored (checked by whoever relies on them).</summary>
public sealed class SignedHeads(IDocumentStore store, LogKeys keys)
{
    public async Task<SignedHeadRecord?> LatestAsync(Guid draftId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.Query<SignedHeadRecord>().Where(h => h.DraftId == draftId).OrderByDescending(h => h.Size).FirstOrDefaultAsync(ct);
    }

    public async Task<SignedHeadRecord?> AtAsync(Guid draftId, long size, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<SignedHeadRecord>(SignedHeadRecord.IdOf(draftId, size), ct);
    }

    /// <summary>The first signed head that covers <paramref name="position"/> (its size at least the position).</summary>
    public async Task<SignedHeadRecord?> FirstCoveringAsync(Guid draftId, long position, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.Query<SignedHeadRecord>().Where(h => h.DraftId == draftId && h.Size >= position).OrderBy(h => h.Size)
            .FirstOrDefaultAsync(ct);
    }

    public async Task<List<SignedHeadRecord>> AllAsync(Guid draftId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return (await session.Query<SignedHeadRecord>().Where(h => h.DraftId == draftId).OrderBy(h => h.Size).ToListAsync(ct)).ToList();
    }

    /// <summary>
    /// The earliest signed head of the draft that covers <paramref name="position"/>, as signed (without the
    /// timestamp and cosignatures that may join it later); when none does yet, one is signed first (through the
    /// signing message, inline). What an export states as its signed head: heads only grow, so once one covers a
    /// position the earliest never changes and the same revision always states the same head. Null only when
    /// signing is refused or switched off.
    /// </summary>
    public async Task<SignedTreeHead?> EarliestCoveringAsync(IMessageBus bus, Guid draftId, long position, CancellationToken ct) =>
        await SignedIfNoneCoversAsync(bus, draftId, position, () => FirstCoveringAsync(draftId, position, ct), ct) is { } earliest
            ? earliest.ToSigned() with { Timestamp = null, Cosignatures = [] }
            : null;

    /// <summary>
    /// The latest signed head of the draft, when it covers <paramref name="position"/> (it does when any head does); when
    /// none does yet, one is signed first. Null only when signing is refused or switched off.
    /// </summary>
    public Task<SignedHeadRecord?> LatestCoveringAsync(IMessageBus bus, Guid draftId, long position, CancellationToken ct) =>
        SignedIfNoneCoversAsync(bus, draftId, position,
            async () => await LatestAsync(draftId, ct) is { } latest && latest.Size >= position ? latest : null, ct);

    /// <summary>A head read by <paramref name="read"/>; when it finds none, a head covering the position is signed (inline) and read again.</summary>
    private static async Task<SignedHeadRecord?> SignedIfNoneCoversAsync(IMessageBus bus, Guid draftId, long position,
        Func<Task<SignedHeadRecord?>> read, CancellationToken ct)
    {
        if (await read() is { } head) return head;
        await bus.InvokeAsync(new SignDraftHead(draftId, position), ct);
        return await read();
    }

    /// <summary>Adds a witness's cosignature to the head it cosigned, once it is checked against the witness's configured key.</summary>
    public async Task<string?> AddCosignatureAsync(SignedTreeHead cosigned, CancellationToken ct)
    {
        var head = cosigned.Head;
        await using var session = store.LightweightSession();
        var record = await session.LoadAsync<SignedHeadRecord>(SignedHeadRecord.IdOf(head.DraftId, head.Size), ct);
        if (record is null || !record.Head.SameAs(head)) return $"this server signed no head of size {head.Size} with that root and time";
        foreach (var c in cosigned.Cosignatures)
        {
            if (keys.Witness(c.KeyId) is not { } key || key.Name != c.Witness)
                return $"\"{c.Witness}\" with key {ChainVerifier.Short(c.KeyId)} is not a witness this server knows";
            if (!SigningKey.Verify(key.PublicKey, Cosignature.SignedMessage(head, c.Witness, c.Time), c.Signature))
                return $"the cosignature of \"{c.Witness}\" does not hold";
            if (record.Cosignatures.All(r => r.KeyId != c.KeyId)) record.Cosignatures.Add(CosignatureRecord.Of(c));
        }
        session.Store(record);
        await session.SaveChangesAsync(ct);
        return null;
    }
}

/// <summary>Asks the configured witnesses what they hold for a draft: the head each cosigned last, its cosignature checked.</summary>
public sealed class WitnessHeads(HttpClient http, LogSettings settings, LogKeys keys, ILogger<WitnessHeads> logger)
{
    public sealed record Answer(string Witness, HeldHead? Head, string? Problem);

    /// <summary>Whether any witness with an address is configured (Evidence:Witnesses) to be asked.</summary>
    public bool AnyConfigured => settings.Witnesses.Any(w => !string.IsNullOrWhiteSpace(w.Url));

    public async Task<List<Answer>> AskAsync(Guid draftId, CancellationToken ct)
    {
        var answers = new List<Answer>();
        foreach (var witness in settings.Witnesses.Where(w => !string.IsNullOrWhiteSpace(w.Url)))
        {
            try
            {
                using var response = await http.GetAsync($"{witness.Url!.TrimEnd('/')}/heads/{draftId:D}", ct);
                if (response.StatusCode == System.Net.HttpStatusCode.NotFound) { answers.Add(new(witness.Name, null, null)); continue; }
                response.EnsureSuccessStatusCode();
                var signed = SignedTreeHead.Parse(await response.Content.ReadAsStringAsync(ct), $"the answer of witness \"{witness.Name}\"");
                var mine = signed.Cosignatures.FirstOrDefault(c => c.Witness == witness.Name);
                var key = keys.WitnessKeys.FirstOrDefault(k => k.Name == witness.Name);
                if (mine is null || key is null || mine.KeyId != key.KeyId ||
                    !SigningKey.Verify(key.PublicKey, Cosignature.SignedMessage(signed.Head, mine.Witness, mine.Time), mine.Signature))
                    answers.Add(new(witness.Name, null, $"witness \"{witness.Name}\" answered with a head its key did not cosign"));
                else if (!keys.Holds(signed))
                    answers.Add(new(witness.Name, null, $"witness \"{witness.Name}\" holds a head whose server signature does not hold"));
                else if (signed.Head.DraftId != draftId)
                    answers.Add(new(witness.Name, null, $"witness \"{witness.Name}\" answered with a head of another draft"));
                else
                    answers.Add(new(witness.Name, HeldHead.ByWitness(signed.Head, witness.Name), null));
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or FormatException or JsonException)
            {
                logger.LogWarning(ex, "Witness {Witness} could not be asked about draft {DraftId}", witness.Name, draftId);
                answers.Add(new(witness.Name, null, $"witness \"{witness.Name}\" could not be reached ({ex.Message})"));
            }
        }
        return answers;
    }
}
