using System.Text.Json;

namespace CadapDrafting.Evidence;

/// <summary>One stored event as the chain sees it: raw JSON of its data and headers, exactly as stored or exported.</summary>
public sealed record ChainEvent(Guid StreamId, long Position, string Type, string DataJson, string HeadersJson);

/// <summary>What re-checking a chain found: the head it reached, or the first event that does not hold and why.</summary>
public sealed record ChainVerdict(bool Intact, long Count, string HeadHash, long? FirstBadPosition, string? Problem)
{
    /// <summary>The Merkle root of the log over the events checked (format 2), lower-case hex.</summary>
    public string? Root { get; init; }

    /// <summary>What the check established, each a sentence an auditor can repeat.</summary>
    public IReadOnlyList<string> Proven { get; init; } = [];

    /// <summary>What the check could not establish with what it was given, and what would establish it.</summary>
    public IReadOnlyList<string> NotProven { get; init; } = [];

    /// <summary>When an exported file was named: whether its stamp names a revision of this verified log.</summary>
    public ExportVerdict? Export { get; init; }

    /// <summary>
    /// What the auditor brought does not hold (a held head whose signature or cosignature fails): nothing was compared with it, and the
    /// run is refused rather than reported as a verdict on the bundle (cadap-verify exits 2).
    /// </summary>
    public bool RefusedInput { get; init; }

    public static ChainVerdict Broken(long? position, string problem, long count = 0) => new(false, count, "", position, problem);
}

/// <summary>
/// Re-computes the hash chain of one draft's events in position order. Alteration (data, type or headers)
/// breaks the hash of the altered event; a deleted event leaves a gap; an inserted event duplicates or
/// shifts a position; a reordered event is hashed against the wrong predecessor and position. The first
/// event that does not hold is named. A missing tail is found by comparing with the expected count and head.
/// </summary>
public sealed class ChainVerifier(Guid streamId)
{
    private long _expectedPosition = 1;
    private string _previousHash = HashChain.Genesis;
    private ChainVerdict? _failure;

    public Guid StreamId { get; } = streamId;
    public long Count => _expectedPosition - 1;
    public string HeadHash => _previousHash;
    public bool Failed => _failure is not null;

    /// <summary>Checks the next event. Returns false (and keeps the first failure) once the chain is broken.</summary>
    public bool Add(ChainEvent e)
    {
        if (_failure is not null) return false;
        var position = _expectedPosition;
        if (e.StreamId != StreamId)
            return Fail(position, $"the event at position {e.Position} belongs to stream {e.StreamId}, not {StreamId}");
        if (e.Position < position)
            return Fail(e.Position, $"position {e.Position} occurs more than once or out of order (an inserted or reordered event)");
        if (e.Position > position)
            return Fail(position, $"position {position} is missing (next event found is {e.Position}): an event was deleted");

        string recorded;
        string computed;
        try
        {
            using var headers = JsonDocument.Parse(e.HeadersJson);
            if (headers.RootElement.ValueKind != JsonValueKind.Object ||
                !headers.RootElement.TryGetProperty(HashChain.HashHeader, out var hash) || hash.ValueKind != JsonValueKind.String)
                return Fail(position, "the event carries no hash");
            recorded = hash.GetString()!;
            computed = HashChain.Compute(_previousHash, StreamId, position, e.Type, CanonicalJson.From(e.DataJson),
                HashChain.CanonicalMetadata(headers.RootElement));
        }
        catch (JsonException ex)
        {
            return Fail(position, $"the event is not well-formed JSON ({ex.Message})");
        }

        if (!string.Equals(recorded, computed, StringComparison.Ordinal))
            return Fail(position, "its content, metadata, type or place in the chain does not match its hash " +
                                  $"(recorded {Short(recorded)}, computed {Short(computed)})");
        _previousHash = recorded;
        _expectedPosition++;
        return true;
    }

    /// <summary>The verdict once every event was added; expected count and head come from an independent record (stream version, manifest).</summary>
    public ChainVerdict Finish(long? expectedCount = null, string? expectedHead = null)
    {
        if (_failure is not null) return _failure;
        if (expectedCount is { } count && count != Count)
            return count > Count
                ? ChainVerdict.Broken(Count + 1,
                    $"the record says {count} events but the chain ends at {Count}: events from position {Count + 1} on were deleted", Count)
                : ChainVerdict.Broken(count + 1,
                    $"the record says {count} events but the chain holds {Count}: events after position {count} were added", Count);
        if (expectedHead is not null && !string.Equals(expectedHead, HeadHash, StringComparison.Ordinal))
            return ChainVerdict.Broken(Count, $"the chain's head {Short(HeadHash)} is not the expected head {Short(expectedHead)}", Count);
        return new ChainVerdict(true, Count, HeadHash, null, null);
    }

    private bool Fail(long position, string problem)
    {
        _failure = ChainVerdict.Broken(position, $"position {position}: {problem}", Count);
        return false;
    }

    /// <summary>A hash as people read it in a message: its first 16 characters.</summary>
    public static string Short(string hash) => hash.Length > 16 ? hash[..16] + "…" : hash;
}
