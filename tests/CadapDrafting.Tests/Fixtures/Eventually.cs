namespace CadapDrafting.Tests.Fixtures;

/// <summary>Work done after a commit (the outbox, the async daemon, another node) arrives shortly after: ask again until it shows.</summary>
public static class Eventually
{
    /// <summary>Reads until <paramref name="until"/> holds or time runs out, and returns the last value read.</summary>
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> until, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var value = await read();
            if (until(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(100);
        }
    }
}
