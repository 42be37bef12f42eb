using Catalog.Pricing;

namespace Catalog.Ledger;

public enum SummaryGrouping
{
    Model,
    Provider,
    Day,
    User,
    Team,
    App,

    /// <summary>The service tier a call was served in (<c>standard</c> when none was sent).</summary>
    ServiceTier,

    /// <summary>The region a call was served in (empty when none was sent).</summary>
    Region,

    /// <summary>The Inference Endpoint a call was tagged with (empty when none).</summary>
    Endpoint,

    /// <summary>The id of the API key a call was recorded with (empty for calls recorded before keys were kept, or without a key).</summary>
    KeyId,
}

/// <summary>What was spent, on what, by whom, over whole UTC days [from, to).</summary>
/// <param name="EstimatedShare">Share of calls whose token counts were estimated (0 to 1).</param>
/// <param name="Groups">Totals per <see cref="GroupBy"/> value, most expensive first (by day: in date order).</param>
/// <param name="Trend">Tokens and cost per day, in date order.</param>
/// <param name="FallbackModels">Sent names priced by a fallback step: the list to fix in the catalogue.</param>
/// <param name="ReportedCostMismatches">Models whose price differs from the gateway's reported cost by more than 1%: the quickest way to find a wrong price.</param>
/// <param name="Other">The groups past the summary's limit, summed; null when every group is listed.</param>
public sealed record UsageSummary(
    DateOnly? From,
    DateOnly? To,
    SummaryGrouping GroupBy,
    long Requests,
    long Errors,
    decimal InputTokens,
    decimal OutputTokens,
    decimal CacheReadTokens,
    decimal CacheWriteTokens,
    decimal TotalUsd,
    TokenSourceCounts TokenSources,
    decimal EstimatedShare,
    decimal ActualShare,
    IReadOnlyList<SummaryGroup> Groups,
    IReadOnlyList<DayTrend> Trend,
    IReadOnlyList<FallbackModel> FallbackModels,
    IReadOnlyList<ReportedCostMismatch> ReportedCostMismatches,
    OtherGroups? Other = null)
{
    /// <summary>
    /// What the groups are keyed by when it is not one rollup dimension: a tag (<c>["tag:feature"]</c>) or two
    /// dimensions (<c>["team", "model"]</c>, each group's <see cref="SummaryGroup.Keys"/> then names both); null otherwise.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? GroupedBy { get; init; }
}

public sealed record TokenSourceCounts(long Actual, long Estimated, long Unknown);

public sealed record SummaryGroup(string Key, long Requests, long Errors, decimal InputTokens, decimal OutputTokens, decimal CacheReadTokens, decimal CacheWriteTokens, decimal TotalUsd)
{
    /// <summary>With two dimensions: each dimension's value (<c>{"team": "search", "model": "openai/gpt-4o"}</c>); <see cref="Key"/> joins them with " · ".</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Keys { get; init; }
}

/// <summary>The groups a summary does not list (past its limit), summed: <paramref name="Groups"/> is how many.</summary>
public sealed record OtherGroups(long Groups, long Requests, long Errors, decimal InputTokens, decimal OutputTokens, decimal CacheReadTokens, decimal CacheWriteTokens, decimal TotalUsd);

public sealed record DayTrend(DateOnly Day, long Requests, decimal InputTokens, decimal OutputTokens, decimal CacheReadTokens, decimal CacheWriteTokens, decimal TotalUsd);

public sealed record FallbackModel(string Model, string Provider, PricingSource PricingSource, long Requests, decimal TotalUsd);

/// <summary>Our price against the gateway's reported cost, over the calls of one model that carry a reported cost.</summary>
/// <param name="Model">The catalogue model (or the sent name when none resolved), as in the rollups.</param>
/// <param name="Requests">Calls with a reported cost.</param>
/// <param name="DifferencePct">(our - reported) / reported in percent, rounded to 2 places; null when the reported total is 0.</param>
public sealed record ReportedCostMismatch(string Model, long Requests, decimal OurUsd, decimal ReportedUsd, decimal? DifferencePct);

/// <summary>A name priced by a fallback step, as the summary lists it.</summary>
public readonly record struct FallbackName(string Model, string Provider, PricingSource PricingSource);

/// <summary>Rollup totals summed over a range of days: per group (of the summary's grouping), per day, per model, and per fallback name.</summary>
public sealed class SummarySums
{
    public Dictionary<string, RollupTotals> Groups { get; } = new(StringComparer.Ordinal);

    public Dictionary<DateOnly, RollupTotals> Days { get; } = [];

    public Dictionary<string, RollupTotals> Models { get; } = new(StringComparer.Ordinal);

    public Dictionary<FallbackName, GuessTotals> Fallbacks { get; } = [];

