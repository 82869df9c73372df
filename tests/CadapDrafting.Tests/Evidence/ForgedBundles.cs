using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using CadapDrafting.Evidence;

namespace CadapDrafting.Tests.Evidence;

/// <summary>
/// The offline verifier against forged input, with no server: bundles built from a small synthetic draft (its events
/// chained and its log signed with a key of the test's own) and then forged in every way a forger, or a careless
/// tool, could. A forged bundle is refused with a reason naming what does not hold; the verifier never crashes.
/// </summary>
public sealed class ForgedBundles
{
    private static readonly Guid Draft = Guid.Parse("3f2a8c9e-0d4b-4e51-9a7c-2b6d8e1f0a35");
    private static readonly SigningKey ServerKey = SigningKey.Generate();
    private static readonly SigningKey WitnessKey = SigningKey.Generate();
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A synthetic draft's events: each with data carrying a budget, headers with actor and time (and whatever
    /// <paramref name="moreHeaders"/> adds for a position), and the chain hash.
    /// </summary>
    public static List<ChainEvent> Events(int count, Func<int, string>? budget = null, Func<int, Dictionary<string, object?>>? moreHeaders = null)
    {
        var events = new List<ChainEvent>();
        var previous = HashChain.Genesis;
        for (var i = 1; i <= count; i++)
        {
            var amount = budget?.Invoke(i) ?? (i * 1000).ToString();
            var data = $$$"""{"nodeId":"{{{Guid.NewGuid():D}}}","budget":{{{amount}}},"text":{"en":"Action {{{i}}}"}}""";
            var headers = new Dictionary<string, object?>
            {
                ["actor"] = "kg-editor", ["at"] = EvidenceTime.Of(Start.AddMinutes(i)),
                ["reason"] = $"Step {i}"
            };
            foreach (var (name, value) in moreHeaders?.Invoke(i) ?? []) headers[name] = value;
            var hash = HashChain.Compute(previous, Draft, i, "node_amended", CanonicalJson.From(data), HashChain.CanonicalMetadata(headers));
            headers["hash"] = hash;
            events.Add(new ChainEvent(Draft, i, "node_amended", data, System.Text.Json.JsonSerializer.Serialize(headers)));
            previous = hash;
        }
        return events;
    }

    /// <summary>Heads signed at the given sizes (after the events they cover), cosigned by the witness when asked.</summary>
    public static List<SignedTreeHead> Heads(List<ChainEvent> events, IEnumerable<long> sizes, bool cosigned = false)
    {
        var leaves = events.Select(LogLeaf.Hash).ToList();
        var tree = new MerkleTree(leaves);
        return sizes.Select(size =>
        {
            var head = new TreeHead(Draft, size, tree.RootAt(size), Start.AddMinutes(size).AddSeconds(1));
            var signed = ServerKey.SignHead(head);
            return cosigned ? signed with { Cosignatures = [WitnessKey.Cosign(head, "eu-witness", head.Time.AddSeconds(2))] } : signed;
        }).ToList();
    }

    public static byte[] Bundle(List<ChainEvent> events, List<SignedTreeHead> heads)
    {
        var output = new MemoryStream();
        var keys = new List<PublishedKey> { PublishedKey.Of(ServerKey, PublishedKey.ServerRole, "server"),
            PublishedKey.Of(WitnessKey, PublishedKey.WitnessRole, "eu-witness") };
        EvidenceBundle.WriteAsync(output, Draft, events.ToAsyncEnumerable(), Start.AddDays(1),
            new BundleEvidence(heads, keys)).GetAwaiter().GetResult();
        return output.ToArray();
    }

    private static byte[] Genuine(int count = 9)
    {
        var events = Events(count);
        return Bundle(events, Heads(events, [1, count - 1, count], cosigned: true));
    }

    private static ChainVerdict Verify(byte[] bundle, BundleTrust? trust = null) =>
        EvidenceBundle.Verify(new MemoryStream(bundle), trust ?? BundleTrust.Nothing);

