using Catalog.Api.Features.Endpoints;
using Catalog.Ledger;
using Catalog.Pricing;

namespace Catalog.Api.Features.Alerts;

/// <summary>
/// The alert facts read from the usage ledger's rollups (five summaries per evaluation, no record is
/// read; rollups count per UTC day, so "first used" is a day, not an instant) and from endpoint
/// billing's warnings: an endpoint running idle, or up around the clock serving little.
/// </summary>
public sealed class LedgerAlertFacts(IUsageStore usage, EndpointBilling endpoints) : IAlertFactsSource
{
    /// <summary>Today and the seven days the unusual-spend rule compares it with.</summary>
    private const int DaysOfTotals = 8;

    public async Task<AlertFacts> GatherAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var yesterday = today.AddDays(-1);
        var tomorrow = today.AddDays(1);

        var perDay = await usage.SummarizeAsync(today.AddDays(1 - DaysOfTotals), tomorrow, SummaryGrouping.Day, cancellationToken);
        var todayPerTeam = await usage.SummarizeAsync(today, tomorrow, SummaryGrouping.Team, cancellationToken);
        var modelsBefore = await usage.SummarizeAsync(null, yesterday, SummaryGrouping.Model, cancellationToken);
        var modelsYesterday = await usage.SummarizeAsync(yesterday, today, SummaryGrouping.Model, cancellationToken);
        var modelsToday = await usage.SummarizeAsync(today, tomorrow, SummaryGrouping.Model, cancellationToken);

        return new AlertFacts(
            now,
            [.. perDay.Trend.Select(d => new DailySpend(d.Day, d.TotalUsd))],
            todayPerTeam.Groups
                .Where(g => g.Key.Length > 0)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<DailySpend>)[new DailySpend(today, g.TotalUsd)], StringComparer.Ordinal),
            FirstUses(modelsBefore, (yesterday, modelsYesterday), (today, modelsToday)),
            [.. todayPerTeam.FallbackModels.Select(f => new FallbackUse(f.Model, f.PricingSource.ToWire(), f.Requests))],
            [.. (await endpoints.WarningsAsync(now, cancellationToken)).Select(Idle)]);
    }

    private static IdleEndpoint Idle(EndpointWarning warning) => new(
        warning.EndpointId,
        warning.Kind == EndpointWarningKind.AlwaysOnLowUse ? "is up around the clock serving little" : "is running idle",
        $"{warning.Message}. Fix: {warning.Fix}.",
        warning.ProjectedWeeklyWasteUsd);

    /// <summary>
    /// Models used yesterday or today and never before: yesterday's are kept so a model first used just
    /// before midnight, or while the service was down, still alerts (its alert key has no day, so once).
    /// </summary>
    private static List<ModelFirstUse> FirstUses(UsageSummary before, params (DateOnly Day, UsageSummary Summary)[] recentDays)
    {
        var seen = before.Groups.Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var firstUses = new List<ModelFirstUse>();
        foreach (var (day, summary) in recentDays)
        {
            foreach (var group in summary.Groups)
            {
                if (seen.Add(group.Key))
                {
                    firstUses.Add(new ModelFirstUse(group.Key, day));
                }
            }
        }

        return firstUses;
    }
}
