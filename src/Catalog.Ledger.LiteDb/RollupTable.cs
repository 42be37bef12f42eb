using LiteDB;

namespace Catalog.Ledger.LiteDb;

/// <summary>
/// The rollups, read from their collections when asked rather than held in memory: one row per day × model ×
/// provider × user × team × app grows with what clients send (a million distinct users is a million rows), so
/// memory stays bounded by LiteDB's page cache however many there are. A summary reads the rows of its days
/// (an index on <c>day</c>) and sums them per group, day and model. The dimension rollups (<see cref="DimensionKey"/>:
/// per day, endpoint and API key id) sit beside them, read and cached the same way.
/// <para>
/// Between flushes the writer folds what its commits add into <see cref="Pending"/> in memory instead of updating rows
/// in the file each commit; summaries add the pending sums to the rows read. A transaction that writes rows goes through
/// <see cref="Flushing{T}"/>, which keeps summaries out from before it begins until the pending sums it wrote are cleared,
/// so a summary never counts a call twice (file and pending) or not at all. What was pending at a crash is counted again
/// from the records on the next open (the usage store's rollup mark).
/// </para>
/// </summary>
internal sealed class RollupTable
{
    /// <summary>Taken shared by a summary (rows read + pending added), exclusively by a transaction writing rows until its pending sums are cleared.</summary>
    private readonly ReaderWriterLockSlim _flushLock = new(LockRecursionPolicy.SupportsRecursion);

    /// <summary>Guards <see cref="_pending"/>'s dictionaries: the writer adds to them, summaries copy what they need.</summary>
    private readonly object _pendingSync = new();
    private RollupChanges _pending = new();

    private readonly ILiteCollection<BsonDocument> _rollups;
    private readonly ILiteCollection<BsonDocument> _guesses;
    private readonly ILiteCollection<BsonDocument> _dimensions;
    private readonly WrittenRows<RollupKey, RollupTotals> _writtenRollups;
    private readonly WrittenRows<GuessKey, GuessTotals> _writtenGuesses;
    private readonly WrittenRows<DimensionKey, RollupTotals> _writtenDimensions;

    public RollupTable(ILiteCollection<BsonDocument> rollups, ILiteCollection<BsonDocument> guesses, ILiteCollection<BsonDocument> dimensions)
    {
        _rollups = rollups;
        _guesses = guesses;
        _dimensions = dimensions;
        _rollups.EnsureIndex("day");
        _guesses.EnsureIndex("day");
        _dimensions.EnsureIndex("day");
        _writtenRollups = new(rollups, UsageDocuments.RollupId, UsageDocuments.ToDocument, UsageDocuments.ToRollup);
        _writtenGuesses = new(guesses, UsageDocuments.GuessId, UsageDocuments.ToDocument, UsageDocuments.ToGuess);
        _writtenDimensions = new(dimensions, UsageDocuments.DimensionId, UsageDocuments.ToDocument, UsageDocuments.ToDimension);
    }

    /// <summary>Writes the rows <paramref name="changes"/> lead to (stored + change), a row gone when its requests reach zero; runs inside the write transaction.</summary>
    public void Write(RollupChanges changes)
    {
        _writtenRollups.Write(changes.Rollups);
        _writtenGuesses.Write(changes.Guesses);
        _writtenDimensions.Write(changes.Dimensions);
    }

    /// <summary>
    /// Empties the rollups and the dimension rollups for a rebuild (the fallback rollups keep their grain); runs inside the
    /// write transaction, which <see cref="Writing{T}"/> or the caller undoes with <see cref="Forget"/> when it fails.
    /// </summary>
    public void ClearForRebuild()
    {
        _rollups.DeleteAll();
        _dimensions.DeleteAll();
        Forget();
    }

    /// <summary>Forgets the rows the writer remembers: after a failed transaction the file is back to what it was before it.</summary>
    public void Forget()
    {
        _writtenRollups.Forget();
        _writtenGuesses.Forget();
        _writtenDimensions.Forget();
    }

