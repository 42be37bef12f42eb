namespace Catalog.Pricing;

/// <summary>
/// The cost arithmetic, all in decimal. Cached tokens are charged once, at the cache price; a model
/// without a cache price charges them at its input price (tier included). Tiers are cliffs on the
/// total input tokens, strictly greater than the threshold.
/// </summary>
public static class CostCalculator
{
    private const decimal PerMillion = 1_000_000m;
    private const int MillionDigits = 6;

    /// <summary>The largest scale a decimal can have and still take six more decimal places.</summary>
    private const int MaxExactScale = 28 - MillionDigits;

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
        var inputUsd = PerMillionTokens(usage.UncachedInputTokens, input);
        var outputUsd = PerMillionTokens(usage.OutputTokens, output);
        var cacheReadUsd = PerMillionTokens(usage.CacheReadTokens, readPrice);
        var cacheWriteUsd = PerMillionTokens((usage.CacheWriteTokens * writePrice) + (usage.CacheWrite1hTokens * write1hPrice));
        return new CostBreakdown(resolution, prices, TokenSource.Actual, usage, tier, inputUsd, outputUsd, cacheReadUsd, cacheWriteUsd, perRequest);
    }

    /// <summary>
    /// <paramref name="tokens"/> * <paramref name="mtok"/> / 1,000,000m, the same decimal bit for bit, without
    /// the decimal multiplication. When the token count and the price's mantissa both fit in 32 bits, decimal
    /// multiplication returns their exact 64-bit product at the price's scale (a count has scale 0), negative
    /// when one of the two is, zero included; other operands take decimal multiplication's own path.
    /// </summary>
    internal static decimal PerMillionTokens(long tokens, decimal mtok)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(mtok, bits);
        var scale = mtok.Scale;
        var count = tokens < 0 ? 0UL - (ulong)tokens : (ulong)tokens;
        if (count > uint.MaxValue || bits[1] != 0 || bits[2] != 0 || scale > MaxExactScale)
        {
            return PerMillionTokens(tokens * mtok);
        }

        return Millionths(count * (uint)bits[0], scale, (tokens < 0) != (bits[3] < 0));
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
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(amount, bits);
        var scale = amount.Scale;
        return bits[2] != 0 || scale > MaxExactScale ? amount / PerMillion : Millionths(Low64(bits), scale, bits[3] < 0);
    }

    /// <summary>The decimal that division by a million returns for this mantissa and scale (at most <see cref="MaxExactScale"/>).</summary>
    private static decimal Millionths(ulong mantissa, int scale, bool negative)
    {
        var dropped = 0;
        while (dropped < MillionDigits && mantissa % 10 == 0)
        {
            mantissa /= 10;
            dropped++;
        }

        return new decimal((int)mantissa, (int)(mantissa >> 32), 0, negative, (byte)(scale + MillionDigits - dropped));
    }

    private static ulong Low64(ReadOnlySpan<int> bits) => ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
}
