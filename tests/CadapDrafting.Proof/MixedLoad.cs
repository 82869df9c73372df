using System.Collections.Concurrent;
using System.Text.Json;

namespace CadapDrafting.Proof;

/// <summary>A command as the client sent it, kept so an unanswered one can be sent again under the same id.</summary>
public sealed class SentCommand(Guid commandId, Guid draftId, ProofClient client, string url, object body)
{
    public Guid CommandId { get; } = commandId;
    public Guid DraftId { get; } = draftId;
    public ProofClient Client { get; } = client;
    public string Url { get; } = url;
    public object Body { get; } = body;
    public int Status { get; set; }
    public int Attempts { get; set; }
    public bool Acknowledged => Status is >= 200 and < 300;
    public bool Refused => Status is >= 400 and < 500;
    public bool Answered => Acknowledged || Refused;
    public Answer? LastAnswer { get; set; }
}

/// <summary>
/// Several people working on a few drafts at once over HTTP: proposing amendments against the text they last saw,
/// accepting, rejecting, rebasing, commenting and signing off, in a random order from a seed. What each was told
/// is kept for the checker.
/// </summary>
public sealed class MixedLoad
{
    private static readonly string[] Proposers = ["kg-drafter", "kg-editor", "eu-expert-1", "eu-expert-2"];
    private static readonly string[] Commenters = ["kg-drafter", "eu-expert-1", "eu-expert-2", "cso-1"];
    private static readonly string[] Approvers = ["kg-approver-1", "kg-approver-2"];

    private readonly Dictionary<string, ProofClient> _people;
    private readonly List<DraftState> _drafts;
    private int _5xx;

    public ConcurrentQueue<SentCommand> Sent { get; } = new();
    public IReadOnlyList<Guid> Drafts => _drafts.Select(d => d.Id).ToList();
    /// <summary>Answers 500 and above other than 503 (which asks for a retry): each one is a bug.</summary>
    public int ServerErrors => _5xx;

    /// <summary>The same people, drafts and sent commands, speaking to a restarted server at a new address.</summary>
    public MixedLoad On(Uri server)
    {
        foreach (var person in _people.Values) person.MoveTo(server);
        return this;
    }

    private MixedLoad(Dictionary<string, ProofClient> people, List<DraftState> drafts)
    {
        _people = people;
        _drafts = drafts;
    }

    private sealed class DraftState(Guid id, List<Guid> nodes)
    {
        public Guid Id { get; } = id;
        public List<Guid> Nodes { get; } = nodes;
        public ConcurrentDictionary<Guid, int> NodeRevision { get; } = new(nodes.ToDictionary(n => n, _ => 1));
        public ConcurrentDictionary<Guid, (Guid Node, string Author)> Proposals { get; } = new();
        public int Revision;
    }

    /// <summary>Creates <paramref name="drafts"/> drafts of a few actions each, open for public consultation and with an approval policy.</summary>
    public static async Task<MixedLoad> PrepareAsync(Uri server, int drafts, int nodesPerDraft = 4)
    {
        var people = new Dictionary<string, ProofClient>();
        foreach (var id in Proposers.Concat(Commenters).Concat(Approvers).Distinct())
            people[id] = await ProofClient.SignInAsync(server, id);
        var editor = people["kg-editor"];
        var states = new List<DraftState>();
        for (var d = 0; d < drafts; d++)
        {
            var draftId = (await Must(editor.SendAsync("/api/drafts",
                new { country = "KG", kind = "ActionPlan", title = new { en = $"Proof plan {d}" }, periodStart = 2026, periodEnd = 2030 },
                Guid.NewGuid()))).Result.GetProperty("draftId").GetGuid();
            var nodes = new List<Guid>();
            for (var n = 0; n < nodesPerDraft; n++)
                nodes.Add((await Must(editor.SendAsync($"/api/drafts/{draftId}/proposals",
                    new {
                        kind = "Insert", nodeKind = "Action", text = new { en = $"Action {n}: treatment in every region" }, rationale = "Start",
                        acceptNow = true
                    },
                    Guid.NewGuid()))).Result.GetProperty("nodeId").GetGuid());
            await Must(editor.SendAsync($"/api/drafts/{draftId}/rounds",
                new { endsAt = DateTimeOffset.UtcNow.AddDays(60), isPublic = true, reason = "Consultation" }, Guid.NewGuid()));
            await Must(editor.SendAsync($"/api/drafts/{draftId}/approval-policy",
                new { approvers = new[] { "kg-approver-1", "kg-approver-2", "kg-approver-3" }, required = 3 }, Guid.NewGuid()));
            states.Add(new DraftState(draftId, nodes) { Revision = nodesPerDraft });
        }
        return new MixedLoad(people, states);
    }

