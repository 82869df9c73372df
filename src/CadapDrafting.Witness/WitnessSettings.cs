namespace CadapDrafting.Witness;

/// <summary>The "Witness" section.</summary>
public sealed class WitnessSettings
{
    public const string Section = "Witness";

    /// <summary>The name cosignatures carry, e.g. "eu-delegation".</summary>
    public string Name { get; set; } = "witness";
    /// <summary>The witness's own signing key (PEM); made on first start when it does not exist.</summary>
    public string KeyFile { get; set; } = "witness-data/witness-key.pem";
    /// <summary>Where the witness keeps the heads it cosigned and any alarms: a directory of its own, not the server's database.</summary>
    public string Storage { get; set; } = "witness-data";
    /// <summary>The server's base address.</summary>
    public string Server { get; set; } = "http://localhost:5080";
    /// <summary>A bearer token (or a file holding one) of an account that may take the drafts' evidence, e.g. an auditor.</summary>
    public string? Token { get; set; }
    public string? TokenFile { get; set; }
    /// <summary>
    /// The server's public keys (base64 SubjectPublicKeyInfo) the witness trusts; when empty, those the server names at first contact are
    /// kept and trusted. Either way a new server key is taken later only on the endorsement of a trusted one (a key transition,
    /// docs/evidence.md §5.2), and kept; a key listed without one is refused and kept as an alarm.
    /// </summary>
    public List<string> ServerKeys { get; set; } = [];
    public double PollSeconds { get; set; } = 5;
}
