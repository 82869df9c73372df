using System.Text;
using CadapDrafting.Evidence;

namespace CadapDrafting.Tests.Evidence;

/// <summary>
/// The rules an independent implementation must follow (docs/evidence.md): canonical form 2, RFC 9162 hashing and
/// proofs, signed heads and cosignatures. Checked against published vectors, and against forged proofs, which must
/// never verify.
/// </summary>
public sealed class LogRules
{
    [Theory]
    [InlineData("0", "0")]
    [InlineData("-0", "0")]
    [InlineData("0.000", "0")]
    [InlineData("1e-30", "0.000000000000000000000000000001")]
    [InlineData("1.50", "1.5")]
    [InlineData("15E-1", "1.5")]
    [InlineData("1e2", "100")]
    [InlineData("100.0e-2", "1")]
    [InlineData("-12.340e1", "-123.4")]
    [InlineData("9007199254740993", "9007199254740993")]
    [InlineData("123456789012345678901234567890.123456789", "123456789012345678901234567890.123456789")]
    [InlineData("0.1", "0.1")]
    public void Numbers_are_written_as_their_exact_decimal_value(string literal, string canonical) =>
        Assert.Equal(canonical, CanonicalForm.Number(literal));

    [Fact]
    public void Budget_zero_and_a_tiny_budget_no_longer_hash_alike_while_the_old_chain_form_stays_as_it_was()
    {
        var zero = CanonicalForm.From("""{"budget":0}""");
        var tiny = CanonicalForm.From("""{"budget":1e-30}""");
        Assert.NotEqual(zero, tiny);
        Assert.NotEqual(CanonicalForm.From("""{"n":9007199254740992}"""), CanonicalForm.From("""{"n":9007199254740993}"""));
        // Version 1, which the stored chain hashes use, is kept exactly as it was so existing chains still verify.
        Assert.Equal(CanonicalJson.From("""{"budget":0}"""), CanonicalJson.From("""{"budget":1e-30}"""));
    }

    [Fact]
    public void Canonical_form_sorts_keys_by_code_unit_and_escapes_only_what_json_requires()
    {
        Assert.Equal("""{"":1,"A":2,"a":3,"é":4,"😀":5,"ﬀ":6}""", CanonicalForm.From("""{"a":3,"ﬀ":6,"😀":5,"A":2,"é":4,"":1}"""));
        Assert.Equal("\"\\u0001\\n\\\"\\\\/é\"", CanonicalForm.From("\"\\u0001\\n\\\"\\\\\\/\\u00e9\""));
        Assert.Equal("[true,false,null,{}]", CanonicalForm.From(" [ true , false , null , { } ] "));
    }

