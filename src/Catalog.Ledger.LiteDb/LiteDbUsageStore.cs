using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Catalog.Pricing;
using LiteDB;

namespace Catalog.Ledger.LiteDb;

/// <summary>
/// The ledger in the embedded LiteDB file, stored as blocks: each commit sorts its new records newest
/// first and writes them in blocks of up to <see cref="BlockSize"/> (one document of the records'
/// binary form, <see cref="UsageRecordCodec"/>), beside a small document per block with its time span
/// and the hashes of its ids, and upserts the rollups — one transaction, then the log is forced to disk,
/// then each append is acknowledged. One LiteDB document per block instead of per record is what lets
/// one writer keep up with tens of thousands of calls a second.
/// <para>
/// In memory: a <see cref="BlockIndex"/> (which block holds an id, which blocks span which times), built at
/// start-up from the per-block documents. The rollups stay in the file (<see cref="RollupTable"/>). Reads merge the
/// blocks that overlap the time asked for, newest first, opening a block only once nothing newer can
/// come from the blocks not yet opened.
/// </para>
/// The documents are described in docs/ledger-format.md; <see cref="LedgerDatabase.FormatVersion"/> is their version.
/// </summary>
public sealed class LiteDbUsageStore : IUsageStore, IUsageCsvSource, IAsyncDisposable
{
    public const string BlockCollection = "usage_blocks";
    public const string BlockIdsCollection = "usage_block_ids";
    public const string RollupCollection = "usage_rollups";
    public const string GuessCollection = "usage_fallbacks";
    public const string DimensionCollection = "usage_dimension_rollups";

    /// <summary>One document (<c>_id</c> 1): which records the rollups in the file count (<see cref="Mark"/>); none means all.</summary>
    public const string RollupMarkCollection = "usage_rollup_mark";

    /// <summary>Rollup rows held folded in memory at most: a commit that finds more writes them all to the file.</summary>
    private const int MaxPendingRows = 50_000;

    /// <summary>Records a block holds at most: a block (about 250 bytes a record) stays under the 85 kB above which .NET puts an array on the large-object heap, which only a full collection frees; reading one record costs little, and a block is still a few LiteDB pages.</summary>
    public const int BlockSize = 256;

    /// <summary>Records rewritten by a recalculation in one transaction (one write to disk).</summary>
    private const int RecalculationBatch = 10_000;

    /// <summary>Rollup rows a rebuild sums in memory before adding them to the file.</summary>
    private const int RebuildBatch = 10_000;

    private readonly LedgerDatabase _database;
    private readonly ILiteCollection<BsonDocument> _blocks;
    private readonly ILiteCollection<BsonDocument> _blockIds;
    private readonly ILiteCollection<BsonDocument> _rollups;
    private readonly ILiteCollection<BsonDocument> _guesses;
    private readonly ILiteCollection<BsonDocument> _dimensions;
    private readonly ILiteCollection<BsonDocument> _marks;
    private readonly long _flushIntervalMs;
    private readonly RollupTable _table;
    private readonly BlockIndex _index;
    private readonly GroupCommit<Staged, AppendResult> _writer;
    private readonly TimeProvider _clock;

    /// <summary>Held by whatever writes blocks (the commit, a recalculation) from reading the in-memory state to updating it.</summary>
    private readonly object _writeSync = new();

    /// <summary>
    /// The block written last as this process last committed it (its records newest first, and its id hashes as stored),
    /// so a commit that grows it merges into these instead of reading the block and its id document back and sorting it
    /// again; null when not known (start-up, a failed commit, a recalculation or deletion). Under <see cref="_writeSync"/>.
    /// </summary>
    private TailBlock? _tail;

    /// <summary>True once the file holds a rollup mark as of the last rows written (under <see cref="_writeSync"/>).</summary>
    private bool _markStored;

    /// <summary>When the writer last wrote the rollup rows (<see cref="Environment.TickCount64"/>).</summary>
    private long _flushedAt = Environment.TickCount64;

