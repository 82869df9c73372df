using System.Text.Json;
using CadapDrafting.Drafts;

namespace CadapDrafting.History.Exports;

/// <summary>
/// What an exported file was made from, so an auditor can check it against the record: the revision, the
/// position, the content hash (the one a sign-off binds to) and the hash chain's head at that position. Every
/// format states it through this one type: as document properties, a footer line and, in a PDF, an attached
/// manifest. <see cref="MadeAt"/> is the time of the last event at that position, never the clock, so the same
/// revision exported twice gives the same bytes.
/// </summary>
public sealed record ExportStamp(Guid DraftId, int Revision, long Position, string ContentHash, string ChainHead, DateTimeOffset MadeAt)
{
    public const string ManifestName = "evidence-manifest.json";

    public static ExportStamp Of(Draft state) =>
        new(state.Id, state.Revision, state.Position, Drafts.ContentHash.Of(state), state.LastHash, state.LastChangedAt);

    /// <summary>The footer line: "Revision 11 · position 23 · content sha256:… · chain head …".</summary>
    public string Line(ExportLabels labels) =>
        $"{labels.Revision} {Revision} · {labels.Position} {Position} · {labels.ContentHash} {ContentHash} · {labels.ChainHead} {ChainHead}";

    /// <summary>Named values for a file's own properties (Word's custom properties, HTML meta, PDF attachment).</summary>
    public IReadOnlyList<(string Name, string Value)> Properties =>
    [
        ("cadap.draftId", DraftId.ToString("D")),
        ("cadap.revision", Revision.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("cadap.position", Position.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("cadap.contentHash", ContentHash),
        ("cadap.chainHead", ChainHead),
        ("cadap.madeAt", MadeAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)),
    ];

    /// <summary>The manifest attached to a PDF: the stamp as JSON, with the language and the attached Akoma Ntoso file named.</summary>
    public byte[] Manifest(string language, string aknFileName) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
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
    }, new JsonSerializerOptions { WriteIndented = true });
}
