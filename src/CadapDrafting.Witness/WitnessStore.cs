using System.Text.Json;
using CadapDrafting.Evidence;

namespace CadapDrafting.Witness;

/// <summary>
/// The witness's own record, in files under its storage directory: per draft the heads it cosigned, one JSON line
/// each (append-only), the server keys it trusts, and alarms (a head that does not extend the last one seen,
/// kept with both heads as evidence).
/// </summary>
public sealed class WitnessStore
{
    private readonly string _directory;
    private readonly Lock _lock = new();

    public WitnessStore(string directory)
    {
        _directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(Path.Combine(_directory, "heads"));
    }

    private string HeadsFile(Guid draftId) => Path.Combine(_directory, "heads", $"{draftId:D}.jsonl");
    private string AlarmsFile => Path.Combine(_directory, "alarms.jsonl");
    private string ServerKeysFile => Path.Combine(_directory, "server-keys.json");
    private string TransitionsFile => Path.Combine(_directory, "key-transitions.jsonl");

    public IReadOnlyList<SignedTreeHead> Heads(Guid draftId)
    {
        lock (_lock)
        {
            var file = HeadsFile(draftId);
            return File.Exists(file) ? File.ReadAllLines(file).Where(l => l.Length > 0).Select(l => SignedTreeHead.Parse(l)).ToList() : [];
        }
    }

    public SignedTreeHead? Latest(Guid draftId) => Heads(draftId).LastOrDefault();

    public void Keep(SignedTreeHead cosigned)
    {
        lock (_lock) File.AppendAllText(HeadsFile(cosigned.Head.DraftId), cosigned.ToJsonLine() + "\n");
    }

    /// <summary>Keeps an alarm: the head the witness held and the head it was offered. The same pair offered again (every poll while the
    /// server keeps offering it) is the same alarm and is kept once.</summary>
    public void Alarm(Guid draftId, string problem, SignedTreeHead seen, SignedTreeHead offered)
    {
        var line = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["draftId"] = draftId.ToString("D"), ["at"] = EvidenceTime.Of(DateTimeOffset.UtcNow), ["problem"] = problem,
            ["seen"] = seen.ToJson(), ["offered"] = offered.ToJson(),
        });
        lock (_lock)
        {
            if (File.Exists(AlarmsFile) && File.ReadLines(AlarmsFile).Where(l => l.Length > 0).Any(l => SameAlarm(l, draftId, seen, offered))) return;
            File.AppendAllText(AlarmsFile, line + "\n");
        }
    }

    private static bool SameAlarm(string line, Guid draftId, SignedTreeHead seen, SignedTreeHead offered)
    {
        using var doc = JsonDocument.Parse(line);
        var alarm = doc.RootElement;
        return alarm.GetProperty("draftId").GetString() == draftId.ToString("D") &&
               SignedTreeHead.Parse(alarm.GetProperty("seen")).Head.SameAs(seen.Head) &&
               SignedTreeHead.Parse(alarm.GetProperty("offered")) is var kept && kept.Head.SameAs(offered.Head) && kept.KeyId == offered.KeyId;
    }

    public IReadOnlyList<JsonElement> Alarms()
    {
        lock (_lock)
            return File.Exists(AlarmsFile)
                ? File.ReadAllLines(AlarmsFile).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList()
                : [];
    }

    public List<byte[]> ServerKeys()
    {
        lock (_lock)
            return File.Exists(ServerKeysFile)
                ? JsonSerializer.Deserialize<List<string>>(File.ReadAllText(ServerKeysFile))!.Select(Convert.FromBase64String).ToList()
                : [];
    }

    public void TrustServerKeys(IEnumerable<byte[]> keys)
    {
        lock (_lock) File.WriteAllText(ServerKeysFile, JsonSerializer.Serialize(keys.Select(Convert.ToBase64String).ToList()));
    }

    /// <summary>Trusts a server key from now on, keeping the endorsement (key transition) it was taken on as evidence.</summary>
    public void TrustEndorsedServerKey(byte[] key, KeyTransition endorsement)
    {
        var keys = ServerKeys();
        lock (_lock)
        {
            if (keys.All(k => !k.AsSpan().SequenceEqual(key))) keys.Add(key);
            TrustServerKeys(keys);
            File.AppendAllText(TransitionsFile, JsonSerializer.Serialize(endorsement.ToJson()) + "\n");
        }
    }

    /// <summary>The key transitions this witness took new server keys on.</summary>
    public IReadOnlyList<KeyTransition> Transitions()
    {
        lock (_lock)
            return File.Exists(TransitionsFile)
                ? File.ReadAllLines(TransitionsFile).Where(l => l.Length > 0).Select(l =>
                {
                    using var doc = JsonDocument.Parse(l);
                    return KeyTransition.Parse(doc.RootElement);
                }).ToList()
                : [];
    }

    /// <summary>An alarm about a key the server lists and this witness refuses.</summary>
    public void KeyAlarm(PublishedKey key, string problem)
    {
        var line = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["at"] = EvidenceTime.Of(DateTimeOffset.UtcNow), ["problem"] = problem, ["refusedKey"] = key.ToJson(),
        });
        lock (_lock) File.AppendAllText(AlarmsFile, line + "\n");
    }

    public bool HasKeyAlarm(string keyId) =>
        Alarms().Any(a => a.TryGetProperty("refusedKey", out var k) && k.TryGetProperty("keyId", out var id) && id.GetString() == keyId);
}
