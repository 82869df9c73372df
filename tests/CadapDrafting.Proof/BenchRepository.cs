/// <summary>The repository the benchmarks run in: where they find the server, the seeds and the results folder.</summary>
public static class BenchRepository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        // The build output first (dotnet run starts in the project's folder), then the folder the command was given in.
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "CadapDrafting.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Run the benchmarks from inside the repository.");
    }
}
