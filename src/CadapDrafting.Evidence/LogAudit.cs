namespace CadapDrafting.Evidence;

/// <summary>A head held from outside the log under check: by the auditor (an earlier bundle, a sign-off) or by a witness.</summary>
public sealed record HeldHead(TreeHead Head, string Description, string? Witness = null)
{
    public static HeldHead ByAuditor(TreeHead head) =>
        new(head, $"the head you hold at size {head.Size} (root {ChainVerifier.Short(head.RootHex)})");

    public static HeldHead ByWitness(TreeHead head, string witness) =>
        new(head, $"the head witness \"{witness}\" cosigned at size {head.Size} ({EvidenceTime.Of(head.Time)})", witness);
}

/// <summary>
/// Checks a draft's events, in position order, against everything that vouches for them: the per-event hash
/// chain, the Merkle log's root at each signed head (whose signatures were checked before), and heads held from
/// outside (an auditor's, a witness's). The first position that does not hold is named: exactly, when the chain
/// breaks there; otherwise the first position after the last head that still holds, since a head vouches for
/// its whole prefix at once. Whatever the outcome, <see cref="Explain"/> says what was and was not proven.
/// </summary>
public sealed class LogAudit
{
    private sealed record Checkpoint(TreeHead Head, SignedTreeHead? Signed, HeldHead? Held)
    {
        public string Describe() => Held?.Description ??
                                    $"the head signed at size {Head.Size} by key {ChainVerifier.Short(Signed!.KeyId)} at " +
                                        $"{EvidenceTime.Of(Head.Time)}";
    }

    private readonly ChainVerifier _chain;
    private readonly TreeFrontier _frontier = new();
    private readonly bool _withLog;
    private readonly IReadOnlyList<SignedTreeHead> _signed;
    private readonly IReadOnlyList<HeldHead> _held;
    private readonly IReadOnlyList<HeldHead> _foreign;
    private readonly bool _serverKeyPinned;
    private readonly IReadOnlyList<byte[]> _witnessKeys;
    private readonly List<Checkpoint> _checkpoints;
    private readonly List<string>? _chainHashes;
    /// <summary>Every leaf hash, when kept (offline): the root of any prefix a sign-off's head names can then be computed.</summary>
    private readonly List<byte[]>? _leaves;
    /// <summary>The log's root at sizes already known: every head that matched, and every prefix a sign-off's head named.</summary>
    private readonly Dictionary<long, byte[]> _rootsAt = new() { [0] = Rfc9162.EmptyRoot };
    /// <summary>The first position that stated each revision's content (docs/evidence.md §3.1).</summary>
    private readonly Dictionary<long, long> _contentFirstStated = [];
    private string? _lastCommandId;
    private long _commandStart;
    /// <summary>The sign-offs (and approvals) whose stated head held: position, revision and the head's size.</summary>
    private readonly List<(long Position, long Revision, long Size)> _signOffHeads = [];
    private int _next;
    private long _lastGood;
    private readonly List<long> _matched = [];
    private string _latestAt = "";
    private long _latestAtPosition;
    private ChainVerdict? _failure;

    public LogAudit(Guid draftId, bool withLog, IReadOnlyList<SignedTreeHead> signedHeads, IReadOnlyList<HeldHead> heldHeads,
        bool serverKeyPinned = false, IReadOnlyList<byte[]>? witnessKeys = null, bool keepChainHashes = true)
    {
        _chain = new ChainVerifier(draftId);
        _withLog = withLog;
        _signed = signedHeads.OrderBy(h => h.Head.Size).ToList();
        _held = heldHeads.Where(h => h.Head.DraftId == draftId).ToList();
        _foreign = heldHeads.Where(h => h.Head.DraftId != draftId).ToList();
        _serverKeyPinned = serverKeyPinned;
        _witnessKeys = witnessKeys ?? [];
        _chainHashes = keepChainHashes ? [] : null;
        _leaves = keepChainHashes ? [] : null;
        _checkpoints = _signed.Select(h => new Checkpoint(h.Head, h, null))
            .Concat(_held.Select(h => new Checkpoint(h.Head, null, h)))
            .OrderBy(c => c.Head.Size).ThenBy(c => c.Signed is null).ToList();
        // A head at size 0 compares with the empty tree.
        CompareDue();
    }