    [Theory]
    [InlineData("""{"a":1,"a":2}""", "repeated")]
    [InlineData("""{"x":{"b":1,"b":1}}""", "repeated")]
    [InlineData("""{"n":1e100000}""", "too long")]
    [InlineData("""{"n":1e999999999999}""", "out of range")]
    [InlineData("""{"s":"\ud800"}""", "surrogate")]
    [InlineData("""{"a":""", "not JSON")]
    public void What_has_no_canonical_form_is_refused_with_a_reason(string json, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => CanonicalForm.From(json));
        Assert.Contains(reason, ex.Message);
    }

    /// <summary>The leaves and roots of the Certificate Transparency reference tests (RFC 6962 / RFC 9162 hashing).</summary>
    private static readonly string[] ReferenceLeaves =
        ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];

    private static readonly string[] ReferenceRoots =
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    [Fact]
    public void Roots_match_the_reference_vectors_at_every_size_whether_built_whole_or_grown_leaf_by_leaf()
    {
        var leaves = ReferenceLeaves.Select(l => Rfc9162.LeafHash(Convert.FromHexString(l))).ToList();
        var tree = new MerkleTree(leaves);
        var frontier = new TreeFrontier();
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(tree.RootAt(0)));
        for (var n = 1; n <= leaves.Count; n++)
        {
            frontier.Append(leaves[n - 1]);
            Assert.Equal(ReferenceRoots[n - 1], Convert.ToHexStringLower(tree.RootAt(n)));
            Assert.Equal(ReferenceRoots[n - 1], Convert.ToHexStringLower(frontier.Root()));
            Assert.Equal(ReferenceRoots[n - 1], Convert.ToHexStringLower(TreeFrontier.Of(n, frontier.Peaks).Root()));
        }
    }

    [Fact]
    public void Every_inclusion_and_consistency_proof_verifies_and_every_forged_one_fails()
    {
        var leaves = Enumerable.Range(0, 37).Select(i => Rfc9162.LeafHash(Encoding.UTF8.GetBytes($"event {i}"))).ToList();
        var tree = new MerkleTree(leaves);
        for (var size = 1; size <= leaves.Count; size++)
        {
            var root = tree.RootAt(size);
            for (var index = 0; index < size; index++)
            {
                var path = tree.InclusionProof(index, size);
                Assert.True(Rfc9162.VerifyInclusion(index, size, leaves[index], path, root));
                Assert.False(Rfc9162.VerifyInclusion(index, size, leaves[(index + 1) % leaves.Count], path, root));
                if (size > 1) Assert.False(Rfc9162.VerifyInclusion((index + 1) % size, size, leaves[index], path, root));
                if (size < leaves.Count) Assert.False(Rfc9162.VerifyInclusion(index, size + 1, leaves[index], path, tree.RootAt(size + 1)));
                Assert.False(Rfc9162.VerifyInclusion(index, size, leaves[index], path.Append(root).ToList(), root));
                foreach (var forged in Tampered(path)) Assert.False(Rfc9162.VerifyInclusion(index, size, leaves[index], forged, root));
            }
            for (var earlier = 0; earlier <= size; earlier++)
            {
                var proof = tree.ConsistencyProof(earlier, size);
                var earlierRoot = tree.RootAt(earlier);
                Assert.True(Rfc9162.VerifyConsistency(earlier, earlierRoot, size, root, proof));
                if (earlier > 0 && earlier < size)
                {
                    // A rewritten earlier history (another root at the same size) is not consistent with this one.
                    Assert.False(Rfc9162.VerifyConsistency(earlier, tree.RootAt(earlier - 1), size, root, proof));
                    Assert.False(Rfc9162.VerifyConsistency(earlier, earlierRoot, size, tree.RootAt(size - 1), proof));
                    Assert.False(Rfc9162.VerifyConsistency(earlier, earlierRoot, size, root, []));
                    foreach (var forged in Tampered(proof)) Assert.False(Rfc9162.VerifyConsistency(earlier, earlierRoot, size, root, forged));
                }
            }
        }
        Assert.False(Rfc9162.VerifyConsistency(5, tree.RootAt(5), 4, tree.RootAt(4), []));
    }

    /// <summary>Each hash of a proof altered in one bit, a hash dropped, and a hash added.</summary>
    private static IEnumerable<List<byte[]>> Tampered(List<byte[]> proof)
    {
        for (var i = 0; i < proof.Count; i++)
        {
            var copy = proof.Select(p => (byte[])p.Clone()).ToList();
            copy[i][i % 32] ^= 0x01;
            yield return copy;
        }
        if (proof.Count > 0) yield return proof.Take(proof.Count - 1).ToList();
        yield return proof.Append(new byte[32]).ToList();
    }

    [Fact]
    public void A_signed_head_verifies_only_unaltered_and_only_under_its_own_key()
    {
        using var key = SigningKey.Generate();
        using var other = SigningKey.Generate();
        var head = new TreeHead(Guid.NewGuid(), 7, Rfc9162.LeafHash("x"u8), EvidenceTime.Truncate(DateTimeOffset.UtcNow));
        var signed = key.SignHead(head);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(key.PublicKey)), signed.KeyId);
        Assert.True(SigningKey.Verify(key.PublicKey, head.SignedMessage(), signed.Signature));
        Assert.False(SigningKey.Verify(other.PublicKey, head.SignedMessage(), signed.Signature));
        Assert.False(SigningKey.Verify(key.PublicKey, (head with { Size = 8 }).SignedMessage(), signed.Signature));
        Assert.False(SigningKey.Verify(key.PublicKey, (head with { Time = head.Time.AddSeconds(1) }).SignedMessage(), signed.Signature));
        Assert.False(SigningKey.Verify(key.PublicKey, head.SignedMessage(), [.. signed.Signature.Take(63)]));

        var cosignature = other.Cosign(head, "eu-witness", DateTimeOffset.UtcNow);
        Assert.True(SigningKey.Verify(other.PublicKey, Cosignature.SignedMessage(head, "eu-witness", cosignature.Time), cosignature.Signature));
        Assert.False(SigningKey.Verify(other.PublicKey, Cosignature.SignedMessage(head, "another", cosignature.Time), cosignature.Signature));

        // Written and read back, a signed head is the same head with the same signature.
        var read = SignedTreeHead.Parse((signed with { Cosignatures = [cosignature] }).ToJsonLine());
        Assert.True(read.Head.SameAs(head));
        Assert.Equal(signed.Signature, read.Signature);
        Assert.Equal("eu-witness", Assert.Single(read.Cosignatures).Witness);
    }

    private const string Id = "6f9619ff-8b86-d011-b42d-00c04fc964ff";
    private const string UpperId = "6F9619FF-8B86-D011-B42D-00C04FC964FF";
    private const string At = "2026-01-01T00:00:00.000000Z";
    private const string Zero = "0000000000000000000000000000000000000000000000000000000000000000";
    private const string Unsigned = $$"""
        "keyId":"{{Zero}}","signature":""}
        """;

    [Theory]
    [InlineData($$"""{"head":{"draftId":"{{Id}}","size":1,"root":"00","time":"{{At}}"},"keyId":"00","signature":""}""", "32 bytes")]
    [InlineData($$"""{"head":{"draftId":"{{UpperId}}","size":1,"root":"{{Zero}}","time":"{{At}}"},{{Unsigned}}""", "lower-case UUID")]
    [InlineData($$"""{"head":{"draftId":"{{Id}}","size":1,"size":2,"root":"{{Zero}}","time":"{{At}}"},{{Unsigned}}""", "repeats the field \"size\"")]
    [InlineData($$"""{"head":{"draftId":"{{Id}}","size":1.0,"root":"{{Zero}}","time":"{{At}}"},{{Unsigned}}""", "whole number")]
    [InlineData($$"""{"head":{"draftId":"{{Id}}","size":1,"root":"{{Zero}}","time":"2026-01-01T00:00:00Z"},{{Unsigned}}""", "UTC time")]
    [InlineData($$"""{"head":{"draftId":"{{Id}}","size":1,"root":"{{Zero}}","time":"{{At}}","extra":1},{{Unsigned}}""", "outside its format")]
    public void A_head_that_deviates_from_its_format_is_refused_with_a_reason(string json, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => SignedTreeHead.Parse(json));
        Assert.Contains(reason, ex.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(1024)]
    [InlineData(1500)]
    public void The_tiles_a_growing_log_completes_are_the_complete_subtrees_of_its_tree(int size)
    {
        var leaves = Enumerable.Range(0, size).Select(i => Rfc9162.LeafHash(BitConverter.GetBytes(i))).ToList();
        var frontier = new TreeFrontier();
        var completed = new List<Subtree>();
        foreach (var leaf in leaves) frontier.Append(leaf, completed, 8);
        var tree = new MerkleTree(leaves);
        Assert.Equal(tree.Subtrees(8).Select(t => (t.Height, t.Index, Convert.ToHexString(t.Hash))).Order(),
            completed.Select(t => (t.Height, t.Index, Convert.ToHexString(t.Hash))).Order());
        Assert.Equal(tree.RootAt(size), frontier.Root());
        // Proofs cut over any source of those hashes are the tree's own.
        var byKey = tree.Subtrees(0).ToDictionary(t => (t.Height, t.Index), t => t.Hash);
        for (long index = 0; index < size; index += 37)
            Assert.Equal(tree.InclusionProof(index, size), MerkleProofs.Inclusion(index, size, (h, i) => byKey[(h, i)]));
    }
}
