using Npgsql;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>
/// PostgreSQL refusing to store one kind of event on one draft (a trigger that raises), as a database going away refuses a
/// write, until disposed. The refusals are counted in a sequence, which a refused transaction does not roll back.
/// </summary>
public sealed class StorageRefusal : IAsyncDisposable
{
    private readonly string _name;

    private StorageRefusal(string name) => _name = name;

    public static async Task<StorageRefusal> OfAsync(Guid draftId, string eventType)
    {
        var refusal = new StorageRefusal($"refuse_{Guid.NewGuid():N}"[..24]);
        await Run($"""
            create sequence cadap.{refusal._name}_count;
            create function cadap.{refusal._name}() returns trigger language plpgsql as $$
            begin
              perform nextval('cadap.{refusal._name}_count');
              raise exception 'refused by the test';
            end $$;
            create trigger {refusal._name} before insert on cadap.mt_events for each row
              when (new.stream_id = '{draftId}' and new.type = '{eventType}') execute function cadap.{refusal._name}();
            """);
        return refusal;
    }

    /// <summary>How many times a write was refused.</summary>
    public async Task<long> CountAsync()
    {
        await using var connection = await OpenAsync();
        await using var read = new NpgsqlCommand($"select case when is_called then last_value else 0 end from cadap.{_name}_count", connection);
        return (long)(await read.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync() =>
        await Run($"""
            drop trigger if exists {_name} on cadap.mt_events;
            drop function if exists cadap.{_name}();
            drop sequence if exists cadap.{_name}_count;
            """);

    private static async Task Run(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(TestDatabase.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
