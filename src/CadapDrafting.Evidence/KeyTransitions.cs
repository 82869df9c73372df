using System.Text;
using System.Text.Json;

namespace CadapDrafting.Evidence;

/// <summary>
/// A key transition (docs/evidence.md §5.2): the server's earlier key endorses its next key by signing
/// <c>"cadap-key-transition/1\n" + C2({"from": earlier key id, "to": next key id})</c>. Whoever trusts the earlier key (a
/// witness, an auditor) takes the next one on that endorsement alone; a key the server lists without one is not trusted.
/// </summary>
public sealed record KeyTransition(string From, string To, byte[] Signature)
{
    public const string SignedContext = "cadap-key-transition/1\n";

    public static byte[] SignedMessage(string from, string to)
    {
        var sb = new StringBuilder(SignedContext).Append("{\"from\":");
        CanonicalForm.WriteString(from, sb);
        sb.Append(",\"to\":");
        CanonicalForm.WriteString(to, sb);
        return Encoding.UTF8.GetBytes(sb.Append('}').ToString());
    }

    /// <summary>The earlier key endorses the key of id <paramref name="to"/>.</summary>
    public static KeyTransition Endorse(SigningKey earlier, string to) => new(earlier.KeyId, to, earlier.Sign(SignedMessage(earlier.KeyId, to)));

    /// <summary>
    /// Whether this is an endorsement made by <paramref name="from"/>: its id is <see cref="From"/> and the signature holds under it.
    /// </summary>
    public bool MadeBy(PublishedKey from) =>
        from.KeyId == From && From != To && SigningKey.Verify(from.PublicKey, SignedMessage(From, To), Signature);

    public static KeyTransition Parse(JsonElement element, string what = "a key transition")
    {
        var o = StrictObject.Of(element, what, ["from", "to", "signature"]);
        return new KeyTransition(Convert.ToHexStringLower(o.Hex("from", 32)), Convert.ToHexStringLower(o.Hex("to", 32)), o.Base64("signature"));
    }

    public Dictionary<string, object> ToJson() => new() { ["from"] = From, ["to"] = To, ["signature"] = Convert.ToBase64String(Signature) };

    /// <summary>
    /// The keys of <paramref name="listed"/> that <paramref name="trusted"/> reach through endorsements: a key is taken when a transition
    /// from a key already taken (or trusted) to it holds, and so on along a chain of rotations. The trusted keys themselves are included.
    /// </summary>
    public static List<(PublishedKey Key, KeyTransition? Endorsement)> Reach(IEnumerable<PublishedKey> trusted, IEnumerable<PublishedKey> listed,
        IEnumerable<KeyTransition> transitions)
    {
        var reached = trusted.DistinctBy(k => k.KeyId).Select(k => (Key: k, Endorsement: (KeyTransition?)null)).ToList();
        var candidates = listed.Where(k => reached.All(r => r.Key.KeyId != k.KeyId)).DistinctBy(k => k.KeyId).ToList();
        var all = transitions.ToList();
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var candidate in candidates.ToList())
            {
                var endorsement = all.FirstOrDefault(t => t.To == candidate.KeyId && reached.Any(r => t.MadeBy(r.Key)));
                if (endorsement is null) continue;
                reached.Add((candidate, endorsement));
                candidates.Remove(candidate);
                grew = true;
            }
        }
        return reached;
    }
}