    /// <param name="rollupFlushInterval">
    /// How long a commit may leave the rollups it changes folded in memory (summaries count them; the file's rows are
    /// updated by the first commit after this long, or sooner when <see cref="MaxPendingRows"/> are held): default 2 s;
    /// <see cref="Timeout.InfiniteTimeSpan"/>: only the first commit, a deletion, a recalculation and the close write them.
    /// </param>
    public LiteDbUsageStore(LedgerDatabase database, TimeProvider clock, int maxRecordsPerCommit = 20_000, TimeSpan? rollupFlushInterval = null)
    {
        _database = database;
        _clock = clock;
        var db = database.Database;
        _blocks = db.GetCollection(BlockCollection);
        _blockIds = db.GetCollection(BlockIdsCollection);
        _rollups = db.GetCollection(RollupCollection);
        _guesses = db.GetCollection(GuessCollection);
        _dimensions = db.GetCollection(DimensionCollection);
        _marks = db.GetCollection(RollupMarkCollection);
        var interval = rollupFlushInterval ?? TimeSpan.FromSeconds(2);
        _flushIntervalMs = interval == Timeout.InfiniteTimeSpan ? long.MaxValue / 2 : (long)Math.Min(interval.TotalMilliseconds, long.MaxValue / 2);
        // Every block holds at most BlockSize calls (and all but the one written last hold that many): the
        // table is sized once from the count of blocks instead of a second read of their documents.
        _index = new BlockIndex(capacity: _blockIds.LongCount() * BlockSize);
        foreach (var doc in _blockIds.FindAll())
        {
            _index.Add(new BlockSpan(doc["_id"].AsInt64, doc["oldest"].AsInt64, doc["newest"].AsInt64, doc["n"].AsInt32), MemoryMarshal.Cast<byte, ulong>(doc["h"].AsBinary));
        }

        _table = new RollupTable(_rollups, _guesses, _dimensions);
        if (database.RollupsOutdated)
        {
            RebuildRollups();
        }
        else if (_marks.FindById(1) is { } mark)
        {
            CountAfterMark(mark["block"].AsInt64, mark["n"].AsInt32);
            _markStored = true;
        }

        _writer = new GroupCommit<Staged, AppendResult>(staged => Task.FromResult(Commit(staged)), maxRecordsPerCommit);
    }

