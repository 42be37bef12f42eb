using System.Runtime.CompilerServices;
using System.Text;
using Catalog.Api.Features.Usage;
using Catalog.Pricing;
using LiteDB;

namespace Catalog.Api.Storage.LiteDb;

/// <summary>
/// The ledger in the embedded LiteDB file. Appends go through one group-commit writer: each commit
/// inserts its records and upserts their rollups in one transaction, then forces the log to disk, then
/// acknowledges. The rollups are also held in memory (loaded at start, changed only after a commit),
/// so the summary reads a few thousand counters instead of millions of records.
/// </summary>
public sealed class LiteDbUsageStore : IUsageStore, IUsageCsvSource, IAsyncDisposable
{
    public const string UsageCollection = "usage";
    public const string RollupCollection = "usage_rollups";
    public const string GuessCollection = "usage_fallbacks";

    private const int PageSize = 1_000;

    /// <summary>Rows the export reads per query (one snapshot each); it writes each page before reading the next.</summary>
    private const int CsvPageSize = 2_000;

    private readonly LedgerDatabase _database;
    private readonly ILiteCollection<BsonDocument> _usage;
    private readonly ILiteCollection<BsonDocument> _rollups;
    private readonly ILiteCollection<BsonDocument> _guesses;
    private readonly RollupTable _table = new();
    private readonly GroupCommit<Staged, AppendResult> _writer;
    private readonly TimeProvider _clock;

    /// <summary>Held from reading the in-memory rollups for a write until they show its commit, so writers never interleave there.</summary>
    private readonly object _writeSync = new();

    public LiteDbUsageStore(LedgerDatabase database, TimeProvider clock, int maxRecordsPerCommit = 20_000)
    {
        _database = database;
        _clock = clock;
        var db = database.Database;
        _usage = db.GetCollection(UsageCollection);
        _rollups = db.GetCollection(RollupCollection);
        _guesses = db.GetCollection(GuessCollection);
        _usage.EnsureIndex("k", "$.k", unique: true);
        _table.Load(_rollups.FindAll().Select(UsageDocuments.ToRollup), _guesses.FindAll().Select(UsageDocuments.ToGuess));
        _writer = new GroupCommit<Staged, AppendResult>(staged => Task.FromResult(Commit(staged)), maxRecordsPerCommit);
    }

