namespace Catalog.Api.Storage.LiteDb;

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
            foreach (var (key, delta) in changes.Rollups)
            {
                var totals = _rollups.GetValueOrDefault(key) + delta;
                if (totals.Requests == 0)
                {
                    _rollups.Remove(key);
                }
                else
                {
                    _rollups[key] = totals;
                }
            }

            foreach (var (key, delta) in changes.Guesses)
            {
                var totals = _guesses.GetValueOrDefault(key) + delta;
                if (totals.Requests == 0)
                {
                    _guesses.Remove(key);
                }
                else
                {
                    _guesses[key] = totals;
                }
            }
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
}