    /// <summary>Adds one rollup row at its full grain.</summary>
    public void Add(RollupKey key, RollupTotals totals, SummaryGrouping groupBy)
    {
        Sum(Groups, UsageSummaryBuilder.GroupOf(key, groupBy), totals);
        Sum(Days, key.Day, totals);
        Sum(Models, key.Model, totals);
    }

    /// <summary>Adds one rollup row to the days and models only: the groups come from the dimension rollups (<see cref="Add(DimensionKey, RollupTotals)"/>).</summary>
    public void AddDayAndModel(RollupKey key, RollupTotals totals)
    {
        Sum(Days, key.Day, totals);
        Sum(Models, key.Model, totals);
    }

    /// <summary>Adds one dimension rollup row to its group.</summary>
    public void Add(DimensionKey key, RollupTotals totals) => Sum(Groups, key.Value, totals);

    /// <summary>Adds one rollup row under the pair of its values of <paramref name="first"/> and <paramref name="second"/>.</summary>
    public void Add(RollupKey key, RollupTotals totals, SummaryGrouping first, SummaryGrouping second)
    {
        var a = UsageSummaryBuilder.GroupOf(key, first);
        var b = UsageSummaryBuilder.GroupOf(key, second);
        AddPair(a, b, totals);
        Sum(Days, key.Day, totals);
        Sum(Models, key.Model, totals);
    }

    /// <summary>Adds totals (already summed by the store) to the group of the pair (<paramref name="a"/>, <paramref name="b"/>).</summary>
    public void AddPair(string a, string b, RollupTotals totals)
    {
        var group = UsageSummaryBuilder.PairKey(a, b);
        Sum(Groups, group, totals);
        Pairs.TryAdd(group, (a, b));
    }

    /// <summary>The two values of each pair group, by its key.</summary>
    public Dictionary<string, (string First, string Second)> Pairs { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds one record under the pair of its values of <paramref name="first"/> and <paramref name="second"/>.</summary>
    public void Add(UsageRecord record, SummaryGrouping first, SummaryGrouping second)
    {
        var a = UsageSummaryBuilder.GroupOf(record, first);
        var b = UsageSummaryBuilder.GroupOf(record, second);
        var group = UsageSummaryBuilder.PairKey(a, b);
        Pairs.TryAdd(group, (a, b));
        Add(record, group);
    }

    /// <summary>Adds one record under the group <paramref name="group"/> (a key the rollups do not keep: a tag, two dimensions).</summary>
    public void Add(UsageRecord record, string group)
    {
        var totals = RollupTotals.Of(record);
        var key = RollupKey.Of(record);
        Sum(Groups, group, totals);
        Sum(Days, key.Day, totals);
        Sum(Models, key.Model, totals);
        if (GuessKey.Of(record) is { } guess)
        {
            var name = new FallbackName(guess.Model, guess.Provider, guess.PricingSource);
            Fallbacks[name] = Fallbacks.GetValueOrDefault(name) + new GuessTotals(1, totals.TotalUsd);
        }
    }

    private static void Sum<TKey>(Dictionary<TKey, RollupTotals> sums, TKey key, RollupTotals totals)
        where TKey : notnull =>
        sums[key] = sums.GetValueOrDefault(key) + totals;
}

/// <summary>Builds a <see cref="UsageSummary"/> from rollup rows (or their sums); shared by every store that keeps rollups.</summary>
public static class UsageSummaryBuilder
{
    /// <summary>How far (as a share of the reported cost) our price may be from the reported cost before the model is listed.</summary>
    public const decimal ReportedCostTolerance = 0.01m;

    /// <summary>Groups (and fallback models, and mismatches) a summary lists unless asked for another number.</summary>
    public const int DefaultLimit = 100;

    /// <summary>The most a summary lists: its answer stays a few megabytes however many users, models or apps the ledger has.</summary>
    public const int MaxLimit = 10_000;

    /// <summary>
    /// The summary with at most <paramref name="limit"/> groups, the rest summed in <see cref="UsageSummary.Other"/>, and at
    /// most <paramref name="limit"/> fallback models and reported-cost mismatches (the first, in their order).
    /// </summary>
    public static UsageSummary Limit(UsageSummary summary, int limit)
    {
        if (summary.Groups.Count <= limit && summary.FallbackModels.Count <= limit && summary.ReportedCostMismatches.Count <= limit)
        {
            return summary;
        }

        OtherGroups? other = null;
        if (summary.Groups.Count > limit)
        {
            var rest = default(RollupTotals);
            for (var i = limit; i < summary.Groups.Count; i++)
            {
                var g = summary.Groups[i];
                rest += new RollupTotals(g.Requests, g.Errors, g.InputTokens, g.OutputTokens, g.CacheReadTokens, g.CacheWriteTokens, g.TotalUsd, 0, 0, 0);
            }

            other = new OtherGroups(summary.Groups.Count - limit, rest.Requests, rest.Errors, rest.InputTokens, rest.OutputTokens, rest.CacheReadTokens, rest.CacheWriteTokens, rest.TotalUsd);
        }

        return summary with
        {
            Groups = [.. summary.Groups.Take(limit)],
            FallbackModels = [.. summary.FallbackModels.Take(limit)],
            ReportedCostMismatches = [.. summary.ReportedCostMismatches.Take(limit)],
            Other = other,
        };
    }

