using CadapDrafting.Evidence;
using CadapDrafting.History;
using Wolverine;

namespace CadapDrafting.Transparency;

/// <summary>
/// Writes a draft's evidence bundle: a head is signed up to now first (through the signing message), then every
/// event is written with every signed head, its cosignatures and the public keys. Events after the last signed
/// head (written meanwhile, or when signing was refused) are still exported: the verifier says they are unsigned.
/// </summary>
public sealed class EvidenceExport(EventRows rows, SignedHeads heads, LogKeys keys, IServiceScopeFactory scopes, TimeProvider clock)
{
    public async Task<ChainVerdict> WriteAsync(Stream output, Guid draftId, CancellationToken ct)
    {
        await using (var scope = scopes.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(new SignDraftHead(draftId, long.MaxValue), ct);
        // Cosignatures of a witness no longer configured cannot be checked here, and a verifier would find no key for them.
        var signed = (await heads.AllAsync(draftId, ct)).Select(h => h.ToSigned())
            .Select(h => h with { Cosignatures = h.Cosignatures.Where(c => keys.Witness(c.KeyId) is not null).ToList() }).ToList();
        var usedKeys = signed.Select(h => h.KeyId).Concat(signed.SelectMany(h => h.Cosignatures.Select(c => c.KeyId))).ToHashSet();
        var evidence = new BundleEvidence(signed, keys.All.Where(k => usedKeys.Contains(k.KeyId) || k.KeyId == keys.Current.KeyId).ToList());
        return await EvidenceBundle.WriteAsync(output, draftId, rows.ReadAsync(draftId, ct: ct), clock.GetUtcNow(), evidence, ct);
    }
}