    public long Count => _chain.Count;

    /// <summary>The heads' timestamp tokens that were checked and hold.</summary>
    public IReadOnlyList<TimestampFinding> Timestamps { get; init; } = [];

    /// <summary>Told each event's leaf hash once the event is taken (the server compares its stored leaves and tiles with them).</summary>
    public Action<byte[]>? LeafAdded { get; init; }

    /// <summary>
    /// The server's keys (from the bundle, or the server's own), which a head stated by a sign-off but absent from the signed heads given
    /// must hold a signature of.
    /// </summary>
    public IReadOnlyList<PublishedKey> ServerKeys { get; init; } = [];

    /// <summary>What was established about the keys before the events were read (e.g. a key taken on an earlier key's endorsement).</summary>
    public IReadOnlyList<string> KeyNotes { get; init; } = [];

    /// <summary>What the events were read from, as the report names it ("this bundle", "the server's own records").</summary>
    public string Record { get; init; } = "this bundle";

    /// <summary>An exported file's stamp to confirm against this log (see <see cref="CheckExport"/>).</summary>
    public ExportClaim? Export { get; init; }

    private string? _exportAt;
    private string? _exportChainHash;
    private long? _exportRevision;
    private (long Position, long? Revision, string Hash)? _lastContentStatement;
    private readonly List<(long Position, string Hash)> _contentStatements = [];

    public string? ChainHashAt(long position) => _chainHashes is { } list && position >= 1 && position <= list.Count ? list[(int)position - 1] : null;

    /// <summary>Adds the next event; returns the failure once something does not hold.</summary>
    public ChainVerdict? Add(ChainEvent e)
    {
        if (_failure is not null) return _failure;
        byte[]? leaf = null;
        if (_withLog)
        {
            // First, so an event with no canonical form (a repeated key) is named for what it is.
            try { leaf = LogLeaf.Hash(e); }
            catch (FormatException ex) { return Fail(_chain.Count + 1, $"the event has no canonical form: {ex.Message}"); }
        }
        if (!_chain.Add(e)) return _failure = _chain.Finish();
        if (leaf is not null)
        {
            _frontier.Append(leaf);
            _leaves?.Add(leaf);
            LeafAdded?.Invoke(leaf);
        }
        _chainHashes?.Add(EvidenceBundle.HashOf(e.HeadersJson));
        if (NoteTime(e) is { } signOffFailure) return signOffFailure;
        if (Export is not null) NoteForExport(e, Export);
        return CompareDue();
    }

    public ChainVerdict Fail(long? position, string problem) =>
        _failure ??= ChainVerdict.Broken(position,
            position is { } p && !problem.StartsWith($"position {p}:", StringComparison.Ordinal) ? $"position {p}: {problem}" : problem,
                _chain.Count);

    /// <summary>The verdict once every event was added: the chain against the expected count and head, and no head reaching beyond the
    /// events.</summary>
    public ChainVerdict Finish(long? expectedCount = null, string? expectedChainHead = null)
    {
        if (_failure is not null) return _failure;
        var verdict = _chain.Finish(expectedCount, expectedChainHead);
        if (!verdict.Intact) return _failure = verdict;
        if (_checkpoints.Skip(_next).FirstOrDefault() is { } beyond)
            return Fail(_chain.Count + 1, beyond.Signed is not null
                ? $"{beyond.Describe()} covers positions {_chain.Count + 1}–{beyond.Head.Size}, which are missing: the log was cut"
                : $"{beyond.Describe()} reaches further: positions {_chain.Count + 1}–{beyond.Head.Size} are missing (the log was cut or they were " +
                    "withheld)");
        return verdict with { Root = _withLog ? Convert.ToHexStringLower(_frontier.Root()) : null };
    }

