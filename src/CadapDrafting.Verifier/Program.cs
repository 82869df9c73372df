using CadapDrafting.Evidence;

// Verifies a draft's exported history with no access to the server:
//   cadap-verify bundle.zip [--expect-head <hash>]
// Exit 0 and "OK" with the head hash when every event holds; exit 1 naming the first bad event otherwise; 2 on bad usage.
return VerifierCommand.Run(args, Console.Out, Console.Error);

public static class VerifierCommand
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        string? path = null;
        string? expectedHead = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--expect-head" && i + 1 < args.Length) expectedHead = args[++i];
            else if (path is null && !args[i].StartsWith("--", StringComparison.Ordinal)) path = args[i];
            else return Usage(error, $"unexpected argument '{args[i]}'");
        }
        if (path is null) return Usage(error, "name the bundle to verify");
        if (!File.Exists(path)) return Usage(error, $"no such file: {path}");

        using var bundle = File.OpenRead(path);
        var verdict = EvidenceBundle.Verify(bundle, expectedHead);
        if (verdict.Intact)
        {
            output.WriteLine($"OK {verdict.Count} events, head {verdict.HeadHash}");
            return 0;
        }
        output.WriteLine($"FAILED at position {verdict.FirstBadPosition?.ToString() ?? "-"}: {verdict.Problem}");
        return 1;
    }

    private static int Usage(TextWriter error, string problem)
    {
        error.WriteLine($"cadap-verify: {problem}");
        error.WriteLine("usage: cadap-verify <bundle.zip> [--expect-head <sha256 hex>]");
        return 2;
    }
}
