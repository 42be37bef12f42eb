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
                return new CostBreakdown(resolution, TokenSource.Estimated, usage, null, 0m, 0m, 0m, 0m, estimate.Value + perRequest);
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
        var inputUsd = PerMillionTokens(usage.UncachedInputTokens * input);
        var outputUsd = PerMillionTokens(usage.OutputTokens * output);
        var cacheReadUsd = PerMillionTokens(usage.CacheReadTokens * readPrice);
        var cacheWriteUsd = PerMillionTokens((usage.CacheWriteTokens * writePrice) + (usage.CacheWrite1hTokens * write1hPrice));
        return new CostBreakdown(resolution, TokenSource.Actual, usage, tier, inputUsd, outputUsd, cacheReadUsd, cacheWriteUsd, perRequest);
    }

    /// <summary>
    /// <paramref name="amount"/> / 1,000,000m, the same decimal bit for bit (value and scale), without the
    /// decimal division that dominates the cost of a price. Decimal division keeps the dividend's scale when
    /// the quotient is exact there; otherwise it returns the exact quotient with its trailing zeros removed.
    /// Dividing a 64-bit mantissa by 10^6 is exact within 28 decimal places whenever the scale has 6 places
    /// to spare, so both cases reduce to dropping up to six trailing zeros; anything larger is divided.
    /// </summary>
    internal static decimal PerMillionTokens(decimal amount)
    {
        const int MillionDigits = 6;
        const int MaxScale = 28;
        var scale = amount.Scale;
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(amount, bits);
        if (bits[2] != 0 || scale > MaxScale - MillionDigits)
        {
            return amount / PerMillion;
        }

        var mantissa = ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
        var dropped = 0;
        while (dropped < MillionDigits && mantissa % 10 == 0)
        {
            mantissa /= 10;
            dropped++;
        }

        return new decimal((int)mantissa, (int)(mantissa >> 32), 0, bits[3] < 0, (byte)(scale + MillionDigits - dropped));
    }
}
