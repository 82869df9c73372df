using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace CadapDrafting.Evidence;

/// <summary>One pass over a bundle: its entries, manifest, keys and heads read strictly, then the events streamed once.</summary>
internal static class BundleVerification
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);
    private static readonly string[] Known =
        [EvidenceBundle.EventsEntry, EvidenceBundle.HashesEntry, EvidenceBundle.ManifestEntry, EvidenceBundle.HeadsEntry, EvidenceBundle.KeysEntry];
    private const long MaxSmallEntry = 64L << 20;

    private sealed record Manifest(int Version, Guid DraftId, long Count, string HeadHash, byte[]? Root);

    public static ChainVerdict Run(Stream bundle, BundleTrust trust)
    {
        ZipArchive zip;
        try { zip = new ZipArchive(bundle, ZipArchiveMode.Read, leaveOpen: true); }
        catch (InvalidDataException ex) { return ChainVerdict.Broken(null, $"not a bundle: {ex.Message}"); }
        using (zip)
        {
            var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
            foreach (var entry in zip.Entries)
            {
                if (!Known.Contains(entry.FullName, StringComparer.Ordinal))
                    return ChainVerdict.Broken(null, $"the bundle holds an entry outside its format: \"{entry.FullName}\"");
                if (!entries.TryAdd(entry.FullName, entry))
                    return ChainVerdict.Broken(null, $"the bundle holds two entries named {entry.FullName}: which one is the record cannot be told");
            }
            if (!entries.TryGetValue(EvidenceBundle.ManifestEntry, out var manifestEntry))
                return ChainVerdict.Broken(null, $"the bundle lacks {EvidenceBundle.ManifestEntry}");
            var manifest = ReadManifest(ReadSmall(manifestEntry));
            string[] required = manifest.Version == 1
                ? [EvidenceBundle.EventsEntry, EvidenceBundle.HashesEntry]
                : [EvidenceBundle.EventsEntry, EvidenceBundle.HashesEntry, EvidenceBundle.HeadsEntry, EvidenceBundle.KeysEntry];
            foreach (var name in required)
                if (!entries.ContainsKey(name)) return ChainVerdict.Broken(null, $"the bundle lacks {name}");
            if (manifest.Version == 1 && entries.Keys.FirstOrDefault(n => n is EvidenceBundle.HeadsEntry or EvidenceBundle.KeysEntry) is { } extra)
                return ChainVerdict.Broken(null, $"a format 1 bundle holds {extra}, which that format does not have");

            var keys = manifest.Version == 1 ? [] : ReadKeys(ReadSmall(entries[EvidenceBundle.KeysEntry]));
            var timestamps = new List<TimestampFinding>();
            var (heads, headProblem) = manifest.Version == 1
                ? ([], null)
                : ReadHeads(entries[EvidenceBundle.HeadsEntry], manifest.DraftId, keys, trust, timestamps);
            if (headProblem is not null) return ChainVerdict.Broken(null, headProblem);
            // A head held as "size:root" names no draft: it is taken as one of the bundle's draft.
            var held = trust.HeldHeads.Select(h => HeldHead.ByAuditor(h.DraftId == Guid.Empty ? h with { DraftId = manifest.DraftId } : h)).ToList();
            var (heldSigned, heldProblem) = CheckHeld(trust.HeldSignedHeads, manifest.DraftId, keys, trust);
            if (heldProblem is not null) return ChainVerdict.Broken(null, heldProblem) with { RefusedInput = true };
            held.AddRange(heldSigned);
            var audit = new LogAudit(manifest.DraftId, manifest.Version >= 2, heads, held, trust.ServerKeys.Count > 0, trust.WitnessKeys)
            {
                Timestamps = timestamps, Export = trust.Export,
            };
            var verdict = ReadEvents(entries[EvidenceBundle.EventsEntry], audit);
            if (verdict is null)
            {
                verdict = audit.Finish(manifest.Count, manifest.HeadHash);
                if (verdict.Intact && manifest.Root is { } claimed && verdict.Root != Convert.ToHexStringLower(claimed))
                    verdict = audit.Fail(null,
                        $"the manifest's root {ChainVerifier.Short(Convert.ToHexStringLower(claimed))} is not the root of its events");
                if (verdict.Intact && CheckHashList(entries[EvidenceBundle.HashesEntry], audit) is { } listProblem) verdict = listProblem;
                if (verdict.Intact && trust.ExpectedChainHead is { } expectedHead &&
                    !string.Equals(expectedHead, verdict.HeadHash, StringComparison.OrdinalIgnoreCase))
                    verdict = audit.Fail(verdict.Count, $"the chain's head {verdict.HeadHash} is not the expected head {expectedHead}");
            }
            verdict = audit.Explain(verdict, manifest.Version != 1 ? null
                : trust.ExpectedChainHead is not null && verdict.Intact
                    ? "this is a format 1 bundle: it has no signed heads; nothing but the chain head you hold (--expect-head) ties it to " +
                      "the server, and only as far as that head was taken from the server itself"
                    : "this is a format 1 bundle: it has no signed heads, so nothing ties it to the server: anyone able to write the " +
                      "database could have produced it; compare its head with one you hold (--expect-head)");
            if (manifest.Version == 1 && trust.ExpectedChainHead is not null && verdict.Intact)
                verdict = verdict with
                {
                    Proven = [.. verdict.Proven, $"the chain ends at the head you hold ({ChainVerifier.Short(verdict.HeadHash)})"],
                };
            return trust.Export is null ? verdict : verdict with { Export = audit.CheckExport(verdict) };
        }
    }

    /// <summary>Streams the event lines into the audit; the first line that cannot be read or does not hold ends it.</summary>
    private static ChainVerdict? ReadEvents(ZipArchiveEntry entry, LogAudit audit)
    {
        using var reader = new StreamReader(entry.Open(), StrictUtf8);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var expected = audit.Count + 1;
            if (line.Length == 0) return audit.Fail(expected, $"{EvidenceBundle.EventsEntry} line {lineNumber} is empty");
            if (!EvidenceBundle.TryParseLine(line, out var e, out var problem))
                return audit.Fail(expected, $"{EvidenceBundle.EventsEntry} line {lineNumber}: {problem}");
            if (audit.Add(e!) is { } failure) return failure;
        }
        return null;
    }

    private static ChainVerdict? CheckHashList(ZipArchiveEntry hashesEntry, LogAudit audit)
    {
        using var reader = new StreamReader(hashesEntry.Open(), StrictUtf8);
        var seen = 0L;
        while (reader.ReadLine() is { } line)
        {
            seen++;
            var parts = line.Split(' ');
            if (parts.Length != 2 || !long.TryParse(parts[0], out var position) || position != seen || audit.ChainHashAt(position) != parts[1])
                return audit.Fail(seen, $"{EvidenceBundle.HashesEntry} line {seen} does not match the events");
        }
        return seen == audit.Count ? null : audit.Fail(null, $"{EvidenceBundle.HashesEntry} lists {seen} hashes for {audit.Count} events");
    }

    private static string ReadSmall(ZipArchiveEntry entry)
    {
        if (entry.Length > MaxSmallEntry) throw new FormatException($"{entry.FullName} is larger than {MaxSmallEntry >> 20} MB");
        using var reader = new StreamReader(entry.Open(), StrictUtf8);
        return reader.ReadToEnd();
    }

    private static Manifest ReadManifest(string text)
    {
        using var doc = StrictObject.Parse(text, EvidenceBundle.ManifestEntry);
        if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("formatVersion", out var version) ||
            !version.TryGetInt32(out var v) || v is not (1 or 2))
            throw new FormatException($"{EvidenceBundle.ManifestEntry} names no format this verifier knows (1 or 2)");
        if (v == 1)
        {
            var o1 = StrictObject.Of(doc.RootElement, EvidenceBundle.ManifestEntry,
                ["formatVersion", "draftId", "count", "headHash", "exportedAt", "hashAlgorithm"]);
            return new Manifest(1, o1.Id("draftId"), o1.Integer("count"), o1.String("headHash"), null);
        }
        var o = StrictObject.Of(doc.RootElement, EvidenceBundle.ManifestEntry,
            ["formatVersion", "draftId", "count", "root", "headHash", "exportedAt", "hashAlgorithm", "canonicalForm", "log"]);
        if (o.String("hashAlgorithm") != "SHA-256" || o.String("canonicalForm") != CanonicalForm.Version ||
            o.String("log") != EvidenceBundle.LogScheme)
            throw new FormatException($"{EvidenceBundle.ManifestEntry} names a hash, canonical form or log scheme this verifier does not know");
        o.Time("exportedAt");
        return new Manifest(2, o.Id("draftId"), o.Integer("count"), o.String("headHash"), o.Hex("root", Rfc9162.HashSize));
    }

    private static Dictionary<string, PublishedKey> ReadKeys(string text)
    {
        using var doc = StrictObject.Parse(text, EvidenceBundle.KeysEntry);
        var o = StrictObject.Of(doc.RootElement, EvidenceBundle.KeysEntry, ["keys"]);
        var keys = new Dictionary<string, PublishedKey>(StringComparer.Ordinal);
        foreach (var element in o.Array("keys").EnumerateArray())
        {
            var key = PublishedKey.Parse(element, $"{EvidenceBundle.KeysEntry}: a key");
            if (!keys.TryAdd(key.KeyId, key))
                throw new FormatException($"{EvidenceBundle.KeysEntry} lists the key {ChainVerifier.Short(key.KeyId)} twice");
        }
        return keys;
    }

    /// <summary>
    /// The signed heads the auditor holds (docs/evidence.md §7): a head of another draft is passed on to be reported, not compared; the
    /// server signature of every other must hold under a server key the auditor named (--server-key) or, when none was named, a server
    /// key the bundle lists; a cosignature under a witness key the auditor named (--witness-key) or, when none was named, the bundle's
    /// key of that witness, must hold, and then the head counts as that witness's. Cosignatures under keys neither names are not
    /// counted. The first head that does not hold is the problem: what the auditor holds is then no evidence, and nothing is compared.
    /// </summary>
    private static (List<HeldHead>, string?) CheckHeld(IReadOnlyList<SignedTreeHead> heldHeads, Guid draftId,
        Dictionary<string, PublishedKey> keys, BundleTrust trust)
    {
        var taken = new List<HeldHead>();
        foreach (var held in heldHeads)
        {
            if (held.Head.DraftId != draftId)
            {
                taken.Add(HeldHead.ByAuditor(held.Head));
                continue;
            }
            var what = $"the held head at size {held.Head.Size} (root {ChainVerifier.Short(held.Head.RootHex)})";
            var serverKey = trust.ServerKeys.Count > 0
                ? trust.ServerKeys.FirstOrDefault(k => SigningKey.KeyIdOf(k) == held.KeyId)
                : keys.TryGetValue(held.KeyId, out var listed) && listed.Role == PublishedKey.ServerRole ? listed.PublicKey : null;
            if (serverKey is null)
                return (taken, $"{what} is signed with key {ChainVerifier.Short(held.KeyId)}, which is not " + (trust.ServerKeys.Count > 0
                    ? "one of the server keys you trust"
                    : $"a server key {EvidenceBundle.KeysEntry} lists: name the server's key (--server-key) to check it"));
            if (!SigningKey.Verify(serverKey, held.Head.SignedMessage(), held.Signature))
                return (taken, $"{what}: its server signature does not hold: the head is forged or altered, so it proves nothing");
            var witnesses = new List<string>();
            foreach (var c in held.Cosignatures)
            {
                var witnessKey = trust.WitnessKeys.Count > 0
                    ? trust.WitnessKeys.FirstOrDefault(k => SigningKey.KeyIdOf(k) == c.KeyId)
                    : keys.TryGetValue(c.KeyId, out var w) && w.Role == PublishedKey.WitnessRole && w.Name == c.Witness ? w.PublicKey : null;
                if (witnessKey is null) continue;
                if (!SigningKey.Verify(witnessKey, Cosignature.SignedMessage(held.Head, c.Witness, c.Time), c.Signature))
                    return (taken, $"{what} carries a cosignature of \"{c.Witness}\" that does not hold: it is forged, altered or was " +
                                   "moved from another head");
                witnesses.Add(c.Witness);
            }
            if (witnesses.Count == 0) taken.Add(HeldHead.ByAuditor(held.Head));
            else taken.AddRange(witnesses.Distinct().Select(w => HeldHead.ByWitness(held.Head, w)));
        }
        return (taken, null);
    }

    /// <summary>The bundle's signed heads, each signature and cosignature checked; the first that does not hold is the problem.</summary>
    private static (List<SignedTreeHead>, string?) ReadHeads(ZipArchiveEntry entry, Guid draftId, Dictionary<string, PublishedKey> keys,
        BundleTrust trust, List<TimestampFinding> timestamps)
    {
        var heads = new List<SignedTreeHead>();
        using var reader = new StreamReader(entry.Open(), StrictUtf8);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var what = $"{EvidenceBundle.HeadsEntry} line {lineNumber}";
            var head = SignedTreeHead.Parse(line, what);
            var size = head.Head.Size;
            if (head.Head.DraftId != draftId) return (heads, $"{what} is a head of another draft ({head.Head.DraftId})");
            if (heads.Count > 0 && size <= heads[^1].Head.Size) return (heads, $"{what}: the heads repeat a size or are out of order (size {size})");
            if (heads.Count > 0 && head.Head.Time < heads[^1].Head.Time)
                return (heads, $"{what}: the head at size {size} is older than the head at size {heads[^1].Head.Size}");
            if (!keys.TryGetValue(head.KeyId, out var key) || key.Role != PublishedKey.ServerRole)
                return (heads,
                    $"the head at size {size} is signed with key {ChainVerifier.Short(head.KeyId)}, which {EvidenceBundle.KeysEntry} does not list " +
                    "as the server's");
            if (!SigningKey.Verify(key.PublicKey, head.Head.SignedMessage(), head.Signature))
                return (heads, $"the signature of the head at size {size} does not hold: the head is forged or altered");
            if (trust.ServerKeys.Count > 0 && !trust.ServerKeys.Any(k => k.AsSpan().SequenceEqual(key.PublicKey)))
                return (heads,
                    $"the head at size {size} is signed with key {ChainVerifier.Short(head.KeyId)}, which is not one of the server keys you trust");
            foreach (var c in head.Cosignatures)
            {
                if (!keys.TryGetValue(c.KeyId, out var witnessKey) || witnessKey.Role != PublishedKey.WitnessRole || witnessKey.Name != c.Witness)
                    return (heads,
                        $"the head at size {size} carries a cosignature of \"{c.Witness}\" with key {ChainVerifier.Short(c.KeyId)}, which " +
                        $"{EvidenceBundle.KeysEntry} does not list as that witness's");
                if (!SigningKey.Verify(witnessKey.PublicKey, Cosignature.SignedMessage(head.Head, c.Witness, c.Time), c.Signature))
                    return (heads, $"the cosignature of \"{c.Witness}\" on the head at size {size} does not hold: it is forged or altered");
            }
            var (timestamp, timestampProblem) = HeadTimestamps.Check(head, trust.TimestampAuthorities);
            if (timestampProblem is not null) return (heads, timestampProblem);
            if (timestamp is not null) timestamps.Add(timestamp);
            heads.Add(head);
        }
        return (heads, null);
    }
}
