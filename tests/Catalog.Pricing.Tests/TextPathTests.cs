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
                var input = random.Next(0, 400_000);
                var read = random.Next(0, input + 1);
                var write = random.Next(0, input - read + 1);
                var write1h = random.Next(0, write + 1);
                var usage = new TokenUsage(input, random.Next(0, 50_000), read, write, write1h);

                var text = CostCalculator.Price(resolution, set, usage, 1000, 500);
                var units = CostCalculator.PriceEveryUnit(resolution, set, usage, 0m);

                Assert.Equal((units.InputUsd, units.OutputUsd, units.CacheReadUsd, units.CacheWriteUsd, units.ToolsUsd, units.TotalUsd), (text.InputUsd, text.OutputUsd, text.CacheReadUsd, text.CacheWriteUsd, text.ToolsUsd, text.TotalUsd));
            }
        }
    }
}
