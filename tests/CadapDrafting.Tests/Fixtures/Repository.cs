namespace CadapDrafting.Tests.Fixtures;

/// <summary>Where the tests find the repository's files: the web app is served from its source folder.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    public static string WebRoot => Path.Combine(Root, "src", "CadapDrafting.Server", "wwwroot");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CadapDrafting.sln"))) return dir.FullName;
        throw new InvalidOperationException("The tests run inside the repository; CadapDrafting.sln was not found above " + AppContext.BaseDirectory);
    }
}