    /// <summary>The totals of one value of a dimension (an endpoint, a key id) on one day.</summary>
    public RollupTotals Totals(DateOnly day, SummaryGrouping dimension, string value)
    {
        var key = new DimensionKey(day, dimension, value);
        var totals = default(RollupTotals);
        _flushLock.EnterReadLock();
        try
        {
            foreach (var (at, row) in RowsOf(day).Dimensions)
            {
                if (at == key)
                {
                    totals += row;
                }
            }

            lock (_pendingSync)
            {
                return totals + _pending.Dimensions.GetValueOrDefault(key);
            }
        }
        finally
        {
            _flushLock.ExitReadLock();
        }
    }

    /// <summary>Rollup rows (distinct keys of the three kinds) the writer holds folded in memory, not yet in the file.</summary>
    public int PendingRows
    {
        get
        {
            lock (_pendingSync)
            {
                return _pending.Rollups.Count + _pending.Guesses.Count + _pending.Dimensions.Count;
            }
        }
    }

    /// <summary>Adds a committed transaction's <paramref name="changes"/> (which it did not write as rows) to the pending sums.</summary>
    public void Fold(RollupChanges changes)
    {
        lock (_pendingSync)
        {
            _pending.Fold(changes);
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/>, a transaction that writes the pending sums and <paramref name="changes"/> as rows (it is
    /// given them summed: <see cref="Write"/> them), keeping summaries out until it has committed and the pending sums are
    /// cleared. When it fails, the pending sums stay as they were.
    /// </summary>
    public T Flushing<T>(RollupChanges changes, Func<RollupChanges, T> write)
    {
        _flushLock.EnterWriteLock();
        try
        {
            RollupChanges all;
            lock (_pendingSync)
            {
                all = new RollupChanges();
                all.Fold(_pending);
                all.Fold(changes);
            }

            var result = Writing(all, () => write(all));
            lock (_pendingSync)
            {
                _pending = new RollupChanges();
            }

            return result;
        }
        finally
        {
            _flushLock.ExitWriteLock();
        }
    }

    public UsageSummary Summarize(DateOnly? from, DateOnly? to, SummaryGrouping groupBy) =>
        DimensionKey.IsKept(groupBy)
            ? UsageSummaryBuilder.Build(from, to, groupBy, Sum(from, to, (sums, key, totals) => sums.AddDayAndModel(key, totals), groupBy))
            : UsageSummaryBuilder.Build(from, to, groupBy, Sum(from, to, (sums, key, totals) => sums.Add(key, totals, groupBy)));

    public UsageSummary Summarize(DateOnly? from, DateOnly? to, SummaryGrouping first, SummaryGrouping second) =>
        UsageSummaryBuilder.BuildPairs(from, to, first, second, Sum(from, to, (sums, key, totals) => sums.Add(key, totals, first, second)));

    /// <summary>The rollup rows of [from, to), in the file and pending, summed by <paramref name="add"/>; with <paramref name="dimension"/>, the groups are that dimension's rows.</summary>
    private SummarySums Sum(DateOnly? from, DateOnly? to, Action<SummarySums, RollupKey, RollupTotals> add, SummaryGrouping? dimension = null)
    {
        _flushLock.EnterReadLock();
        try
        {
            var sums = SumStored(from, to, add, dimension);
            bool In(DateOnly day) => (from is null || day >= from) && (to is null || day < to);
            List<KeyValuePair<RollupKey, RollupTotals>> rollups;
            List<KeyValuePair<GuessKey, GuessTotals>> guesses;
            List<KeyValuePair<DimensionKey, RollupTotals>> dimensions;
            lock (_pendingSync)
            {
                rollups = [.. _pending.Rollups.Where(r => In(r.Key.Day))];
                guesses = [.. _pending.Guesses.Where(g => In(g.Key.Day))];
                dimensions = dimension is null ? [] : [.. _pending.Dimensions.Where(d => In(d.Key.Day))];
            }

            foreach (var (key, totals) in rollups)
            {
                add(sums, key, totals);
            }

            AddFallbacks(sums, guesses);
            AddGroups(sums, dimensions, dimension);
            return sums;
        }
        finally
        {
            _flushLock.ExitReadLock();
        }
    }

    /// <summary>The rollup rows of [from, to) in the file, summed by <paramref name="add"/>.</summary>
    private SummarySums SumStored(DateOnly? from, DateOnly? to, Action<SummarySums, RollupKey, RollupTotals> add, SummaryGrouping? dimension)
    {
        var sums = new SummarySums();
        if (from is { } first && to is { } end && end.DayNumber - first.DayNumber <= MaxCachedRangeDays)
        {
            // A bounded range (the dashboard's, a budget's period): day by day, from the cache where it holds the day.
            for (var day = first; day < end; day = day.AddDays(1))
            {
                var rows = RowsOf(day);
                foreach (var (key, totals) in rows.Rollups)
                {
                    add(sums, key, totals);
                }

                AddFallbacks(sums, rows.Guesses);
                AddGroups(sums, rows.Dimensions, dimension);
            }

            return sums;
        }

        foreach (var doc in Rows(_rollups, from, to))
        {
            var (key, totals) = UsageDocuments.ToRollup(doc);
            add(sums, key, totals);
        }

        AddFallbacks(sums, Rows(_guesses, from, to).Select(UsageDocuments.ToGuess));
        if (dimension is not null)
        {
            AddGroups(sums, Rows(_dimensions, from, to).Select(UsageDocuments.ToDimension), dimension);
        }

        return sums;
    }

    private static void AddGroups(SummarySums sums, IEnumerable<KeyValuePair<DimensionKey, RollupTotals>> rows, SummaryGrouping? dimension)
    {
        if (dimension is null)
        {
            return;
        }

        foreach (var (key, totals) in rows)
        {
            if (key.Dimension == dimension)
            {
                sums.Add(key, totals);
            }
        }
    }

    private static void AddFallbacks(SummarySums sums, IEnumerable<KeyValuePair<GuessKey, GuessTotals>> guesses)
    {
        foreach (var (key, totals) in guesses)
        {
            var name = new FallbackName(key.Model, key.Provider, key.PricingSource);
            sums.Fallbacks[name] = sums.Fallbacks.GetValueOrDefault(name) + totals;
        }
    }

    // ---- A cache of days' rows ---------------------------------------------------------------------------------
    // A summary over a month reads tens of thousands of rows; the dashboard asks for five summaries of the same
    // days every 30 s. Decoded rows are kept per day, up to MaxCachedRows in all (a day of more is never kept),
    // and a day is dropped from the cache before and after every write that changes its rollups, so a summary
    // never sums rows older than the last commit it could see.

    private const int MaxCachedRangeDays = 400;
    private const int MaxCachedRows = 250_000;
    private readonly object _cacheSync = new();
    private readonly Dictionary<DateOnly, long> _versions = [];
    private readonly Dictionary<DateOnly, DayRows> _cache = [];
    private int _cachedRows;

    /// <summary>Runs <paramref name="write"/> (a transaction changing <paramref name="changes"/>' rollups), dropping their days from the cache before and after it.</summary>
    public T Writing<T>(RollupChanges changes, Func<T> write)
    {
        var days = changes.Rollups.Keys.Select(k => k.Day).Concat(changes.Guesses.Keys.Select(k => k.Day)).Concat(changes.Dimensions.Keys.Select(k => k.Day)).ToHashSet();
        Invalidate(days);
        try
        {
            return write();
        }
        catch
        {
            Forget();
            throw;
        }
        finally
        {
            Invalidate(days);
        }
    }

    private void Invalidate(HashSet<DateOnly> days)
    {
        lock (_cacheSync)
        {
            foreach (var day in days)
            {
                _versions[day] = _versions.GetValueOrDefault(day) + 1;
                if (_cache.Remove(day, out var dropped))
                {
                    _cachedRows -= dropped.Count;
                }
            }
        }
    }

    private DayRows RowsOf(DateOnly day)
    {
        long version;
        lock (_cacheSync)
        {
            if (_cache.TryGetValue(day, out var cached))
            {
                return cached;
            }

            version = _versions.GetValueOrDefault(day);
        }

        var text = UsageDocuments.Day(day);
        var rows = new DayRows(
            [.. _rollups.Find(Query.EQ("day", text)).Select(UsageDocuments.ToRollup)],
            [.. _guesses.Find(Query.EQ("day", text)).Select(UsageDocuments.ToGuess)],
            [.. _dimensions.Find(Query.EQ("day", text)).Select(UsageDocuments.ToDimension)]);
        lock (_cacheSync)
        {
            // Kept only when no write to the day began since the read began (it may have read before that commit).
            if (_versions.GetValueOrDefault(day) == version && rows.Count <= MaxCachedRows)
            {
                if (_cachedRows + rows.Count > MaxCachedRows)
                {
                    _cache.Clear();
                    _cachedRows = 0;
                }

                if (_cache.TryAdd(day, rows))
                {
                    _cachedRows += rows.Count;
                }
            }
        }

        return rows;
    }

    private sealed record DayRows(KeyValuePair<RollupKey, RollupTotals>[] Rollups, KeyValuePair<GuessKey, GuessTotals>[] Guesses, KeyValuePair<DimensionKey, RollupTotals>[] Dimensions)
    {
        public int Count => Rollups.Length + Guesses.Length + Dimensions.Length;
    }

    /// <summary>Rows of the whole days [from, to) (days are stored as yyyy-MM-dd, which sorts as the days do).</summary>
    private static IEnumerable<BsonDocument> Rows(ILiteCollection<BsonDocument> rows, DateOnly? from, DateOnly? to) => (from, to) switch
    {
        (null, null) => rows.FindAll(),
        ({ } first, null) => rows.Find(Query.GTE("day", UsageDocuments.Day(first))),
        (null, { } end) => rows.Find(Query.LT("day", UsageDocuments.Day(end))),
        ({ } first, { } end) => rows.Find(Query.And(Query.GTE("day", UsageDocuments.Day(first)), Query.LT("day", UsageDocuments.Day(end)))),
    };

    /// <summary>
    /// The rows of one rollup collection the writer read or wrote lately (key → stored totals; default for no row), so a
    /// commit touching a row again neither reads it back from the file (LiteDB's <c>FindById</c> runs its query engine: with
    /// the upsert, half the writer's time and most of its allocations) nor upserts it (an update that misses, then an
    /// insert, looks the id up twice). Used by the writer only, inside its transaction; emptied when a transaction fails
    /// and when it holds <see cref="MaxWrittenRows"/> (a row not remembered is read from the file, as before).
    /// </summary>
    private sealed class WrittenRows<TKey, TTotals>(
        ILiteCollection<BsonDocument> collection,
        Func<TKey, string> id,
        Func<TKey, TTotals, BsonDocument> document,
        Func<BsonDocument, KeyValuePair<TKey, TTotals>> read)
        where TKey : notnull
        where TTotals : struct, IRollupCounters<TTotals>
    {
        /// <summary>About 0.5 kB a row with its key's strings: a few MB at most, for what a day's commits keep touching.</summary>
        private const int MaxWrittenRows = 20_000;

        private readonly Dictionary<TKey, TTotals> _rows = [];

        public void Write(Dictionary<TKey, TTotals> changes)
        {
            foreach (var (key, delta) in changes)
            {
                if (!_rows.TryGetValue(key, out var stored))
                {
                    stored = collection.FindById(id(key)) is { } found ? read(found).Value : default;
                }

                var totals = stored + delta;
                if (totals.Requests == 0)
                {
                    collection.Delete(id(key));
                    totals = default;
                }
                else if (stored.Requests > 0)
                {
                    var row = document(key, totals);
                    if (!collection.Update(row))
                    {
                        collection.Insert(row);
                    }
                }
                else
                {
                    collection.Upsert(document(key, totals));
                }

                if (_rows.Count >= MaxWrittenRows)
                {
                    _rows.Clear();
                }

                _rows[key] = totals;
            }
        }

        public void Forget() => _rows.Clear();
    }
}