    private ChainVerdict? CompareDue()
    {
        while (_failure is null && _next < _checkpoints.Count && _checkpoints[_next].Head.Size == _chain.Count)
        {
            var checkpoint = _checkpoints[_next++];
            var head = checkpoint.Head;
            if (!_withLog || !_frontier.Root().AsSpan().SequenceEqual(head.Root))
            {
                // Another head of the same size may have matched (one signed over a rewritten history): the change lies after the last smaller head
                // that holds.
                var holds = _matched.Where(size => size < head.Size).DefaultIfEmpty(0).Max();
                return Fail(holds + 1,
                    $"positions {holds + 1}–{head.Size} do not match {checkpoint.Describe()}: the record was changed after that head was made" +
                    (holds > 0 ? $" (positions 1–{holds} hold)" : ""));
            }
            if (checkpoint.Signed is not null && head.Size > 0 && string.CompareOrdinal(_latestAt, EvidenceTime.Of(head.Time)) > 0)
                return Fail(_latestAtPosition,
                    $"position {_latestAtPosition} says it was written at {_latestAt}, after {checkpoint.Describe()} that covers it: its time was " +
                        "changed");
            _lastGood = head.Size;
            _matched.Add(head.Size);
            _rootsAt[head.Size] = head.Root;
        }
        return _failure;
    }

    private void ExplainTimes(ChainVerdict verdict, List<string> proven, List<string> notProven)
    {
        var stamped = Timestamps.Where(t => t.Size <= _lastGood).OrderBy(t => t.Size).ToList();
        if (stamped.Count == 0)
        {
            notProven.Add("the times of events and heads are the server's word: no timestamp authority vouched for them");
            return;
        }
        var latest = stamped[^1];
        proven.Add($"{stamped.Count} head(s) carry an RFC 3161 timestamp whose imprint and signature hold; the latest: positions 1–{latest.Size} " +
                   $"existed by {EvidenceTime.Of(latest.Time)}, as \"{latest.Authority}\" vouches" +
                   (latest.Trusted ? ", an authority you trust" : ""));
        if (stamped.Any(t => !t.Trusted))
            notProven.Add("the timestamp authority was not named by you (--tsa-cert): the tokens hold, " +
                          "but a forger could run an authority of their own");
        if (verdict.Intact && latest.Size < _chain.Count)
            notProven.Add($"the times of positions {latest.Size + 1}–{_chain.Count} are the server's word: no timestamped head covers them");
    }

    /// <summary>
    /// Notes, for an exported file's stamp, the time and chain hash at its position and every event stating the
    /// content of its revision.
    /// </summary>
    private void NoteForExport(ChainEvent e, ExportClaim claim)
    {
        using var headers = System.Text.Json.JsonDocument.Parse(e.HeadersJson);
        var (statedRevision, statedContent) = ContentStatements.Of(headers.RootElement);
        if (e.Position <= claim.Position && statedContent is not null) _lastContentStatement = (e.Position, statedRevision, statedContent);
        if (e.Position == claim.Position)
        {
            _exportChainHash = EvidenceBundle.HashOf(e.HeadersJson);
            _exportAt = headers.RootElement.TryGetProperty("at", out var at) && at.ValueKind == System.Text.Json.JsonValueKind.String
                ? at.GetString()
                : null;
            _exportRevision = statedRevision;
        }
        using var data = System.Text.Json.JsonDocument.Parse(e.DataJson);
        var root = data.RootElement;
        if (root.ValueKind == System.Text.Json.JsonValueKind.Object &&
            root.TryGetProperty("revision", out var revision) && revision.ValueKind == System.Text.Json.JsonValueKind.Number &&
            revision.TryGetInt64(out var r) && r == claim.Revision &&
            root.TryGetProperty("contentHash", out var hash) && hash.ValueKind == System.Text.Json.JsonValueKind.String)
            _contentStatements.Add((e.Position, hash.GetString()!));
    }

