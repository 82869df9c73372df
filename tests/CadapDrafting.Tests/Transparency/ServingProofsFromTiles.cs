using CadapDrafting.Drafts;
using CadapDrafting.Evidence;
using CadapDrafting.History;
using CadapDrafting.Identity;
using CadapDrafting.Infrastructure;
using CadapDrafting.Proposals;
using CadapDrafting.Transparency;
using Microsoft.Extensions.DependencyInjection;

namespace CadapDrafting.Tests.Transparency;

/// <summary>
/// Proofs are cut from the stored tiles (hashes of complete subtrees of 256 leaves and more) and at most two blocks of
/// leaves, not from the whole log: the proofs served are the ones the whole tree gives, at every signed size; a tile
/// altered in PostgreSQL makes the proofs that need it fail the client's check, so the server refuses them and its
/// verify names the tile; and a draft signed before tiles were kept is served from tiles computed once.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ServingProofsFromTiles(AppFixture app)
{
    private static readonly Actor KyrgyzEditor = new("kg-editor", "KG editor", "KG", new HashSet<Role> { Role.Drafter, Role.Editor });

    /// <summary>
    /// A draft written to <paramref name="sizes"/>.Max() events, one event per command, with a head signed at each of
    /// <paramref name="sizes"/> (and whatever the server signs after commits in between).
    /// </summary>
    private async Task<Guid> ADraftSignedAt(params long[] sizes)
    {
        var writer = app.Host.Services.GetRequiredService<DraftWriter>();
        var signer = app.Host.Services.GetRequiredService<HeadSigner>();
        var editor = await Person.SignIn(app, "kg-editor");
        var draftId = await editor.CreatesDraft("KG", title: "Tiled plan");
        long position = 1;
        foreach (var size in sizes.Order())
        {
            while (position < size)
            {
                var outcome = await writer.SendAsync(draftId, new CommandEnvelope(Guid.NewGuid(), KyrgyzEditor, null,
                    new SubmitProposal(ProposalKind.Insert, null, null, "Structure", new() { ["en"] = $"Action {position}" },
                        NodeKind: NodeKind.Action)));
                Assert.True(outcome.Succeeded, outcome.Problem?.Detail);
                position = outcome.Position;
            }
            Assert.Equal(size, position);
            var head = await signer.SignAsync(draftId);
            Assert.True(head is not null && head.Head.Size == size, $"no head was signed at size {size}");
        }
        return draftId;
    }

    private async Task<MerkleTree> TheWholeTree(Guid draftId)
    {
        var rows = app.Host.Services.GetRequiredService<EventRows>();
        var leaves = new List<byte[]>();
        await foreach (var e in rows.ReadAsync(draftId)) leaves.Add(LogLeaf.Hash(e));
        return new MerkleTree(leaves);
    }

    private static List<string> Hex(IEnumerable<byte[]> hashes) => hashes.Select(Convert.ToHexStringLower).ToList();

    [Fact]
    public async Task Served_proofs_are_the_ones_the_whole_tree_gives_at_every_signed_size()
    {
        var draftId = await ADraftSignedAt(1, 2, 3, 255, 256, 257, 511, 512, 513, 700, 767, 768, 1024, 1025, 1030);
        var auditor = await Person.SignIn(app, "auditor");
        var tree = await TheWholeTree(draftId);
        var heads = await app.Host.Services.GetRequiredService<SignedHeads>().AllAsync(draftId, CancellationToken.None);
        var sizes = heads.Select(h => h.Size).ToList();
        foreach (var head in heads) Assert.Equal(Convert.ToHexStringLower(tree.RootAt(head.Size)), head.Root);
        // The signer kept every complete subtree of 256 leaves and more as it signed.
        var storage = app.Host.Services.GetRequiredService<LogLeafTable>();
        await using (var connection = storage.Connect())
        {
            await connection.OpenAsync();
            Assert.Equal(tree.Subtrees(LogLeafTable.TileHeight).Select(t => (t.Height, t.Index, Convert.ToHexStringLower(t.Hash))),
                (await storage.AllTilesAsync(connection, draftId, CancellationToken.None)).Select(t => (t.Height, t.Index,
                    Convert.ToHexStringLower(t.Hash))));
        }

        var random = new Random(20);
        var inclusions = sizes.SelectMany(size => new[] { (1L, size), (size, size) })
            .Concat(Enumerable.Range(0, 120).Select(_ => sizes[random.Next(sizes.Count)]).Select(size => (random.NextInt64(1, size + 1), size)))
            .Append((256L, 1030L)).Append((257L, 1030L)).Append((1025L, 1030L)).Distinct().ToList();
        foreach (var (position, size) in inclusions)
        {
            var served = await auditor.ReadsInclusionProof(draftId, position, size);
            Assert.Equal(Convert.ToHexStringLower(tree.LeafHash(position - 1)), served.LeafHash);
            Assert.True(Hex(tree.InclusionProof(position - 1, size)).SequenceEqual(served.Path), $"inclusion of {position} at size {size}");
        }

        var consistencies = sizes.SelectMany(to => new[] { (0L, to), (1L, to), (to, to), (Math.Max(0, to - 1), to) })
            .Concat(Enumerable.Range(0, 120).Select(_ => sizes[random.Next(sizes.Count)]).Select(to => (random.NextInt64(0, to + 1), to)))
            .Append((256L, 1030L)).Append((512L, 1025L)).Append((300L, 768L)).Distinct().ToList();
        foreach (var (from, to) in consistencies)
        {
            var served = await auditor.ReadsConsistencyProof(draftId, from, to);
            Assert.True(Hex(tree.ConsistencyProof(from, to)).SequenceEqual(served.Proof), $"consistency from {from} to {to}");
            Assert.True(Rfc9162.VerifyConsistency(from, tree.RootAt(from), to, tree.RootAt(to), LogVocabulary.Hashes(served.Proof)));
        }
    }

    [Fact]
    public async Task An_altered_tile_fails_the_clients_check_is_refused_by_the_server_and_named_by_verify()
    {
        var draftId = await ADraftSignedAt(600);
        var auditor = await Person.SignIn(app, "auditor");
        var head = (await app.Host.Services.GetRequiredService<SignedHeads>().AtAsync(draftId, 600, CancellationToken.None))!;
        var root = Convert.FromHexString(head.Root);
        Assert.True((await auditor.Verifies(draftId)).Intact);

        // The subtree of positions 257–512 is a sibling on the path of every position of 1–256.
        await DatabaseForger.AltersTile(draftId, 8, 1, hash =>
        {
            var altered = hash.ToArray();
            altered[0] ^= 0x01;
            return altered;
        });

        // What the stored hashes now give does not verify against the signed root: a client would catch it ...
        var proofs = app.Host.Services.GetRequiredService<LogProofs>();
        var cut = (await proofs.CutInclusionAsync(head, 10, CancellationToken.None))!;
        Assert.False(cut.Holds);
        Assert.False(Rfc9162.VerifyInclusion(9, 600, Convert.FromHexString(cut.Proof.LeafHash), LogVocabulary.Hashes(cut.Proof.Path), root));
        // ... so the server, which checks every proof against the signed root before it serves it, refuses it.
        var refused = await auditor.Http.GetAsync($"/api/drafts/{draftId}/log/inclusion?position=10&size=600");
        var problem = await Expect.Problem(refused, HttpStatusCode.Conflict);
        Assert.Contains("verify the draft", problem.GetProperty("detail").GetString());
        await Expect.Problem(await auditor.Http.GetAsync($"/api/drafts/{draftId}/log/consistency?from=100&to=600"), HttpStatusCode.Conflict);
        // A proof that does not need the altered tile is still served, and holds.
        var other = await auditor.ReadsInclusionProof(draftId, 300, 600);
        Assert.True(Rfc9162.VerifyInclusion(299, 600, Convert.FromHexString(other.LeafHash), LogVocabulary.Hashes(other.Path), root));

        var report = await auditor.Verifies(draftId);
        Assert.False(report.Intact);
        Assert.Contains("stored tile of height 8 at index 1 (the hash of positions 257–512", report.Problem);

        // The tiles are derived from the events: rebuilding writes them again, and everything holds.
        var (size, matches) = await app.Host.Services.GetRequiredService<HeadSigner>().RebuildStoredLogAsync(draftId, CancellationToken.None);
        Assert.Equal(600, size);
        Assert.True(matches);
        var tree = await TheWholeTree(draftId);
        Assert.Equal(Hex(tree.InclusionProof(9, 600)), (await auditor.ReadsInclusionProof(draftId, 10, 600)).Path);
        Assert.True((await auditor.Verifies(draftId)).Intact);
    }

    [Fact]
    public async Task An_altered_leaf_row_is_refused_by_the_server_and_named_by_verify()
    {
        var draftId = await ADraftSignedAt(300);
        var auditor = await Person.SignIn(app, "auditor");
        await using (var connection = new Npgsql.NpgsqlConnection(TestDatabase.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(
                "update cadap.cadap_log_leaves set hash = sha256(hash) where draft_id = $1 and position = 280", connection)
            {
                Parameters = { new() { Value = draftId } },
            };
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        await Expect.Problem(await auditor.Http.GetAsync($"/api/drafts/{draftId}/log/inclusion?position=270&size=300"), HttpStatusCode.Conflict);
        var report = await auditor.Verifies(draftId);
        Assert.False(report.Intact);
        Assert.Contains("stored leaf hash of position 280", report.Problem);
    }

    [Fact]
    public async Task A_draft_signed_before_tiles_were_kept_is_served_and_keeps_the_tiles_computed_from_its_leaves()
    {
        var draftId = await ADraftSignedAt(520);
        var auditor = await Person.SignIn(app, "auditor");
        await DatabaseForger.ForgetsTiles(draftId);
        var storage = app.Host.Services.GetRequiredService<LogLeafTable>();

        var tree = await TheWholeTree(draftId);
        var served = await auditor.ReadsInclusionProof(draftId, 5, 520);
        Assert.Equal(Hex(tree.InclusionProof(4, 520)), served.Path);
        Assert.Equal(Hex(tree.ConsistencyProof(200, 520)), (await auditor.ReadsConsistencyProof(draftId, 200, 520)).Proof);

        await using var connection = storage.Connect();
        await connection.OpenAsync();
        var kept = await storage.AllTilesAsync(connection, draftId, CancellationToken.None);
        Assert.Equal(tree.Subtrees(LogLeafTable.TileHeight).Select(t => (t.Height, t.Index, Convert.ToHexStringLower(t.Hash))),
            kept.Select(t => (t.Height, t.Index, Convert.ToHexStringLower(t.Hash))));
        Assert.True((await auditor.Verifies(draftId)).Intact);
    }
}
