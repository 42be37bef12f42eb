namespace Catalog.Ledger.Budgets;

/// <summary>
/// How budgets stand, read from the ledger: team, user, app, model, provider, endpoint and key_id budgets from the
/// rollups (one summary per period and dimension, however many budgets); tag budgets from the period's records.
/// </summary>
public sealed class BudgetTracker(IUsageStore usage)
{
    public async Task<BudgetStatus> StatusAsync(Budget budget, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await StatusAsync([budget], now, cancellationToken))[0];

    public async Task<IReadOnlyList<BudgetStatus>> StatusAsync(IReadOnlyList<Budget> budgets, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var summaries = new Dictionary<(BudgetPeriod, SummaryGrouping), UsageSummary>();
        var statuses = new List<BudgetStatus>(budgets.Count);
        foreach (var budget in budgets)
        {
            var (start, end) = BudgetMath.PeriodOf(budget.Period, now);
            decimal spent;
            if (Grouping(budget.Scope.Dimension) is { } grouping)
            {
                if (!summaries.TryGetValue((budget.Period, grouping), out var summary))
                {
                    summary = await usage.SummarizeAsync(start, end, grouping, cancellationToken);
                    summaries[(budget.Period, grouping)] = summary;
                }

                spent = summary.Groups.FirstOrDefault(g => g.Key == budget.Scope.Value)?.TotalUsd ?? 0m;
            }
            else
            {
                spent = await SpentByRecordsAsync(budget.Scope, start, end, cancellationToken);
            }

            statuses.Add(BudgetMath.Status(budget, spent, now));
        }

        return statuses;
    }

    /// <summary>The summary grouping that counts a dimension, or null when the rollups do not keep it.</summary>
    private static SummaryGrouping? Grouping(string dimension) => dimension switch
    {
        "team" => SummaryGrouping.Team,
        "user" => SummaryGrouping.User,
        "app" => SummaryGrouping.App,
        "model" => SummaryGrouping.Model,
        "provider" => SummaryGrouping.Provider,
        "endpoint" => SummaryGrouping.Endpoint,
        "key_id" => SummaryGrouping.KeyId,
        _ => null,
    };

    /// <summary>What the calls of a tag scope cost in [start, end).</summary>
    private async Task<decimal> SpentByRecordsAsync(BudgetScope scope, DateOnly start, DateOnly end, CancellationToken cancellationToken)
    {
        var (key, value) = TagOf(scope.Value);
        var filter = new UsageFilter(DayParts.Start(start), DayParts.Start(end), Tag: new UsageTag(key, value));
        var spent = 0m;
        await foreach (var record in usage.StreamAsync(filter, cancellationToken))
        {
            spent += record.Pricing.Cost.TotalUsd;
        }

        return spent;
    }

    /// <summary>A tag scope's key and value, from <c>key:value</c>.</summary>
    public static (string Key, string Value) TagOf(string scope)
    {
        var colon = scope.IndexOf(':', StringComparison.Ordinal);
        return (scope[..colon], scope[(colon + 1)..]);
    }
}