    /// <summary>
    /// Whether an exported file's stamp names a revision of this log (docs/evidence.md §10): same draft; a position
    /// the log holds; the signed head it states is one of the log's verified heads and the earliest covering the
    /// position; the chain hash and time it states are those of the event at the position; and its content hash is
    /// the one every event of the signed log stating the content of its revision states.
    /// </summary>
    public ExportVerdict CheckExport(ChainVerdict verdict)
    {
        var claim = Export ?? throw new InvalidOperationException("No exported file was named.");
        if (!verdict.Intact)
            return new ExportVerdict(false, ["the bundle itself does not verify, so nothing can be confirmed against it"], [], []);
        var differs = new List<string>();
        var proven = new List<string>();
        var notProven = new List<string>();
        var draftId = _chain.StreamId;
        var p = claim.Position;
        if (claim.DraftId != draftId) differs.Add($"the file is of draft {claim.DraftId}; the bundle is of draft {draftId}");
        if (p < 1 || p > _chain.Count) differs.Add($"the file states position {p}; the log holds positions 1–{_chain.Count}");
        if (claim.Head is not { } stated)
            differs.Add("the file states no signed head, so it cannot be tied to the signed log");
        else if (stated.Head.DraftId != draftId)
            differs.Add($"the signed head the file states is of draft {stated.Head.DraftId}");
        else if (_signed.FirstOrDefault(s =>
                     s.Head.SameAs(stated.Head) && s.KeyId == stated.KeyId && s.Signature.AsSpan().SequenceEqual(stated.Signature))
                 is not { } match || match.Head.Size > _lastGood)
            differs.Add($"the signed head the file states (size {stated.Head.Size}, root {ChainVerifier.Short(stated.Head.RootHex)}, " +
                        $"key {ChainVerifier.Short(stated.KeyId)}) is not one of this log's verified signed heads");
        else if (stated.Head.Size < p)
            differs.Add($"the signed head the file states (size {stated.Head.Size}) does not cover its position {p}");
        else if (_signed.First(s => s.Head.Size >= p) is { } earliest && earliest.Head.Size != stated.Head.Size)
            differs.Add($"the file states the signed head of size {stated.Head.Size}, but the earliest signed head covering position {p} " +
                        $"is of size {earliest.Head.Size}: the server states that one");
        else
            proven.Add($"the signed head it states (size {stated.Head.Size}, root {ChainVerifier.Short(stated.Head.RootHex)}, " +
                       $"key {ChainVerifier.Short(stated.KeyId)}) is a verified head of this log and the earliest covering position {p}");
        if (p >= 1 && p <= _chain.Count)
        {
            if (claim.ChainHead is { } chainHead && chainHead != _exportChainHash)
                differs.Add($"the file states chain hash {ChainVerifier.Short(chainHead)} at position {p}; the log's event there has " +
                            $"{ChainVerifier.Short(_exportChainHash ?? "none")}");
            if (claim.MadeAt is { } madeAt && (_exportAt is null || madeAt.Length < 19 || _exportAt.Length < 19 ||
                                               string.CompareOrdinal(madeAt, 0, _exportAt, 0, 19) != 0))
                differs.Add($"the file states the time {madeAt} for position {p}; the log's event there was written at " +
                            (_exportAt ?? "no stated time"));
        }
        // The event at the position states its revision (docs/evidence.md §3.1), or was written before content statements.
        var revisionStated = p >= 1 && p <= _chain.Count && _exportRevision is not null;
        if (revisionStated) CheckStatedContent(claim, differs, proven, notProven);
        var statements = _contentStatements.Where(s => s.Position <= _lastGood).ToList();
        if (statements.FirstOrDefault(s => s.Hash != claim.ContentHash) is { Hash: not null } other)
            differs.Add($"the file states content {ChainVerifier.Short(claim.ContentHash)} for revision {claim.Revision}; " +
                        "the log's event at position " +
                        $"{other.Position} states {ChainVerifier.Short(other.Hash)} for that revision");
        else if (statements.Count > 0)
            proven.Add($"its content hash {ChainVerifier.Short(claim.ContentHash)} is the one the signed log states for revision {claim.Revision} " +
                       $"(position(s) {string.Join(", ", statements.Select(s => s.Position))}: a sign-off or an approval)");
        else if (!revisionStated)
            notProven.Add($"that {ChainVerifier.Short(claim.ContentHash)} is the content of revision {claim.Revision}: " +
                          "no event of the signed log states " +
                          "the content of that revision (events written before content statements, docs/evidence.md §3.1, state it only " +
                          "by a sign-off or an approval), and a verifier does not rebuild content from events");
        if (differs.Count == 0)
        {
            proven.Insert(0, $"the {claim.Format} file states position {p} of this draft, with the chain hash and time of the event there");
            if (!revisionStated)
                notProven.Add($"that position {p} is revision {claim.Revision}: the event there states no revision (it was written before " +
                              "content statements)");
            if (claim.Rendering is null) notProven.Add("that the file's text renders that content: the stamp is read, the text is not compared");
            notProven.Add("that the content hash was computed rightly from the events: it is the server's statement, made when the revision " +
                          "was written and covered by the signed log since");
        }
        // The file's text against the content its stamp states (docs/evidence.md §10.1), read when the file was.
        if (claim.Rendering is { } rendering)
        {
            differs.AddRange(rendering.Differences);
            proven.AddRange(rendering.Proven);
            notProven.AddRange(rendering.NotProven);
        }
        return new ExportVerdict(differs.Count == 0, differs, proven, notProven);
    }

