using static Catalog.Pricing.Tests.TestCatalog;

namespace Catalog.Pricing.Tests;

/// <summary>The cost arithmetic: tiers, cache prices, history, per-request fees and estimates, all exact decimals.</summary>
public sealed class CostCalculatorTests
{
    private static readonly PricingEngine Real = RealEngine();

    [Fact]
    public void Tokens_are_priced_per_million()
    {
        var cost = Real.Price("claude-sonnet-4-5", null, new TokenUsage(1000, 500), Now);

        Assert.Equal(TokenSource.Actual, cost.TokenSource);
        Assert.Equal(0.003m, cost.InputUsd);
        Assert.Equal(0.0075m, cost.OutputUsd);
        Assert.Equal(0.0105m, cost.TotalUsd);
        Assert.Null(cost.Tier);
    }

    [Fact]
    public void Tier_is_a_cliff_strictly_above_the_threshold()
    {
        var at = Real.Price("claude-sonnet-4-5", null, new TokenUsage(200_000, 1000), Now);
        var above = Real.Price("claude-sonnet-4-5", null, new TokenUsage(200_001, 1000), Now);

        Assert.Null(at.Tier);
        Assert.Equal(0.6m, at.InputUsd);
        Assert.Equal(0.015m, at.OutputUsd);
        Assert.Equal(200_000L, above.Tier);
        Assert.Equal(1.200006m, above.InputUsd);
        Assert.Equal(0.0225m, above.OutputUsd);
    }

    [Fact]
    public void Tier_counts_cached_input_tokens_and_uses_the_tiers_cache_prices()
    {
        var usage = new TokenUsage(InputTokens: 210_000, OutputTokens: 0, CacheReadTokens: 100_000, CacheWriteTokens: 11_000, CacheWrite1hTokens: 1_000);

        var cost = Real.Price("claude-sonnet-4-5", null, usage, Now);

        Assert.Equal(200_000L, cost.Tier);
        Assert.Equal(99_000 * 6m / 1_000_000m, cost.InputUsd);
        Assert.Equal(100_000 * 0.6m / 1_000_000m, cost.CacheReadUsd);
        Assert.Equal(((10_000 * 7.5m) + (1_000 * 12m)) / 1_000_000m, cost.CacheWriteUsd);
    }

    [Fact]
    public void Highest_tier_passed_applies()
    {
        var engine = Engine([Provider("p")], [Model("p", "m", Prices(1m, 1m, tiers: [Tier(100, 2m, 2m), Tier(1000, 3m, null)]))]);

        Assert.Null(engine.Price("m", null, new TokenUsage(100, 0), Now).Tier);
        Assert.Equal(100L, engine.Price("m", null, new TokenUsage(1000, 0), Now).Tier);
        var top = engine.Price("m", null, new TokenUsage(1001, 1_000_000), Now);
        Assert.Equal(1000L, top.Tier);
        Assert.Equal(1001 * 3m / 1_000_000m, top.InputUsd);
        Assert.Equal(1m, top.OutputUsd);
    }

    [Fact]
    public void A_tier_without_a_cache_price_keeps_the_base_cache_price()
    {
        var cost = Real.Price("grok-4", null, new TokenUsage(200_000, 0, CacheReadTokens: 100_000), Now);

        Assert.Equal(128_000L, cost.Tier);
        Assert.Equal(100_000 * 6m / 1_000_000m, cost.InputUsd);
        Assert.Equal(100_000 * 0.75m / 1_000_000m, cost.CacheReadUsd);
    }

    [Fact]
    public void A_model_without_cache_prices_charges_cached_tokens_once_at_its_input_price()
    {
        var cost = Real.Price("gpt-4o-2024-05-13", null, new TokenUsage(1000, 0, CacheReadTokens: 400), Now);

        Assert.Equal(0.005m, cost.InputUsd);
        Assert.Equal(0m, cost.CacheReadUsd);
        Assert.Equal(0.005m, cost.TotalUsd);
    }

    [Fact]
    public void A_model_without_cache_prices_charges_cached_tokens_at_the_tiers_input_price()
    {
        var engine = Engine([Provider("p")], [Model("p", "m", Prices(1m, 1m, tiers: Tier(100, 2m, null)))]);

        var cost = engine.Price("m", null, new TokenUsage(1000, 0, CacheReadTokens: 300, CacheWriteTokens: 300, CacheWrite1hTokens: 100), Now);

        Assert.Equal(100L, cost.Tier);
        Assert.Equal(1000 * 2m / 1_000_000m, cost.InputUsd);
        Assert.Equal(0m, cost.CacheReadUsd);
        Assert.Equal(0m, cost.CacheWriteUsd);
        Assert.Equal(0.002m, cost.TotalUsd);
    }

    [Fact]
    public void One_hour_writes_without_their_own_price_use_the_cache_write_price()
    {
        var engine = Engine([Provider("p")], [Model("p", "m", Prices(1m, 1m, cacheRead: 0.1m, cacheWrite: 1.25m))]);

        var cost = engine.Price("m", null, new TokenUsage(2000, 0, CacheWriteTokens: 2000, CacheWrite1hTokens: 1000), Now);

        Assert.Equal(0.0025m, cost.CacheWriteUsd);
    }

    [Fact]
    public void Anthropic_one_hour_writes_use_cache_write_1h_mtok()
    {
        var cost = Real.Price("claude-sonnet-4-5", null, new TokenUsage(2000, 0, CacheWriteTokens: 2000, CacheWrite1hTokens: 1000), Now);

        Assert.Equal(0.00975m, cost.CacheWriteUsd);
    }

