using System.Globalization;
using Catalog.Api.Http;
using Catalog.Ledger.Alerts;
using Catalog.Ledger.Budgets;
using Catalog.Pricing;

namespace Catalog.Api.Features.Budgets;

/// <summary>
/// The budgets — pricing.yaml's (origin <c>catalogue</c>, reviewed like prices) and those created through the API
/// (origin <c>api</c>, in the ledger) — and how they stand now; the alerts their thresholds raise.
/// </summary>
public sealed class BudgetBook(IBudgetStore store, BudgetTracker tracker, TimeProvider clock, PricingEngine engine)
{
    public const string CatalogueOrigin = "catalogue";

    /// <summary>The catalogue's budgets, as of the moment the service started (the catalogue is compiled into it).</summary>
    private readonly IReadOnlyList<Budget> _catalogue = [.. engine.Data.Budgets.Select(rule => FromCatalogue(rule, clock.GetUtcNow()))];

    public IBudgetStore Store => store;

    /// <summary>A budget of pricing.yaml: removed there, never through the API.</summary>
    public bool IsCatalogue(string id) => _catalogue.Any(b => b.Id == id);

    private static Budget FromCatalogue(BudgetRule rule, DateTimeOffset startedAt) => new(
        rule.Id,
        rule.Name ?? rule.Id,
        rule.Period == "daily" ? BudgetPeriod.Daily : BudgetPeriod.Monthly,
        rule.AmountUsd,
        new BudgetScope(rule.ScopeDimension, rule.ScopeValue),
        rule.WarningShare ?? Budget.DefaultWarningShare,
        startedAt,
        CatalogueOrigin);

    private async Task<IReadOnlyList<Budget>> ListAsync(CancellationToken cancellationToken) =>
        [.. _catalogue, .. await store.ListAsync(cancellationToken)];

    /// <summary>A scope a budget can count, or null with the reason in <paramref name="errors"/>.</summary>
    public static BudgetScope? Check(BudgetScope scope, Dictionary<string, string[]> errors)
    {
        var field = $"scope.{scope.Dimension}";
        if (scope.Dimension == "tag" && scope.Value.IndexOf(':', StringComparison.Ordinal) is <= 0)
        {
            PricingRequestReader.Add(errors, field, $"a tag scope is 'key:value' (the call's tags.key equals value), e.g. 'feature:summaries'; not '{scope.Value}'");
            return null;
        }

        return scope;
    }

    public async Task<Budget?> FindAsync(string id, CancellationToken cancellationToken) =>
        _catalogue.FirstOrDefault(b => b.Id == id) ?? await store.FindAsync(id, cancellationToken);

    public Task<BudgetStatus> StatusAsync(Budget budget, CancellationToken cancellationToken) =>
        tracker.StatusAsync(budget, clock.GetUtcNow(), cancellationToken);

    public async Task<IReadOnlyList<BudgetStatus>> AllAsync(CancellationToken cancellationToken) =>
        await tracker.StatusAsync(await ListAsync(cancellationToken), clock.GetUtcNow(), cancellationToken);

    /// <summary>
    /// One alert per budget in warning or exceeded, per period: crossing into warning opens one, crossing the amount
    /// closes it and opens the exceeded one; a new period (or a deleted budget) closes them.
    /// </summary>
    public async Task<IReadOnlyList<AlertCandidate>> AlertsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var budgets = await ListAsync(cancellationToken);
        if (budgets.Count == 0)
        {
            return [];
        }

        var alerts = new List<AlertCandidate>();
        foreach (var status in await tracker.StatusAsync(budgets, now, cancellationToken))
        {
            if (status.State == BudgetState.Ok)
            {
                continue;
            }

            var state = status.State == BudgetState.Exceeded ? "exceeded" : "warning";
            var scope = string.Join(", ", status.Scope.Select(s => $"{s.Key} '{s.Value}'"));
            var period = $"{(status.Period == BudgetPeriod.Monthly ? "month" : "day")} from {status.PeriodStart:yyyy-MM-dd} (UTC)";
            alerts.Add(new AlertCandidate(
                $"budget:{status.Id}:{status.PeriodStart:yyyy-MM-dd}:{state}",
                status.Id,
                "budget",
                status.State == BudgetState.Exceeded
                    ? $"Budget '{status.Name}' exceeded"
                    : $"Budget '{status.Name}' at {Percent(status.SpentShare)} of ${Usd(status.AmountUsd)}",
                $"Budget '{status.Name}' ({scope}, {period}): ${Usd(status.SpentUsd)} spent of ${Usd(status.AmountUsd)}, ${Usd(status.RemainingUsd)} remaining; forecast ${Usd(status.ForecastUsd)} by the end of the period ({status.ForecastMethod}).",
                status.SpentUsd,
                status.State == BudgetState.Exceeded ? status.AmountUsd : Math.Round(status.AmountUsd * status.WarningShare, 6),
                false));
        }

        return alerts;
    }

    private static string Usd(decimal value) => (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    private static string Percent(decimal share) => (Math.Round(share * 100, 1) / 1.0m).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
