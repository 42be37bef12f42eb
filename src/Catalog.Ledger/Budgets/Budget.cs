using System.Globalization;

namespace Catalog.Ledger.Budgets;

public enum BudgetPeriod
{
    Monthly,
    Daily,
}

public enum BudgetState
{
    Ok,
    Warning,
    Exceeded,
}

/// <summary>What a budget counts: the calls of one team, user, app, tag (<c>key:value</c>), model, provider, API key or Inference Endpoint.</summary>
/// <param name="Dimension">team, user, app, tag, model, provider, key_id or endpoint.</param>
public sealed record BudgetScope(string Dimension, string Value)
{
    public static readonly string[] Dimensions = ["team", "user", "app", "tag", "model", "provider", "key_id", "endpoint"];

    public override string ToString() => $"{Dimension} '{Value}'";
}

/// <summary>An amount of USD a scope may spend in a UTC month or day.</summary>
/// <param name="WarningShare">The share of the amount (0 to 1) from which the budget is in warning.</param>
/// <param name="Origin">api (created with POST /v1/budgets) or catalogue (pricing.yaml's budgets:).</param>
public sealed record Budget(string Id, string Name, BudgetPeriod Period, decimal AmountUsd, BudgetScope Scope, decimal WarningShare, DateTimeOffset CreatedAt, string Origin)
{
    public const decimal DefaultWarningShare = 0.8m;
}

/// <summary>A budget and how it stands now.</summary>
/// <param name="PeriodStart">The period's first instant (UTC); <paramref name="PeriodEnd"/> is the next one's.</param>
/// <param name="SpentUsd">What the scope's calls cost from the period's start until now, including calls made before the budget was created.</param>
/// <param name="RemainingUsd">Amount minus spent; negative once exceeded.</param>
/// <param name="ForecastUsd">The spend expected by the period's end at the period's own run rate (<paramref name="ForecastMethod"/>).</param>
/// <param name="SpentShare">Spent as a share of the amount (1 = all of it).</param>
public sealed record BudgetStatus(
    string Id,
    string Name,
    BudgetPeriod Period,
    decimal AmountUsd,
    IReadOnlyDictionary<string, string> Scope,
    decimal WarningShare,
    string Origin,
    DateTimeOffset CreatedAt,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    decimal SpentUsd,
    decimal RemainingUsd,
    decimal SpentShare,
    decimal ForecastUsd,
    string ForecastMethod,
    BudgetState State,
    DateTimeOffset AsOf);

/// <summary>The arithmetic of budgets: periods in UTC, the run-rate forecast, the state. Pure, so it is tested with any clock.</summary>
public static class BudgetMath
{
    public const string MonthlyMethod = "run rate: spend so far ÷ days elapsed in the month (today counted whole) × days in the month";
    public const string DailyMethod = "run rate: spend so far ÷ hours elapsed in the day (this hour counted whole) × 24";

    /// <summary>The UTC month or day <paramref name="now"/> is in, as whole days [Start, End).</summary>
    public static (DateOnly Start, DateOnly End) PeriodOf(BudgetPeriod period, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (period == BudgetPeriod.Daily)
        {
            return (today, today.AddDays(1));
        }

        var first = new DateOnly(today.Year, today.Month, 1);
        return (first, first.AddMonths(1));
    }

    /// <summary>
    /// The period's spend by its end if it goes on at the rate so far: per day for a month, per hour for a day. The
    /// current day (or hour) counts whole, so the first hours of a period do not blow the forecast up.
    /// </summary>
    public static decimal Forecast(BudgetPeriod period, decimal spent, DateTimeOffset now)
    {
        var (start, end) = PeriodOf(period, now);
        var utc = now.UtcDateTime;
        var (elapsed, total) = period == BudgetPeriod.Daily
            ? (utc.Hour + 1, 24)
            : (DateOnly.FromDateTime(utc).DayNumber - start.DayNumber + 1, end.DayNumber - start.DayNumber);
        return Math.Round(spent / elapsed * total, 6, MidpointRounding.AwayFromZero);
    }

    public static string MethodOf(BudgetPeriod period) => period == BudgetPeriod.Daily ? DailyMethod : MonthlyMethod;

    /// <summary>Exceeded above the amount; warning from <paramref name="warningShare"/> of it; ok below.</summary>
    public static BudgetState StateOf(decimal spent, decimal amount, decimal warningShare) =>
        spent > amount ? BudgetState.Exceeded : spent >= amount * warningShare ? BudgetState.Warning : BudgetState.Ok;

    public static BudgetStatus Status(Budget budget, decimal spent, DateTimeOffset now)
    {
        var (start, end) = PeriodOf(budget.Period, now);
        return new BudgetStatus(
            budget.Id,
            budget.Name,
            budget.Period,
            budget.AmountUsd,
            new Dictionary<string, string>(StringComparer.Ordinal) { [budget.Scope.Dimension] = budget.Scope.Value },
            budget.WarningShare,
            budget.Origin,
            budget.CreatedAt,
            Instant(start),
            Instant(end),
            spent,
            budget.AmountUsd - spent,
            Math.Round(spent / budget.AmountUsd, 6, MidpointRounding.AwayFromZero),
            Forecast(budget.Period, spent, now),
            MethodOf(budget.Period),
            StateOf(spent, budget.AmountUsd, budget.WarningShare),
            now);
    }

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset Instant(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
