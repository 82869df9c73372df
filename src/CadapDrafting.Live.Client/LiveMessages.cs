using System.Text.Json;

namespace CadapDrafting.Live.Client;

/// <summary>A change of the draft as the hub sends it; parts stay JSON so the client needs none of the server's types.</summary>
public sealed record LiveUpdate(Guid DraftId, long Position, string Type, string Actor, string? ActorName, DateTimeOffset At,
    List<LivePart> Parts);

public sealed record LivePart(string Kind, Guid? Id, JsonElement Data);

public sealed record LiveViewer(string UserId, string Name, Guid? NodeId);

/// <summary>A page of what was missed; <paramref name="More"/>: ask again from <paramref name="Position"/>.</summary>
public sealed record LiveUpdatesSince(Guid DraftId, long Position, bool Reload, List<LiveUpdate> Updates, bool More = false);

public sealed record LiveJoined(Guid DraftId, long Position, bool Reload, List<LiveUpdate> Updates, List<LiveViewer> Viewers, bool More = false);

public sealed record LiveHead(Guid DraftId, long Position);

public sealed record LivePresence(Guid DraftId, List<LiveViewer> Viewers);
