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

    public DraftUpdate Render(Draft after, IEvent e, long position)
    {
        var context = EventMetadata.ContextOf(e, position);
        return new DraftUpdate(after.Id, position, e.EventTypeName, context.Actor, EventMetadata.Header(e, EventMetadata.ActorName),
            context.At, PartsOf(after, e.Data));
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
