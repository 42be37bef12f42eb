namespace Catalog.Pricing;

/// <summary>
/// The cost arithmetic, all in decimal. Every token is charged once, at the price of the most specific
/// priced unit that contains it (cached audio at the cached-audio price, else the cache-read or audio
/// price, else the input price). Tiers are cliffs on the total input tokens, strictly greater than the threshold.
/// </summary>
public static class CostCalculator
{
    private const decimal PerMillion = 1_000_000m;
    private const int MillionDigits = 6;

    /// <summary>The largest scale a decimal can have and still take six more decimal places.</summary>
    private const int MaxExactScale = 28 - MillionDigits;

    public static CostBreakdown Price(Resolution resolution, in TokenUsage usage, DateTimeOffset timestamp, long typicalInput, long typicalOutput) =>
        Price(resolution, resolution.PricesAt(timestamp), usage, typicalInput, typicalOutput);

    /// <summary>Prices <paramref name="usage"/> with <paramref name="prices"/> (history, time window, region and service tier already applied).</summary>
    public static CostBreakdown Price(Resolution resolution, PriceSet prices, in TokenUsage usage, long typicalInput, long typicalOutput)
    {
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
        // A text-only call charges only text units whatever else the set prices (a Claude model's web searches, say):
        // the unrolled text rule gives the same answer without walking every unit.
        if (!usage.IsTextOnly && prices.PricesMoreThanText)
        {
            return PriceEveryUnit(resolution, prices, usage, perRequest);
        }

        // Text counts only: the charging rule over input, output and the cache units, unrolled (the hot path).
        var tier = TierFor(prices, usage.InputTokens);
        var input = tier?.InputMtok ?? prices.InputMtok;
        var output = tier?.OutputMtok ?? prices.OutputMtok;
        var cacheRead = tier?.CacheReadMtok ?? prices.CacheReadMtok;
        var cacheWrite = tier?.CacheWriteMtok ?? prices.CacheWriteMtok;
        var cacheWrite1h = tier?.CacheWrite1hMtok ?? prices.CacheWrite1hMtok;
        var read = cacheRead.HasValue ? usage.CacheReadTokens : 0;
        var write1h = cacheWrite1h.HasValue ? usage.CacheWrite1hTokens : 0;
        var write = cacheWrite.HasValue ? usage.CacheWriteTokens - write1h : 0;
        var inputUsd = PerMillionTokens(usage.InputTokens - read - write - write1h, input);
        var outputUsd = PerMillionTokens(usage.OutputTokens, output);
        var cacheReadUsd = cacheRead.HasValue ? PerMillionTokens(read, cacheRead.GetValueOrDefault()) : 0m;
        // x + 0m is x bit for bit (the sum takes the larger scale, and 0m has none), so only two priced parts are added.
        var cacheWriteUsd = cacheWrite.HasValue && cacheWrite1h.HasValue
            ? PerMillionTokens(write, cacheWrite.GetValueOrDefault()) + PerMillionTokens(write1h, cacheWrite1h.GetValueOrDefault())
            : cacheWrite.HasValue ? PerMillionTokens(write, cacheWrite.GetValueOrDefault())
            : cacheWrite1h.HasValue ? PerMillionTokens(write1h, cacheWrite1h.GetValueOrDefault())
            : 0m;
        return new CostBreakdown(resolution, prices, TokenSource.Actual, usage, tier?.AboveInputTokens, inputUsd, outputUsd, cacheReadUsd, cacheWriteUsd, perRequest);
    }

    /// <summary>The charging rule over every unit, in one pass from the most specific unit to the least (any call; text-only calls have the unrolled rule).</summary>
    internal static CostBreakdown PriceEveryUnit(Resolution resolution, PriceSet prices, in TokenUsage usage, decimal perRequest)
    {
        var tier = TierFor(prices, usage.InputTokens);
        var mayPrice = MayPrice(prices, tier);
        Span<long> charged = stackalloc long[UsageUnits.Count];
        Span<decimal> parts = stackalloc decimal[UsageUnits.PartCount];
        foreach (var unit in UsageUnits.SpecificFirst)
        {
            if ((mayPrice & (1 << (int)unit)) != 0 && Charge(usage, prices, tier, unit, charged) is { } price && charged[(int)unit] != 0)
            {
                parts[(int)UsageUnits.Part(unit)] += Usd(unit, charged[(int)unit], price);
            }
        }

        return new CostBreakdown(resolution, prices, TokenSource.Actual, usage, tier?.AboveInputTokens, parts[(int)CostPart.Input], parts[(int)CostPart.Output], parts[(int)CostPart.CacheRead], parts[(int)CostPart.CacheWrite], perRequest)
        {
            ToolsUsd = parts[(int)CostPart.Tools],
        };
    }

    /// <summary>
    /// Every unit the price set prices, with the count charged at its price and what that costs: each token
    /// once, at the price of the most specific priced unit that contains it. Units charged nothing are left out.
    /// </summary>
    public static IReadOnlyList<ChargedUnit> Units(in CostBreakdown cost)
    {
        Span<ChargedUnit> units = stackalloc ChargedUnit[UsageUnits.Count];
        return [.. units[..Units(cost, units)]];
    }

