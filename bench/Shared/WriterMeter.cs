using System.Diagnostics.Metrics;
using System.Globalization;
using CadapDrafting.Drafts.Writing;

namespace CadapDrafting.Bench;

/// <summary>
/// Where the write side's time goes, read from the writer's meter when the server runs in this process:
/// per committed batch, lock and load, decide, store and commit.
/// </summary>
public sealed class WriterMeter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, List<double>> _values = new();

    public WriterMeter()
    {
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == DraftWriterMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((i, v, _, _) => Add(i.Name, v));
        _listener.SetMeasurementEventCallback<int>((i, v, _, _) => Add(i.Name, v));
        _listener.Start();
    }

    private void Add(string name, double value)
    {
        lock (_values)
        {
            if (!_values.TryGetValue(name, out var list)) _values[name] = list = [];
            list.Add(value);
        }
    }

    public void Reset()
    {
        lock (_values) _values.Clear();
    }

    /// <summary>The mean of one measurement since the last reset (NaN when none), e.g. "draft_writer.fetch".</summary>
    public double Mean(string name)
    {
        lock (_values) return _values.TryGetValue(name, out var v) && v.Count > 0 ? v.Average() : double.NaN;
    }

    /// <summary>How many committed batches since the last reset.</summary>
    public int Batches
    {
        get { lock (_values) return _values.TryGetValue("draft_writer.save", out var v) ? v.Count : 0; }
    }

    /// <summary>One line: batches, commands per batch, and mean / p95 of each phase in ms.</summary>
    public string Summary()
    {
        lock (_values)
        {
            if (!_values.TryGetValue("draft_writer.save", out var saves) || saves.Count == 0) return "no batches seen (server not in this process)";
            string Phase(string name)
            {
                var v = _values[name].Order().ToList();
                return string.Create(CultureInfo.InvariantCulture,
                    $"{v.Average():0.0} / {v[Math.Max(0, (int)Math.Ceiling(0.95 * v.Count) - 1)]:0.0}");
            }
            return string.Create(CultureInfo.InvariantCulture,
                $"{saves.Count} batches, {_values["draft_writer.batch_commands"].Average():0.00} commands each; mean / p95 ms: lock + load " +
                    $"{Phase("draft_writer.fetch")}, decide {Phase("draft_writer.decide")}, store + commit {Phase("draft_writer.save")}");
        }
    }

    public void Dispose() => _listener.Dispose();
}
