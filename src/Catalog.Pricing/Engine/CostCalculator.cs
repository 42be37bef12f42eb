namespace Catalog.Pricing;

/// <summary>
/// The cost arithmetic, all in decimal. Cached tokens are charged once, at the cache price; a model
/// without a cache price charges them at its input price (tier included). Tiers are cliffs on the
/// total input tokens, strictly greater than the threshold.
/// </summary>
public static class CostCalculator
{
    private const decimal PerMillion = 1_000_000m;

    public static CostBreakdown Price(Resolution resolution, in TokenUsage usage, DateTimeOffset timestamp, long typicalInput, long typicalOutput)
    {
        var prices = resolution.PricesAt(timestamp);
        var perRequest = resolution.Model?.PerRequestUsd ?? 0m;
        if (usage.IsEmpty)
        {
            var estimate = resolution.Model?.EstimateRequestUsd;
            if (estimate.HasValue)
            {
                return new CostBreakdown(resolution, prices, TokenSource.Estimated, usage, null, 0m, 0m, 0m, 0m, estimate.Value + perRequest);
            }

            var typical = new TokenUsage(typicalInput, typicalOutput);
            var priced = Price(resolution, prices, typical, perRequest);
            return priced with { TokenSource = TokenSource.Estimated };
        }

        return Price(resolution, prices, usage, perRequest);
    }

    private static CostBreakdown Price(Resolution resolution, PriceSet prices, in TokenUsage usage, decimal perRequest)
    {
        var input = prices.InputMtok;
        var output = prices.OutputMtok;
        var cacheRead = prices.CacheReadMtok;
        var cacheWrite = prices.CacheWriteMtok;
        var cacheWrite1h = prices.CacheWrite1hMtok;
        long? tier = null;
        var tiers = prices.Tiers;
        for (var i = tiers.Length - 1; i >= 0; i--)
        {
            var t = tiers[i];
            if (usage.InputTokens > t.AboveInputTokens)
            {
                tier = t.AboveInputTokens;
                input = t.InputMtok ?? input;
                output = t.OutputMtok ?? output;
                cacheRead = t.CacheReadMtok ?? cacheRead;
                cacheWrite = t.CacheWriteMtok ?? cacheWrite;
                cacheWrite1h = t.CacheWrite1hMtok ?? cacheWrite1h;
                break;
            }
        }

        var readPrice = cacheRead ?? input;
        var writePrice = cacheWrite ?? input;
        var write1hPrice = cacheWrite1h ?? writePrice;
        var inputUsd = usage.UncachedInputTokens * input / PerMillion;
        var outputUsd = usage.OutputTokens * output / PerMillion;
        var cacheReadUsd = usage.CacheReadTokens * readPrice / PerMillion;
        var cacheWriteUsd = ((usage.CacheWriteTokens * writePrice) + (usage.CacheWrite1hTokens * write1hPrice)) / PerMillion;
        return new CostBreakdown(resolution, prices, TokenSource.Actual, usage, tier, inputUsd, outputUsd, cacheReadUsd, cacheWriteUsd, perRequest);
    }
}
