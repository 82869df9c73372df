using CadapDrafting.Comments;
using CadapDrafting.Drafts;
using CadapDrafting.Import;
using CadapDrafting.Proposals;
using JasperFx.Events;
using Marten;

namespace CadapDrafting.Search;

/// <summary>
/// The search read model: one row per searchable text (a draft's title in one language, a node's text in one language, a
/// comment), with its stored tsvector under a GIN index. Russian text is indexed with the Russian configuration and English
/// with the English one, so a word finds its other forms; text in other languages word for word ('simple'); a comment, in
/// whichever language it was written, with both. Like the draft's other stored parts it is projected from the draft as it
/// is after its events, in the transaction of those events (<see cref="DraftStore.Store"/>), and written again whole with
/// the draft's parts when they are rebuilt from the events (<see cref="DraftStore.StoreAll(IDocumentOperations, Draft)"/>).
/// Each row carries its node's kind and number (renumbered when the tree changes), and a second, small table holds per
/// draft the facts the access policy looks at and its title: a search reads these two tables only, never a draft whole
/// (except to check a comment hit against its thread).
/// <para>
/// It is a projection of the events in substance, inline rather than a Marten projection: its rows are a function of the
/// draft's state after the events (texts after accepted proposals, the whole tree's numbering, each thread's visibility),
/// which is the one evolve step (<c>EventMetadata.Evolve</c>) the writer holds anyway under the stream's lock. A Marten
/// projection would have to replay or load the draft again for every commit, outside that lock. So, like the draft's
/// other stored parts (its <c>DraftProjection</c> is a live aggregation for the same reason), it is written from that
/// state in the transaction of the events, and <see cref="DraftStore.RebuildAsync(IDocumentStore, Guid, CancellationToken)"/>
/// (the <c>rebuild</c> command, the start-up upgrade) writes it again whole from the events alone; the test
/// <c>SearchingDrafts.Its_index_rows_deleted_…</c> deletes a draft's rows and finds them rebuilt row for row.
/// </para>
/// </summary>
public static class SearchIndex
{
    public const string TableName = "cadap_search_entries";
    public const string DraftsTableName = "cadap_search_drafts";

    public static Weasel.Postgresql.Tables.Table DraftsDefinition(string schema)
    {
        var table = new Weasel.Postgresql.Tables.Table(
            new Weasel.Postgresql.PostgresqlObjectName(schema, DraftsTableName, Weasel.Postgresql.SchemaUtils.IdentifierUsage.General));
        table.AddColumn<Guid>("draft_id").AsPrimaryKey();
        table.AddColumn<string>("country").NotNull();
        table.AddColumn<bool>("shared_with_reviewers").NotNull();
        table.AddColumn<bool>("shared_with_public").NotNull();
        table.AddColumn<bool>("in_consultation").NotNull();
        table.AddColumn<bool>("in_public_consultation").NotNull();
        table.AddColumn("title", "jsonb").NotNull();
        return table;
    }

    public static Weasel.Postgresql.Tables.Table Definition(string schema)
    {
        var table = new Weasel.Postgresql.Tables.Table(
            new Weasel.Postgresql.PostgresqlObjectName(schema, TableName, Weasel.Postgresql.SchemaUtils.IdentifierUsage.General));
        table.AddColumn<string>("id").AsPrimaryKey();
        table.AddColumn<Guid>("draft_id").NotNull();
        table.AddColumn<Guid>("node_id");
        table.AddColumn<Guid>("thread_id");
        table.AddColumn<Guid>("comment_id");
        // Whether the comment's thread is internal to the drafting team: outsiders' searches leave those rows out.
        table.AddColumn<bool>("internal").NotNull().DefaultValueByExpression("false");
        table.AddColumn<string>("language").NotNull();
        table.AddColumn<string>("kind");
        table.AddColumn<string>("number");
        table.AddColumn<string>("config").NotNull();
        table.AddColumn<string>("text").NotNull();
        table.AddColumn("vector", "tsvector").NotNull();
        table.Indexes.Add(new Weasel.Postgresql.Tables.IndexDefinition($"ix_{TableName}_vector")
        {
            Columns = ["vector"], Method = Weasel.Postgresql.Tables.IndexMethod.gin,
        });
        table.Indexes.Add(new Weasel.Postgresql.Tables.IndexDefinition($"ix_{TableName}_draft") { Columns = ["draft_id", "node_id"] });
        return table;
    }

    /// <summary>The text search configuration a language's text is indexed and highlighted with.</summary>
    public static string ConfigurationOf(string language) => language switch
    {
        "ru" => "russian",
        "en" => "english",
        _ => "simple",
    };

