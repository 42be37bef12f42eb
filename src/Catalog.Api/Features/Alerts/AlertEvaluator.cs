using System.Globalization;
using Catalog.Pricing;
using Catalog.Ledger.Alerts;

namespace Catalog.Api.Features.Alerts;

/// <summary>Spend of one UTC day, in total or for one team.</summary>
public sealed record DailySpend(DateOnly Day, decimal TotalUsd);

/// <summary>A catalogue model seen in the ledger, and the UTC day it was first used (the rollups count per day).</summary>
public sealed record ModelFirstUse(string Model, DateOnly FirstUsedOn);

/// <summary>A model name priced by a guess step (short name ... fallback) on a day, with the number of calls.</summary>
public sealed record FallbackUse(string Model, string PricingSource, long Calls);

/// <summary>An endpoint costing money for nothing, as endpoint billing warned: <see cref="State"/> says how ("is running idle").</summary>
public sealed record IdleEndpoint(string Endpoint, string State, string Message, decimal ProjectedWeeklyWasteUsd);

/// <summary>What the alert rules look at, gathered once per evaluation.</summary>
public sealed record AlertFacts(
    DateTimeOffset Now,
    IReadOnlyList<DailySpend> DailyTotals,
    IReadOnlyDictionary<string, IReadOnlyList<DailySpend>> DailyByTeam,
    IReadOnlyList<ModelFirstUse> ModelsUsed,
    IReadOnlyList<FallbackUse> FallbacksToday,
    IReadOnlyList<IdleEndpoint> IdleEndpoints);

/// <summary>
/// The alert rules of pricing.yaml as pure functions of <see cref="AlertFacts"/>: no clock, no storage,
/// so each rule is tested with a fake time and hand-made facts.
/// </summary>
public static class AlertEvaluator
{
    public static IReadOnlyList<AlertCandidate> Evaluate(IEnumerable<AlertRule> rules, AlertFacts facts, PricingEngine engine)
    {
        var today = DateOnly.FromDateTime(facts.Now.UtcDateTime);
        var candidates = new List<AlertCandidate>();
        foreach (var rule in rules)
        {
            switch (rule.Kind)
            {
                case "daily_spend":
                    DailySpendRule(rule, facts, today, candidates);
                    break;
                case "unusual_spend":
                    UnusualSpendRule(rule, facts, today, candidates);
                    break;
                case "expensive_model":
                    ExpensiveModelRule(rule, facts, engine, candidates);
                    break;
                case "fallback_pricing":
                    foreach (var use in facts.FallbacksToday)
                    {
                        candidates.Add(new AlertCandidate(
                            $"{rule.Id}:{Day(today)}:{use.Model}",
                            rule.Id,
                            rule.Kind,
                            $"'{use.Model}' is priced by {use.PricingSource}",
                            $"{use.Calls} call(s) today sent the model name '{use.Model}', which the catalogue does not know, so they were priced by the {use.PricingSource} step. Add the model or an alias to pricing.yaml (see GET /v1/models/{use.Model}).",
                            null,
                            null,
                            true));
                    }

                    break;
                case "idle_endpoint":
                    foreach (var idle in facts.IdleEndpoints)
                    {
                        candidates.Add(new AlertCandidate(
                            $"{rule.Id}:{Day(today)}:{idle.Endpoint}",
                            rule.Id,
                            rule.Kind,
                            $"Endpoint '{idle.Endpoint}' {idle.State}",
                            idle.Message,
                            idle.ProjectedWeeklyWasteUsd,
                            null,
                            true));
                    }

                    break;
            }
        }

        return candidates;
    }

    private static void DailySpendRule(AlertRule rule, AlertFacts facts, DateOnly today, List<AlertCandidate> candidates)
    {
        var series = rule.Team is null ? facts.DailyTotals : facts.DailyByTeam.GetValueOrDefault(rule.Team) ?? [];
        var spent = SpendOn(series, today);
        if (rule.ThresholdUsd is { } threshold && spent > threshold)
        {
            var who = rule.Team is null ? "Total" : $"Team '{rule.Team}'";
            candidates.Add(new AlertCandidate(
                $"{rule.Id}:{Day(today)}",
                rule.Id,
                rule.Kind,
                $"{who} spend today is above ${Usd(threshold)}",
                $"{who} spend on {Day(today)} (UTC) is ${Usd(spent)}, above the daily threshold of ${Usd(threshold)}.",
                spent,
                threshold,
                true));
        }
    }

    private static void UnusualSpendRule(AlertRule rule, AlertFacts facts, DateOnly today, List<AlertCandidate> candidates)
    {
        var spent = SpendOn(facts.DailyTotals, today);
        var trailing = Enumerable.Range(1, 7).Select(back => SpendOn(facts.DailyTotals, today.AddDays(-back))).ToArray();
        var mean = trailing.Sum() / 7m;
        var multiplier = rule.Multiplier ?? 3m;
        if (spent < (rule.MinUsd ?? 0m) || mean == 0m || spent <= multiplier * mean)
        {
            return;
        }

        candidates.Add(new AlertCandidate(
            $"{rule.Id}:{Day(today)}",
            rule.Id,
            rule.Kind,
            "Unusual spend today",
            $"Spend on {Day(today)} (UTC) is ${Usd(spent)}, {Usd(Math.Round(spent / mean, 1))} times the trailing 7-day mean of ${Usd(Math.Round(mean, 6))} (alert above {Usd(multiplier)} times).",
            spent,
            Math.Round(multiplier * mean, 6),
            true));
    }

    private static void ExpensiveModelRule(AlertRule rule, AlertFacts facts, PricingEngine engine, List<AlertCandidate> candidates)
    {
        if (rule.AboveMtok is not { } limit)
        {
            return;
        }

        foreach (var use in facts.ModelsUsed)
        {
            if (!engine.Data.ModelsByName.TryGetValue(use.Model, out var model))
            {
                continue;
            }

            var prices = engine.PricesOf(model);
            var highest = Math.Max(prices.InputMtok, prices.OutputMtok);
            if (highest > limit)
            {
                candidates.Add(new AlertCandidate(
                    $"{rule.Id}:{use.Model}",
                    rule.Id,
                    rule.Kind,
                    $"Expensive model '{use.Model}' used for the first time",
                    $"'{use.Model}' (${Usd(prices.InputMtok)} in / ${Usd(prices.OutputMtok)} out per million tokens, above ${Usd(limit)}) was first used on {Day(use.FirstUsedOn)} (UTC).",
                    highest,
                    limit,
                    true));
            }
        }
    }

    private static decimal SpendOn(IReadOnlyList<DailySpend> series, DateOnly day)
    {
        foreach (var entry in series)
        {
            if (entry.Day == day)
            {
                return entry.TotalUsd;
            }
        }

        return 0m;
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Usd(decimal value) => (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
}