    [Theory]
    [InlineData("2025-09-30T23:59:59Z", 3.5)]
    [InlineData("2025-10-01T00:00:00Z", 3)]
    [InlineData("2025-10-01T01:00:00+02:00", 3.5)]
    [InlineData("2025-09-30T23:30:00-01:00", 3)]
    [InlineData("2020-01-01T00:00:00Z", 3.5)]
    public void History_until_is_exclusive_and_compared_in_utc(string timestamp, decimal input)
    {
        var cost = Real.Price("claude-sonnet-4-5", null, new TokenUsage(100_000, 0), DateTimeOffset.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(input / 10, cost.InputUsd);
        Assert.Equal(input, cost.Prices.InputMtok);
    }

    [Fact]
    public void History_entries_are_searched_oldest_first()
    {
        var history = new DatedPrices[] { new(new DateOnly(2025, 1, 1), Prices(10m, 10m)), new(new DateOnly(2026, 1, 1), Prices(5m, 5m)) };
        var engine = Engine([Provider("p")], [Model("p", "m", Prices(1m, 1m), history: history)]);
        var usage = new TokenUsage(1_000_000, 0);

        Assert.Equal(10m, engine.Price("m", null, usage, new DateTimeOffset(2024, 12, 31, 23, 59, 59, TimeSpan.Zero)).InputUsd);
        Assert.Equal(5m, engine.Price("m", null, usage, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)).InputUsd);
        Assert.Equal(1m, engine.Price("m", null, usage, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)).InputUsd);
    }

    [Fact]
    public void History_applies_through_matches_and_guesses()
    {
        var old = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var usage = new TokenUsage(1_000_000, 0);

        Assert.Equal(10m, Real.Price("o3-2025-04-16", null, usage, old).InputUsd);
        Assert.Equal(10m, Real.Price("openai/O3", null, usage, old).InputUsd);
        Assert.Equal(2m, Real.Price("o3", null, usage, Now).InputUsd);
    }

    [Fact]
    public void An_alias_override_does_not_follow_the_targets_history()
    {
        var old = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(2.7m, Real.Price("my-chatbot", null, new TokenUsage(1_000_000, 0), old).InputUsd);
    }

    [Fact]
    public void An_alias_without_override_follows_the_targets_history()
    {
        var history = new DatedPrices[] { new(new DateOnly(2025, 1, 1), Prices(10m, 10m)) };
        var engine = Engine([Provider("p")], [Model("p", "m", Prices(1m, 1m), history: history)], [Alias("nick", "p/m")]);

        Assert.Equal(10m, engine.Price("nick", null, new TokenUsage(1_000_000, 0), new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero)).InputUsd);
        Assert.Equal(1m, engine.Price("nick", null, new TokenUsage(1_000_000, 0), Now).InputUsd);
    }

    [Fact]
    public void No_usage_is_estimated_from_the_typical_request()
    {
        var cost = Real.Price("claude-sonnet-4-5", null, default, Now);

        Assert.Equal(TokenSource.Estimated, cost.TokenSource);
        Assert.Equal(0.003m, cost.InputUsd);
        Assert.Equal(0.0075m, cost.OutputUsd);
        Assert.Equal(new TokenUsage(1000, 500), cost.Usage);
    }

    [Fact]
    public void Estimate_request_usd_replaces_the_typical_request()
    {
        var engine = Engine([Provider("p")], [Model("p", "m", Prices(1m, 1m), estimateRequestUsd: 0.05m)]);

        var estimated = engine.Price("m", null, default, Now);
        var actual = engine.Price("m", null, new TokenUsage(1000, 0), Now);

        Assert.Equal(TokenSource.Estimated, estimated.TokenSource);
        Assert.Equal(0.05m, estimated.TotalUsd);
        Assert.Equal(TokenSource.Actual, actual.TokenSource);
        Assert.Equal(0.001m, actual.TotalUsd);
    }

    [Fact]
    public void Per_request_usd_is_added_to_every_request()
    {
        var engine = Engine(
            [Provider("p")],
            [Model("p", "m", Prices(1m, 1m), perRequestUsd: 0.01m), Model("p", "e", Prices(1m, 1m), perRequestUsd: 0.01m, estimateRequestUsd: 0.05m)]);

        Assert.Equal(0.011m, engine.Price("m", null, new TokenUsage(1000, 0), Now).TotalUsd);
        Assert.Equal(0.01m, engine.Price("m", null, new TokenUsage(1000, 0), Now).RequestUsd);
        Assert.Equal(0.0115m, engine.Price("m", null, default, Now).TotalUsd);
        Assert.Equal(0.06m, engine.Price("e", null, default, Now).TotalUsd);
        Assert.Equal(0.011m, engine.Price("vendor/m", null, new TokenUsage(1000, 0), Now).TotalUsd);
    }

    [Fact]
    public void Fallback_prices_a_typical_request()
    {
        var cost = Real.Price("brand-new-model", null, default, Now);

        Assert.Equal(0.0015m, cost.TotalUsd);
    }

    [Fact]
    public void The_largest_plausible_request_does_not_overflow()
    {
        var max = TokenUsage.MaxTokens;
        var cost = Real.Price("o1-pro", null, new TokenUsage(max, max), Now);

        Assert.Equal(750_000_000m, cost.TotalUsd);
    }
}
