using static Catalog.Pricing.Tests.TestCatalog;

namespace Catalog.Pricing.Tests;

/// <summary>Every token is charged once, at the price of the most specific priced unit that contains it.</summary>
public sealed class ChargingRuleTests
{
    /// <summary>The issue's model: input 2.5, output 10, cache read 1.25, input audio 40, cached audio 2.5, output audio 80.</summary>
    private static readonly PriceSet AudioPrices = Prices(2.5m, 10m, cacheRead: 1.25m) with { InputAudioMtok = 40m, CacheAudioReadMtok = 2.5m, OutputAudioMtok = 80m };

    private static readonly PricingEngine Audio = Engine([Provider("openai")], [Model("openai", "audio", AudioPrices)]);

    [Fact]
    public void Worked_example_of_the_issue_costs_0_050875()
    {
        // OpenAI chat usage: prompt_tokens 1000 (cached 100, audio 600), completion_tokens 500 (audio 300).
        var usage = new TokenUsage(1000, 500, CacheReadTokens: 100) { InputAudioTokens = 600, OutputAudioTokens = 300 };

        var cost = Audio.Price("audio", null, usage, Now);

        Assert.Equal(0.050875m, cost.TotalUsd);
        Assert.Equal((300 * 2.5m + 600 * 40m) / 1_000_000m, cost.InputUsd);
        Assert.Equal(100 * 1.25m / 1_000_000m, cost.CacheReadUsd);
        Assert.Equal((200 * 10m + 300 * 80m) / 1_000_000m, cost.OutputUsd);
        Assert.Equal(
            [
                new ChargedUnit(UsageUnit.InputTokens, 300, 2.5m, 0.00075m),
                new ChargedUnit(UsageUnit.CacheReadTokens, 100, 1.25m, 0.000125m),
                new ChargedUnit(UsageUnit.InputAudioTokens, 600, 40m, 0.024m),
                new ChargedUnit(UsageUnit.OutputTokens, 200, 10m, 0.002m),
                new ChargedUnit(UsageUnit.OutputAudioTokens, 300, 80m, 0.024m),
            ],
            CostCalculator.Units(cost));
    }

    [Fact]
    public void Cached_audio_tokens_are_charged_at_the_cached_audio_price_once()
    {
        var usage = new TokenUsage(1000, 0, CacheReadTokens: 300) { InputAudioTokens = 600, CacheAudioReadTokens = 200 };

        var units = CostCalculator.Units(Audio.Price("audio", null, usage, Now)).ToDictionary(u => u.Unit, u => u.Count);

        Assert.Equal(200, units[UsageUnit.CacheAudioReadTokens]);
        Assert.Equal(100, units[UsageUnit.CacheReadTokens]);
        Assert.Equal(400, units[UsageUnit.InputAudioTokens]);
        Assert.Equal(300, units[UsageUnit.InputTokens]);
        Assert.Equal(1000, units.Values.Sum());
    }

    [Fact]
    public void A_unit_without_a_price_is_charged_with_its_nearest_priced_container()
    {
        var engine = Engine([Provider("p")], [Model("p", "text", Prices(2m, 8m, cacheRead: 1m))]);
        var usage = new TokenUsage(1000, 500, CacheReadTokens: 100) { InputAudioTokens = 600, OutputReasoningTokens = 400, CacheAudioReadTokens = 50 };

        var cost = engine.Price("text", null, usage, Now);

        Assert.Equal(900 * 2m / 1_000_000m, cost.InputUsd);
        Assert.Equal(100 * 1m / 1_000_000m, cost.CacheReadUsd);
        Assert.Equal(500 * 8m / 1_000_000m, cost.OutputUsd);
    }

    [Fact]
    public void Reasoning_priced_apart_is_taken_out_of_the_output()
    {
        var engine = Engine([Provider("p")], [Model("p", "thinker", Prices(1m, 4m) with { OutputReasoningMtok = 3m })]);

        var cost = engine.Price("thinker", null, new TokenUsage(0, 1000) { OutputReasoningTokens = 600 }, Now);

        Assert.Equal((400 * 4m + 600 * 3m) / 1_000_000m, cost.OutputUsd);
    }

