using LiteDB;

namespace Catalog.Ledger.LiteDb;

/// <summary>
/// The rollups, read from their collections when asked rather than held in memory: one row per day × model ×
/// provider × user × team × app grows with what clients send (a million distinct users is a million rows), so
/// memory stays bounded by LiteDB's page cache however many there are. A summary reads the rows of its days
/// (an index on <c>day</c>) and sums them per group, day and model.
/// </summary>
internal sealed class RollupTable
{
    private readonly ILiteCollection<BsonDocument> _rollups;
    private readonly ILiteCollection<BsonDocument> _guesses;

    public RollupTable(ILiteCollection<BsonDocument> rollups, ILiteCollection<BsonDocument> guesses)
    {
        _rollups = rollups;
        _guesses = guesses;
        _rollups.EnsureIndex("day");
        _guesses.EnsureIndex("day");
    }

    /// <summary>Current totals of a row; read by the writer, inside its transaction.</summary>
    public RollupTotals Get(RollupKey key) =>
        _rollups.FindById(UsageDocuments.RollupId(key)) is { } doc ? UsageDocuments.ToRollup(doc).Value : default;

    public GuessTotals Get(GuessKey key) =>
        _guesses.FindById(UsageDocuments.GuessId(key)) is { } doc ? UsageDocuments.ToGuess(doc).Value : default;

    public UsageSummary Summarize(DateOnly? from, DateOnly? to, SummaryGrouping groupBy) =>
        UsageSummaryBuilder.Build(from, to, groupBy, Sum(from, to, (sums, key, totals) => sums.Add(key, totals, groupBy)));

    public UsageSummary Summarize(DateOnly? from, DateOnly? to, SummaryGrouping first, SummaryGrouping second) =>
        UsageSummaryBuilder.BuildPairs(from, to, first, second, Sum(from, to, (sums, key, totals) => sums.Add(key, totals, first, second)));

    private SummarySums Sum(DateOnly? from, DateOnly? to, Action<SummarySums, RollupKey, RollupTotals> add)
    {
        var sums = new SummarySums();
        foreach (var doc in Rows(_rollups, from, to))
        {
            var (key, totals) = UsageDocuments.ToRollup(doc);
            add(sums, key, totals);
        }

        foreach (var doc in Rows(_guesses, from, to))
        {
            var (key, totals) = UsageDocuments.ToGuess(doc);
            var name = new FallbackName(key.Model, key.Provider, key.PricingSource);
            sums.Fallbacks[name] = sums.Fallbacks.GetValueOrDefault(name) + totals;
        }

        return sums;
    }

    /// <summary>Rows of the whole days [from, to) (days are stored as yyyy-MM-dd, which sorts as the days do).</summary>
    private static IEnumerable<BsonDocument> Rows(ILiteCollection<BsonDocument> rows, DateOnly? from, DateOnly? to) => (from, to) switch
    {
        (null, null) => rows.FindAll(),
        ({ } first, null) => rows.Find(Query.GTE("day", UsageDocuments.Day(first))),
        (null, { } end) => rows.Find(Query.LT("day", UsageDocuments.Day(end))),
        ({ } first, { } end) => rows.Find(Query.And(Query.GTE("day", UsageDocuments.Day(first)), Query.LT("day", UsageDocuments.Day(end)))),
    };
}
