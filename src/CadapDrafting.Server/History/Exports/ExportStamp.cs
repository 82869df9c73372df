using System.Text.Json;
using CadapDrafting.Drafts;
using CadapDrafting.Evidence;

namespace CadapDrafting.History.Exports;

/// <summary>
/// What an exported file was made from, so an auditor can check it against the record: the revision, the
/// position, the content hash (the one a sign-off binds to), the hash chain's head at that position and the signed
/// head of the draft's log that covers it (the earliest one, so the same revision always states the same head;
/// cadap-verify --export checks all of it against a bundle, docs/evidence.md §10). Every format states it through
/// this one type: as document properties, a footer line and, in a PDF, an attached manifest. <see cref="MadeAt"/>
/// is the time of the last event at that position, never the clock, so the same revision exported twice gives the
/// same bytes.
/// </summary>
public sealed record ExportStamp(Guid DraftId, int Revision, long Position, string ContentHash, string ChainHead, DateTimeOffset MadeAt,
    SignedTreeHead? Head = null)
{
    public const string ManifestName = ExportClaim.PdfManifestName;

    public static ExportStamp Of(Draft state, SignedTreeHead? head = null) => Of(state, Drafts.ContentHash.Of(state), head);

    public static ExportStamp Of(Draft state, string contentHash, SignedTreeHead? head) =>
        new(state.Id, state.Revision, state.Position, contentHash, state.LastHash, state.LastChangedAt,
            head is null ? null : head with { Timestamp = null, Cosignatures = [] });

    /// <summary>The footer line: "Revision 11 · position 23 · content sha256:… · chain head … · signed head 25:root (key …)".</summary>
    public string Line(ExportLabels labels) =>
        $"{labels.Revision} {Revision} · {labels.Position} {Position} · {labels.ContentHash} {ContentHash} · {labels.ChainHead} {ChainHead} · " +
        (Head is { } h ? $"{labels.SignedHead} {h.Head.Size}:{h.Head.RootHex} ({labels.Key} {h.KeyId[..16]})" : $"{labels.SignedHead} {labels.None}");

    /// <summary>Named values for a file's own properties (Word's custom properties, HTML meta, PDF attachment).</summary>
    public IReadOnlyList<(string Name, string Value)> Properties =>
    [
        ("cadap.draftId", DraftId.ToString("D")),
        ("cadap.revision", Revision.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("cadap.position", Position.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("cadap.contentHash", ContentHash),
        ("cadap.chainHead", ChainHead),
        ("cadap.madeAt", MadeAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)),
        .. HeadProperties,
    ];

    private IEnumerable<(string Name, string Value)> HeadProperties => Head is not { } h ? [] :
    [
        ("cadap.headSize", h.Head.Size.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("cadap.headRoot", h.Head.RootHex),
        ("cadap.headTime", EvidenceTime.Of(h.Head.Time)),
        ("cadap.headKeyId", h.KeyId),
        ("cadap.headSignature", Convert.ToBase64String(h.Signature)),
    ];

    /// <summary>The manifest attached to a PDF: the stamp as JSON, with the language and the attached Akoma Ntoso file named.</summary>
    public byte[] Manifest(string language, string aknFileName)
    {
        var manifest = new Dictionary<string, object>
        {
            ["draftId"] = DraftId,
            ["revision"] = Revision,
            ["position"] = Position,
            ["contentHash"] = ContentHash,
            ["chainHead"] = ChainHead,
            ["madeAt"] = MadeAt.UtcDateTime,
            ["language"] = language,
            ["aknFile"] = aknFileName,
            ["hashAlgorithm"] = "SHA-256",
        };
        if (Head is not null) manifest["signedHead"] = Head.ToJson();
        return JsonSerializer.SerializeToUtf8Bytes(manifest, new JsonSerializerOptions { WriteIndented = true });
    }
}
