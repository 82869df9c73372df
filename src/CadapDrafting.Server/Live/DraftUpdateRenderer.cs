using System.Text.Json;
using System.Text.Json.Serialization;
using CadapDrafting.Drafts;
using CadapDrafting.Infrastructure;
using JasperFx.Events;

namespace CadapDrafting.Live;

/// <summary>Turns one event, with the draft's state right after it, into the update its viewers receive.</summary>
public sealed class DraftUpdateRenderer
{
    private readonly Dictionary<Type, Func<UpdateView, IDraftEvent, IEnumerable<UpdatePart>>[]> _byType;
    private readonly ILogger<DraftUpdateRenderer> _logger;

    public DraftUpdateRenderer(IEnumerable<UpdatePartsRegistration> registrations, ILogger<DraftUpdateRenderer> logger)
    {
        _byType = registrations.GroupBy(r => r.EventType).ToDictionary(g => g.Key, g => g.Select(r => r.Render).ToArray());
        _logger = logger;
    }

    /// <summary>The hub protocol's JSON: camelCase, enums as strings.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public DraftUpdate Render(Draft after, IEvent e, long position)
    {
        var context = EventMetadata.ContextOf(e, position);
        // Views share collections with the draft, which the next event (often in the same transaction) changes
        // in place, and sending happens later: each part is frozen as JSON now, as it is at this position.
        var parts = PartsOf(after, e.Data).Select(p => p with { Data = JsonSerializer.SerializeToElement(p.Data, Json) }).ToList();
        return new DraftUpdate(after.Id, position, e.EventTypeName, context.Actor, EventMetadata.Header(e, EventMetadata.ActorName),
            context.At, parts);
    }

    private IReadOnlyList<UpdatePart> PartsOf(Draft after, object data)
    {
        var view = new UpdateView(after);
        if (data is not IDraftEvent change || !_byType.TryGetValue(data.GetType(), out var renderers)) return [view.Lifecycle()];
        try
        {
            // One part per item: when two renderers name the same item, the later view wins (both are the same state).
            var parts = new List<UpdatePart>();
            foreach (var part in renderers.SelectMany(render => render(view, change)))
            {
                var index = parts.FindIndex(p => p.Kind == part.Kind && p.Id == part.Id);
                if (index >= 0) parts[index] = part;
                else parts.Add(part);
            }
            return parts.Count > 0 ? parts : [view.Lifecycle()];
        }
        catch (Exception ex)
        {
            // A rendering fault must never stop a write or leave a hole in the positions: viewers get the
            // lifecycle part and can reload what they need.
            _logger.LogError(ex, "Rendering the live update for {EventType} on draft {DraftId} failed", data.GetType().Name, after.Id);
            return [view.Lifecycle()];
        }
    }
}
