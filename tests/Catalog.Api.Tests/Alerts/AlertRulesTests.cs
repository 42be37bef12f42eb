using Catalog.Api.Features.Alerts;
using Catalog.Ledger.Alerts;
using Catalog.Pricing;

namespace Catalog.Api.Tests.Alerts;

/// <summary>The alert rules as pure functions of facts and a fixed "now".</summary>
public sealed class AlertRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 15, 30, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);
    private static readonly PricingEngine Engine = BuiltInCatalog.CreateEngine(_ => null);

    [Fact]
    public void Daily_spend_fires_only_above_the_threshold_once_per_day()
    {
        var rule = Rule("daily", "daily_spend", threshold: 100m);
        Assert.Empty(Evaluate(rule, Facts(totals: [new(Today, 100m)])));

        var fired = Assert.Single(Evaluate(rule, Facts(totals: [new(Today, 100.01m)])));
        Assert.Equal("daily:2026-11-20", fired.Key);
        Assert.Equal(100.01m, fired.ValueUsd);
        Assert.True(fired.ClosesAtEndOfDay);
    }

    [Fact]
    public void Daily_spend_for_a_team_reads_only_that_team()
    {
        var rule = Rule("research", "daily_spend", threshold: 25m, team: "research");
        var facts = Facts(totals: [new(Today, 1000m)], byTeam: new() { ["research"] = [new(Today, 24m)], ["ops"] = [new(Today, 500m)] });
        Assert.Empty(Evaluate(rule, facts));

        facts = Facts(byTeam: new() { ["research"] = [new(Today, 26m)] });
        Assert.Contains("Team 'research'", Assert.Single(Evaluate(rule, facts)).Title);
    }

    [Fact]
    public void Unusual_spend_compares_today_with_the_trailing_seven_day_mean()
    {
        var rule = Rule("spike", "unusual_spend", multiplier: 3m, minUsd: 5m);
        DailySpend[] week = [.. Enumerable.Range(1, 7).Select(back => new DailySpend(Today.AddDays(-back), 10m))];

        Assert.Empty(Evaluate(rule, Facts(totals: [.. week, new(Today, 30m)])));
        var fired = Assert.Single(Evaluate(rule, Facts(totals: [.. week, new(Today, 30.5m)])));
        Assert.Equal(30m, fired.ThresholdUsd);
    }

    [Fact]
    public void Unusual_spend_ignores_days_below_min_usd_and_empty_history()
    {
        var rule = Rule("spike", "unusual_spend", multiplier: 3m, minUsd: 5m);
        DailySpend[] week = [.. Enumerable.Range(1, 7).Select(back => new DailySpend(Today.AddDays(-back), 0.1m))];
        Assert.Empty(Evaluate(rule, Facts(totals: [.. week, new(Today, 4m)])));
        Assert.Empty(Evaluate(rule, Facts(totals: [new(Today, 400m)])));
    }

    [Fact]
    public void Expensive_model_fires_once_per_model_above_the_price()
    {
        var rule = Rule("pricey", "expensive_model", aboveMtok: 50m);
        var expensive = Engine.Data.Models.First(m => Engine.PricesOf(m).OutputMtok > 50m).FullName;
        var cheap = "openai/gpt-3.5-turbo";
        var fired = Assert.Single(Evaluate(rule, Facts(models: [new(expensive, Today), new(cheap, Today)])));
        Assert.Equal($"pricey:{expensive}", fired.Key);
        Assert.True(fired.ClosesAtEndOfDay);
    }

    [Fact]
    public void Fallback_pricing_and_idle_endpoints_alert_per_name_per_day()
    {
        var facts = Facts(fallbacks: [new("mystery-model", "fallback", 12)], idle: [new("phi-4", "is running idle", "idle for 3 h", 302.4m)]);
        var fallback = Assert.Single(Evaluate(Rule("fb", "fallback_pricing"), facts));
        Assert.Equal("fb:2026-11-20:mystery-model", fallback.Key);
        Assert.Contains("12 call(s)", fallback.Message);

        var idle = Assert.Single(Evaluate(Rule("idle", "idle_endpoint"), facts));
        Assert.Equal("idle:2026-11-20:phi-4", idle.Key);
        Assert.Equal(302.4m, idle.ValueUsd);
        Assert.Equal("Endpoint 'phi-4' is running idle", idle.Title);
    }

    private static IReadOnlyList<AlertCandidate> Evaluate(AlertRule rule, AlertFacts facts) =>
        AlertEvaluator.Evaluate([rule], facts, Engine);

    private static AlertRule Rule(string id, string kind, decimal? threshold = null, string? team = null, decimal? multiplier = null, decimal? minUsd = null, decimal? aboveMtok = null) =>
        new(id, kind, threshold, team, multiplier, minUsd, aboveMtok, null);

    private static AlertFacts Facts(
        DailySpend[]? totals = null,
        Dictionary<string, IReadOnlyList<DailySpend>>? byTeam = null,
        ModelFirstUse[]? models = null,
        FallbackUse[]? fallbacks = null,
        IdleEndpoint[]? idle = null) =>
        new(Now, totals ?? [], byTeam ?? [], models ?? [], fallbacks ?? [], idle ?? []);
}