    /// <summary>
    /// The content statements of the log (docs/evidence.md §3.1): the event at the file's position states the file's
    /// revision, and the last event at or before it that states a content hash states it for that revision and states
    /// the file's content hash.
    /// </summary>
    private void CheckStatedContent(ExportClaim claim, List<string> differs, List<string> proven, List<string> notProven)
    {
        if (_exportRevision is not { } revision) return;
        var p = claim.Position;
        if (revision != claim.Revision)
        {
            differs.Add($"the file states revision {claim.Revision} at position {p}; the log's event there states revision {revision}");
            return;
        }
        if (_lastContentStatement is not { } stated || stated.Revision != revision)
        {
            notProven.Add($"that {ChainVerifier.Short(claim.ContentHash)} is the content of revision {revision}: the log states revision " +
                          $"{revision} at position {p} but no content hash for it at or before that position");
            return;
        }
        if (stated.Hash != claim.ContentHash)
        {
            differs.Add($"the file states content {ChainVerifier.Short(claim.ContentHash)} for revision {revision}; the log's event at position " +
                        $"{stated.Position} states {ChainVerifier.Short(stated.Hash)} for that revision");
            return;
        }
        proven.Add($"its content hash {ChainVerifier.Short(claim.ContentHash)} is the one the signed log states for revision {revision} " +
                   $"(position {stated.Position} states it), and the event at position {p} states revision {revision}");
    }

    /// <summary>
    /// Notes the event's time, the command it belongs to and the content it states; checks the signed head a sign-off (or an approval)
    /// states it was made at (<see cref="CheckSignOffHead"/>). Returns the failure when that head does not hold.
    /// </summary>
    private ChainVerdict? NoteTime(ChainEvent e)
    {
        using var headers = System.Text.Json.JsonDocument.Parse(e.HeadersJson);
        var root = headers.RootElement;
        if (root.TryGetProperty("at", out var at) && at.ValueKind == System.Text.Json.JsonValueKind.String &&
            string.CompareOrdinal(at.GetString(), _latestAt) > 0)
        {
            _latestAt = at.GetString()!;
            _latestAtPosition = e.Position;
        }
        var commandId = root.TryGetProperty("commandId", out var c) && c.ValueKind == System.Text.Json.JsonValueKind.String ? c.GetString() : null;
        if (commandId is null || commandId != _lastCommandId) _commandStart = e.Position;
        _lastCommandId = commandId;
        if (_withLog && CheckSignOffHead(e) is { } failure) return failure;
        if (ContentStatements.Of(root) is ({ } revision, not null)) _contentFirstStated.TryAdd(revision, e.Position);
        return null;
    }

