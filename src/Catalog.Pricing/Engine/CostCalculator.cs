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
        Price(resolution, resolution.PricesAt(timestamp), usage, typicalInput, typicalOutput, null, null);

    /// <summary>Prices <paramref name="usage"/> with <paramref name="prices"/> (history, time window, region and service tier already applied).</summary>
    public static CostBreakdown Price(Resolution resolution, PriceSet prices, in TokenUsage usage, long typicalInput, long typicalOutput) =>
        Price(resolution, prices, usage, typicalInput, typicalOutput, null, null);

    /// <summary>
    /// Prices <paramref name="usage"/> with <paramref name="prices"/> and names the <paramref name="serviceTier"/> and
    /// <paramref name="region"/> they were priced for: the breakdown is built once, in place, with every field.
    /// </summary>
    internal static CostBreakdown Price(Resolution resolution, PriceSet prices, in TokenUsage usage, long typicalInput, long typicalOutput, string? serviceTier, string? region)
    {
        if (usage.IsEmpty)
        {
            return Estimate(resolution, prices, usage, typicalInput, typicalOutput, serviceTier, region);
        }

        return Charged(resolution, prices, TokenSource.Actual, usage, resolution.Model?.PerRequestUsd ?? 0m, serviceTier, region);
    }

    /// <summary>The breakdown of <paramref name="usage"/> charged by the charging rule (the actual usage, or the typical request of an estimate).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static CostBreakdown Charged(Resolution resolution, PriceSet prices, TokenSource source, in TokenUsage usage, decimal perRequest, string? serviceTier, string? region)
    {
        var parts = default(Parts);
        var tier = Charge(prices, usage, ref parts);
        return new CostBreakdown(resolution, prices, source, usage, tier?.AboveInputTokens, parts.Input, parts.Output, parts.CacheRead, parts.CacheWrite, perRequest)
        {
            ToolsUsd = parts.Tools,
            ServiceTier = serviceTier,
            Region = region,
        };
    }

    /// <summary>The parts the charging rule gives, without a breakdown around them (for <c>CostBreakdownBenchmarks.ChargeOnly</c>).</summary>
    internal static (decimal Input, decimal Output, decimal CacheRead, decimal CacheWrite, decimal Tools) ChargeOnly(PriceSet prices, in TokenUsage usage)
    {
        var parts = default(Parts);
        Charge(prices, usage, ref parts);
        return (parts.Input, parts.Output, parts.CacheRead, parts.CacheWrite, parts.Tools);
    }

    /// <summary>No usage: the model's estimate per request, else the catalogue's typical request priced.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static CostBreakdown Estimate(Resolution resolution, PriceSet prices, in TokenUsage usage, long typicalInput, long typicalOutput, string? serviceTier, string? region)
    {
        var perRequest = resolution.Model?.PerRequestUsd ?? 0m;
        var estimate = resolution.Model?.EstimateRequestUsd;
        if (estimate.HasValue)
        {
            return new CostBreakdown(resolution, prices, TokenSource.Estimated, usage, null, 0m, 0m, 0m, 0m, estimate.Value + perRequest)
            {
                ServiceTier = serviceTier,
                Region = region,
            };
        }

        return Charged(resolution, prices, TokenSource.Estimated, new TokenUsage(typicalInput, typicalOutput), perRequest, serviceTier, region);
    }

    /// <summary>The charging rule: the parts of the cost of <paramref name="usage"/> into <paramref name="parts"/> (all zero on entry); returns the cliff tier applied.</summary>
    private static PriceTier? Charge(PriceSet prices, in TokenUsage usage, ref Parts parts)
    {
        // A text-only call charges only text units whatever else the set prices (a Claude model's web searches, say):
        // the unrolled text rule gives the same answer without walking every unit.
        return !usage.IsTextOnly && prices.Plan.MoreThanText
            ? ChargeEveryUnit(prices, usage, ref parts)
            : ChargeText(prices, usage, ref parts);
    }

    /// <summary>Text counts only: the charging rule over input, output and the cache units, unrolled (the hot path).</summary>
    private static PriceTier? ChargeText(PriceSet prices, in TokenUsage usage, ref Parts parts)
    {
        var index = TierIndex(prices, usage.InputTokens);
        ref readonly var text = ref prices.Plan.Text[index + 1];
        var read = text.CacheRead.HasValue ? usage.CacheReadTokens : 0;
        var write1h = text.CacheWrite1h.HasValue ? usage.CacheWrite1hTokens : 0;
        var write = text.CacheWrite.HasValue ? usage.CacheWriteTokens - write1h : 0;
        parts.Input = PerMillionTokens(usage.InputTokens - read - write - write1h, text.Input);
        parts.Output = PerMillionTokens(usage.OutputTokens, text.Output);
        parts.CacheRead = read == 0 ? text.NoCacheRead : CacheReadUsd(read, text.CacheRead);
        parts.CacheWrite = (write | write1h) == 0 ? text.NoCacheWrite : CacheWriteUsd(write, write1h, text.CacheWrite, text.CacheWrite1h);
        return index < 0 ? null : prices.Tiers[index];
    }

    /// <summary>The cache-read part: <paramref name="read"/> tokens at <paramref name="price"/>, nothing when it is not priced.</summary>
    internal static decimal CacheReadUsd(long read, decimal? price) =>
        price.HasValue ? PerMillionTokens(read, price.GetValueOrDefault()) : 0m;

    /// <summary>The cache-write part: 5-minute and 1-hour writes, each at its price where priced.</summary>
    internal static decimal CacheWriteUsd(long write, long write1h, decimal? price, decimal? price1h) =>
        price.HasValue && price1h.HasValue
            ? Sum(PerMillionTokens(write, price.GetValueOrDefault()), PerMillionTokens(write1h, price1h.GetValueOrDefault()))
            : price.HasValue ? PerMillionTokens(write, price.GetValueOrDefault())
            : price1h.HasValue ? PerMillionTokens(write1h, price1h.GetValueOrDefault())
            : 0m;

    /// <summary>
    /// The charging rule over every unit, in one pass from the most specific priced unit to the least, from the set's
    /// plan (<see cref="PricePlan"/>): a priced unit's charged count is its count minus the charged counts of the priced
    /// units inside it; units without a price are charged nothing (their tokens go to the nearest priced unit around them).
    /// </summary>
    private static PriceTier? ChargeEveryUnit(PriceSet prices, in TokenUsage usage, ref Parts parts)
    {
        var index = TierIndex(prices, usage.InputTokens);
        var charged = default(Counts);
        foreach (ref readonly var charge in prices.Plan.Charges[index + 1].AsSpan())
        {
            var count = usage[charge.Unit];
            for (var inside = charge.Inside; inside != 0; inside &= inside - 1)
            {
                count -= charged[System.Numerics.BitOperations.TrailingZeroCount(inside)];
            }

            charged[(int)charge.Unit] = count;
            if (count != 0)
            {
                ref var part = ref parts[(int)charge.Part];
                part = Sum(part, charge.PerThousand ? count * charge.Price / 1000m : PerMillionTokens(count, charge.Price));
            }
        }

        return index < 0 ? null : prices.Tiers[index];
    }

    /// <summary>The charging rule over every unit (any call; text-only calls have the unrolled rule); for tests.</summary>
    internal static CostBreakdown PriceEveryUnit(Resolution resolution, PriceSet prices, in TokenUsage usage, decimal perRequest)
    {
        var parts = default(Parts);
        var tier = ChargeEveryUnit(prices, usage, ref parts);
        return new CostBreakdown(resolution, prices, TokenSource.Actual, usage, tier?.AboveInputTokens, parts.Input, parts.Output, parts.CacheRead, parts.CacheWrite, perRequest)
        {
            ToolsUsd = parts.Tools,
        };
    }

    /// <summary>
    /// <paramref name="a"/> + <paramref name="b"/>, bit for bit, without the decimal addition when one of them is a
    /// positive zero at a scale no larger than the other's (a unit with no tokens is a zero at its price's scale; the
    /// sum of x and such a zero is x).
    /// </summary>
    internal static decimal Sum(decimal a, decimal b)
    {
        if (IsPositiveZero(b) && a.Scale >= b.Scale && !IsNegativeZero(a))
        {
            return a;
        }

        if (IsPositiveZero(a) && b.Scale >= a.Scale && !IsNegativeZero(b))
        {
            return b;
        }

        return a + b;
    }

    private static bool IsPositiveZero(decimal value)
    {
        var bits = Layout(value);
        return (bits.Hi | bits.Lo) == 0 && !bits.Negative;
    }

    private static bool IsNegativeZero(decimal value)
    {
        var bits = Layout(value);
        return (bits.Hi | bits.Lo) == 0 && bits.Negative;
    }

    /// <summary>The fields of <paramref name="value"/>, read in place (what <see cref="decimal.GetBits(decimal)"/> returns, without copying them out).</summary>
    internal static DecimalLayout Layout(decimal value) => System.Runtime.CompilerServices.Unsafe.As<decimal, DecimalLayout>(ref value);

    /// <summary>
    /// How .NET lays a decimal out in memory: flags (sign in bit 31, scale in bits 16-23), the high 32 bits of the
    /// 96-bit mantissa, then the low 64. <c>PerMillionTokensTests</c> holds it to <see cref="decimal.GetBits(decimal)"/>.
    /// </summary>
    internal readonly struct DecimalLayout
    {
#pragma warning disable CS0649 // read through Unsafe.As from a decimal, never assigned
        private readonly int _flags;
        private readonly uint _hi;
        private readonly ulong _lo;
#pragma warning restore CS0649

        public bool Negative => _flags < 0;

        public int Scale => (byte)(_flags >> 16);

        public uint Hi => _hi;

        public ulong Lo => _lo;
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

    /// <summary>
    /// <see cref="Units(in CostBreakdown)"/> into <paramref name="units"/> (room for <see cref="UsageUnits.Count"/>), without
    /// allocating; returns how many. Read from the set's plan (<see cref="PricePlan"/>), as the charging rule is: the priced
    /// units most specific first, each charged its count less the charged counts of the priced units inside it; listed in
    /// <see cref="UsageUnits.All"/> order.
    /// </summary>
    public static int Units(in CostBreakdown cost, Span<ChargedUnit> units)
    {
        if (cost.TokenSource != TokenSource.Actual && cost.Usage.IsEmpty)
        {
            return 0;
        }

        var prices = cost.Prices;
        var charges = prices.Plan.Charges[TierIndex(prices, cost.Usage.InputTokens) + 1];
        var charged = default(Counts);
        var at = default(Positions);
        var listed = 0;
        for (var i = 0; i < charges.Length; i++)
        {
            ref readonly var charge = ref charges[i];
            var count = cost.Usage[charge.Unit];
            for (var inside = charge.Inside; inside != 0; inside &= inside - 1)
            {
                count -= charged[System.Numerics.BitOperations.TrailingZeroCount(inside)];
            }

            charged[(int)charge.Unit] = count;
            if (count != 0)
            {
                listed |= 1 << (int)charge.Unit;
                at[(int)charge.Unit] = (byte)i;
            }
        }

        var written = 0;
        for (; listed != 0; listed &= listed - 1)
        {
            var unit = System.Numerics.BitOperations.TrailingZeroCount(listed);
            ref readonly var charge = ref charges[at[unit]];
            var count = charged[unit];
            units[written++] = new ChargedUnit(charge.Unit, count, charge.Price, charge.PerThousand ? count * charge.Price / 1000m : PerMillionTokens(count, charge.Price));
        }

        return written;
    }

    /// <summary>The price of <paramref name="unit"/> in <paramref name="prices"/> with <paramref name="tier"/> applied; null = not priced.</summary>
    public static decimal? PriceOf(PriceSet prices, PriceTier? tier, UsageUnit unit) => tier?[unit] ?? prices[unit];

    /// <summary>The cliff tier in force for <paramref name="inputTokens"/> total input tokens: the highest threshold strictly below it.</summary>
    public static PriceTier? TierFor(PriceSet prices, long inputTokens) =>
        TierIndex(prices, inputTokens) is var index and >= 0 ? prices.Tiers[index] : null;

    /// <summary>The index in <see cref="PriceSet.Tiers"/> of <see cref="TierFor"/>, or -1 for none.</summary>
    private static int TierIndex(PriceSet prices, long inputTokens)
    {
        var tiers = prices.Tiers;
        for (var i = tiers.Length - 1; i >= 0; i--)
        {
            if (inputTokens > tiers[i].AboveInputTokens)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// <paramref name="tokens"/> * <paramref name="mtok"/> / 1,000,000m, the same decimal bit for bit, without
    /// the decimal multiplication. When the token count and the price's mantissa both fit in 32 bits, decimal
    /// multiplication returns their exact 64-bit product at the price's scale (a count has scale 0), negative
    /// when one of the two is, zero included; other operands take decimal multiplication's own path.
    /// </summary>
    internal static decimal PerMillionTokens(long tokens, decimal mtok)
    {
        var bits = Layout(mtok);
        var scale = bits.Scale;
        var count = tokens < 0 ? 0UL - (ulong)tokens : (ulong)tokens;
        if (count > uint.MaxValue || bits.Lo > uint.MaxValue || bits.Hi != 0 || scale > MaxExactScale)
        {
            return PerMillionTokens(tokens * mtok);
        }

        return Millionths(count * bits.Lo, scale, (tokens < 0) != bits.Negative);
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
        var bits = Layout(amount);
        var scale = bits.Scale;
        return bits.Hi != 0 || scale > MaxExactScale ? amount / PerMillion : Millionths(bits.Lo, scale, bits.Negative);
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

    /// <summary>The parts of a cost, by <see cref="CostPart"/>: input, cache read, cache write, output, tools.</summary>
    [System.Runtime.CompilerServices.InlineArray(UsageUnits.PartCount)]
    private struct Parts
    {
        private decimal _element;

        public decimal Input { readonly get => this[(int)CostPart.Input]; set => this[(int)CostPart.Input] = value; }

        public decimal CacheRead { readonly get => this[(int)CostPart.CacheRead]; set => this[(int)CostPart.CacheRead] = value; }

        public decimal CacheWrite { readonly get => this[(int)CostPart.CacheWrite]; set => this[(int)CostPart.CacheWrite] = value; }

        public decimal Output { readonly get => this[(int)CostPart.Output]; set => this[(int)CostPart.Output] = value; }

        public decimal Tools { readonly get => this[(int)CostPart.Tools]; set => this[(int)CostPart.Tools] = value; }
    }

    /// <summary>A count per <see cref="UsageUnit"/>.</summary>
    [System.Runtime.CompilerServices.InlineArray(UsageUnits.Count)]
    private struct Counts
    {
        private long _element;
    }

    /// <summary>A position in a plan's charges per <see cref="UsageUnit"/>.</summary>
    [System.Runtime.CompilerServices.InlineArray(UsageUnits.Count)]
    private struct Positions
    {
        private byte _element;
    }
}