    [Fact]
    public void A_genuine_bundle_verifies_and_says_what_it_proves()
    {
        var verdict = Verify(Genuine(), new BundleTrust { ServerKeys = [ServerKey.PublicKey], WitnessKeys = [WitnessKey.PublicKey] });
        Assert.True(verdict.Intact, verdict.Problem);
        Assert.Equal(9, verdict.Count);
        Assert.Contains(verdict.Proven, p => p.Contains("3 head(s) signed by the server match") && p.Contains("a key you trust"));
        Assert.Contains(verdict.Proven, p => p.Contains("witness \"eu-witness\" cosigned heads up to size 9"));
        Assert.Contains(verdict.NotProven, p => p.Contains("that the log ends at 9"));
    }

    [Fact]
    public void Without_a_witness_or_a_pinned_key_the_verdict_says_what_could_not_be_proven()
    {
        var events = Events(4);
        var verdict = Verify(Bundle(events, Heads(events, [4])));
        Assert.True(verdict.Intact, verdict.Problem);
        Assert.Contains(verdict.NotProven, p => p.Contains("no witness vouches"));
        Assert.Contains(verdict.NotProven, p => p.Contains("--server-key"));
        Assert.Contains(verdict.NotProven, p => p.Contains("server's word"));
    }

    [Fact]
    public void A_rewritten_event_with_every_hash_recomputed_is_found_by_the_first_signed_head_after_it()
    {
        var events = Events(9);
        var heads = Heads(events, [2, 5, 9], cosigned: true);
        // The forger changes event 4 and recomputes the chain and everything else, but cannot sign.
        var forged = Rechain(events, 4, e => e.DataJson.Replace("Action 4", "Compulsory treatment"));
        var verdict = Verify(Bundle(forged, heads));
        Assert.False(verdict.Intact);
        Assert.Equal(3, verdict.FirstBadPosition);
        Assert.Contains("positions 3–5 do not match the head signed at size 5", verdict.Problem);
        Assert.Contains(verdict.Proven, p => p.Contains("positions 1–2"));
    }

    [Fact]
    public void A_budget_of_zero_turned_into_a_tiny_one_is_found_though_the_old_chain_hashes_them_alike()
    {
        var events = Events(3, i => i == 2 ? "0" : "5");
        var heads = Heads(events, [1, 2, 3]);
        var forged = events.Select(e => e.Position == 2 ? e with { DataJson = e.DataJson.Replace("\"budget\":0", "\"budget\":1e-30") } : e).ToList();
        // The chain of version 1 does not see it ...
        var chain = new ChainVerifier(Draft);
        Assert.All(forged, e => Assert.True(chain.Add(e)));
        // ... the log does, exactly there.
        var verdict = Verify(Bundle(forged, heads));
        Assert.False(verdict.Intact);
        Assert.Equal(2, verdict.FirstBadPosition);
    }

    [Fact]
    public void A_cut_log_is_found_against_a_held_head_and_a_genuine_later_bundle_verifies_against_an_earlier_one()
    {
        var events = Events(9);
        var heads = Heads(events, [2, 5, 9]);
        var early = heads[1].Head;
        var late = heads[2].Head;

        // Genuine growth: the later bundle extends the head held from the earlier one — no false alarm.
        var later = Verify(Bundle(events, heads), new BundleTrust { HeldHeads = [early] });
        Assert.True(later.Intact, later.Problem);
        Assert.Contains(later.Proven, p => p.Contains("the head you hold at size 5") && p.Contains("extends it"));

        // The last events dropped and their head withheld: consistent in itself, but shorter than the head held.
        var cut = Verify(Bundle(events.Take(6).ToList(), heads.Take(2).ToList()), new BundleTrust { HeldHeads = [late] });
        Assert.False(cut.Intact);
        Assert.Equal(7, cut.FirstBadPosition);
        Assert.Contains("positions 7–9 are missing", cut.Problem);

        // A head held from a rewritten past does not match.
        var rewritten = Rechain(events, 3, e => e.DataJson.Replace("Action 3", "Changed"));
        var otherHistory = Heads(rewritten, [9])[0].Head;
        var fork = Verify(Bundle(events, heads), new BundleTrust { HeldHeads = [otherHistory] });
        Assert.False(fork.Intact);
        Assert.Contains("do not match the head you hold at size 9", fork.Problem);
    }

