namespace CadapDrafting.Tests.Fixtures;

/// <summary>The official SignalR JavaScript client (npm), run by Node.js from <c>tests/js-client</c>.</summary>
public static class JavaScriptClient
{
    /// <summary>The package is installed from its lock file the first time (npm ci), as a developer or CI would.</summary>
    public static Task<string> FolderAsync() => Npm.InstalledAsync(Path.Combine("tests", "js-client"), Path.Combine("@microsoft", "signalr"));
}
