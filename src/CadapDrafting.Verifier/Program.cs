using System.Security.Cryptography;
using CadapDrafting.Evidence;

// Verifies a draft's exported history with no access to the server:
//   cadap-verify bundle.zip [--expect-prefix <size>:<root>]... [--held-heads <file>] [--server-key <file>]... [--witness-key <file>]...
//                [--tsa-cert <file>]... [--expect-head <hash>] [--export <exported file>]
// Exit 0 and "OK" when everything holds; exit 1 naming the first position that does not hold, or what differs between
// an exported file's stamp and the log, or the first node the file's text does not render (docs/evidence.md §10.1);
// 2 on bad usage or a held head whose signature or cosignature does not hold. Either way it lists what was proven and
// what was not.
return VerifierCommand.Run(args, Console.Out, Console.Error);

public static class VerifierCommand
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        string? path = null;
        var trust = new BundleTrust();
        var held = new List<TreeHead>();
        var heldSigned = new List<SignedTreeHead>();
        var serverKeys = new List<byte[]>();
        var witnessKeys = new List<byte[]>();
        var authorities = new List<System.Security.Cryptography.X509Certificates.X509Certificate2>();
        string? exportPath = null;
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                switch (args[i])
                {
                    case "--expect-head": trust = trust with { ExpectedChainHead = Next() }; break;
                    case "--expect-prefix": held.Add(ParsePrefix(Next(), null)); break;
                    case "--held-heads": ReadHeldHeads(Next(), held, heldSigned); break;
                    case "--server-key": serverKeys.Add(ReadPublicKey(Next())); break;
                    case "--witness-key": witnessKeys.Add(ReadPublicKey(Next())); break;
                    case "--tsa-cert": authorities.AddRange(HeadTimestamps.LoadCertificates(Next())); break;
                    case "--export":
                        if (exportPath is not null) throw new ArgumentException("name one exported file (--export) per run");
                        exportPath = Next();
                        break;
                    default:
                        if (path is null && !args[i].StartsWith("--", StringComparison.Ordinal)) path = args[i];
                        else throw new ArgumentException($"unexpected argument '{args[i]}'");
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or IOException or CryptographicException)
        {
            return Usage(error, ex.Message);
        }
        if (path is null) return Usage(error, "name the bundle to verify");
        if (!File.Exists(path)) return Usage(error, $"no such file: {path}");
        if (exportPath is not null && !File.Exists(exportPath)) return Usage(error, $"no such file: {exportPath}");
        ExportClaim? claim = null;
        if (exportPath is not null)
        {
            try { claim = ExportClaim.Read(exportPath); }
            catch (Exception ex) when (ex is FormatException or InvalidDataException or IOException or System.Xml.XmlException or
                                           System.Text.Json.JsonException or System.Text.DecoderFallbackException)
            {
                output.WriteLine($"EXPORT REFUSED {Path.GetFileName(exportPath)}: its stamp cannot be read: {ex.Message}");
                return 1;
            }
        }

        using var bundle = File.OpenRead(path);
        var verdict = EvidenceBundle.Verify(bundle, trust with
        {
            HeldHeads = held,
            HeldSignedHeads = heldSigned,
            ServerKeys = serverKeys,
            WitnessKeys = witnessKeys,
            TimestampAuthorities = authorities,
            Export = claim,
        });
        if (verdict.RefusedInput)
        {
            // What the auditor holds does not hold itself: nothing was compared with it (docs/evidence.md §7).
            output.WriteLine($"REFUSED: {verdict.Problem}");
            error.WriteLine($"cadap-verify: a held head is refused: {verdict.Problem}");
            return 2;
        }
        if (verdict.Intact)
            output.WriteLine($"OK {verdict.Count} events, head {verdict.HeadHash}" + (verdict.Root is { } root ? $", root {root}" : ""));
        else
            output.WriteLine($"FAILED at position {verdict.FirstBadPosition?.ToString() ?? "-"}: {verdict.Problem}");
        foreach (var line in verdict.Proven) output.WriteLine($"  proven: {line}");
        foreach (var line in verdict.NotProven) output.WriteLine($"  not proven: {line}");
        if (verdict.Export is not { } export) return verdict.Intact ? 0 : 1;
        var name = Path.GetFileName(exportPath);
        if (export.Matches)
            output.WriteLine($"EXPORT OK {name}: revision {claim!.Revision} at position {claim.Position} of this verified log");
        else
            output.WriteLine($"EXPORT MISMATCH {name}: {string.Join("; ", export.Differences)}");
        foreach (var line in export.Proven) output.WriteLine($"  export proven: {line}");
        foreach (var line in export.NotProven) output.WriteLine($"  export not proven: {line}");
        return verdict.Intact && export.Matches ? 0 : 1;
    }

    /// <summary>"size:root" with the root in hex; the draft is the bundle's (a held head of another draft would never match).</summary>
    private static TreeHead ParsePrefix(string text, Guid? draftId)
    {
        var parts = text.Split(':');
        if (parts.Length != 2 || !long.TryParse(parts[0], out var size) || size < 0 || parts[1].Length != 64)
            throw new ArgumentException($"--expect-prefix takes <size>:<root as 64 hex digits>, not '{text}'");
        return new TreeHead(draftId ?? Guid.Empty, size, Convert.FromHexString(parts[1]), DateTimeOffset.MinValue);
    }

    /// <summary>
    /// A file of heads seen before: one per line, either a signed head as the server or a witness gives it (its signature and
    /// cosignatures are checked against the keys before it is compared), or "size:root".
    /// </summary>
    private static void ReadHeldHeads(string file, List<TreeHead> plain, List<SignedTreeHead> signed)
    {
        var number = 0;
        foreach (var line in File.ReadAllLines(file).Select(l => l.Trim()))
        {
            number++;
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith('{')) signed.Add(SignedTreeHead.Parse(line, $"the head on line {number} of {file}"));
            else plain.Add(ParsePrefix(line, null));
        }
    }

    /// <summary>A public key from a PEM file (public or private key) or a file holding the base64 SubjectPublicKeyInfo.</summary>
    private static byte[] ReadPublicKey(string file)
    {
        var text = File.ReadAllText(file).Trim();
        if (!text.StartsWith("-----", StringComparison.Ordinal)) return Convert.FromBase64String(text);
        using var key = ECDsa.Create();
        key.ImportFromPem(text);
        return key.ExportSubjectPublicKeyInfo();
    }

    private static int Usage(TextWriter error, string problem)
    {
        error.WriteLine($"cadap-verify: {problem}");
        error.WriteLine("usage: cadap-verify <bundle.zip> [--expect-prefix <size>:<root>]... [--held-heads <file>] " +
                        "[--server-key <pem>]... [--witness-key <pem>]... [--tsa-cert <pem or der>]... [--expect-head <chain hash>] " +
                        "[--export <file.docx|.pdf|.xml|.html|.md>]");
        return 2;
    }
}