    /// <summary>
    /// Encodes the records here, on the caller's thread, so the one writer only sorts and inserts: the
    /// encoding of many requests runs in parallel instead of inside the group commit.
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
            staged[i] = new Staged(records[i], UsageRecordCodec.Encode(records[i]), BlockIndex.Hash(records[i].Id));
        }

        return _writer.SubmitAsync(staged);
    }

    public Task<UsageRecord?> FindAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(Find(id, BlockIndex.Hash(id), blocks: null));

    public Task<UsagePage> ListAsync(UsageFilter filter, string? cursor, int limit, CancellationToken cancellationToken)
    {
        SortKey? after = null;
        if (cursor is not null)
        {
            var (at, id) = UsageCursor.Decode(cursor);
            after = new SortKey(at.UtcTicks, id);
        }

        var page = Records(filter, after).Take(limit + 1).ToList();
        var next = page.Count > limit ? UsageCursor.Encode(page[limit - 1]) : null;
        return Task.FromResult(new UsagePage(page.Count > limit ? page[..limit] : page, next));
    }

    public async IAsyncEnumerable<UsageRecord> StreamAsync(UsageFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var record in Records(filter, after: null))
        {
            yield return record;
            if (++count % 1_000 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await Task.Yield();
            }
        }
    }

    /// <summary>
    /// The CSV rows written from each record's stored bytes (<see cref="UsageRecordCodec.WriteCsvRow"/>), in <see cref="StreamAsync"/>'s
    /// order; a record is decoded only when the filter asks more than a time range (to match it).
    /// </summary>
    public IEnumerable<ReadOnlyMemory<byte>> CsvRows(UsageFilter filter)
    {
        var writer = new UsageRecordCodec.CsvRowWriter(2 * UsageCsv.ChunkSize);
        var rows = writer.Rows;
        foreach (var cursor in Scan(filter, after: null, decode: !filter.IsTimeOnly))
        {
            UsageRecordCodec.WriteCsvRow(cursor.Bytes, writer);
            if (rows.Length >= UsageCsv.ChunkSize)
            {
                yield return rows.Written;
                rows.Clear();
            }
        }

        if (rows.Length > 0)
        {
            yield return rows.Written;
        }
    }

    public Task<UsageSummary> SummarizeAsync(DateOnly? from, DateOnly? to, SummaryGrouping groupBy, CancellationToken cancellationToken) =>
        Task.FromResult(_table.Summarize(from, to, groupBy));

    public Task<UsageSummary> SummarizeAsync(DateOnly? from, DateOnly? to, SummaryGrouping first, SummaryGrouping second, CancellationToken cancellationToken) =>
        Task.FromResult(_table.Summarize(from, to, first, second));

    /// <summary>
    /// Prices every matching record again, a block at a time. With <paramref name="apply"/>, the blocks that
    /// changed are rewritten with their rollups, up to <see cref="RecalculationBatch"/> records a transaction;
    /// each group of blocks is read again under the write lock, so a concurrent recalculation is not lost.
    /// </summary>
    public Task<RecalculationResult> RecalculateAsync(UsageFilter filter, Func<UsageRecord, UsagePricing> reprice, bool apply, CancellationToken cancellationToken)
    {
        var recalculation = new Recalculation(reprice, _clock);
        if (!apply)
        {
            foreach (var record in Matching(filter, cancellationToken))
            {
                recalculation.Reprice(record);
            }

            return Task.FromResult(recalculation.Result);
        }

        var (oldest, newest) = Bounds(filter, after: null);
        var utf8 = new Utf8Filter(filter);
        var spans = _index.Overlapping(oldest, newest);
        for (var start = 0; start < spans.Count;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (_writeSync)
            {
                _tail = null;
                var rewritten = new List<BsonDocument>();
                var changes = new RollupChanges();
                for (var records = 0; start < spans.Count && records < RecalculationBatch; start++)
                {
                    var block = RecordBytes(Block(spans[start].Block));
                    var changed = false;
                    for (var i = 0; i < block.Length; i++)
                    {
                        if (Matching(block[i], filter, utf8, oldest, newest) is { } record && recalculation.Reprice(record) is { } repriced)
                        {
                            changes.Remove(record);
                            changes.Add(repriced);
                            block[i] = UsageRecordCodec.Encode(repriced);
                            changed = true;
                        }
                    }

                    if (changed)
                    {
                        rewritten.Add(new BsonDocument { ["_id"] = spans[start].Block, ["data"] = UsageRecordCodec.Join(block) });
                        records += block.Length;
                    }
                }

                if (rewritten.Count > 0)
                {
                    // The pending sums are written with the changes: a repriced call's own sums may be among them.
                    var mark = Mark(_index.Tail, _index.NextBlock);
                    _table.Flushing(changes, all => _database.WriteDurably(_ =>
                    {
                        _blocks.Update(rewritten);
                        _table.Write(all);
                        _marks.Upsert(mark);
                        return 0;
                    }));
                    Flushed();
                }
            }
        }

        return Task.FromResult(recalculation.Result);
    }

    /// <summary>
    /// Deletes the matching records a group of blocks at a time (up to <see cref="RecalculationBatch"/> records read a
    /// transaction): each block that loses records is rewritten without them (its ids document too), or deleted when it
    /// loses all of them, with the rollups, in one transaction. A deleted block leaves the in-memory index before the
    /// transaction, so no reader is sent to it after; it comes back if the transaction fails.
    /// </summary>
    public Task<long> DeleteAsync(UsageFilter filter, CancellationToken cancellationToken)
    {
        var (oldest, newest) = Bounds(filter, after: null);
        var utf8 = new Utf8Filter(filter);
        var spans = _index.Overlapping(oldest, newest);
        long deleted = 0;
        for (var start = 0; start < spans.Count;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (_writeSync)
            {
                _tail = null;
                var shrunk = new List<(BlockSpan Before, BlockSpan After, List<byte[]> Kept)>();
                var changes = new RollupChanges();
                for (var records = 0; start < spans.Count && records < RecalculationBatch; start++)
                {
                    var kept = new List<byte[]>();
                    var block = RecordBytes(Block(spans[start].Block));
                    foreach (var bytes in block)
                    {
                        if (Matching(bytes, filter, utf8, oldest, newest) is { } record)
                        {
                            changes.Remove(record);
                        }
                        else
                        {
                            kept.Add(bytes);
                        }
                    }

                    records += block.Length;
                    if (kept.Count < block.Length)
                    {
                        deleted += block.Length - kept.Count;
                        var span = kept.Count == 0
                            ? spans[start] with { Count = 0 }
                            : new BlockSpan(spans[start].Block, UsageRecordCodec.Ticks(kept[^1]), UsageRecordCodec.Ticks(kept[0]), kept.Count);
                        shrunk.Add((_index.Tail?.Block == span.Block ? _index.Tail.Value : spans[start], span, kept));
                    }
                }

                if (shrunk.Count == 0)
                {
                    continue;
                }

                // The rollups are written whole (pending sums too), so the mark moves to the block written last as it is after
                // this deletion: the next calls' ids are appended to its ids document from there.
                var mark = Mark(_index.Tail, _index.NextBlock);
                foreach (var (_, after, _) in shrunk.Where(s => s.After.Block == _index.Tail?.Block))
                {
                    mark = after.Count == 0 ? Mark(null, _index.NextBlock) : Mark(after, _index.NextBlock);
                }

                foreach (var (_, after, _) in shrunk.Where(s => s.After.Count == 0))
                {
                    _index.Shrink(after);
                }

                try
                {
                    _table.Flushing(changes, all => _database.WriteDurably(_ =>
                    {
                        foreach (var (_, after, kept) in shrunk)
                        {
                            if (after.Count == 0)
                            {
                                _blocks.Delete(after.Block);
                                _blockIds.Delete(after.Block);
                            }
                            else
                            {
                                _blocks.Update(new BsonDocument { ["_id"] = after.Block, ["data"] = UsageRecordCodec.Join([.. kept]) });
                                _blockIds.Update(IdsDocument(after, [.. kept.Select(bytes => BlockIndex.Hash(UsageRecordCodec.Id(bytes)))]));
                            }
                        }

                        _table.Write(all);
                        _marks.Upsert(mark);
                        return 0;
                    }));
                    Flushed();
                }
                catch
                {
                    foreach (var (before, after, _) in shrunk.Where(s => s.After.Count == 0))
                    {
                        _index.Add(before, []);
                    }

                    throw;
                }

                foreach (var (_, after, _) in shrunk.Where(s => s.After.Count > 0))
                {
                    _index.Shrink(after);
                }
            }
        }

        return Task.FromResult(deleted);
    }

    /// <summary>Stops the writer once what was submitted is committed, then writes the pending rollup sums to the file.</summary>
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        lock (_writeSync)
        {
            try
            {
                if (_table.PendingRows > 0)
                {
                    var mark = Mark(_index.Tail, _index.NextBlock);
                    _table.Flushing(new RollupChanges(), all => _database.WriteDurably(_ =>
                    {
                        _table.Write(all);
                        _marks.Upsert(mark);
                        return 0;
                    }));
                }
            }
            catch (ObjectDisposedException)
            {
                // The file was closed first: the sums not written are counted again from the records on the next open.
            }
        }
    }

    /// <summary>
    /// The whole days from the dimension rollups; a part of a day at either end from the calls: those of the part, or,
    /// when the part holds more calls than the rest of its day (to = now: the rest is the future), the day's rollup less
    /// the calls of the rest. The latest call is looked for only in the latest day that has one.
    /// </summary>
    public Task<EndpointUsage> EndpointUsageAsync(string endpoint, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var parts = DayParts.Of(from, to);
        var tokens = 0m;
        DateOnly? latestDay = null;
        for (var day = parts.WholeFrom; day < parts.WholeTo; day = day.AddDays(1))
        {
            var totals = _table.Totals(day, SummaryGrouping.Endpoint, endpoint);
            tokens += totals.InputTokens + totals.OutputTokens;
            latestDay = totals.Requests > 0 ? day : latestDay;
        }

        foreach (var part in parts.Parts)
        {
            var day = _table.Totals(part.Day, SummaryGrouping.Endpoint, endpoint);
            if (day.Requests == 0)
            {
                continue;
            }

            var (served, calls) = Calls(part.From, part.To) <= Calls(part.DayStart, part.From) + Calls(part.To, part.DayEnd)
                ? Served(endpoint, part.From, part.To, cancellationToken)
                : Less(day, Served(endpoint, part.DayStart, part.From, cancellationToken), Served(endpoint, part.To, part.DayEnd, cancellationToken));
            tokens += served;
            latestDay = calls > 0 && (latestDay is null || part.Day > latestDay) ? part.Day : latestDay;
        }

        DateTimeOffset? latest = null;
        if (latestDay is { } last)
        {
            var start = DayParts.Start(last);
            var filter = new UsageFilter(start > from ? start : from, start.AddDays(1) < to ? start.AddDays(1) : to, Endpoint: endpoint);
            latest = Records(filter, after: null).FirstOrDefault()?.Timestamp;
        }

        return Task.FromResult(new EndpointUsage(tokens, latest));

        static (decimal Tokens, long Calls) Less(RollupTotals day, (decimal Tokens, long Calls) before, (decimal Tokens, long Calls) after) =>
            (day.InputTokens + day.OutputTokens - before.Tokens - after.Tokens, day.Requests - before.Calls - after.Calls);
    }

    /// <summary>At most how many calls [from, to) holds, from the block index (no block is read).</summary>
    private long Calls(DateTimeOffset from, DateTimeOffset to) =>
        from >= to ? 0 : _index.Overlapping(from.UtcTicks, to.UtcTicks - 1).Sum(span => (long)span.Count);

    /// <summary>Tokens served (input + output) by the endpoint's calls of [from, to), and how many calls.</summary>
    private (decimal Tokens, long Calls) Served(string endpoint, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var tokens = 0m;
        long calls = 0;
        if (from < to)
        {
            foreach (var record in Matching(new UsageFilter(from, to, Endpoint: endpoint), cancellationToken))
            {
                tokens += record.Usage.InputTokens + record.Usage.OutputTokens;
                calls++;
            }
        }

        return (tokens, calls);
    }

    /// <summary>Every matching record, in no particular order (for totals, not for lists).</summary>
    private IEnumerable<UsageRecord> Matching(UsageFilter filter, CancellationToken cancellationToken)
    {
        var (oldest, newest) = Bounds(filter, after: null);
        var utf8 = new Utf8Filter(filter);
        foreach (var span in _index.Overlapping(oldest, newest))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var data = Block(span.Block);
            foreach (var (offset, length) in UsageRecordCodec.Split(data))
            {
                if (Matching(data.AsSpan(offset, length), filter, utf8, oldest, newest) is { } record)
                {
                    yield return record;
                }
            }
        }
    }

    /// <summary>The record in <paramref name="bytes"/> when it is in [oldest, newest] and matches, else null.</summary>
    private static UsageRecord? Matching(ReadOnlySpan<byte> bytes, UsageFilter filter, Utf8Filter utf8, long oldest, long newest)
    {
        var ticks = UsageRecordCodec.Ticks(bytes);
        return ticks < oldest || ticks > newest ? null : Matching(bytes, filter, utf8);
    }

    /// <summary>The record in <paramref name="bytes"/> when it matches the filter's fields, else null: most are turned away by their bytes, before decoding.</summary>
    private static UsageRecord? Matching(ReadOnlySpan<byte> bytes, UsageFilter filter, Utf8Filter utf8)
    {
        if (!UsageRecordCodec.MayMatch(bytes, utf8))
        {
            return null;
        }

        var record = UsageRecordCodec.Decode(bytes);
        return filter.Matches(record) ? record : null;
    }

    /// <summary>Each record of a block as its own bytes (to rewrite the block).</summary>
    private static byte[][] RecordBytes(byte[] block) =>
        [.. UsageRecordCodec.Split(block).Select(r => block.AsSpan(r.Offset, r.Length).ToArray())];

    /// <summary>The matching records strictly after <paramref name="after"/>, newest first, decoded.</summary>
    private IEnumerable<UsageRecord> Records(UsageFilter filter, SortKey? after) =>
        Scan(filter, after, decode: true).Select(cursor => cursor.Current!);

    /// <summary>
    /// The matching records strictly after <paramref name="after"/>, newest first (timestamp, then id, both
    /// descending): a merge of the overlapping blocks, each already sorted, opened only when its newest
    /// record could be next. Each is given as the cursor standing on it, until the next is asked for; with
    /// <paramref name="decode"/> false the cursor has its bytes only (the filter must be a time range).
    /// </summary>
    private IEnumerable<BlockCursor> Scan(UsageFilter filter, SortKey? after, bool decode)
    {
        var (oldest, newest) = Bounds(filter, after);
        var spans = _index.Overlapping(oldest, newest);
        var utf8 = new Utf8Filter(filter);
        var open = new PriorityQueue<BlockCursor, StoredKey>(StoredKey.NewestFirst);
        var next = 0;
        while (true)
        {
            while (next < spans.Count && (open.Count == 0 || spans[next].Newest >= open.Peek().Key.Ticks))
            {
                // Capped at the span as it was when the scan began: a call a later commit adds to this block
                // (the block written last grows) must not come out after older calls already read.
                var cursor = new BlockCursor(Block(spans[next].Block), decode ? filter : null, utf8, oldest, Math.Min(newest, spans[next].Newest), after);
                if (cursor.MoveNext())
                {
                    open.Enqueue(cursor, cursor.Key);
                }

                next++;
            }

            if (!open.TryDequeue(out var top, out _))
            {
                yield break;
            }

            yield return top;
            if (top.MoveNext())
            {
                open.Enqueue(top, top.Key);
            }
        }
    }

    /// <summary>The time span (UTC ticks, inclusive) a read looks at: the filter's [from, to) and what comes after the cursor.</summary>
    private static (long Oldest, long Newest) Bounds(UsageFilter filter, SortKey? after)
    {
        var oldest = filter.From?.UtcTicks ?? long.MinValue;
        var newest = filter.To is { } to ? to.UtcTicks - 1 : long.MaxValue;
        if (after is { } cursor)
        {
            newest = Math.Min(newest, cursor.Ticks);
        }

        return (oldest, newest);
    }

    /// <summary>A block's records; none when it was deleted (all its records were) after the caller learnt of it.</summary>
    private byte[] Block(long block) =>
        _blocks.FindById(block)?["data"].AsBinary
        ?? (_index.Holds(block) ? throw new InvalidDataException($"The usage ledger's block {block} is missing from the database file.") : []);

    /// <summary>The stored record with <paramref name="id"/>, looked up by its hash; <paramref name="blocks"/> caches blocks read during one commit.</summary>
    private UsageRecord? Find(string id, ulong hash, Dictionary<long, byte[]>? blocks)
    {
        var candidates = new List<long>(1);
        _index.BlocksOf(hash, candidates);
        foreach (var block in candidates)
        {
            byte[] data;
            if (blocks is null || !blocks.TryGetValue(block, out data!))
            {
                data = Block(block);
                blocks?.Add(block, data);
            }

            foreach (var (offset, length) in UsageRecordCodec.Split(data))
            {
                if (UsageRecordCodec.Id(data.AsSpan(offset, length)) == id)
                {
                    return UsageRecordCodec.Decode(data.AsSpan(offset, length));
                }
            }
        }

        return null;
    }

    /// <summary>The writer loop's commit: one transaction for the new blocks, their id documents, rollups and fallbacks.</summary>
    private AppendResult[] Commit(IReadOnlyList<Staged> staged)
    {
        lock (_writeSync)
        {
            var results = new AppendResult[staged.Count];
            var changes = new RollupChanges();
            var fresh = new List<Staged>(staged.Count);
            var byId = new Dictionary<string, UsageRecord>(StringComparer.Ordinal);
            var read = new Dictionary<long, byte[]>();
            for (var i = 0; i < staged.Count; i++)
            {
                var (record, _, hash) = staged[i];
                if (byId.TryGetValue(record.Id, out var first) || (Find(record.Id, hash, read) is { } existing && byId.TryAdd(record.Id, first = existing)))
                {
                    results[i] = new AppendResult(first.HasBodyOf(record) ? AppendOutcome.Duplicate : AppendOutcome.Conflict, first);
                    continue;
                }

                byId[record.Id] = record;
                results[i] = new AppendResult(AppendOutcome.Created, record);
                fresh.Add(staged[i]);
                changes.Add(record);
            }

            var tail = _tail;
            _tail = null; // known again only once this commit is
            (List<(BlockSpan Span, ulong[] Hashes)> Written, TailBlock? Tail) blocks;
            if (!_markStored || _table.PendingRows >= MaxPendingRows || Environment.TickCount64 - _flushedAt >= _flushIntervalMs)
            {
                blocks = _table.Flushing(changes, all => _database.WriteDurably(_ =>
                {
                    var blocks = WriteBlocks(fresh, tail);
                    _table.Write(all);
                    _marks.Upsert(blocks.Written.Count > 0 ? Mark(blocks.Written[^1].Span, 0) : Mark(_index.Tail, _index.NextBlock));
                    return blocks;
                }));
                Flushed();
            }
            else
            {
                // The rollup rows are left to a later commit: the mark in the file says these records are not counted in them.
                blocks = _database.WriteDurably(_ => WriteBlocks(fresh, tail));
                _table.Fold(changes);
            }

            var (written, newTail) = blocks;
            foreach (var (span, hashes) in written)
            {
                _index.Add(span, hashes);
            }

            _tail = newTail;
            return results;
        }
    }

    /// <summary>
    /// Sorts <paramref name="records"/> newest first and writes them as blocks; runs inside the write
    /// transaction. The oldest of them first fill the block written last while it has room, so a stream
    /// of small commits (single calls) still makes full blocks. Returns each block written or grown, with
    /// the hashes of the ids it gained, and the block written last as it now is when it has room left
    /// (<paramref name="tail"/> is that block as the last commit left it, or null to read it).
    /// </summary>
    private (List<(BlockSpan Span, ulong[] Hashes)> Written, TailBlock? Tail) WriteBlocks(List<Staged> records, TailBlock? tail)
    {
        var sorted = records.ConvertAll(static s => (Key: SortKey.Of(s.Record), s.Bytes, s.Hash));
        sorted.Sort(static (a, b) => SortKey.NewestFirst.Compare(a.Key, b.Key));
        var written = new List<(BlockSpan, ulong[])>();
        TailBlock? last = null;
        if (_index.Tail is { } span && span.Count < BlockSize && sorted.Count > 0)
        {
            var take = Math.Min(BlockSize - span.Count, sorted.Count);
            last = Grow(tail?.Span == span ? tail : Stored(span), sorted.GetRange(sorted.Count - take, take));
            written.Add((last.Span, [.. sorted.GetRange(sorted.Count - take, take).Select(s => s.Hash)]));
            sorted.RemoveRange(sorted.Count - take, take);
        }

        var number = _index.NextBlock;
        for (var start = 0; start < sorted.Count; start += BlockSize)
        {
            var chunk = sorted.GetRange(start, Math.Min(BlockSize, sorted.Count - start));
            var block = new BlockSpan(number++, chunk[^1].Key.Ticks, chunk[0].Key.Ticks, chunk.Count);
            var hashes = chunk.ConvertAll(s => s.Hash).ToArray();
            _blocks.Insert(new BsonDocument { ["_id"] = block.Block, ["data"] = UsageRecordCodec.Join(chunk.ConvertAll(s => s.Bytes)) });
            _blockIds.Insert(IdsDocument(block, hashes));
            written.Add((block, hashes));
            last = new TailBlock(block, chunk.ConvertAll(s => (s.Key, s.Bytes)), [.. hashes]);
        }

        return (written, last is { Span.Count: < BlockSize } ? last : null);
    }

    /// <summary>The stored block <paramref name="span"/> as a <see cref="TailBlock"/>: its records and its id document read back.</summary>
    private TailBlock Stored(BlockSpan span) => new(
        span,
        [.. RecordBytes(Block(span.Block)).Select(bytes => (new SortKey(UsageRecordCodec.Ticks(bytes), UsageRecordCodec.Id(bytes)), bytes))],
        [.. MemoryMarshal.Cast<byte, ulong>(_blockIds.FindById(span.Block)["h"].AsBinary)]);

    /// <summary>
    /// Merges <paramref name="records"/> (sorted newest first) into the block <paramref name="tail"/> and writes it and its
    /// id document again; returns the block as grown (<paramref name="tail"/> itself is left as it was).
    /// </summary>
    private TailBlock Grow(TailBlock tail, List<(SortKey Key, byte[] Bytes, ulong Hash)> records)
    {
        // Both sides are sorted, and calls mostly arrive in time order: a merge, not a sort of the whole block.
        var merged = new List<(SortKey Key, byte[] Bytes)>(tail.Records.Count + records.Count);
        int i = 0, j = 0;
        while (i < tail.Records.Count || j < records.Count)
        {
            merged.Add(j == records.Count || (i < tail.Records.Count && SortKey.NewestFirst.Compare(tail.Records[i].Key, records[j].Key) <= 0)
                ? tail.Records[i++]
                : (records[j].Key, records[j++].Bytes));
        }

        var hashes = new List<ulong>(tail.Hashes.Count + records.Count);
        hashes.AddRange(tail.Hashes);
        hashes.AddRange(records.Select(r => r.Hash));
        var span = new BlockSpan(tail.Span.Block, merged[^1].Key.Ticks, merged[0].Key.Ticks, merged.Count);
        _blocks.Update(new BsonDocument { ["_id"] = span.Block, ["data"] = UsageRecordCodec.Join(merged.ConvertAll(m => m.Bytes)) });
        _blockIds.Update(IdsDocument(span, [.. hashes]));
        return new TailBlock(span, merged, hashes);
    }

    /// <summary>
    /// The rollup mark: the rows in the file count every record of the blocks before <c>block</c> and the first <c>n</c> of
    /// block <c>block</c> (in the order of its ids document, which a commit only appends to), and none after. Written with the
    /// rows, as of the block written last (<paramref name="tail"/>, or the next block's number when there is none).
    /// </summary>
    private static BsonDocument Mark(BlockSpan? tail, long nextBlock) => new()
    {
        ["_id"] = 1,
        ["block"] = tail?.Block ?? nextBlock,
        ["n"] = tail?.Count ?? 0,
    };

    private void Flushed()
    {
        _markStored = true;
        _flushedAt = Environment.TickCount64;
    }

    /// <summary>
    /// Counts the records after the rollup mark (those of commits whose sums were still in memory when the process stopped)
    /// into the rollups, with a new mark, in one transaction: a crash during it counts them again on the next open.
    /// </summary>
    private void CountAfterMark(long block, int counted)
    {
        var changes = new RollupChanges();
        foreach (var doc in _blocks.Find(Query.GTE("_id", block)))
        {
            var number = doc["_id"].AsInt64;
            var data = doc["data"].AsBinary;
            Dictionary<ulong, int>? after = null;
            if (number == block)
            {
                // Which of the mark's block's records came after it: the hashes its ids document gained since.
                var hashes = MemoryMarshal.Cast<byte, ulong>(_blockIds.FindById(number)["h"].AsBinary);
                after = [];
                foreach (var hash in hashes[Math.Min(counted, hashes.Length)..])
                {
                    after[hash] = after.GetValueOrDefault(hash) + 1;
                }
            }

            foreach (var (offset, length) in UsageRecordCodec.Split(data))
            {
                var bytes = data.AsSpan(offset, length);
                if (after is not null)
                {
                    var hash = BlockIndex.Hash(UsageRecordCodec.Id(bytes));
                    if (after.GetValueOrDefault(hash) == 0)
                    {
                        continue;
                    }

                    after[hash]--;
                }

                changes.Add(UsageRecordCodec.Decode(bytes));
            }
        }

        if (changes.IsEmpty)
        {
            return;
        }

        var mark = Mark(_index.Tail, _index.NextBlock);
        _table.Flushing(changes, all => _database.WriteDurably(_ =>
        {
            _table.Write(all);
            _marks.Upsert(mark);
            return 0;
        }));
    }

    private static BsonDocument IdsDocument(BlockSpan span, ulong[] hashes) => new()
    {
        ["_id"] = span.Block,
        ["oldest"] = span.Oldest,
        ["newest"] = span.Newest,
        ["n"] = span.Count,
        ["h"] = MemoryMarshal.AsBytes(hashes.AsSpan()).ToArray(),
    };

    /// <summary>
    /// Counts the rollups and the dimension rollups again from every stored record (a file of format 1 kept the rollups
    /// without the service tier and region, one of format 1 or 2 kept no dimension rollups), in one transaction, then
    /// stamps the new format version: a crash before the stamp rebuilds them again.
    /// </summary>
    private void RebuildRollups()
    {
        try
        {
            _database.WriteDurably(_ =>
            {
                _table.ClearForRebuild();
                var changes = new RollupChanges();
                foreach (var block in _blocks.FindAll())
                {
                    foreach (var bytes in RecordBytes(block["data"].AsBinary))
                    {
                        changes.Add(UsageRecordCodec.Decode(bytes));
                    }

                    if (changes.Rollups.Count >= RebuildBatch)
                    {
                        WriteRebuilt(changes);
                        changes = new RollupChanges();
                    }
                }

                WriteRebuilt(changes);
                return 0;
            });
        }
        catch
        {
            _table.Forget();
            throw;
        }

        _database.RollupsRebuilt();

        // The fallback rollups kept their grain: only the rollups and the dimension rollups are counted again.
        void WriteRebuilt(RollupChanges changes)
        {
            changes.Guesses.Clear();
            _table.Write(changes);
        }
    }

    /// <summary>A block with room left: its span, its records newest first with their keys, and its id hashes in the order stored.</summary>
    private sealed record TailBlock(BlockSpan Span, List<(SortKey Key, byte[] Bytes)> Records, List<ulong> Hashes);

    /// <summary>A record on its way to the writer, with its bytes and the hash of its id.</summary>
    private readonly record struct Staged(UsageRecord Record, byte[] Bytes, ulong Hash);

    /// <summary>The ledger's order: timestamp, then id (ordinal).</summary>
    private readonly record struct SortKey(long Ticks, string Id)
    {
        /// <summary>Sorts the newest first (the greatest key first).</summary>
        public static readonly IComparer<SortKey> NewestFirst = Comparer<SortKey>.Create(static (a, b) =>
        {
            var byTime = b.Ticks.CompareTo(a.Ticks);
            return byTime != 0 ? byTime : string.CompareOrdinal(b.Id, a.Id);
        });

        public static SortKey Of(UsageRecord record) => new(record.Timestamp.UtcTicks, record.Id);
    }

    /// <summary>
    /// The ledger's order of stored records: timestamp, then id (ordinal), read from the bytes. Ids are compared as UTF-8,
    /// which orders as UTF-16 does (ordinal) except where a character beyond U+FFFF meets one from U+E000 to U+FFFF:
    /// those are compared as strings.
    /// </summary>
    private readonly record struct StoredKey(long Ticks, byte[] Data, int Offset, int Length)
    {
        /// <summary>Sorts the newest first (the greatest key first).</summary>
        public static readonly IComparer<StoredKey> NewestFirst = Comparer<StoredKey>.Create(static (a, b) =>
        {
            var byTime = b.Ticks.CompareTo(a.Ticks);
            return byTime != 0 ? byTime : CompareIds(b, a);
        });

        private static int CompareIds(StoredKey a, StoredKey b)
        {
            var x = UsageRecordCodec.IdBytes(a.Data.AsSpan(a.Offset, a.Length));
            var y = UsageRecordCodec.IdBytes(b.Data.AsSpan(b.Offset, b.Length));
            var at = x.CommonPrefixLength(y);
            if (at < x.Length && at < y.Length && (x[at] >= 0xEE || y[at] >= 0xEE))
            {
                return string.CompareOrdinal(UsageRecordCodec.Id(a.Data.AsSpan(a.Offset, a.Length)), UsageRecordCodec.Id(b.Data.AsSpan(b.Offset, b.Length)));
            }

            return x.SequenceCompareTo(y);
        }
    }

    /// <summary>
    /// The matching records of one block, in its (newest-first) order. Without a filter (a time range only), a record is
    /// not decoded: <see cref="Current"/> stays null and <see cref="Bytes"/> is the record.
    /// </summary>
    private sealed class BlockCursor(byte[] data, UsageFilter? filter, Utf8Filter utf8, long oldest, long newest, SortKey? after)
    {
        private readonly (int Offset, int Length)[] _records = UsageRecordCodec.Split(data);
        private int _next;

        public UsageRecord? Current { get; private set; }

        public StoredKey Key { get; private set; }

        /// <summary>The bytes of the record the cursor stands on.</summary>
        public ReadOnlySpan<byte> Bytes => data.AsSpan(Key.Offset, Key.Length);

        public bool MoveNext()
        {
            while (_next < _records.Length)
            {
                var (offset, length) = _records[_next++];
                var bytes = data.AsSpan(offset, length);
                var ticks = UsageRecordCodec.Ticks(bytes);
                if (ticks > newest)
                {
                    continue;
                }

                if (ticks < oldest)
                {
                    _next = _records.Length; // sorted: the rest are older still
                    return false;
                }

                if (after is { } cursor && ticks == cursor.Ticks && string.CompareOrdinal(UsageRecordCodec.Id(bytes), cursor.Id) >= 0)
                {
                    continue;
                }

                if (filter is not null)
                {
                    if (Matching(bytes, filter, utf8) is not { } record)
                    {
                        continue;
                    }

                    Current = record;
                }

                Key = new StoredKey(ticks, data, offset, length);
                return true;
            }

            return false;
        }
    }
}