    /// <summary>The summary of rollup rows at their full grain (day × model × provider × user × team × app).</summary>
    public static UsageSummary Build(
        DateOnly? from,
        DateOnly? to,
        SummaryGrouping groupBy,
        IEnumerable<KeyValuePair<RollupKey, RollupTotals>> rollups,
        IEnumerable<KeyValuePair<GuessKey, GuessTotals>> guesses)
    {
        var sums = new SummarySums();
        foreach (var (key, totals) in rollups)
        {
            if (InRange(key.Day, from, to))
            {
                sums.Add(key, totals, groupBy);
            }
        }

        foreach (var (key, totals) in guesses)
        {
            if (InRange(key.Day, from, to))
            {
                var name = new FallbackName(key.Model, key.Provider, key.PricingSource);
                sums.Fallbacks[name] = sums.Fallbacks.GetValueOrDefault(name) + totals;
            }
        }

        return Build(from, to, groupBy, sums);
    }

    /// <summary>
    /// The summary of the records given (those of a filter the rollups cannot answer: a user, a tag, a status ...),
    /// counted as the rollups count them.
    /// </summary>
    public static async Task<UsageSummary> BuildAsync(DateOnly? from, DateOnly? to, SummaryGrouping groupBy, IAsyncEnumerable<UsageRecord> records, CancellationToken cancellationToken)
    {
        var counted = new RollupChanges();
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            counted.Add(record);
        }

        return Build(from, to, groupBy, counted.Rollups, counted.Guesses);
    }

    /// <summary>
    /// The summary of the records given, grouped by <paramref name="groupOf"/> (a tag's value, two dimensions joined):
    /// what the rollups cannot answer, so the calls themselves are counted.
    /// </summary>
    public static async Task<UsageSummary> BuildAsync(DateOnly? from, DateOnly? to, SummaryGrouping groupBy, IAsyncEnumerable<UsageRecord> records, Func<UsageRecord, string> groupOf, CancellationToken cancellationToken)
    {
        var sums = new SummarySums();
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            if (InRange(DateOnly.FromDateTime(record.Timestamp.UtcDateTime), from, to))
            {
                sums.Add(record, groupOf(record));
            }
        }

