using System.Text.Json;
using System.Text.Json.Serialization;
using CadapDrafting.Infrastructure;

namespace CadapDrafting.Drafts;

/// <summary>
/// The fingerprint of a draft's content alone: the tree in document order, each node with its id, kind,
/// parent, number, text per language and attributes, as canonical JSON, hashed with SHA-256. Position,
/// proposals, comments and lifecycle are left out, so the same content has the same hash at any position;
/// a sign-off carries it to say exactly what the approver saw.
/// </summary>
public static class ContentHash
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Of(Draft draft) => Of(Canonical(draft));

    /// <summary>The hash of content already in canonical form (<see cref="Canonical"/>).</summary>
    public static string Of(string canonical) => Evidence.ExportContent.HashOf(canonical);

    /// <summary>The canonical JSON the hash is taken over: what every export embeds (docs/evidence.md §10.1).</summary>
    public static string Canonical(Draft draft)
    {
        var numbers = Numbering.Of(draft);
        var content = draft.InDocumentOrder()
            .Select(n => new ContentNode(n.Id, n.Kind, n.ParentId, numbers[n.Id], n.Text, n.Attributes))
            .ToList();
        return CanonicalJson.From(JsonSerializer.Serialize(content, Json));
    }

    private sealed record ContentNode(Guid Id, NodeKind Kind, Guid? ParentId, string Number, Dictionary<string, string> Text,
        ActionAttributes? Attributes);
}