    /// <summary>
    /// A sign-off's (or an approval's) event states the signed head it was made at (docs/evidence.md §11). That head must be one of this
    /// log's: of a size before the event, with the root the events give at that size, signed by a server key (checked with the bundle's
    /// heads, or here when the bundle lacks it), and covering the event that stated the signed revision's content before the command.
    /// </summary>
    private ChainVerdict? CheckSignOffHead(ChainEvent e)
    {
        if (!e.DataJson.Contains($"\"{SignedHeadStatement.Member}\"", StringComparison.Ordinal)) return null;
        (SignedTreeHead Head, long Revision)? stated;
        try { stated = SignedHeadStatement.In(e); }
        catch (FormatException ex) { return Fail(e.Position, $"the signed head this sign-off states cannot be read: {ex.Message}"); }
        if (stated is not { } statement) return null;
        var (named, revision) = statement;
        var size = named.Head.Size;
        var describe = $"the sign-off of revision {revision} names a signed head at size {size} (root {ChainVerifier.Short(named.Head.RootHex)})";
        if (size >= e.Position) return Fail(e.Position, $"{describe}, which does not come before the sign-off itself");
        if (RootAt(size) is not { } root)
            return Fail(e.Position, $"{describe}, which is not one of this log's signed heads");
        if (!root.AsSpan().SequenceEqual(named.Head.Root))
            return Fail(e.Position, $"{describe}, which this log does not have: its root at size {size} is " +
                                    $"{ChainVerifier.Short(Convert.ToHexStringLower(root))}");
        var known = _signed.Any(h => h.Head.SameAs(named.Head) && h.KeyId == named.KeyId && h.Signature.AsSpan().SequenceEqual(named.Signature));
        if (!known && !ServerKeys.Any(k => k.KeyId == named.KeyId && SigningKey.Verify(k.PublicKey, named.Head.SignedMessage(), named.Signature)))
            return Fail(e.Position, $"{describe}, whose signature does not hold under a server key of this log");
        if (_contentFirstStated.TryGetValue(revision, out var statedAt) && statedAt < _commandStart && statedAt > size)
            return Fail(e.Position, $"{describe}, which does not cover position {statedAt}, where the log states the content of revision {revision}");
        _signOffHeads.Add((e.Position, revision, size));
        return null;
    }

    /// <summary>The log's root at a size already passed: known from a matched head, or computed from the kept leaves; null when neither.</summary>
    private byte[]? RootAt(long size)
    {
        if (_rootsAt.TryGetValue(size, out var known)) return known;
        if (_leaves is null || size > _leaves.Count) return null;
        return _rootsAt[size] = new MerkleTree(_leaves.Take((int)size).ToList()).RootAt(size);
    }

    /// <summary>Heads held of another draft are reported, never silently left out: the auditor may have taken the wrong file.</summary>
    private IEnumerable<string> ForeignHeads() => _foreign.Select(h =>
        $"a head you hold is of another draft ({h.Head.DraftId}, size {h.Head.Size}): it was not compared with this log");

