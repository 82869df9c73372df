using CadapDrafting.Evidence;

namespace CadapDrafting.Tests.Evidence;

/// <summary>
/// The content statements of a log (docs/evidence.md §3.1) against exported files' stamps, with no server: a stamp is
/// confirmed at any position whose event states its revision when the log states that revision's content hash; another
/// content hash or another revision is a mismatch; a log that states a revision without its content proves nothing
/// about it, and says so.
/// </summary>
public sealed class ContentStatementsAgainstExports
{
    private const string Empty = "sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945";
    private static readonly string First = "sha256:" + new string('1', 64);

    /// <summary>Revision 0 stated at 1, revision 1 reached and stated at 3, revision 2 reached at 5 without its content (the rule broken).</summary>
    private static Dictionary<string, object?> Statements(int position) => position switch
    {
        1 => new() { [ContentStatements.RevisionHeader] = 0, [ContentStatements.ContentHashHeader] = Empty },
        2 => new() { [ContentStatements.RevisionHeader] = 0 },
        3 => new() { [ContentStatements.RevisionHeader] = 1, [ContentStatements.ContentHashHeader] = First },
        4 => new() { [ContentStatements.RevisionHeader] = 1 },
        _ => new() { [ContentStatements.RevisionHeader] = 2 },
    };

    private static ExportVerdict Check(int revision, long position, string contentHash)
    {
        var events = ForgedBundles.Events(6, moreHeaders: Statements);
        var heads = ForgedBundles.Heads(events, [6]);
        var claim = new ExportClaim("HTML", events[0].StreamId, revision, position, contentHash, null, null, heads[0]);
        var verdict = EvidenceBundle.Verify(new MemoryStream(ForgedBundles.Bundle(events, heads)), new BundleTrust { Export = claim });
        Assert.True(verdict.Intact, verdict.Problem);
        return verdict.Export!;
    }

    [Fact]
    public void A_position_after_the_revision_was_reached_is_confirmed_by_the_content_the_log_stated_there()
    {
        var export = Check(1, 4, First);
        Assert.True(export.Matches, string.Join("; ", export.Differences));
        Assert.Contains(export.Proven, p => p.Contains("is the one the signed log states for revision 1 (position 3 states it), and the event at " +
                                                       "position 4 states revision 1"));
        Assert.Contains(export.NotProven, p => p.StartsWith("that the content hash was computed rightly from the events"));
        Assert.True(Check(0, 2, Empty).Matches);
    }

    [Fact]
    public void Another_content_hash_or_another_revision_at_the_position_is_a_mismatch()
    {
        var otherContent = Check(1, 4, Empty);
        Assert.False(otherContent.Matches);
        Assert.Contains($"the file states content {ChainVerifier.Short(Empty)} for revision 1; the log's event at position 3 states " +
                        $"{ChainVerifier.Short(First)} for that revision", otherContent.Differences);
        var otherRevision = Check(0, 4, Empty);
        Assert.False(otherRevision.Matches);
        Assert.Contains("the file states revision 0 at position 4; the log's event there states revision 1", otherRevision.Differences);
    }

    [Fact]
    public void A_revision_the_log_states_without_its_content_proves_nothing_about_the_content_and_says_so()
    {
        var export = Check(2, 6, First);
        Assert.True(export.Matches, string.Join("; ", export.Differences));
        Assert.DoesNotContain(export.Proven, p => p.Contains("content hash"));
        Assert.Contains(export.NotProven, p => p.Contains("the log states revision 2 at position 6 but no content hash for it"));
    }
}