        return Build(from, to, groupBy, sums);
    }

    /// <summary>Between the two values of a pair group's key.</summary>
    public const string PairSeparator = " · ";

    public static string PairKey(string first, string second) => first + PairSeparator + second;

    /// <summary>The summary of sums grouped by two dimensions: each group names both values, and the summary both dimensions.</summary>
    public static UsageSummary BuildPairs(DateOnly? from, DateOnly? to, SummaryGrouping first, SummaryGrouping second, SummarySums sums)
    {
        var summary = Build(from, to, first, sums);
        return summary with
        {
            Groups = [.. summary.Groups.Select(g => sums.Pairs.TryGetValue(g.Key, out var pair)
                ? g with { Keys = new Dictionary<string, string> { [DimensionName(first)] = pair.First, [DimensionName(second)] = pair.Second } }
                : g)],
            GroupedBy = [DimensionName(first), DimensionName(second)],
        };
    }

    /// <summary>
    /// The summary of the records given, grouped by two dimensions at once under a filter, which the rollups do not
    /// answer, so the calls themselves are counted.
    /// </summary>
    public static async Task<UsageSummary> BuildPairsAsync(DateOnly? from, DateOnly? to, SummaryGrouping first, SummaryGrouping second, IAsyncEnumerable<UsageRecord> records, CancellationToken cancellationToken)
    {
        var sums = new SummarySums();
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            if (InRange(DateOnly.FromDateTime(record.Timestamp.UtcDateTime), from, to))
            {
                sums.Add(record, first, second);
            }
        }

        return BuildPairs(from, to, first, second, sums);
    }

    /// <summary>A dimension as the API names it (group_by, grouped_by, a pair's keys): model, service_tier ...</summary>
    public static string DimensionName(SummaryGrouping groupBy) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(groupBy.ToString());

    /// <summary>The value of <paramref name="groupBy"/> a record is counted under, as the rollups key it.</summary>
    public static string GroupOf(UsageRecord record, SummaryGrouping groupBy) => groupBy switch
    {
        SummaryGrouping.Endpoint => record.Endpoint ?? string.Empty,
        SummaryGrouping.KeyId => record.KeyId ?? string.Empty,
        _ => GroupOf(RollupKey.Of(record), groupBy),
    };

    /// <summary>True for a dimension the rollups keep (every one but the endpoint and the key id).</summary>
    public static bool InRollups(SummaryGrouping groupBy) => groupBy is not (SummaryGrouping.Endpoint or SummaryGrouping.KeyId);

    /// <summary>The summary of totals already summed over [from, to) per group, day, model and fallback name.</summary>
    public static UsageSummary Build(DateOnly? from, DateOnly? to, SummaryGrouping groupBy, SummarySums sums)
    {
        var total = sums.Days.Values.Aggregate(default(RollupTotals), (a, b) => a + b);
        var orderedGroups = sums.Groups.Select(g => ToGroup(g.Key, g.Value));
        orderedGroups = groupBy == SummaryGrouping.Day
            ? orderedGroups.OrderBy(g => g.Key, StringComparer.Ordinal)
            : orderedGroups.OrderByDescending(g => g.TotalUsd).ThenBy(g => g.Key, StringComparer.Ordinal);
        return new UsageSummary(
            from,
            to,
            groupBy,
            total.Requests,
            total.Errors,
            total.InputTokens,
            total.OutputTokens,
            total.CacheReadTokens,
            total.CacheWriteTokens,
            total.TotalUsd,
            new TokenSourceCounts(total.Actual, total.Estimated, total.Unknown),
            Share(total.Estimated, total.Requests),
            Share(total.Actual, total.Requests),
            [.. orderedGroups.Where(g => g.Requests > 0)],
            [.. sums.Days.Where(d => d.Value.Requests > 0).OrderBy(d => d.Key)
                .Select(d => new DayTrend(d.Key, d.Value.Requests, d.Value.InputTokens, d.Value.OutputTokens, d.Value.CacheReadTokens, d.Value.CacheWriteTokens, d.Value.TotalUsd))],
            [.. sums.Fallbacks.Where(f => f.Value.Requests > 0)
                .OrderByDescending(f => f.Value.Requests).ThenBy(f => f.Key.Model, StringComparer.Ordinal)
                .Select(f => new FallbackModel(f.Key.Model, f.Key.Provider, f.Key.PricingSource, f.Value.Requests, f.Value.TotalUsd))],
            Mismatches(sums.Models));
    }

    /// <summary>The models whose price is more than <see cref="ReportedCostTolerance"/> from the reported cost, largest difference in dollars first.</summary>
    private static ReportedCostMismatch[] Mismatches(Dictionary<string, RollupTotals> models) =>
        [.. models
            .Where(m => m.Value.ReportedRequests != 0 && Math.Abs(m.Value.ReportedOurUsd - m.Value.ReportedUsd) > m.Value.ReportedUsd * ReportedCostTolerance)
            .OrderByDescending(m => Math.Abs(m.Value.ReportedOurUsd - m.Value.ReportedUsd)).ThenBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => new ReportedCostMismatch(
                m.Key,
                m.Value.ReportedRequests,
                m.Value.ReportedOurUsd,
                m.Value.ReportedUsd,
                m.Value.ReportedUsd == 0 ? null : Math.Round((m.Value.ReportedOurUsd - m.Value.ReportedUsd) / m.Value.ReportedUsd * 100, 2)))];

    public static string GroupOf(RollupKey key, SummaryGrouping groupBy) => groupBy switch
    {
        SummaryGrouping.Model => key.Model,
        SummaryGrouping.Provider => key.Provider,
        SummaryGrouping.Day => DayKey(key.Day),
        SummaryGrouping.User => key.User,
        SummaryGrouping.Team => key.Team,
        SummaryGrouping.App => key.App,
        SummaryGrouping.ServiceTier => key.ServiceTier,
        SummaryGrouping.Region => key.Region,
        _ => throw new ArgumentOutOfRangeException(nameof(groupBy), groupBy, "the rollups do not keep this dimension: count the calls (InRollups)"),
    };

    /// <summary>A day as a group's key.</summary>
    public static string DayKey(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static bool InRange(DateOnly day, DateOnly? from, DateOnly? to) =>
        (from is null || day >= from) && (to is null || day < to);

    private static decimal Share(long part, long whole) => whole == 0 ? 0m : Math.Round((decimal)part / whole, 6);

    private static SummaryGroup ToGroup(string key, RollupTotals t) =>
        new(key, t.Requests, t.Errors, t.InputTokens, t.OutputTokens, t.CacheReadTokens, t.CacheWriteTokens, t.TotalUsd);
}
