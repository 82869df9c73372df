using System.Diagnostics;
using System.Text.Json.Nodes;
using CadapDrafting.Evidence;

namespace CadapDrafting.Tests.Evidence;

/// <summary>
/// docs/evidence.md and its test vectors (docs/evidence-vectors.json) are enough to implement a verifier: this
/// implementation agrees with the vectors, and an independent one in Python (standard library only, written from
/// the specification) verifies a genuine bundle and names the first position of a rewritten one, as this one does.
/// </summary>
public sealed class TheSpecification
{
    private static string VectorsFile => Path.Combine(Repository.Root, "docs", "evidence-vectors.json");

    [Fact]
    public void This_implementation_agrees_with_the_published_vectors()
    {
        if (Environment.GetEnvironmentVariable("CADAP_WRITE_EVIDENCE_VECTORS") == "1") WriteVectors();
        var vectors = JsonNode.Parse(File.ReadAllText(VectorsFile))!;
        foreach (var c in vectors["canonical"]!.AsArray())
            Assert.Equal((string)c!["canonical"]!, CanonicalForm.From((string)c["json"]!));
        foreach (var c in vectors["numbers"]!.AsArray())
            Assert.Equal((string)c!["canonical"]!, CanonicalForm.Number((string)c["literal"]!));
        var leaves = vectors["merkle"]!["leaves"]!.AsArray().Select(l => Rfc9162.LeafHash(Convert.FromHexString((string)l!))).ToList();
        var tree = new MerkleTree(leaves);
        var roots = vectors["merkle"]!["roots"]!.AsArray().Select(r => (string)r!).ToList();
        for (var n = 1; n <= roots.Count; n++) Assert.Equal(roots[n - 1], Convert.ToHexStringLower(tree.RootAt(n)));
        var leaf = vectors["leaf"]!;
        Assert.True(EvidenceBundle.TryParseLine((string)leaf["line"]!, out var e, out var problem), problem);
        Assert.Equal((string)leaf["canonical"]!, LogLeaf.Canonical(e!));
        Assert.Equal((string)leaf["leafHash"]!, Convert.ToHexStringLower(LogLeaf.Hash(e!)));
        var signed = vectors["signedHead"]!;
        var head = TreeHead.Parse(JsonDocument.Parse((string)signed["head"]!).RootElement);
        Assert.Equal((string)signed["message"]!, System.Text.Encoding.UTF8.GetString(head.SignedMessage()));
        Assert.True(SigningKey.Verify(Convert.FromBase64String((string)signed["publicKey"]!), head.SignedMessage(),
            Convert.FromBase64String((string)signed["signature"]!)));

        // A witness's cosignature of that head: its message, and the signature over it, which holds for that head only.
        var cosignature = vectors["cosignature"]!;
        var cosigned = TreeHead.Parse(JsonDocument.Parse((string)cosignature["head"]!).RootElement);
        var cosignedAt = EvidenceTime.Parse((string)cosignature["time"]!);
        var message = Cosignature.SignedMessage(cosigned, (string)cosignature["witness"]!, cosignedAt);
        Assert.Equal((string)cosignature["message"]!, System.Text.Encoding.UTF8.GetString(message));
        var witnessKey = Convert.FromBase64String((string)cosignature["publicKey"]!);
        Assert.Equal((string)cosignature["keyId"]!, SigningKey.KeyIdOf(witnessKey));
        var cosig = Convert.FromBase64String((string)cosignature["signature"]!);
        Assert.True(SigningKey.Verify(witnessKey, message, cosig));
        Assert.False(SigningKey.Verify(witnessKey, Cosignature.SignedMessage(cosigned with { Size = 2 }, (string)cosignature["witness"]!, cosignedAt),
            cosig));

        // An inclusion and a consistency proof over the Merkle vectors' tree (RFC 9162 2.1.3, 2.1.4).
        var inclusion = vectors["inclusion"]!;
        var path = inclusion["path"]!.AsArray().Select(h => Convert.FromHexString((string)h!)).ToList();
        var (index, size) = ((long)inclusion["leafIndex"]!, (long)inclusion["treeSize"]!);
        Assert.Equal((string)inclusion["leafHash"]!, Convert.ToHexStringLower(tree.LeafHash(index)));
        Assert.Equal((string)inclusion["root"]!, Convert.ToHexStringLower(tree.RootAt(size)));
        Assert.Equal(inclusion["path"]!.AsArray().Select(h => (string)h!), tree.InclusionProof(index, size).Select(Convert.ToHexStringLower));
        Assert.True(Rfc9162.VerifyInclusion(index, size, tree.LeafHash(index), path, tree.RootAt(size)));
        Assert.False(Rfc9162.VerifyInclusion(index + 1, size, tree.LeafHash(index), path, tree.RootAt(size)));
        var consistency = vectors["consistency"]!;
        var proof = consistency["proof"]!.AsArray().Select(h => Convert.FromHexString((string)h!)).ToList();
        var (first, second) = ((long)consistency["firstSize"]!, (long)consistency["secondSize"]!);
        Assert.Equal((string)consistency["firstRoot"]!, Convert.ToHexStringLower(tree.RootAt(first)));
        Assert.Equal((string)consistency["secondRoot"]!, Convert.ToHexStringLower(tree.RootAt(second)));
        Assert.Equal(consistency["proof"]!.AsArray().Select(h => (string)h!), tree.ConsistencyProof(first, second).Select(Convert.ToHexStringLower));
        Assert.True(Rfc9162.VerifyConsistency(first, tree.RootAt(first), second, tree.RootAt(second), proof));
        Assert.False(Rfc9162.VerifyConsistency(first, tree.RootAt(first + 1), second, tree.RootAt(second), proof));
    }

