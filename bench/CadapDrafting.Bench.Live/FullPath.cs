using System.Diagnostics;
using System.Text.Json;
using CadapDrafting.Live.Client;
using Microsoft.AspNetCore.Http.Connections;

namespace CadapDrafting.Bench.Live;

/// <summary>
/// The whole path: proposals sent through the HTTP API by two drafters at a fixed rate, committed by the
/// draft's writer, pushed after commit, applied in order by N live clients of other users. With several nodes the
/// clients are spread over them (client c on node c mod count) and the writes go to the first: the clients on the
/// other nodes receive each change through the Redis backplane (<see cref="Measurement.CrossNode"/>). With a stalled
/// viewer, one more client follows the draft by long polling through a relay that stops moving data once
/// the writes start; it is not measured: the question is what it does to the N others.
/// </summary>
public static class FullPath
{
    private static readonly string[] Viewers = ["kg-approver-1", "kg-approver-2", "kg-approver-3", "auditor"];
    private static readonly string[] Writers = ["kg-drafter", "kg-editor"];

    public static async Task<Measurement> RunAsync(Api api, IReadOnlyList<Uri> servers, int n, BenchOptions options, bool withStalledViewer = false)
    {
        var editor = await api.ClientFor("kg-editor");
        var created = await Api.CommandAsync(editor, "/api/drafts",
            new {
                country = "KG", kind = "ActionPlan", title = new { en = $"Benchmark plan for {n} viewers" }, periodStart = 2026,
                periodEnd = 2030
            });
        var draftId = created.GetProperty("result").GetProperty("draftId").GetGuid();
        var nodes = new List<Guid>();
        Guid? after = null;
        for (var i = 0; i < 20; i++)
        {
            var inserted = await Api.CommandAsync(editor, $"/api/drafts/{draftId}/proposals", new {
                kind = "Insert", nodeKind = "Action", afterNodeId = after, text = new { en = $"Action {i + 1}: treatment and prevention services" },
                rationale = "Structure of the plan", acceptNow = true,
            });
            after = inserted.GetProperty("result").GetProperty("nodeId").GetGuid();
            nodes.Add(after.Value);
        }
        var basePosition = (await editor.GetFromJsonAsync<JsonElement>($"/api/drafts/{draftId}")).GetProperty("position").GetInt64();

        var total = options.WritesPerRun;
        var capacity = total + 1;
        var received = new long[n][];
        JsonElement? sample = null;
        var clients = new LiveDraftClient[n];
        using var gate = new SemaphoreSlim(25);
        await Task.WhenAll(Enumerable.Range(0, n).Select(async c =>
        {
            await gate.WaitAsync();
            try
            {
                var user = Viewers[c % Viewers.Length];
                var stamps = received[c] = new long[capacity + 1];
                var client = clients[c] =
                    await LiveDraftClient.ConnectAsync(servers[c % servers.Count], draftId, async () => await api.TokenFor(user), basePosition,
                    new LiveClientOptions { Transports = HttpTransportType.WebSockets });
                client.Applied += u =>
                {
                    var k = u.Position - basePosition;
                    if (k > 0 && k <= capacity) stamps[k] = Stopwatch.GetTimestamp();
                    if (c == 0 && sample is null) sample = JsonSerializer.SerializeToElement(u, Api.Json);
                };
            }
            finally { gate.Release(); }
        }));

        await using var relay = withStalledViewer ? new StallingRelay(servers[0]) : null;
        await using var stalled = relay is null ? null : await LiveDraftClient.ConnectAsync(relay.Address, draftId,
            async () => await api.TokenFor(Viewers[0]), basePosition, new LiveClientOptions { Transports = HttpTransportType.LongPolling });
        relay?.Stall();

        var writers = await Task.WhenAll(Writers.Select(api.ClientFor));
        var sent = new long[capacity + 1];
        var answered = new long[capacity + 1];
        var failures = 0;
        var start = Stopwatch.GetTimestamp();
        var interval = Stopwatch.Frequency / (double)options.WritesPerSecond;
        var writes = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = start + (long)(i * interval);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            var index = i;
            writes.Add(Task.Run(async () =>
            {
                var at = Stopwatch.GetTimestamp();
                try
                {
                    var outcome = await Api.CommandAsync(writers[index % Writers.Length], $"/api/drafts/{draftId}/proposals", new {
                        kind = "Amend", nodeId = nodes[index % nodes.Count], baseRevision = 1,
                        text = new { en = $"Action {index % nodes.Count + 1}: evidence-based treatment and prevention services, variant {index}" },
                        rationale = "Benchmark proposal",
                    });
                    var k = outcome.GetProperty("position").GetInt64() - basePosition;
                    if (k > 0 && k <= capacity) (sent[k], answered[k]) = (at, Stopwatch.GetTimestamp());
                }
                catch (Exception ex)
                {
                    if (Interlocked.Increment(ref failures) <= 3) Console.WriteLine($"  write failed: {ex.Message}");
                }
            }));
        }
        await Task.WhenAll(writes);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var last = basePosition + total - failures;
        try { await Task.WhenAll(clients.Select(c => c.WaitForPositionAsync(last, TimeSpan.FromSeconds(30)))); }
        catch (TimeoutException ex) { Console.WriteLine($"  not every client caught up: {ex.Message}"); }
        // The stalled viewer is not measured: cut its relay now, or closing it waits on a connection that never moves.
        if (relay is not null) await relay.DisposeAsync();