    [Fact]
    public void Heads_signed_by_another_key_forged_signatures_and_forged_cosignatures_are_refused()
    {
        var events = Events(5);
        var heads = Heads(events, [3, 5], cosigned: true);
        var intruder = SigningKey.Generate();

        var otherKey = heads.Select(h => intruder.SignHead(h.Head)).ToList();
        Assert.Contains("which keys.json does not list", Verify(Bundle(events, otherKey)).Problem);

        var flipped = heads.Select((h, i) => i == 1 ? h with { Signature = Flip(h.Signature) } : h).ToList();
        Assert.Contains("signature of the head at size 5 does not hold", Verify(Bundle(events, flipped)).Problem);

        var falseCosignature =
            heads.Select(h => h with { Cosignatures = [h.Cosignatures[0] with { Signature = Flip(h.Cosignatures[0].Signature) }] }).ToList();
        Assert.Contains("cosignature of \"eu-witness\"", Verify(Bundle(events, falseCosignature)).Problem);

        // The intruder's key listed as the server's in keys.json: holds in itself, refused once the auditor names the server's key.
        var intruderKey = System.Text.Json.JsonSerializer.Serialize(PublishedKey.Of(intruder, "server", "server").ToJson());
        var output = Rezip(Bundle(events, otherKey), "keys.json", _ => $$"""{"keys":[{{intruderKey}}]}""");
        Assert.True(Verify(output).Intact);
        var pinned = Verify(output, new BundleTrust { ServerKeys = [ServerKey.PublicKey] });
        Assert.False(pinned.Intact);
        Assert.Contains("not one of the server keys you trust", pinned.Problem);

        // A head whose time goes back, and an event dated after the head that covers it.
        var backwards = new List<SignedTreeHead> { ServerKey.SignHead(heads[0].Head with { Time = heads[1].Head.Time.AddMinutes(1) }),
            heads[1] with { Cosignatures = [] } };
        Assert.Contains("older than the head", Verify(Bundle(events, backwards)).Problem);
        var early = new List<SignedTreeHead> { ServerKey.SignHead(heads[1].Head with { Time = Start }) };
        var late = Verify(Bundle(events, early));
        Assert.False(late.Intact);
        Assert.Contains("its time was changed", late.Problem);
    }