    /// <summary>Runs <paramref name="writers"/> writers until <paramref name="operations"/> commands were sent or <paramref name="stop"/>
    /// fires.</summary>
    public async Task RunAsync(int writers, int operations, int seed, CancellationToken stop = default)
    {
        var remaining = operations;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var random = new Random(seed * 7919 + w);
            while (!stop.IsCancellationRequested && Interlocked.Decrement(ref remaining) >= 0)
            {
                var draft = _drafts[random.Next(_drafts.Count)];
                var command = Next(random, draft);
                await SendAsync(command, stop);
                Learn(draft, command);
            }
        }, CancellationToken.None)));
    }

    /// <summary>Sends every command that got no answer (or 503) again under its own id, until it is answered.</summary>
    public async Task<int> RetryUnansweredAsync(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        var pending = Sent.Where(c => !c.Answered).ToList();
        var retried = pending.Count;
        while (pending.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (c, _) => await SendAsync(c, default));
            pending = pending.Where(c => !c.Answered).ToList();
            if (pending.Count > 0) await Task.Delay(200);
        }
        return retried;
    }

    private async Task SendAsync(SentCommand command, CancellationToken stop)
    {
        if (command.Attempts == 0) Sent.Enqueue(command);
        command.Attempts++;
        var answer = await command.Client.SendAsync(command.Url, command.Body, command.CommandId, stop);
        if (answer.Status >= 500 && answer.Status != 503) Interlocked.Increment(ref _5xx);
        // An answer after an earlier one never replaces an acknowledgement: the client was told it was stored.
        if (!command.Acknowledged) command.Status = answer.Status;
        command.LastAnswer = answer;
    }

    private void Learn(DraftState draft, SentCommand command)
    {
        if (command.LastAnswer is not { Acknowledged: true, Body: { } body } || !body.TryGetProperty("result", out var result)) return;
        if (result.ValueKind != JsonValueKind.Object) return;
        if (command.Url.EndsWith("/proposals", StringComparison.Ordinal) && result.TryGetProperty("proposalId", out var pid)
            && command.Body is ProposalBody proposal)
            draft.Proposals[pid.GetGuid()] = (proposal.NodeId, command.Client.UserId);
        if (result.TryGetProperty("nodeRevision", out var nodeRevision) && result.TryGetProperty("nodeId", out var node))
            draft.NodeRevision.AddOrUpdate(node.GetGuid(), nodeRevision.GetInt32(), (_, known) => Math.Max(known, nodeRevision.GetInt32()));
        if (result.TryGetProperty("revision", out var revision) && revision.ValueKind == JsonValueKind.Number)
            InterlockedMax(ref draft.Revision, revision.GetInt32());
        if (command.Url.EndsWith("/accept", StringComparison.Ordinal) || command.Url.EndsWith("/reject", StringComparison.Ordinal))
            draft.Proposals.TryRemove(Guid.Parse(command.Url.Split('/')[^2]), out _);
    }

    private SentCommand Next(Random random, DraftState draft)
    {
        var roll = random.Next(100);
        var proposals = draft.Proposals.ToArray();
        var node = draft.Nodes[random.Next(draft.Nodes.Count)];
        var text = $"Words {random.Next(1_000_000)} on outreach and treatment";
        if (roll < 35 || proposals.Length == 0 && roll < 80)
        {
            var author = _people[Proposers[random.Next(Proposers.Length)]];
            var body = new ProposalBody("Amend", node, draft.NodeRevision.GetValueOrDefault(node, 1), new() { ["en"] = text }, "Clearer");
            return new SentCommand(Guid.NewGuid(), draft.Id, author, $"/api/drafts/{draft.Id}/proposals", body);
        }
        if (roll < 80 && proposals.Length > 0)
        {
            var (proposalId, (proposalNode, author)) = proposals[random.Next(proposals.Length)];
            var editor = _people["kg-editor"];
            return random.Next(4) switch
            {
                0 or 1 => new SentCommand(Guid.NewGuid(), draft.Id, editor, $"/api/drafts/{draft.Id}/proposals/{proposalId}/accept",
                    new { reason = "Agreed" }),
                2 => new SentCommand(Guid.NewGuid(), draft.Id, editor, $"/api/drafts/{draft.Id}/proposals/{proposalId}/reject",
                    new { reason = "Not now" }),
                _ => new SentCommand(Guid.NewGuid(), draft.Id, _people[author], $"/api/drafts/{draft.Id}/proposals/{proposalId}/rebase",
                    new {
                        baseRevision = draft.NodeRevision.GetValueOrDefault(proposalNode, 1),
                        text = new Dictionary<string, string> { ["en"] = text }
                    }),
            };
        }
        if (roll < 95)
        {
            var commenter = _people[Commenters[random.Next(Commenters.Length)]];
            return new SentCommand(Guid.NewGuid(), draft.Id, commenter, $"/api/drafts/{draft.Id}/threads",
                new { nodeId = node, text = $"Remark: {text}" });
        }
        if (roll < 98)
        {
            var approver = _people[Approvers[random.Next(Approvers.Length)]];
            return new SentCommand(Guid.NewGuid(), draft.Id, approver, $"/api/drafts/{draft.Id}/sign-offs",
                new { revision = Volatile.Read(ref draft.Revision) });
        }
        // The editor moves the draft into review (where sign-offs count and proposals wait) and back out of it, or
        // starts a new edition of an approved one, so histories hold sign-offs, approvals and dismissals.
        var move = roll == 98 ? "review" : random.Next(2) == 0 ? "drafting" : "new-revision";
        return new SentCommand(Guid.NewGuid(), draft.Id, _people["kg-editor"], $"/api/drafts/{draft.Id}/lifecycle/{move}",
            new { reason = "Moving on" });
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }

    private static async Task<Answer> Must(Task<Answer> sending)
    {
        var answer = await sending;
        if (!answer.Acknowledged) throw new InvalidOperationException($"Setting up failed: {answer.Status} {answer.Text}");
        return answer;
    }
}

public sealed record ProposalBody(string Kind, Guid NodeId, int BaseRevision, Dictionary<string, string> Text, string Rationale);
