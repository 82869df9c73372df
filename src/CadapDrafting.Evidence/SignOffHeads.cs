using System.Text.Json;

namespace CadapDrafting.Evidence;

/// <summary>
/// The signed head of a draft's log that a sign-off (or the approval it completes) was made at, as its event's data states
/// it under <c>signedHead</c> (docs/evidence.md §11): size, root (hex), time, key id and signature (base64); the draft is
/// the event's stream. The server fills it in; the approver's client cannot supply it.
/// </summary>
public sealed record SignedHeadStatement(long Size, string Root, string Time, string KeyId, string Signature)
{
    public const string Member = "signedHead";

    public static SignedHeadStatement Of(SignedTreeHead head) =>
        new(head.Head.Size, head.Head.RootHex, EvidenceTime.Of(head.Head.Time), head.KeyId, Convert.ToBase64String(head.Signature));

    /// <summary>The head as signed, of <paramref name="draftId"/>; a <see cref="FormatException"/> when a value is not of its form.</summary>
    public SignedTreeHead ToSigned(Guid draftId) =>
        SignedTreeHead.Parse(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["head"] = new Dictionary<string, object> { ["draftId"] = draftId.ToString("D"), ["size"] = Size, ["root"] = Root, ["time"] = Time },
            ["keyId"] = KeyId,
            ["signature"] = Signature,
        }), "the signed head a sign-off states");

    /// <summary>
    /// The signed head an event's data states (<c>signedHead</c>, with the <c>revision</c> it signs), or null when the data states
    /// none (an event of another kind, or a sign-off made before sign-offs recorded their head). A statement that is present but
    /// not of the form is a <see cref="FormatException"/>: a verifier treats it as not holding.
    /// </summary>
    public static (SignedTreeHead Head, long Revision)? In(ChainEvent e)
    {
        using var data = JsonDocument.Parse(e.DataJson);
        var root = data.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(Member, out var stated) || stated.ValueKind == JsonValueKind.Null)
            return null;
        if (!root.TryGetProperty("revision", out var r) || !r.TryGetInt64(out var revision))
            throw new FormatException("the event states a signed head but no revision");
        var o = StrictObject.Of(stated, "the signed head the event states", ["size", "root", "time", "keyId", "signature"]);
        var statement = new SignedHeadStatement(o.Integer("size"), o.String("root"), o.String("time"), o.String("keyId"), o.String("signature"));
        return (statement.ToSigned(e.StreamId), revision);
    }
}