    [Fact]
    public void Held_signed_heads_are_checked_before_they_are_compared_and_one_that_does_not_hold_refuses_the_run()
    {
        var events = Events(9);
        var cosigned = Heads(events, [2, 5, 9], cosigned: true);
        // The bundle the server exports now carries no cosignature; the auditor holds the witness's cosigned heads.
        var bundle = Bundle(events, cosigned.Select(h => h with { Cosignatures = [] }).ToList());
        var pinned = new BundleTrust { ServerKeys = [ServerKey.PublicKey], WitnessKeys = [WitnessKey.PublicKey] };

        var genuine = Verify(bundle, pinned with { HeldSignedHeads = [cosigned[2]] });
        Assert.True(genuine.Intact, genuine.Problem);
        Assert.Contains(genuine.Proven, p => p.Contains("the head witness \"eu-witness\" cosigned at size 9") && p.Contains("this log extends it"));
        Assert.Contains(genuine.Proven, p => p.Contains("witness \"eu-witness\" cosigned heads up to size 9"));
        Assert.DoesNotContain(genuine.NotProven, p => p.Contains("no witness has seen"));

        // A held head whose server signature does not hold proves nothing: the run is refused, nothing is compared with it.
        var flipped = Verify(bundle, pinned with { HeldSignedHeads = [cosigned[2] with { Signature = Flip(cosigned[2].Signature) }] });
        Assert.True(flipped.RefusedInput);
        Assert.Contains("the held head at size 9", flipped.Problem);
        Assert.Contains("its server signature does not hold", flipped.Problem);

        // A head signed with a key that is not the server's: refused against the keys named, and against the bundle's keys when none are.
        var intruder = SigningKey.Generate();
        var foreignKey = intruder.SignHead(cosigned[2].Head);
        Assert.Contains("not one of the server keys you trust", Verify(bundle, pinned with { HeldSignedHeads = [foreignKey] }).Problem);
        var unpinned = Verify(bundle, new BundleTrust { HeldSignedHeads = [foreignKey] });
        Assert.True(unpinned.RefusedInput);
        Assert.Contains("not a server key keys.json lists", unpinned.Problem);

        // A genuine cosignature moved from the head at 5 onto the head at 9: the witness never said it saw 9.
        var moved = cosigned[2] with { Cosignatures = [cosigned[1].Cosignatures[0]] };
        var refused = Verify(bundle, pinned with { HeldSignedHeads = [moved] });
        Assert.True(refused.RefusedInput);
        Assert.Contains("cosignature of \"eu-witness\" that does not hold: it is forged, altered or was moved from another head", refused.Problem);

        // A cosignature by a key the auditor did not name is not counted: the head is held as the auditor's, not a witness's.
        var stranger = cosigned[2] with { Cosignatures = [intruder.Cosign(cosigned[2].Head, "eu-witness", cosigned[2].Head.Time)] };
        var uncounted = Verify(bundle, pinned with { HeldSignedHeads = [stranger] });
        Assert.True(uncounted.Intact, uncounted.Problem);
        Assert.Contains(uncounted.Proven, p => p.Contains("the head you hold at size 9"));
        Assert.Contains(uncounted.NotProven, p => p.Contains("positions 1–9: no witness has seen a head covering them"));

        // A held head of another draft is reported, not silently dropped.
        var other = ServerKey.SignHead(cosigned[2].Head with { DraftId = Guid.Parse("0b6c1f0e-2f4d-4b8e-9a31-5d7e2c9f4a10") });
        var elsewhere = Verify(bundle, pinned with { HeldSignedHeads = [other] });
        Assert.True(elsewhere.Intact, elsewhere.Problem);
        Assert.Contains(elsewhere.NotProven, p => p.Contains("a head you hold is of another draft (0b6c1f0e-2f4d-4b8e-9a31-5d7e2c9f4a10, size 9)"));

        // A held head of this draft from a rewritten history still fails the bundle at the first position it does not vouch for.
        var rewritten = Heads(Rechain(events, 7, e => e.DataJson.Replace("Action 7", "Other")), [9], cosigned: true)[0];
        var fork = Verify(bundle, pinned with { HeldSignedHeads = [rewritten] });
        Assert.False(fork.Intact);
        Assert.False(fork.RefusedInput);
        Assert.Equal(6, fork.FirstBadPosition);
    }

    [Fact]
    public async Task Cadap_verify_refuses_a_held_heads_file_with_a_forged_head_and_exits_2()
    {
        var events = Events(5);
        var heads = Heads(events, [3, 5], cosigned: true);
        var dir = Directory.CreateTempSubdirectory("cadap-held-").FullName;
        var bundle = Path.Combine(dir, "bundle.zip");
        await File.WriteAllBytesAsync(bundle, Bundle(events, heads));
        var good = Path.Combine(dir, "good.jsonl");
        await File.WriteAllTextAsync(good, string.Join('\n', heads.Select(h => h.ToJsonLine())) + "\n");
        var forged = Path.Combine(dir, "forged.jsonl");
        var forgedHead = heads[1] with { Signature = Flip(heads[1].Signature) };
        await File.WriteAllTextAsync(forged, heads[0].ToJsonLine() + "\n" + forgedHead.ToJsonLine() + "\n");

        var output = new StringWriter();
        Assert.Equal(0, VerifierCommand.Run([bundle, "--held-heads", good], output, output));
        Assert.Contains("proven: the head witness \"eu-witness\" cosigned at size 5", output.ToString());

        output = new StringWriter();
        Assert.Equal(2, VerifierCommand.Run([bundle, "--held-heads", forged], output, output));
        Assert.Contains("REFUSED: the held head at size 5", output.ToString());
        Assert.Contains("its server signature does not hold", output.ToString());
    }

