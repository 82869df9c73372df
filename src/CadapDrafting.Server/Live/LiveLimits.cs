namespace CadapDrafting.Live;

/// <summary>
/// The hub's own limits (section <c>Live</c>), apart from the HTTP request limit: hub traffic is transport
/// (negotiate, polls, Server-Sent Events), so only what a person does through the hub is counted here.
/// </summary>
public sealed class LiveLimits
{
    /// <summary>Live connections one person may hold at once (all tabs and devices on this node).</summary>
    public int ConnectionsPerUser { get; set; } = 20;

    /// <summary>Hub calls (JoinDraft, UpdatesSince, Head, SetPresence, LeaveDraft) one person may make per window.</summary>
    public int CallsPerUser { get; set; } = 100;

    public int CallsWindowSeconds { get; set; } = 10;

    /// <summary>Limits for named accounts (a load test, a kiosk) instead of <see cref="ConnectionsPerUser"/>.</summary>
    public Dictionary<string, int> ConnectionsPerUserByUser { get; set; } = new();

    /// <summary>Limits for named accounts instead of <see cref="CallsPerUser"/>.</summary>
    public Dictionary<string, int> CallsPerUserByUser { get; set; } = new();

    /// <summary>
    /// How far a viewer may fall behind: what the server holds for one connection that its client has not
    /// read yet. Beyond it the connection's writes wait for the client to read.
    /// </summary>
    public int ViewerBufferKilobytes { get; set; } = 1024;

    /// <summary>How long a write may wait for a viewer beyond <see cref="ViewerBufferKilobytes"/> before the viewer is dropped.</summary>
    public double StalledViewerSeconds { get; set; } = 5;

    public int ConnectionsFor(string userId) => ConnectionsPerUserByUser.GetValueOrDefault(userId, ConnectionsPerUser);

    public int CallsFor(string userId) => CallsPerUserByUser.GetValueOrDefault(userId, CallsPerUser);
}