    [Fact]
    public void Web_searches_are_priced_per_thousand_as_tools()
    {
        var engine = Engine([Provider("anthropic")], [Model("anthropic", "claude", Prices(3m, 15m) with { WebSearchesKcount = 10m })]);

        var cost = engine.Price("claude", null, new TokenUsage(1000, 100) { WebSearches = 2 }, Now);

        Assert.Equal(0.02m, cost.ToolsUsd);
        Assert.Equal(0.003m + 0.0015m + 0.02m, cost.TotalUsd);
    }

    [Fact]
    public void One_hour_cache_writes_lie_inside_the_cache_writes()
    {
        var engine = Engine([Provider("p")], [Model("p", "m", Prices(3m, 15m, cacheRead: 0.3m, cacheWrite: 3.75m, cacheWrite1h: 6m))]);

        var cost = engine.Price("m", null, new TokenUsage(2000, 0, CacheWriteTokens: 1000, CacheWrite1hTokens: 400), Now);

        Assert.Equal(1000 * 3m / 1_000_000m, cost.InputUsd);
        Assert.Equal((600 * 3.75m + 400 * 6m) / 1_000_000m, cost.CacheWriteUsd);
    }

    [Fact]
    public void A_tier_prices_every_unit_it_names_and_keeps_the_rest()
    {
        var tier = Tier(1000, 5m, 20m) with { InputAudioMtok = 80m };
        var engine = Engine([Provider("p")], [Model("p", "m", Prices(2.5m, 10m, tiers: [tier]) with { InputAudioMtok = 40m, OutputAudioMtok = 80m })]);

        var cost = engine.Price("m", null, new TokenUsage(2000, 100) { InputAudioTokens = 1000, OutputAudioTokens = 100 }, Now);

        Assert.Equal(1000L, cost.Tier);
        Assert.Equal((1000 * 5m + 1000 * 80m) / 1_000_000m, cost.InputUsd);
        Assert.Equal(100 * 80m / 1_000_000m, cost.OutputUsd);
    }

    [Theory]
    [InlineData("input_audio_tokens", "input_tokens")]
    [InlineData("cache_audio_read_tokens", "cache_read_tokens")]
    [InlineData("cache_write_1h_tokens", "cache_write_tokens")]
    [InlineData("output_reasoning_tokens", "output_tokens")]
    public void A_count_larger_than_its_container_is_named_with_it(string unitName, string containerName)
    {
        var unit = UsageUnits.All.Single(u => UsageUnits.WireName(u) == unitName);
        var container = UsageUnits.All.Single(u => UsageUnits.WireName(u) == containerName);
        var usage = UsageUnits.Containers(container).Aggregate(default(TokenUsage), (u, outer) => u.With(outer, 10_000)).With(container, 800).With(unit, 900);

        var overflow = usage.Overflow();

        Assert.Equal(new UsageOverflow(unit, container, 900, 800, false), overflow);
        Assert.Equal($"{unitName} (900) is more than {containerName} (800), which contains it", overflow?.Describe());
    }

    [Fact]
    public void Parts_adding_up_to_more_than_the_input_are_an_overflow()
    {
        var overflow = new TokenUsage(1000, 0, CacheReadTokens: 600) { InputAudioTokens = 600 }.Overflow();

        Assert.Equal(new UsageOverflow(UsageUnit.InputTokens, UsageUnit.InputTokens, 1200, 1000, true), overflow);
        Assert.Null(new TokenUsage(1000, 0, CacheReadTokens: 600) { InputAudioTokens = 600, CacheAudioReadTokens = 200 }.Overflow());
    }

    [Fact]
    public void The_text_only_overflow_check_names_what_the_walk_over_every_unit_names()
    {
        var random = new Random(43);
        var (overflows, fits) = (0, 0);
        for (var i = 0; i < 100_000; i++)
        {
            // Small counts so that every kind of overflow is common; sometimes a negative one, sometimes another unit.
            long Count() => random.Next(20) == 0 ? -random.Next(1, 5) : random.Next(0, 12);
            var usage = new TokenUsage(Count() * 2, Count(), Count(), Count(), Count());
            if (random.Next(4) == 0)
            {
                usage = usage.With(UsageUnits.All[random.Next(UsageUnits.Count)], Count());
            }

            var expected = usage.EveryUnitOverflow();
            Assert.Equal(expected, usage.Overflow());
            _ = expected is null ? fits++ : overflows++;
        }

        Assert.True(overflows > 10_000 && fits > 10_000, $"overflows {overflows}, fits {fits}");
    }
}