    [Fact]
    public void A_genuine_cosignature_moved_onto_another_head_of_the_bundle_is_refused()
    {
        var events = Events(5);
        var heads = Heads(events, [3, 5], cosigned: true);
        var moved = new List<SignedTreeHead> { heads[0], heads[1] with { Cosignatures = [heads[0].Cosignatures[0]] } };
        var verdict = Verify(Bundle(events, moved));
        Assert.False(verdict.Intact);
        Assert.Equal("the cosignature of \"eu-witness\" on the head at size 5 does not hold: it is forged or altered", verdict.Problem);
    }

    [Fact]
    public void A_format_1_bundle_verifies_by_its_chain_and_says_nothing_ties_it_to_the_server_without_a_head_held()
    {
        var events = Events(4);
        var bundle = FormatOne(events);
        var head = System.Text.Json.JsonDocument.Parse(events[^1].HeadersJson).RootElement.GetProperty("hash").GetString()!;

        var alone = Verify(bundle);
        Assert.True(alone.Intact, alone.Problem);
        Assert.Equal(4, alone.Count);
        Assert.Null(alone.Root);
        Assert.Contains(alone.Proven, p => p.Contains("positions 1–4: every event re-hashed, the chain of event hashes holds"));
        Assert.Contains(alone.NotProven, p => p.Contains("this is a format 1 bundle") && p.Contains("nothing ties it to the server") &&
                                              p.Contains("--expect-head"));

        var held = Verify(bundle, new BundleTrust { ExpectedChainHead = head });
        Assert.True(held.Intact, held.Problem);
        Assert.Contains(held.Proven, p => p.Contains("the chain ends at the head you hold"));
        Assert.Contains(held.NotProven, p => p.Contains("nothing but the chain head you hold (--expect-head) ties it to the server"));

        var other = Verify(bundle, new BundleTrust { ExpectedChainHead = new string('0', 64) });
        Assert.False(other.Intact);
        Assert.Contains("is not the expected head", other.Problem);

        // An event changed without the chain recomputed breaks it there; with the chain recomputed, only the held head tells.
        var changed = FormatOne(events.Select(e => e.Position == 2 ? e with { DataJson = e.DataJson.Replace("Action 2", "Other") } : e).ToList());
        Assert.Equal(2, Verify(changed).FirstBadPosition);
        var rechained = FormatOne(Rechain(events, 2, e => e.DataJson.Replace("Action 2", "Other")));
        Assert.True(Verify(rechained).Intact);
        Assert.False(Verify(rechained, new BundleTrust { ExpectedChainHead = head }).Intact);
    }

