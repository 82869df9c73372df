using CadapDrafting.Tests.Fixtures;

namespace CadapDrafting.Tests.Foundation;

/// <summary>
/// No line of code over 150 characters in src/, tests/ and bench/ (C#, JavaScript, CSS, HTML), so a change reads in a side-by-side
/// diff without scrolling. Wolverine's generated handlers, copied browser libraries and build output are not ours and are left out.
/// </summary>
public sealed class KeepingLinesShort
{
    public const int Limit = 150;

    private static readonly string[] Extensions = [".cs", ".js", ".mjs", ".css", ".html"];
    private static readonly string[] Skipped = ["bin", "obj", "node_modules", "lib", "Generated", "TestResults", "screenshots"];

    [Fact]
    public void No_line_of_code_is_longer_than_150_characters()
    {
        var checkedFiles = 0;
        var tooLong = new List<string>();
        foreach (var folder in new[] { "src", "tests", "bench" })
            foreach (var file in SourceFiles(Path.Combine(Repository.Root, folder)))
            {
                checkedFiles++;
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                    if (lines[i].Length > Limit)
                        tooLong.Add($"{Path.GetRelativePath(Repository.Root, file)}:{i + 1} has {lines[i].Length} characters");
            }
        Assert.True(checkedFiles > 300, $"only {checkedFiles} source files were found under {Repository.Root}");
        Assert.True(tooLong.Count == 0, $"Lines over {Limit} characters (break them):\n{string.Join('\n', tooLong)}");
    }

    private static IEnumerable<string> SourceFiles(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder))
            if (Extensions.Contains(Path.GetExtension(file))) yield return file;
        foreach (var sub in Directory.EnumerateDirectories(folder))
            if (!Skipped.Contains(Path.GetFileName(sub)))
                foreach (var file in SourceFiles(sub)) yield return file;
    }
}