    /// <summary>
    /// Maps the records to their documents here, on the caller's thread, so the one writer only inserts:
    /// the mapping of many requests runs in parallel instead of inside the group commit.
    /// </summary>
    public Task<IReadOnlyList<AppendResult>> AppendAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<AppendResult>>([]);
        }

        var staged = new Staged[records.Count];
        for (var i = 0; i < staged.Length; i++)
        {
            staged[i] = new Staged(records[i], UsageDocuments.ToDocument(records[i]));
        }

        return _writer.SubmitAsync(staged);
    }

    public Task<UsageRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var doc = _usage.FindById(id);
        return Task.FromResult(doc is null ? null : UsageDocuments.ToRecord(doc));
    }

    public Task<UsagePage> ListAsync(UsageFilter filter, string? cursor, int limit, CancellationToken cancellationToken)
    {
        string? after = null;
        if (cursor is not null)
        {
            var (at, id) = UsageCursor.Decode(cursor);
            after = UsageDocuments.SortKey(at, id);
        }

        var page = ReadPage(filter, after, limit + 1);
        var next = page.Count > limit ? UsageCursor.Encode(page[limit - 1]) : null;
        return Task.FromResult(new UsagePage(page.Count > limit ? page[..limit] : page, next));
    }

    public async IAsyncEnumerable<UsageRecord> StreamAsync(UsageFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? after = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = ReadPage(filter, after, PageSize);
            foreach (var record in page)
            {
                yield return record;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            after = UsageDocuments.SortKey(page[^1]);
            await Task.Yield();
        }
    }

    /// <summary>
    /// The CSV export straight from the stored documents, a page per query: each document becomes its row
    /// as it is read (no record, no parsed sent usage), so memory holds one page of text, not of records.
    /// </summary>
    public async Task WriteCsvAsync(Stream output, UsageFilter filter, CancellationToken cancellationToken)
    {
        await using var writer = UsageCsv.CreateWriter(output);
        var rows = new StringBuilder(CsvPageSize * 320);
        rows.Append(UsageCsv.Header).Append("\r\n");
        string? after = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = 0;
            foreach (var doc in Matching(filter, after).OrderByDescending("k").Limit(CsvPageSize).ToEnumerable())
            {
                UsageDocuments.AppendCsvRow(rows, doc);
                after = doc["k"].AsString;
                count++;
            }

            await writer.WriteAsync(rows, cancellationToken);
            rows.Clear();
            if (count < CsvPageSize)
            {
                break;
            }
        }

        await writer.FlushAsync(cancellationToken);
    }

    public Task<UsageSummary> SummarizeAsync(DateOnly? from, DateOnly? to, SummaryGrouping groupBy, CancellationToken cancellationToken) =>
        Task.FromResult(_table.Summarize(from, to, groupBy));

    public Task<RecalculationResult> RecalculateAsync(UsageFilter filter, Func<UsageRecord, UsagePricing> reprice, bool apply, CancellationToken cancellationToken)
    {
        var recalculation = new Recalculation(reprice, _clock);
        string? after = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = ReadPage(filter, after, PageSize);
            var updates = new List<(UsageRecord Before, UsageRecord After)>();
            foreach (var record in page)
            {
                if (recalculation.Reprice(record) is { } repriced)
                {
                    updates.Add((record, repriced));
                }
            }

            if (apply && updates.Count > 0)
            {
                Replace(updates);
            }

            if (page.Count < PageSize)
            {
                return Task.FromResult(recalculation.Result);
            }

            after = UsageDocuments.SortKey(page[^1]);
        }
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    public Task<EndpointUsage> EndpointUsageAsync(string endpoint, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        long tokens = 0;
        DateTimeOffset? latest = null;
        foreach (var doc in Matching(new UsageFilter(from, to, Endpoint: endpoint), after: null).OrderByDescending("k").ToEnumerable())
        {
            latest ??= BsonValues.Utc(doc["ts"]);
            tokens += doc["in"].AsInt64 + doc["out"].AsInt64;
        }

        return Task.FromResult(new EndpointUsage(tokens, latest));
    }

    /// <summary>Up to <paramref name="limit"/> matching records, newest first, strictly before <paramref name="after"/>.</summary>
    private List<UsageRecord> ReadPage(UsageFilter filter, string? after, int limit) =>
        Matching(filter, after).OrderByDescending("k").Limit(limit).ToEnumerable().Select(UsageDocuments.ToRecord).ToList();

    private ILiteQueryable<BsonDocument> Matching(UsageFilter filter, string? after)
    {
        var conditions = new List<BsonExpression>();
        if (after is not null)
        {
            conditions.Add(Query.LT("k", after));
        }

        if (filter.To is { } to)
        {
            conditions.Add(Query.LT("k", UsageDocuments.SortKey(to)));
        }

        if (filter.From is { } from)
        {
            conditions.Add(Query.GTE("k", UsageDocuments.SortKey(from)));
        }

        if (filter.Model is { } model)
        {
            conditions.Add(Query.Or(Query.EQ("model", model), Query.EQ("resolved_model", model)));
        }

        if (filter.Provider is { } provider)
        {
            conditions.Add(Query.Or(Query.EQ("provider", provider), Query.EQ("priced_provider", provider)));
        }

        if (filter.User is { } user)
        {
            conditions.Add(Query.EQ("user", user));
        }

        if (filter.Team is { } team)
        {
            conditions.Add(Query.EQ("team", team));
        }

        if (filter.Endpoint is { } endpoint)
        {
            conditions.Add(Query.EQ("endpoint", endpoint));
        }

        var query = _usage.Query();
        return conditions.Count == 0 ? query : query.Where(conditions.Count == 1 ? conditions[0] : Query.And([.. conditions]));
    }

    /// <summary>The writer loop's commit: one transaction for the records, their rollups and fallbacks.</summary>
    private AppendResult[] Commit(IReadOnlyList<Staged> records)
    {
        lock (_writeSync)
        {
            (AppendResult[] Results, RollupChanges Changes) written;
            try
            {
                written = Write(records, stored: null);
            }
            catch (LiteException ex) when (ex.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
            {
                // An id stored by an earlier commit (a retry): this time look every id up first.
                written = Write(records, stored: id => _usage.FindById(id) is { } doc ? UsageDocuments.ToRecord(doc) : null);
            }

            _table.Apply(written.Changes);
            return written.Results;
        }
    }

    /// <summary>
    /// Inserts each record not seen before (in the batch, or in <paramref name="stored"/> when given) with its
    /// rollups. The same id again is a duplicate when its fingerprint matches the first, else a conflict.
    /// </summary>
    private (AppendResult[] Results, RollupChanges Changes) Write(IReadOnlyList<Staged> records, Func<string, UsageRecord?>? stored) =>
        _database.WriteDurably(_ =>
        {
            var results = new AppendResult[records.Count];
            var changes = new RollupChanges();
            var fresh = new List<BsonDocument>(records.Count);
            var byId = new Dictionary<string, UsageRecord>(StringComparer.Ordinal);
            for (var i = 0; i < records.Count; i++)
            {
                var (record, document) = records[i];
                if (byId.TryGetValue(record.Id, out var first) || (stored?.Invoke(record.Id) is { } existing && byId.TryAdd(record.Id, first = existing)))
                {
                    results[i] = new AppendResult(first.Fingerprint == record.Fingerprint ? AppendOutcome.Duplicate : AppendOutcome.Conflict, first);
                    continue;
                }

                byId[record.Id] = record;
                results[i] = new AppendResult(AppendOutcome.Created, record);
                fresh.Add(document);
                changes.Add(record);
            }

            _usage.Insert(fresh);
            WriteRollups(changes);
            return (results, changes);
        });

    private void Replace(List<(UsageRecord Before, UsageRecord After)> updates)
    {
        var changes = new RollupChanges();
        foreach (var (before, after) in updates)
        {
            changes.Remove(before);
            changes.Add(after);
        }

        lock (_writeSync)
        {
            _database.WriteDurably(_ =>
            {
                _usage.Update(updates.Select(u => UsageDocuments.ToDocument(u.After)));
                WriteRollups(changes);
                return 0;
            });
            _table.Apply(changes);
        }
    }

    /// <summary>Writes the rollups <paramref name="changes"/> leads to (current + change); runs inside the write transaction.</summary>
    private void WriteRollups(RollupChanges changes)
    {
        Write(_rollups, changes.Rollups, _table.Get, UsageDocuments.RollupId, UsageDocuments.ToDocument);
        Write(_guesses, changes.Guesses, _table.Get, UsageDocuments.GuessId, UsageDocuments.ToDocument);
    }

    private static void Write<TKey, TTotals>(
        ILiteCollection<BsonDocument> collection,
        Dictionary<TKey, TTotals> changes,
        Func<TKey, TTotals> current,
        Func<TKey, string> id,
        Func<TKey, TTotals, BsonDocument> document)
        where TKey : notnull
        where TTotals : struct, IRollupCounters<TTotals>
    {
        foreach (var (key, delta) in changes)
        {
            var totals = current(key) + delta;
            if (totals.Requests == 0)
            {
                collection.Delete(id(key));
            }
            else
            {
                collection.Upsert(document(key, totals));
            }
        }
    }

    /// <summary>A record on its way to the writer, with the document it is stored as.</summary>
    private readonly record struct Staged(UsageRecord Record, BsonDocument Document);
}
