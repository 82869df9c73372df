using CadapDrafting.Evidence;

namespace CadapDrafting.Tests.Drafting;

public sealed class HashChainRules
{
    [Fact]
    public void Canonical_json_ignores_key_order_whitespace_and_number_spelling()
    {
        var a = CanonicalJson.From("""{ "b": 1.50, "a": [1, {"y": "é\n", "x": null}] }""");
        var b = CanonicalJson.From("""{"a":[1,{"x":null,"y":"\u00e9\n"}],"b":1.5}""");
        Assert.Equal(a, b);
        Assert.Equal("""{"a":[1,{"x":null,"y":"é\n"}],"b":1.5}""", a);
    }

    [Fact]
    public void Every_part_of_an_event_changes_its_hash()
    {
        var stream = Guid.NewGuid();
        var baseline = HashChain.Compute("prev", stream, 3, "proposal_accepted", "{\"a\":1}", "{\"actor\":\"x\"}");
        Assert.NotEqual(baseline, HashChain.Compute("other", stream, 3, "proposal_accepted", "{\"a\":1}", "{\"actor\":\"x\"}"));
        Assert.NotEqual(baseline, HashChain.Compute("prev", Guid.NewGuid(), 3, "proposal_accepted", "{\"a\":1}", "{\"actor\":\"x\"}"));
        Assert.NotEqual(baseline, HashChain.Compute("prev", stream, 4, "proposal_accepted", "{\"a\":1}", "{\"actor\":\"x\"}"));
        Assert.NotEqual(baseline, HashChain.Compute("prev", stream, 3, "proposal_rejected", "{\"a\":1}", "{\"actor\":\"x\"}"));
        Assert.NotEqual(baseline, HashChain.Compute("prev", stream, 3, "proposal_accepted", "{\"a\":2}", "{\"actor\":\"x\"}"));
        Assert.NotEqual(baseline, HashChain.Compute("prev", stream, 3, "proposal_accepted", "{\"a\":1}", "{\"actor\":\"y\"}"));
    }
}