    /// <summary>Indexes what <paramref name="events"/> changed, reading the texts from the draft as it is after them.</summary>
    public static void Store(IDocumentOperations operations, Draft draft, IReadOnlyCollection<IEvent> events)
    {
        var schema = operations.DocumentStore.Options.DatabaseSchemaName;
        var nodes = new HashSet<Guid>();
        var threads = new HashSet<Guid>();
        var whole = false;
        var renumber = false;
        foreach (var data in events.Select(e => e.Data))
        {
            switch (data)
            {
                case DraftCreated or DraftImported or Lifecycle.NewEditionStarted:
                case ProposalAccepted { Kind: ProposalKind.Delete }:
                    whole = true;
                    break;
                case ProposalAccepted accepted:
                    nodes.Add(accepted.NodeId);
                    renumber |= accepted.Kind is ProposalKind.Insert or ProposalKind.Move;
                    break;
                case TranslationImported translation:
                    nodes.UnionWith(translation.Texts.Select(t => t.NodeId));
                    break;
                case Programme.GoodPracticeMarked marked:
                    nodes.Add(marked.NodeId);
                    break;
            }
            if (data is IThreadEvent threadEvent) threads.Add(threadEvent.ThreadId);
        }
        StoreDraft(operations, schema, draft);
        var numbers = whole || renumber || nodes.Count > 0 || threads.Count > 0 ? Numbering.Of(draft) : null;
        var rows = new IndexRows();
        if (whole)
        {
            operations.QueueSqlCommand($"delete from {schema}.{TableName} where draft_id = ? and comment_id is null", draft.Id);
            rows.AddTitle(draft);
            foreach (var node in draft.Nodes.Values) rows.AddNode(draft, node, numbers!);
        }
        else
        {
            foreach (var nodeId in nodes)
            {
                operations.QueueSqlCommand($"delete from {schema}.{TableName} where draft_id = ? and node_id = ? and comment_id is null",
                    draft.Id, nodeId);
                if (draft.Nodes.TryGetValue(nodeId, out var node)) rows.AddNode(draft, node, numbers!);
            }
        }
        foreach (var threadId in threads)
        {
            if (!draft.Threads.TryGetValue(threadId, out var thread)) continue;
            operations.QueueSqlCommand($"delete from {schema}.{TableName} where draft_id = ? and thread_id = ?", draft.Id, thread.Id);
            rows.AddThread(draft, thread, numbers!);
        }
        Insert(operations, schema, draft.Id, rows);
        // A node placed or moved renumbers those after it: every row of the draft takes its node's number as it is now.
        if (whole || renumber) Renumber(operations, schema, draft, numbers!);
    }

    private static void Renumber(IDocumentOperations operations, string schema, Draft draft, IReadOnlyDictionary<Guid, string> numbers) =>
        operations.QueueSqlCommand(
            $"update {schema}.{TableName} e set number = n.number from unnest(?::uuid[], ?::text[]) as n(node_id, number) " +
            "where e.draft_id = ? and e.node_id = n.node_id and e.number is distinct from n.number",
            numbers.Keys.ToArray(), numbers.Values.ToArray(), draft.Id);

    /// <summary>The draft's row: what the access policy looks at, and its title.</summary>
    private static void StoreDraft(IDocumentOperations operations, string schema, Draft draft)
    {
        var scope = Identity.AccessPolicy.DraftScope.Of(draft);
        operations.QueueSqlCommand(
            $"insert into {schema}.{DraftsTableName} (draft_id, country, shared_with_reviewers, shared_with_public, in_consultation, " +
            "in_public_consultation, title) values (?, ?, ?, ?, ?, ?, ?::jsonb) on conflict (draft_id) do update set country = excluded.country, " +
            "shared_with_reviewers = excluded.shared_with_reviewers, shared_with_public = excluded.shared_with_public, " +
            "in_consultation = excluded.in_consultation, in_public_consultation = excluded.in_public_consultation, title = excluded.title",
            draft.Id, scope.Country, scope.SharedWithReviewers, scope.SharedWithPublic, scope.InConsultation, scope.InPublicConsultation,
            System.Text.Json.JsonSerializer.Serialize(draft.Title));
    }

    /// <summary>
    /// Indexes the whole draft again, replacing what was indexed (the rebuild, a draft stored whole). A row already stored
    /// exactly as it would be written again keeps its vector, which is the same function of the same text: computing the
    /// vectors of thousands of comments again was most of what rebuilding a draft's index cost. So a change to how a vector
    /// is computed (in <see cref="Insert"/>) must come with a schema change that empties the table, or a rebuild keeps the old ones.
    /// </summary>
    public static void StoreAll(IDocumentOperations operations, Draft draft)
    {
        var schema = operations.DocumentStore.Options.DatabaseSchemaName;
        StoreDraft(operations, schema, draft);
        var numbers = Numbering.Of(draft);
        var rows = new IndexRows();
        rows.AddTitle(draft);
        foreach (var node in draft.Nodes.Values) rows.AddNode(draft, node, numbers);
        foreach (var thread in draft.Threads.Values) rows.AddThread(draft, thread, numbers);
        operations.QueueSqlCommand(
            $"delete from {schema}.{TableName} e where e.draft_id = ? and not exists (select 1 from {RowsFromArrays} " +
            "where r.id = e.id and r.node_id is not distinct from e.node_id and r.thread_id is not distinct from e.thread_id " +
            "and r.comment_id is not distinct from e.comment_id and r.internal = e.internal and r.language = e.language " +
            "and r.kind is not distinct from e.kind and r.number is not distinct from e.number and r.config = e.config and r.text = e.text)",
            [draft.Id, .. rows.Columns()]);
        Insert(operations, schema, draft.Id, rows, onlyNew: true);
    }

