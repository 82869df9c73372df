using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using CadapDrafting.Infrastructure;
using Marten;

namespace CadapDrafting.Drafts.Writing;

/// <summary>
/// The idempotency step. A command id is the sender's own: it is remembered per user, so a retry returns the first
/// outcome, the same id with other content is refused, and another user's id is just a new id (it tells nothing about
/// the command that used it first).
/// </summary>
public static class Idempotency
{
    private static readonly JsonSerializerOptions CommandJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>Results leave out members that are null, so an optional member appears only when it says something.</summary>
    private static readonly JsonSerializerOptions ResultJson = new(CommandJson)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The record's key: the client's command id within its sender's own ids.</summary>
    public static Guid RecordIdOf(Guid commandId, string userId) => DeterministicGuid.Create(commandId, "sent-by:" + userId);

    /// <summary>
    /// An id a command derives for something it creates (<see cref="CommandContext.NewId"/>): from the command id within
    /// its sender's ids, so a retry names the same thing and two users' equal ids never name the same thing.
    /// </summary>
    public static Guid NewIdOf(Guid commandId, string userId, string purpose) => DeterministicGuid.Create(RecordIdOf(commandId, userId), purpose);

    /// <summary>The records of the batch's commands that were applied before, in one round trip.</summary>
    public static async Task<RememberedCommands> RecallAsync(IDocumentSession session, IEnumerable<CommandEnvelope> envelopes)
    {
        var sent = envelopes.ToList();
        // Records written before ids were scoped to their sender are keyed by the bare command id.
        var ids = sent.Select(e => RecordIdOf(e.CommandId, e.Actor.UserId)).Concat(sent.Select(e => e.CommandId)).Distinct().ToArray();
        return new RememberedCommands((await session.LoadManyAsync<CommandRecord>(ids)).ToDictionary(r => r.Id));
    }

    public static string Fingerprint(object command) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            command.GetType().FullName + JsonSerializer.Serialize(command, command.GetType(), CommandJson))));

    /// <summary>The first outcome of the sender's own command, or a refusal when the id was used for something else.</summary>
    public static CommandOutcome Replay(CommandRecord record, Guid draftId, string fingerprint)
    {
        if (record.DraftId != draftId || record.Fingerprint != fingerprint)
            return CommandOutcome.Failed(Problem.Invalid("commandId",
                "You already used this command id for a different command. Use a new id for a new command."));
        return new CommandOutcome(record.Status, Parse(record.ResultJson), record.LastPosition, null, Replayed: true);
    }

    /// <summary>Stores the applied command's outcome with its events, in the same transaction.</summary>
    public static CommandRecord Record(IDocumentSession session, RememberedCommands remembered, CommandEnvelope envelope, Guid draftId,
        string fingerprint, object? result, long firstPosition, long lastPosition, DateTimeOffset at)
    {
        var record = new CommandRecord
        {
            Id = RecordIdOf(envelope.CommandId, envelope.Actor.UserId), CommandId = envelope.CommandId, DraftId = draftId,
            CommandType = envelope.Command.GetType().Name, Fingerprint = fingerprint, Actor = envelope.Actor.UserId,
            Status = envelope.Command is IDraftCreation ? 201 : 200, ResultJson = JsonSerializer.Serialize(result, ResultJson),
            FirstPosition = firstPosition, LastPosition = lastPosition, RecordedAt = at,
        };
        session.Insert(record);
        remembered.Add(record);
        return record;
    }

    public static JsonElement? Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}

/// <summary>The command records a batch found or wrote, by record id.</summary>
public sealed class RememberedCommands(Dictionary<Guid, CommandRecord> records)
{
    /// <summary>The sender's own record of this command id, if it was applied before.</summary>
    public CommandRecord? Find(CommandEnvelope envelope)
    {
        if (records.TryGetValue(Idempotency.RecordIdOf(envelope.CommandId, envelope.Actor.UserId), out var own)) return own;
        return records.TryGetValue(envelope.CommandId, out var legacy) && legacy.Actor == envelope.Actor.UserId ? legacy : null;
    }

    public void Add(CommandRecord record) => records[record.Id] = record;
}
