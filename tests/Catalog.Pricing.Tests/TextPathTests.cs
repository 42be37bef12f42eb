namespace Catalog.Pricing.Tests;

/// <summary>
/// The unrolled text rule (the hot path) and the rule over every unit agree on a text-only call, so a price set that
/// also prices audio or web searches may price text-only calls by the text rule.
/// </summary>
public sealed class TextPathTests
{
    [Fact]
    public void A_text_only_call_costs_the_same_by_the_text_rule_and_by_every_unit_when_the_set_prices_more()
    {
        var prices = new PriceSet(3m, 15m, 0.3m, 3.75m, 6m, [new PriceTier(200_000, 6m, 22.5m, 0.6m, 7.5m, 12m)]) { WebSearchesKcount = 10m, InputAudioMtok = 40m };
        var noCache = prices with { CacheReadMtok = null, CacheWriteMtok = null, CacheWrite1hMtok = null, Tiers = [] };
        var random = new Random(17);
        foreach (var set in new[] { prices, noCache })
        {
            var resolution = new Resolution("m", PricingSource.Exact, null, null, null, set, false, []);
            for (var i = 0; i < 5_000; i++)
            {
                var usage = RandomTextUsage(random);

                var text = CostCalculator.Price(resolution, set, usage, 1000, 500);
                var units = CostCalculator.PriceEveryUnit(resolution, set, usage, 0m);

                Assert.Equal((units.InputUsd, units.OutputUsd, units.CacheReadUsd, units.CacheWriteUsd, units.ToolsUsd, units.TotalUsd), (text.InputUsd, text.OutputUsd, text.CacheReadUsd, text.CacheWriteUsd, text.ToolsUsd, text.TotalUsd));
            }
        }
    }

    [Fact]
    public void The_text_rule_gives_the_decimal_arithmetic_bit_for_bit_whichever_cache_prices_are_set()
    {
        var random = new Random(23);
        foreach (var (read, write, write1h) in new (decimal?, decimal?, decimal?)[] { (null, null, null), (0.30m, 3.75m, null), (null, null, 6m), (0.3m, 3.750m, 6.00m), (0.1m, null, 2m) })
        {
            var set = new PriceSet(3m, 15.00m, read, write, write1h, []);
            var resolution = new Resolution("m", PricingSource.Exact, null, null, null, set, false, []);
            for (var i = 0; i < 2_000; i++)
            {
                var usage = RandomTextUsage(random);
                var (input, cacheRead, cacheWrite, cacheWrite1h) = (usage.InputTokens, usage.CacheReadTokens, usage.CacheWriteTokens, usage.CacheWrite1hTokens);

                var cost = CostCalculator.Price(resolution, set, usage, 1000, 500);

                // What the rule says, in plain decimal arithmetic: each priced part, count * price / 10^6, summed.
                var charged1h = write1h is null ? 0 : cacheWrite1h;
                var charged = write is null ? 0 : cacheWrite - charged1h;
                var chargedRead = read is null ? 0 : cacheRead;
                Same((input - chargedRead - charged - charged1h) * 3m / 1_000_000m, cost.InputUsd);
                Same(usage.OutputTokens * 15.00m / 1_000_000m, cost.OutputUsd);
                Same(read is { } r ? chargedRead * r / 1_000_000m : 0m, cost.CacheReadUsd);
                Same((write is { } w ? charged * w / 1_000_000m : 0m) + (write1h is { } h ? charged1h * h / 1_000_000m : 0m), cost.CacheWriteUsd);
            }
        }
    }

    /// <summary>Text counts only: cache reads and writes inside the input, the 1-hour writes inside the writes.</summary>
    private static TokenUsage RandomTextUsage(Random random)
    {
        var input = random.Next(0, 400_000);
        var read = random.Next(0, input + 1);
        var write = random.Next(0, input - read + 1);
        var write1h = random.Next(0, write + 1);
        return new TokenUsage(input, random.Next(0, 50_000), read, write, write1h);
    }

    private static void Same(decimal expected, decimal actual) =>
        Assert.True(decimal.GetBits(expected).AsSpan().SequenceEqual(decimal.GetBits(actual)), $"expected {expected}, got {actual} (the same value at another scale is another answer)");

    [Fact]
    public void A_set_knows_whether_it_prices_more_than_text_however_it_was_made()
    {
        var text = new PriceSet(3m, 15m, 0.3m, null, null, []);
        var audio = text with { InputAudioMtok = 40m };
        var searchingTier = text with { Tiers = [new PriceTier(200_000, 6m, 22.5m, null, null, null) { WebSearchesKcount = 10m }] };

        Assert.False(text.PricesMoreThanText);
        Assert.True(audio.PricesMoreThanText);
        Assert.False((audio with { InputAudioMtok = null }).PricesMoreThanText);
        Assert.Equal(text, audio with { InputAudioMtok = null });
        Assert.True(searchingTier.PricesMoreThanText);
        Assert.False(searchingTier.HasUnitPrices);
        Assert.True(audio.MultipliedBy(0.5m).PricesMoreThanText);
        Assert.Equal(20m, audio.MultipliedBy(0.5m).InputAudioMtok);
    }
}