        // The writes while the clients settle at this N are not counted (BenchOptions.SettleSeconds).
        var latencies = new List<double>();
        var crossNode = new List<double>();
        var byInterval = new SortedDictionary<int, List<double>>();
        var commands = new List<double>();
        var pushes = new List<double>();
        long expected = 0, delivered = 0;
        for (var k = options.FirstMeasuredWrite; k <= total - failures; k++)
        {
            if (sent[k] == 0) continue;
            commands.Add(Stopwatch.GetElapsedTime(sent[k], answered[k]).TotalMilliseconds);
            for (var c = 0; c < n; c++)
            {
                var stamps = received[c];
                expected++;
                if (stamps[k] == 0) continue;
                delivered++;
                latencies.Add(Stopwatch.GetElapsedTime(sent[k], stamps[k]).TotalMilliseconds);
                if (c % servers.Count != 0) crossNode.Add(latencies[^1]);
                var interval10s = (int)(Stopwatch.GetElapsedTime(start, sent[k]).TotalSeconds / 10);
                if (!byInterval.TryGetValue(interval10s, out var bucket)) byInterval[interval10s] = bucket = [];
                bucket.Add(latencies[^1]);
                pushes.Add(Stopwatch.GetElapsedTime(answered[k], stamps[k]).TotalMilliseconds);
            }
        }
        // Steady or drifting: the latency per 10 s of the run.
        var intervals = string.Join(", ", byInterval.Select(b =>
            $"{b.Key * 10}–{b.Key * 10 + 10} s: p50 {new Measurement(b.Value, 0, 0, 0, 0, 0).P(0.5):0} / p95 " +
                $"{new Measurement(b.Value, 0, 0, 0, 0, 0).P(0.95):0} ms"));
        Console.WriteLine($"  per 10 s of the run: {intervals}");
        var gaps = clients.Sum(c => c.GapsFetched);
        var duplicates = clients.Sum(c => c.Duplicates);
        await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        foreach (var w in writers) w.Dispose();
        return new Measurement(latencies, expected, delivered, gaps, duplicates, (total - failures) / elapsed)
        {
            SamplePayload = sample, Intervals = intervals, CommandRoundTrip = new Measurement(commands, 0, 0, 0, 0, 0),
            AfterAnswer = new Measurement(pushes, 0, 0, 0, 0, 0),
            CrossNode = servers.Count > 1 ? new Measurement(crossNode, 0, 0, 0, 0, 0) : null
        };
    }
}
