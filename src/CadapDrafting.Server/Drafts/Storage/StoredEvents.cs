using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using JasperFx.Events;
using Marten;
using Npgsql;

namespace CadapDrafting.Drafts;

/// <summary>
/// Drafts' events read straight from the event table for a replay: the columns one evolve step uses (data, headers, user,
/// time), each event deserialised with the store's serializer as the type it was stored as. A rebuild reads tens of
/// thousands of events; Marten's general event query costs several times as much per event as this.
/// </summary>
public static class StoredEvents
{
    private static readonly ConcurrentDictionary<string, (Type Type, Func<object, IEvent> Wrap)> Types = new();

    /// <summary>The events of the given streams in the order they were appended, in the session's transaction.</summary>
    public static async IAsyncEnumerable<IEvent> ReadAsync(IDocumentSession session, Guid[] streams, [EnumeratorCancellation] CancellationToken ct)
    {
        var serializer = session.DocumentStore.Options.Serializer();
        var json = JsonOptionsOf(serializer);
        await using var command = new NpgsqlCommand(
            $"select stream_id, version, seq_id, mt_dotnet_type, data, convert_to(headers::text, 'UTF8'), user_name, timestamp " +
            $"from {session.DocumentStore.Options.Events.DatabaseSchemaName}.mt_events where stream_id = any($1) order by seq_id",
            session.Connection)
        {
            Parameters = { new() { Value = streams } },
        };
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var (type, wrap) = Types.GetOrAdd(reader.GetString(3), TypeOf);
            // From the bytes with the serializer's own options: Marten's reader-based path goes through a stream and costs
            // several times as much per event.
            var data = json is null ? serializer.FromJson(type, reader, 4) : JsonSerializer.Deserialize(reader.GetFieldValue<byte[]>(4), type, json)!;
            var e = wrap(data);
            e.StreamId = reader.GetGuid(0);
            e.Version = reader.GetInt64(1);
            e.Sequence = reader.GetInt64(2);
            if (!reader.IsDBNull(5)) e.Headers = Headers(reader.GetFieldValue<byte[]>(5));
            if (!reader.IsDBNull(6)) e.UserName = reader.GetString(6);
            e.Timestamp = reader.GetFieldValue<DateTimeOffset>(7);
            yield return e;
        }
    }

    /// <summary>Headers as the evolve step reads them: strings as strings, anything else as its JSON element.</summary>
    private static Dictionary<string, object> Headers(byte[] json)
    {
        var headers = new Dictionary<string, object>();
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            headers[name] = reader.TokenType == JsonTokenType.String ? reader.GetString()! : JsonElement.ParseValue(ref reader);
        }
        return headers;
    }

    private static readonly ConditionalWeakTable<Marten.ISerializer, JsonSerializerOptions> JsonOptions = new();

    /// <summary>The options Marten's System.Text.Json serializer deserialises with (read through its Configure hook, left as they are).</summary>
    private static JsonSerializerOptions? JsonOptionsOf(Marten.ISerializer serializer)
    {
        if (serializer is not Marten.Services.SystemTextJsonSerializer stj) return null;
        return JsonOptions.GetValue(serializer, _ =>
        {
            JsonSerializerOptions? options = null;
            stj.Configure(o => options = o);
            return options!;
        });
    }

    private static (Type, Func<object, IEvent>) TypeOf(string storedType)
    {
        var type = Type.GetType(storedType, throwOnError: true)!;
        var wrapped = typeof(Event<>).MakeGenericType(type);
        return (type, data => (IEvent)Activator.CreateInstance(wrapped, data)!);
    }
}