    /// <summary><see cref="Units(in CostBreakdown)"/> into <paramref name="units"/> (room for <see cref="UsageUnits.Count"/>), without allocating; returns how many.</summary>
    public static int Units(in CostBreakdown cost, Span<ChargedUnit> units)
    {
        if (cost.TokenSource != TokenSource.Actual && cost.Usage.IsEmpty)
        {
            return 0;
        }

        var tier = TierFor(cost.Prices, cost.Usage.InputTokens);
        var mayPrice = MayPrice(cost.Prices, tier);
        Span<long> charged = stackalloc long[UsageUnits.Count];
        Span<decimal> price = stackalloc decimal[UsageUnits.Count];
        foreach (var unit in UsageUnits.SpecificFirst)
        {
            if ((mayPrice & (1 << (int)unit)) != 0)
            {
                price[(int)unit] = Charge(cost.Usage, cost.Prices, tier, unit, charged).GetValueOrDefault();
            }
        }

        var written = 0;
        foreach (var unit in UsageUnits.All)
        {
            var count = charged[(int)unit];
            if (count != 0)
            {
                units[written++] = new ChargedUnit(unit, count, price[(int)unit], Usd(unit, count, price[(int)unit]));
            }
        }

        return written;
    }

    /// <summary>The price of <paramref name="unit"/> in <paramref name="prices"/> with <paramref name="tier"/> applied; null = not priced.</summary>
    public static decimal? PriceOf(PriceSet prices, PriceTier? tier, UsageUnit unit) => tier?[unit] ?? prices[unit];

    /// <summary>The cliff tier in force for <paramref name="inputTokens"/> total input tokens: the highest threshold strictly below it.</summary>
    public static PriceTier? TierFor(PriceSet prices, long inputTokens)
    {
        var tiers = prices.Tiers;
        for (var i = tiers.Length - 1; i >= 0; i--)
        {
            if (inputTokens > tiers[i].AboveInputTokens)
            {
                return tiers[i];
            }
        }

        return null;
    }

    /// <summary>
    /// The units that may have a price (a bit per unit): the text units always, the others only where the set or tier
    /// prices them. The rest are charged nothing without looking their price up.
    /// </summary>
    private static int MayPrice(PriceSet prices, PriceTier? tier) => UsageUnits.TextUnits | prices.PricedUnits | (tier?.PricedUnits ?? 0);

    /// <summary>
    /// The charging rule for one unit, visited most specific first: a priced unit's charged count is its count minus the
    /// charged counts of the units inside it; an unpriced unit is charged nothing. Returns the unit's price (null = not priced).
    /// A unit skipped (not in <see cref="MayPrice"/>) keeps the charged count of 0 it starts with.
    /// </summary>
    private static decimal? Charge(in TokenUsage usage, PriceSet prices, PriceTier? tier, UsageUnit unit, Span<long> charged)
    {
        var price = PriceOf(prices, tier, unit);
        if (price is null)
        {
            charged[(int)unit] = 0;
            return null;
        }

        var count = usage[unit];
        foreach (var inside in UsageUnits.Contained(unit))
        {
            count -= charged[(int)inside];
        }

        charged[(int)unit] = count;
        return price;
    }

    private static decimal Usd(UsageUnit unit, long count, decimal price) =>
        UsageUnits.PerThousand(unit) ? count * price / 1000m : PerMillionTokens(count, price);

    /// <summary>
    /// <paramref name="tokens"/> * <paramref name="mtok"/> / 1,000,000m, the same decimal bit for bit, without
    /// the decimal multiplication. When the token count and the price's mantissa both fit in 32 bits, decimal
    /// multiplication returns their exact 64-bit product at the price's scale (a count has scale 0), negative
    /// when one of the two is, zero included; other operands take decimal multiplication's own path.
    /// </summary>
    internal static decimal PerMillionTokens(long tokens, decimal mtok)
    {
        var bits = default(DecimalBits);
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
        var bits = default(DecimalBits);
        decimal.GetBits(amount, bits);
        var scale = amount.Scale;
        return bits[2] != 0 || scale > MaxExactScale ? amount / PerMillion : Millionths(Low64(bits), scale, bits[3] < 0);
    }

    /// <summary>The decimal that division by a million returns for this mantissa and scale (at most <see cref="MaxExactScale"/>).</summary>
    private static decimal Millionths(ulong mantissa, int scale, bool negative)
    {
        if (mantissa == 0)
        {
            // All six zeros dropped: a zero at the dividend's own scale (no tokens of a priced unit, the usual case for the cache units).
            return new decimal(0, 0, 0, negative, (byte)scale);
        }

        var dropped = 0;
        while (dropped < MillionDigits)
        {
            var (quotient, remainder) = Math.DivRem(mantissa, 10UL);
            if (remainder != 0)
            {
                break;
            }

            mantissa = quotient;
            dropped++;
        }

        return new decimal((int)mantissa, (int)(mantissa >> 32), 0, negative, (byte)(scale + MillionDigits - dropped));
    }

    private static ulong Low64(ReadOnlySpan<int> bits) => ((ulong)(uint)bits[1] << 32) | (uint)bits[0];

    /// <summary>
    /// The four integers of <see cref="decimal.GetBits(decimal, Span{int})"/>, held in a local rather than a
    /// stackalloc: a stackalloc in a method the hot path inlines five times costs a stack-guard check and zeroing each time.
    /// </summary>
    [System.Runtime.CompilerServices.InlineArray(4)]
    private struct DecimalBits
    {
        private int _element;
    }
}