    /// <summary>The verdict with what was and was not proven, whichever way it went.</summary>
    public ChainVerdict Explain(ChainVerdict verdict, string? unsignedFormatNote = null)
    {
        var proven = new List<string>();
        var notProven = new List<string>();
        var checkedUpTo = verdict.Intact ? _chain.Count : Math.Max(0, (verdict.FirstBadPosition ?? 1) - 1);
        if (checkedUpTo > 0) proven.Add($"positions 1–{checkedUpTo}: every event re-hashed, the chain of event hashes holds");
        if (unsignedFormatNote is not null)
        {
            notProven.Add(unsignedFormatNote);
            notProven.AddRange(ForeignHeads());
            return verdict with { Proven = proven, NotProven = notProven };
        }

        if (_withLog && _lastGood > 0) proven.Add($"positions 1–{_lastGood} form a log whose root matches every head checked up to there (RFC 9162)");
        var signOffs = _signOffHeads.Where(s => s.Position <= checkedUpTo).ToList();
        if (signOffs.Count > 0)
            proven.Add($"the sign-offs and approvals at position(s) {string.Join(", ", signOffs.Select(s => s.Position))} each name a signed head " +
                       $"this log has (size(s) {string.Join(", ", signOffs.Select(s => s.Size))}), covering the content they sign");
        foreach (var h in _held.Where(h => h.Head.Size <= _lastGood)) proven.Add($"{h.Description}: this log extends it");
        var signed = _signed.Where(h => h.Head.Size <= _lastGood).ToList();
        if (signed.Count == 0)
            notProven.Add("no head signed by the server covers these events: anyone able to write the database could have produced them");
        else
        {
            var latest = signed[^1];
            proven.Add($"{signed.Count} head(s) signed by the server match the events; the latest covers positions 1–{latest.Head.Size} " +
                       $"({EvidenceTime.Of(latest.Head.Time)}, key " +
                           $"{ChainVerifier.Short(latest.KeyId)}{(_serverKeyPinned ? ", a key you trust" : "")})");
            proven.AddRange(KeyNotes);
            if (!_serverKeyPinned)
                notProven.Add("the server's key was not named by you (--server-key): the signatures hold, but a forger could sign with a key of " +
                    "their own");
            if (verdict.Intact && latest.Head.Size < _chain.Count)
                notProven.Add($"positions {latest.Head.Size + 1}–{_chain.Count} are covered by no signed head yet");
            ExplainTimes(verdict, proven, notProven);
        }
        var witnessed = signed.SelectMany(h => h.Cosignatures.Select(c => (Witness: c.Witness, c.KeyId, h.Head.Size)))
            .Where(x => _witnessKeys.Count == 0 || _witnessKeys.Any(k => SigningKey.KeyIdOf(k) == x.KeyId))
            .Select(x => (x.Witness, x.Size))
            .Concat(_held.Where(h => h.Witness is not null && h.Head.Size <= _lastGood).Select(h => (Witness: h.Witness!, h.Head.Size)))
            .GroupBy(x => x.Witness).ToList();
        foreach (var w in witnessed)
            proven.Add($"witness \"{w.Key}\" cosigned heads up to size {w.Max(x => x.Size)}: it saw this log grow consistently to there");
        if (witnessed.Count == 0)
            notProven.Add("no witness vouches for these heads: a history rewritten or cut before anyone outside the server saw its heads " +
                          "cannot be told from the server's own records; hold heads (--held-heads) or run a witness");
        else if (_witnessKeys.Count == 0 && signed.Any(h => h.Cosignatures.Count > 0))
            notProven.Add("the witnesses' keys were not named by you (--witness-key)");
        // The positions no witness has seen: a server node that never saw the true history can sign a rewrite of them, or a shorter log,
        // and nothing in the record tells.
        var witnessedUpTo = witnessed.Count == 0 ? 0 : witnessed.Max(w => w.Max(x => x.Size));
        if (verdict.Intact && _withLog && witnessedUpTo < _chain.Count)
            notProven.Add($"positions {witnessedUpTo + 1}–{_chain.Count}: no witness has seen a head covering them; a rewrite or cut of them " +
                          $"cannot be told from {Record} alone" + (witnessed.Count == 0 ? " (no witness has seen any head of this log)" : ""));
        notProven.AddRange(ForeignHeads());
        if (verdict.Intact) notProven.Add($"that the log ends at {_chain.Count}: a later head (held, or from a witness) shows what came after");
        return verdict with { Proven = proven, NotProven = notProven };
    }
}