    /// <summary>
    /// Writes the rows in one insert from arrays, so a draft with thousands of comments costs one statement rather than one
    /// per comment (a rebuild writes many): a title's or node's text with its language's configuration; a comment, written
    /// in any language, with both stemmers (and highlighted with the Russian one, which stems Latin words as English).
    /// </summary>
    private static void Insert(IDocumentOperations operations, string schema, Guid draftId, IndexRows rows, bool onlyNew = false)
    {
        if (rows.Ids.Count == 0) return;
        operations.QueueSqlCommand(
            $"insert into {schema}.{TableName} (id, draft_id, node_id, thread_id, comment_id, internal, language, kind, number, config, " +
            "text, vector) select r.id, ?, r.node_id, r.thread_id, r.comment_id, r.internal, r.language, r.kind, r.number, r.config, r.text, " +
            "case when r.comment_id is null then to_tsvector(r.config::regconfig, r.text) " +
            "else to_tsvector('russian', r.text) || to_tsvector('english', r.text) end " +
            $"from {RowsFromArrays}" + (onlyNew ? $" where not exists (select 1 from {schema}.{TableName} e where e.id = r.id)" : ""),
            [draftId, .. rows.Columns()]);
    }

    /// <summary>The rows passed as one array per column (in <see cref="IndexRows.Columns"/>'s order), as a table <c>r</c>.</summary>
    private const string RowsFromArrays =
        "unnest(?::text[], ?::uuid[], ?::uuid[], ?::uuid[], ?::boolean[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) " +
        "as r(id, node_id, thread_id, comment_id, internal, language, kind, number, config, text)";

    /// <summary>The index rows to write for one draft, column by column, for one insert from arrays.</summary>
    private sealed class IndexRows
    {
        public List<string> Ids { get; } = [];
        public List<Guid?> Nodes { get; } = [];
        public List<Guid?> Threads { get; } = [];
        public List<Guid?> Comments { get; } = [];
        public List<bool> Internal { get; } = [];
        public List<string> Languages { get; } = [];
        public List<string?> Kinds { get; } = [];
        public List<string?> Numbers { get; } = [];
        public List<string> Configs { get; } = [];
        public List<string> Texts { get; } = [];

        /// <summary>The columns as the statements' parameters, in the order of <see cref="RowsFromArrays"/>.</summary>
        public object[] Columns() =>
        [
            Ids.ToArray(), Nodes.ToArray(), Threads.ToArray(), Comments.ToArray(), Internal.ToArray(), Languages.ToArray(), Kinds.ToArray(),
            Numbers.ToArray(), Configs.ToArray(), Texts.ToArray(),
        ];

        public void AddTitle(Draft draft)
        {
            foreach (var (language, text) in draft.Title.Where(t => !string.IsNullOrWhiteSpace(t.Value)))
                Add($"{draft.Id:N}:title:{language}", null, null, null, false, language, null, null, ConfigurationOf(language), text);
        }

        public void AddNode(Draft draft, DraftNode node, IReadOnlyDictionary<Guid, string> numbers)
        {
            foreach (var (language, text) in node.Text.Where(t => !string.IsNullOrWhiteSpace(t.Value)))
                Add($"{draft.Id:N}:{node.Id:N}:{language}", node.Id, null, null, false, language, node.Kind.ToString(),
                    numbers.GetValueOrDefault(node.Id) ?? "", ConfigurationOf(language), text);
        }

        public void AddThread(Draft draft, CommentThread thread, IReadOnlyDictionary<Guid, string> numbers)
        {
            var isInternal = thread.Visibility == ThreadVisibility.Internal;
            var node = thread.NodeId is { } nodeId && draft.Nodes.TryGetValue(nodeId, out var found) ? found : null;
            foreach (var comment in thread.Comments.Where(c => !string.IsNullOrWhiteSpace(c.Text)))
                Add($"{draft.Id:N}:{comment.Id:N}", node?.Id, thread.Id, comment.Id, isInternal, SearchDrafts.CommentLanguage,
                    node?.Kind.ToString(), node is null ? null : numbers.GetValueOrDefault(node.Id) ?? "", "russian", comment.Text);
        }

        private void Add(string id, Guid? node, Guid? thread, Guid? comment, bool isInternal, string language, string? kind, string? number,
            string config, string text)
        {
            Ids.Add(id);
            Nodes.Add(node);
            Threads.Add(thread);
            Comments.Add(comment);
            Internal.Add(isInternal);
            Languages.Add(language);
            Kinds.Add(kind);
            Numbers.Add(number);
            Configs.Add(config);
            Texts.Add(text);
        }
    }
}
