namespace Catalog.Ledger.LiteDb;

/// <summary>
/// The rollups in memory: a copy of the rollup collections, loaded at start-up and changed only after
/// the transaction that changed the collections committed. Writes come from one writer at a time.
/// </summary>
internal sealed class RollupTable
{
    private readonly Dictionary<RollupKey, RollupTotals> _rollups = [];
    private readonly Dictionary<GuessKey, GuessTotals> _guesses = [];
    private readonly ReaderWriterLockSlim _lock = new();

    public void Load(IEnumerable<KeyValuePair<RollupKey, RollupTotals>> rollups, IEnumerable<KeyValuePair<GuessKey, GuessTotals>> guesses)
    {
        _lock.EnterWriteLock();
        try
        {
            foreach (var (key, totals) in rollups)
            {
                _rollups[key] = totals;
            }

            foreach (var (key, totals) in guesses)
            {
                _guesses[key] = totals;
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Current totals; read by the writer only, which is also the only one changing them.</summary>
    public RollupTotals Get(RollupKey key) => _rollups.GetValueOrDefault(key);

    public GuessTotals Get(GuessKey key) => _guesses.GetValueOrDefault(key);

    public void Apply(RollupChanges changes)
    {
        if (changes.IsEmpty)
        {
            return;
        }

        _lock.EnterWriteLock();
        try
        {
            Merge(_rollups, changes.Rollups);
            Merge(_guesses, changes.Guesses);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public UsageSummary Summarize(DateOnly? from, DateOnly? to, SummaryGrouping groupBy)
    {
        _lock.EnterReadLock();
        try
        {
            return UsageSummaryBuilder.Build(from, to, groupBy, _rollups, _guesses);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private static void Merge<TKey, TTotals>(Dictionary<TKey, TTotals> table, Dictionary<TKey, TTotals> changes)
        where TKey : notnull
        where TTotals : struct, IRollupCounters<TTotals>
    {
        foreach (var (key, delta) in changes)
        {
            var totals = table.GetValueOrDefault(key) + delta;
            if (totals.Requests == 0)
            {
                table.Remove(key);
            }
            else
            {
                table[key] = totals;
            }
        }
    }
}