    /// <summary>A bundle as format 1 wrote it: manifest, events and hashes, no log.</summary>
    private static byte[] FormatOne(List<ChainEvent> events)
    {
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Write(string name, string text)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
                writer.Write(text);
            }
            string HashOf(ChainEvent e) => System.Text.Json.JsonDocument.Parse(e.HeadersJson).RootElement.GetProperty("hash").GetString()!;
            Write("events.jsonl", string.Concat(events.Select(e => EvidenceBundle.EventLine(e) + "\n")));
            Write("hashes.txt", string.Concat(events.Select(e => $"{e.Position} {HashOf(e)}\n")));
            Write("manifest.json", System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["formatVersion"] = 1, ["draftId"] = Draft.ToString("D"), ["count"] = events.Count, ["headHash"] = HashOf(events[^1]),
                ["exportedAt"] = EvidenceTime.Of(Start.AddDays(1)), ["hashAlgorithm"] = "SHA-256",
            }));
        }
        return output.ToArray();
    }

    [Fact]
    public void A_strict_reader_refuses_malformed_bundles_with_a_reason()
    {
        var genuine = Genuine(4);
        var cases = new (string Why, byte[] Bundle, string Reason)[]
        {
            ("two events.jsonl entries", AddEntry(genuine, "events.jsonl", "{}\n"), "two entries named events.jsonl"),
            ("an unknown entry", AddEntry(genuine, "notes.txt", "trust me"), "outside its format"),
            ("no hashes.txt", Rezip(genuine, "hashes.txt", null), "lacks hashes.txt"),
            ("no heads.jsonl", Rezip(genuine, "heads.jsonl", null), "lacks heads.jsonl"),
            ("no manifest", Rezip(genuine, "manifest.json", null), "lacks manifest.json"),
            ("a repeated manifest key", Rezip(genuine, "manifest.json", m => m.Replace("\"count\": 4,", "\"count\": 4, \"count\": 3,")),
                "repeats the field \"count\""),
            ("an unknown manifest field", Rezip(genuine, "manifest.json", m => m.Replace("\"count\": 4,", "\"count\": 4, \"note\": \"x\",")),
                "outside its format: \"note\""),
            ("an unknown format", Rezip(genuine, "manifest.json", m => m.Replace("\"formatVersion\": 2", "\"formatVersion\": 3")),
                "no format this verifier knows"),
            ("an event field outside the hashed form",
                Rezip(genuine, "events.jsonl", e => ReplaceLine(e, 2, l => l.Insert(1, "\"comment\":\"ok\","))), "outside its format: \"comment\""),
            ("a repeated event key", Rezip(genuine, "events.jsonl", e => ReplaceLine(e, 2, l => l.Insert(1, "\"position\":2,"))),
                "repeats the field \"position\""),
            ("a repeated key inside the data",
                Rezip(genuine, "events.jsonl", e => ReplaceLine(e, 3, l => l.Replace("\"budget\":", "\"budget\":1,\"budget\":"))), "repeated"),
            ("an empty line", Rezip(genuine, "events.jsonl", e => e.Replace("}\n{", "}\n\n{")), "is empty"),
            ("not UTF-8", Rezip(genuine, "events.jsonl", e => e[..20] + "\uFFFD" + e[20..], bytes: b => { b[20] = 0xff; return b; }),
                "cannot be read"),
            ("a repeated key id", Rezip(genuine, "keys.json", k =>
                { var n = JsonNode.Parse(k)!; n["keys"]!.AsArray().Add(n["keys"]![0]!.DeepClone()); return n.ToJsonString(); }), "twice"),
            ("a key id that is not its key's", Rezip(genuine, "keys.json", k => Set(k, n => n["keys"]![0]!["keyId"] = new string('0', 64))),
                "not the hash of its public key"),
            ("a head of another draft", Rezip(genuine, "heads.jsonl", h => h.Replace(Draft.ToString("D"), Guid.Empty.ToString("D"))),
                "another draft"),
            ("a head line that is not JSON", Rezip(genuine, "heads.jsonl", h => h + "{\n"), "not JSON"),
            ("a hash list out of step", Rezip(genuine, "hashes.txt", h => h.Replace("2 ", "3 ")), "does not match the events"),
            ("a manifest root that is not the events'", Rezip(genuine, "manifest.json", m => Set(m, n => n["root"] = new string('a', 64))),
                "not the root of its events"),
            ("not a zip", Encoding.UTF8.GetBytes("not a zip"), "not a bundle"),
        };
        foreach (var (why, bundle, reason) in cases)
        {
            var verdict = Verify(bundle);
            Assert.False(verdict.Intact, why);
            Assert.True(verdict.Problem!.Contains(reason, StringComparison.Ordinal), $"{why}: {verdict.Problem}");
        }
    }

    [Fact]
    public void Random_damage_never_crashes_the_verifier_and_never_verifies()
    {
        var genuine = Genuine(6);
        var random = new Random(20);
        for (var i = 0; i < 300; i++)
        {
            var entry = new[] { "events.jsonl", "manifest.json", "heads.jsonl", "keys.json", "hashes.txt" }[random.Next(5)];
            var damaged = Rezip(genuine, entry, _ => "", bytes: b =>
            {
                if (b.Length == 0) return b;
                var copy = (byte[])b.Clone();
                for (var n = random.Next(1, 4); n > 0; n--) copy[random.Next(copy.Length)] = (byte)random.Next(256);
                return copy;
            }, keepText: true);
            var verdict = Verify(damaged);
            // A change inside a string of keys.json's names, or a no-op byte, may leave it valid; it must never be accepted with other content.
            if (verdict.Intact) Assert.Equal(Verify(genuine).Root, verdict.Root);
        }
        var truncated = genuine.Take(genuine.Length / 2).ToArray();
        Assert.False(Verify(truncated).Intact);
    }

    private static string Set(string json, Action<JsonNode> change)
    {
        var node = JsonNode.Parse(json)!;
        change(node);
        return node.ToJsonString();
    }

    private static byte[] Flip(byte[] signature)
    {
        var copy = (byte[])signature.Clone();
        copy[10] ^= 0x40;
        return copy;
    }

    /// <summary>The events with one changed and every chain hash from there on recomputed, as a forger without the key would.</summary>
    public static List<ChainEvent> Rechain(List<ChainEvent> events, long position, Func<ChainEvent, string> newData)
    {
        var previous = HashChain.Genesis;
        var result = new List<ChainEvent>();
        foreach (var e in events)
        {
            var data = e.Position == position ? newData(e) : e.DataJson;
            var headers = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(e.HeadersJson)!;
            headers.Remove("hash");
            var hash = HashChain.Compute(previous, e.StreamId, e.Position, e.Type, CanonicalJson.From(data),
                CanonicalJson.From(System.Text.Json.JsonSerializer.Serialize(headers)));
            headers["hash"] = hash;
            result.Add(e with { DataJson = data, HeadersJson = System.Text.Json.JsonSerializer.Serialize(headers) });
            previous = hash;
        }
        return result;
    }

    private static string ReplaceLine(string text, int line, Func<string, string> change)
    {
        var lines = text.Split('\n');
        lines[line - 1] = change(lines[line - 1]);
        return string.Join('\n', lines);
    }

    private static byte[] AddEntry(byte[] bundle, string name, string text)
    {
        var output = new MemoryStream();
        output.Write(bundle);
        using (var zip = new ZipArchive(output, ZipArchiveMode.Update, leaveOpen: true))
        using (var writer = new StreamWriter(zip.CreateEntry(name).Open())) writer.Write(text);
        return output.ToArray();
    }

    /// <summary>A copy of the bundle with one entry's text changed (or the entry left out when <paramref name="change"/> is null).</summary>
    private static byte[] Rezip(byte[] bundle, string name, Func<string, string>? change, Func<byte[], byte[]>? bytes = null, bool keepText = false)
    {
        using var source = new ZipArchive(new MemoryStream(bundle));
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var entry in source.Entries)
            {
                using var reader = new MemoryStream();
                using (var s = entry.Open()) s.CopyTo(reader);
                var content = reader.ToArray();
                if (entry.FullName == name)
                {
                    if (change is null) continue;
                    if (!keepText) content = Encoding.UTF8.GetBytes(change(Encoding.UTF8.GetString(content)));
                    if (bytes is not null) content = bytes(content);
                }
                using var target = zip.CreateEntry(entry.FullName).Open();
                target.Write(content);
            }
        return output.ToArray();
    }
}
