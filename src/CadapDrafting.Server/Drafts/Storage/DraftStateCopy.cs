using Marten;

namespace CadapDrafting.Drafts;

/// <summary>A deep copy of a draft's state through the store's own serializer: the state as it would be stored.</summary>
public static class DraftStateCopy
{
    public static Draft Of(IDocumentStore store, Draft draft)
    {
        var serializer = store.Options.Serializer();
        return serializer.FromJson<Draft>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(serializer.ToJson(draft))));
    }
}
