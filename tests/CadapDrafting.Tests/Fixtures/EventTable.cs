using Npgsql;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>
/// Someone with database access changing a draft's stored events behind the application's back: the
/// tampering the hash chain must reveal.
/// </summary>
public static class EventTable
{
    private const string Events = "cadap.mt_events";

    public static Task AlterData(Guid draftId, long position, string path, string jsonValue) =>
        Execute($"update {Events} set data = jsonb_set(data, '{{{path}}}', @value::jsonb) where stream_id = @id and version = @v",
            ("id", draftId), ("v", position), ("value", jsonValue));

    public static Task AlterHeader(Guid draftId, long position, string header, string value) =>
        Execute($"update {Events} set headers = jsonb_set(headers, '{{{header}}}', to_jsonb(@value::text)) where stream_id = @id and version = @v",
            ("id", draftId), ("v", position), ("value", value));

    public static Task Delete(Guid draftId, long position) =>
        Execute($"delete from {Events} where stream_id = @id and version = @v", ("id", draftId), ("v", position));

    /// <summary>Deletes the last event and winds the stream's recorded version back too, as a careful forger would.</summary>
    public static async Task DeleteTail(Guid draftId, long position)
    {
        await Delete(draftId, position);
        await Execute("update cadap.mt_streams set version = @v where id = @id", ("id", draftId), ("v", position - 1));
    }

    /// <summary>Inserts a copy of the event at <paramref name="copyOf"/> at <paramref name="position"/>, shifting the later ones up.</summary>
    public static async Task InsertCopy(Guid draftId, long copyOf, long position)
    {
        await using var connection = await OpenAsync();
        var columns = new List<string>();
        await using (var read = new NpgsqlCommand(
                         "select column_name from information_schema.columns where table_schema = 'cadap' and table_name = 'mt_events' " +
                         "and column_name not in ('seq_id', 'id', 'version') order by ordinal_position", connection))
        await using (var reader = await read.ExecuteReaderAsync())
            while (await reader.ReadAsync()) columns.Add(reader.GetString(0));
        var list = string.Join(", ", columns);
        await using var tx = await connection.BeginTransactionAsync();
        // Two steps, so the unique (stream, version) key never sees two rows on one version.
        await Run(connection, $"update {Events} set version = -version - 1 where stream_id = @id and version >= @p", ("id", draftId),
            ("p", position));
        await Run(connection, $"update {Events} set version = -version where stream_id = @id and version < 0", ("id", draftId));
        await Run(connection,
            $"insert into {Events} (seq_id, id, version, {list}) select nextval('cadap.mt_events_sequence'), gen_random_uuid(), @p, {list} from " +
                $"{Events} where stream_id = @id and version = @c",
            ("id", draftId), ("p", position), ("c", copyOf < position ? copyOf : copyOf + 1));
        await tx.CommitAsync();
    }

    /// <summary>Swaps the places of two events.</summary>
    public static async Task Swap(Guid draftId, long a, long b)
    {
        await using var connection = await OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await Run(connection, $"update {Events} set version = -1 where stream_id = @id and version = @a", ("id", draftId), ("a", a));
        await Run(connection, $"update {Events} set version = @a where stream_id = @id and version = @b", ("id", draftId), ("a", a), ("b", b));
        await Run(connection, $"update {Events} set version = @b where stream_id = @id and version = -1", ("id", draftId), ("b", b));
        await tx.CommitAsync();
    }

    private static async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(TestDatabase.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task Execute(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        var changed = await Run(connection, sql, parameters);
        Assert.True(changed > 0, $"The tampering changed no rows: {sql}");
    }

    private static async Task<int> Run(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return await command.ExecuteNonQueryAsync();
    }
}
