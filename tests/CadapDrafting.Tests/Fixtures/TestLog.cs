using System.Net;
using System.Net.Sockets;
using CadapDrafting.Evidence;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>
/// The keys of this test run's log, in files outside the database as in production: the server's signing key,
/// and the key of the witness the server knows ("eu-witness", on a loopback port of its own when a story starts it).
/// </summary>
public static class TestLog
{
    public const string WitnessName = "eu-witness";
    public static readonly string Directory = System.IO.Directory.CreateTempSubdirectory("cadap-log-").FullName;
    public static readonly string ServerKeyFile = Path.Combine(Directory, "server-signing-key.pem");
    public static readonly string WitnessKeyFile = Path.Combine(Directory, "witness", "witness-key.pem");
    public static readonly SigningKey ServerKey = SigningKey.LoadOrCreate(ServerKeyFile, create: true);
    public static readonly SigningKey WitnessKey = SigningKey.LoadOrCreate(WitnessKeyFile, create: true);
    public static readonly int WitnessPort = FreePort();
    public static Uri WitnessAddress => new($"http://127.0.0.1:{WitnessPort}");

    /// <summary>The server's configuration of its log: the key file and the witness it knows.</summary>
    public static Dictionary<string, string?> ServerSettings => new()
    {
        ["Evidence:SigningKeyFile"] = ServerKeyFile,
        ["Evidence:SignEverySeconds"] = "1",
        ["Evidence:Witnesses:0:Name"] = WitnessName,
        ["Evidence:Witnesses:0:PublicKey"] = Convert.ToBase64String(WitnessKey.PublicKey),
        ["Evidence:Witnesses:0:Url"] = WitnessAddress.ToString(),
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