    [Fact]
    public async Task An_independent_python_implementation_checks_the_vectors_and_verifies_bundles_as_this_one_does()
    {
        Assert.Equal((0, "vectors hold"), await Python("--vectors", VectorsFile));

        var events = ForgedBundles.Events(9, i => i == 6 ? "0.000" : (i * 1.5m).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var heads = ForgedBundles.Heads(events, [2, 5, 9], cosigned: true);
        var dir = Directory.CreateTempSubdirectory("cadap-spec-").FullName;
        var genuine = Path.Combine(dir, "genuine.zip");
        await File.WriteAllBytesAsync(genuine, ForgedBundles.Bundle(events, heads));
        var root = EvidenceBundle.Verify(File.OpenRead(genuine), BundleTrust.Nothing).Root!;
        var verified = await Python(genuine, "--held", $"5:{Convert.ToHexStringLower(heads[1].Head.Root)}");
        Assert.Equal((0, $"OK 9 {root}"), (verified.Exit, verified.Output.Split('\n')[0]));
        // It checks no timestamp tokens, and says so (docs/evidence.md §5.1).
        Assert.Contains("not proven: the times of events and heads are the server's word", verified.Output);
        Assert.DoesNotContain("no witness has seen", verified.Output);
        // It names the positions no witness has seen (§7 step 5): here, those after the last cosigned head.
        var partly = Path.Combine(dir, "partly-witnessed.zip");
        await File.WriteAllBytesAsync(partly, ForgedBundles.Bundle(events, [heads[0], heads[1], heads[2] with { Cosignatures = [] }]));
        Assert.Contains("not proven: positions 6-9: no witness has seen a head covering them", (await Python(partly)).Output);

        var rewritten = Path.Combine(dir, "rewritten.zip");
        await File.WriteAllBytesAsync(rewritten,
            ForgedBundles.Bundle(ForgedBundles.Rechain(events, 7, ev => ev.DataJson.Replace("Action 7", "Other")), heads));
        var (exit, output) = await Python(rewritten);
        Assert.Equal(1, exit);
        Assert.StartsWith("FAILED 6 positions 6-9 do not match the signed head at size 9", output);
        Assert.Equal(6, EvidenceBundle.Verify(File.OpenRead(rewritten), BundleTrust.Nothing).FirstBadPosition);

        // A budget of 0 turned into 1e-30: both implementations see it, though the old chain form hashes them alike.
        var tiny = Path.Combine(dir, "tiny.zip");
        await File.WriteAllBytesAsync(tiny, ForgedBundles.Bundle(events.Select(ev => ev.Position == 6
            ? ev with { DataJson = ev.DataJson.Replace("0.000", "1e-30") } : ev).ToList(), heads));
        Assert.StartsWith("FAILED 6", (await Python(tiny)).Output);
    }

    private static async Task<(int Exit, string Output)> Python(params string[] args)
    {
        var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Evidence", "verify_bundle.py"));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (output + error).Trim());
    }

    /// <summary>Writes the vectors file from this implementation (run once with CADAP_WRITE_EVIDENCE_VECTORS=1 when the specification
    /// changes).</summary>
    private static void WriteVectors()
    {
        string[] canonical =
        [
            """{"b":1.50,"a":[1,{"y":"é\n","x":null}]}""", """{"budget":0}""", """{"budget":1e-30}""", """{"a":3,"ﬀ":6,"😀":5,"A":2,"é":4,"":1}""",
            "\"\\u0001\\/\\u00e9\"",
        ];
        string[] numbers = ["0", "-0", "1e-30", "1.50", "15E-1", "1e2", "-12.340e1", "9007199254740993", "123456789012345678901234567890.123456789"];
        string[] leaves = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];
        var tree = new MerkleTree(leaves.Select(l => Rfc9162.LeafHash(Convert.FromHexString(l))).ToList());
        var line = """{"streamId":"3f2a8c9e-0d4b-4e51-9a7c-2b6d8e1f0a35","position":1,"type":"draft_created","data":""" +
            """{"title":{"en":"Plan"},"budget":2500000.00},"headers":{"actor":"kg-editor","at":"2026-11-28T09:00:00.000000Z",""" +
            "\"revision\":0,\"contentHash\":\"sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945\",\"hash\":\"00\"}}";
        EvidenceBundle.TryParseLine(line, out var e, out _);
        using var key = SigningKey.Generate();
        using var witness = SigningKey.Generate();
        var head = new TreeHead(e!.StreamId, 1, LogLeaf.Hash(e), new DateTimeOffset(2026, 11, 28, 9, 0, 1, TimeSpan.Zero));
        var cosignedAt = new DateTimeOffset(2026, 11, 28, 9, 0, 3, TimeSpan.Zero);
        var cosignature = witness.Cosign(head, "eu-witness", cosignedAt);
        static JsonArray Hex(IEnumerable<byte[]> hashes) => new(hashes.Select(h => (JsonNode)Convert.ToHexStringLower(h)).ToArray());
        var vectors = new JsonObject
        {
            ["canonical"] = new JsonArray(canonical.Select(j =>
                (JsonNode)new JsonObject { ["json"] = j, ["canonical"] = CanonicalForm.From(j) }).ToArray()),
            ["numbers"] = new JsonArray(numbers.Select(n =>
                (JsonNode)new JsonObject { ["literal"] = n, ["canonical"] = CanonicalForm.Number(n) }).ToArray()),
            ["merkle"] = new JsonObject
            {
                ["leaves"] = new JsonArray(leaves.Select(l => (JsonNode)l).ToArray()),
                ["roots"] = new JsonArray(Enumerable.Range(1, leaves.Length).Select(n =>
                    (JsonNode)Convert.ToHexStringLower(tree.RootAt(n))).ToArray()),
            },
            ["leaf"] = new JsonObject
            {
                ["line"] = line, ["canonical"] = LogLeaf.Canonical(e),
                ["leafHash"] = Convert.ToHexStringLower(LogLeaf.Hash(e))
            },
            ["signedHead"] = new JsonObject
            {
                ["head"] = head.Canonical(), ["message"] = System.Text.Encoding.UTF8.GetString(head.SignedMessage()),
                ["publicKey"] = Convert.ToBase64String(key.PublicKey), ["keyId"] = key.KeyId,
                ["signature"] = Convert.ToBase64String(key.Sign(head.SignedMessage())),
            },
            ["cosignature"] = new JsonObject
            {
                ["head"] = head.Canonical(), ["witness"] = "eu-witness", ["time"] = EvidenceTime.Of(cosignedAt),
                ["message"] = System.Text.Encoding.UTF8.GetString(Cosignature.SignedMessage(head, "eu-witness", cosignedAt)),
                ["publicKey"] = Convert.ToBase64String(witness.PublicKey), ["keyId"] = witness.KeyId,
                ["signature"] = Convert.ToBase64String(cosignature.Signature),
            },
            ["inclusion"] = new JsonObject
            {
                ["leafIndex"] = 2, ["treeSize"] = 7, ["leafHash"] = Convert.ToHexStringLower(tree.LeafHash(2)),
                ["path"] = Hex(tree.InclusionProof(2, 7)), ["root"] = Convert.ToHexStringLower(tree.RootAt(7)),
            },
            ["consistency"] = new JsonObject
            {
                ["firstSize"] = 3, ["secondSize"] = 7, ["firstRoot"] = Convert.ToHexStringLower(tree.RootAt(3)),
                ["secondRoot"] = Convert.ToHexStringLower(tree.RootAt(7)), ["proof"] = Hex(tree.ConsistencyProof(3, 7)),
            },
        };
        File.WriteAllText(VectorsFile, vectors.ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }) + "\n");
    }
}
