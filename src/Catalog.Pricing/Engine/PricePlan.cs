using System.Runtime.CompilerServices;

namespace Catalog.Pricing;

/// <summary>
/// What the charging rule needs from one price set, worked out once, on first use, instead of on every call: for the set
/// and for each of its cliff tiers, the priced units most specific first with their price and the priced units inside
/// them; whether anything beyond text is priced; and the set multiplied by each multiplier it has been charged with.
/// Held by the set it was made for (<see cref="PriceSet.Plan"/>); a copy made with <c>with</c> makes its own.
/// </summary>
internal sealed class PricePlan
{
    private Multiplied[] _multiplied = [];

    internal PricePlan(PriceSet owner)
    {
        Owner = owner;
        MoreThanText = owner.PricesMoreThanText;
        var charges = new UnitCharge[owner.Tiers.Length + 1][];
        charges[0] = ChargesOf(owner, null);
        for (var i = 0; i < owner.Tiers.Length; i++)
        {
            charges[i + 1] = ChargesOf(owner, owner.Tiers[i]);
        }

        Charges = charges;
        var text = new TextPrices[owner.Tiers.Length + 1];
        text[0] = new TextPrices(owner, null);
        for (var i = 0; i < owner.Tiers.Length; i++)
        {
            text[i + 1] = new TextPrices(owner, owner.Tiers[i]);
        }

        Text = text;
    }

    /// <summary>The set this plan was made for.</summary>
    internal PriceSet Owner { get; }

    /// <summary><see cref="PriceSet.PricesMoreThanText"/>, once.</summary>
    internal bool MoreThanText { get; }

    /// <summary>The priced units, most specific first: [0] with no cliff tier, [i + 1] above <c>Tiers[i]</c>.</summary>
    internal UnitCharge[][] Charges { get; }

    /// <summary>The text prices: [0] with no cliff tier, [i + 1] above <c>Tiers[i]</c>.</summary>
    internal TextPrices[] Text { get; }

    /// <summary>
    /// <see cref="PriceSet.MultipliedBy"/> of the owner, made once per multiplier (as written: 0.5 and 0.50 are two, the
    /// products' scales differ). Multipliers come from the catalogue, so there are only so many per set.
    /// </summary>
    internal PriceSet MultipliedBy(decimal multiplier)
    {
        var known = Volatile.Read(ref _multiplied);
        foreach (var entry in known)
        {
            if (SameBits(entry.Multiplier, multiplier))
            {
                return entry.Prices;
            }
        }

        var prices = Owner.MultipliedBy(multiplier);
        // Two threads adding at once may lose one entry: it is made again next time, the same prices.
        Volatile.Write(ref _multiplied, [.. known, new Multiplied(multiplier, prices)]);
        return prices;
    }

    /// <summary>Same value, scale and sign.</summary>
    private static bool SameBits(decimal a, decimal b) =>
        Unsafe.As<decimal, UInt128>(ref a) == Unsafe.As<decimal, UInt128>(ref b);

    /// <summary>The units <paramref name="prices"/> with <paramref name="tier"/> applied prices, in the order the charging rule visits them.</summary>
    private static UnitCharge[] ChargesOf(PriceSet prices, PriceTier? tier)
    {
        var charges = new List<UnitCharge>(UsageUnits.Count);
        var priced = 0;
        foreach (var unit in UsageUnits.SpecificFirst)
        {
            if (CostCalculator.PriceOf(prices, tier, unit) is not { } price)
            {
                continue;
            }

            var inside = 0;
            foreach (var contained in UsageUnits.Contained(unit))
            {
                inside |= priced & (1 << (int)contained);
            }

            priced |= 1 << (int)unit;
            charges.Add(new UnitCharge(unit, price, UsageUnits.Part(unit), UsageUnits.PerThousand(unit), inside));
        }

        return [.. charges];
    }

    private sealed record Multiplied(decimal Multiplier, PriceSet Prices);
}

/// <summary>
/// The prices of the text rule with a tier applied (a tier's price, else the set's), and what the cache parts come to
/// when the call has no cache tokens (most calls): a zero at the price's scale, worked out once.
/// </summary>
internal readonly struct TextPrices
{
    internal TextPrices(PriceSet prices, PriceTier? tier)
    {
        Input = tier?.InputMtok ?? prices.InputMtok;
        Output = tier?.OutputMtok ?? prices.OutputMtok;
        CacheRead = tier?.CacheReadMtok ?? prices.CacheReadMtok;
        CacheWrite = tier?.CacheWriteMtok ?? prices.CacheWriteMtok;
        CacheWrite1h = tier?.CacheWrite1hMtok ?? prices.CacheWrite1hMtok;
        NoCacheRead = CostCalculator.CacheReadUsd(0, CacheRead);
        NoCacheWrite = CostCalculator.CacheWriteUsd(0, 0, CacheWrite, CacheWrite1h);
    }

    internal decimal Input { get; }

    internal decimal Output { get; }

    internal decimal? CacheRead { get; }

    internal decimal? CacheWrite { get; }

    internal decimal? CacheWrite1h { get; }

    /// <summary>The cache-read part of a call without cache reads.</summary>
    internal decimal NoCacheRead { get; }

    /// <summary>The cache-write part of a call without cache writes.</summary>
    internal decimal NoCacheWrite { get; }
}

/// <summary>
/// One priced unit of a plan: its price, the part of the breakdown it adds to, whether it is priced per thousand, and
/// the priced units inside it (a bit per unit), whose charged counts come off its own.
/// </summary>
internal readonly record struct UnitCharge(UsageUnit Unit, decimal Price, CostPart Part, bool PerThousand, int Inside);

/// <summary>
/// Where a price set keeps its plan. Not part of the set's value: two sets are equal whether or not either has
/// made its plan (the slot always compares equal), and a copy made with <c>with</c> carries the original's plan, which
/// <see cref="PriceSet.Plan"/> then sees is not its own.
/// </summary>
internal struct PlanSlot : IEquatable<PlanSlot>
{
    internal PricePlan? Plan;

    public readonly bool Equals(PlanSlot other) => true;

    public override readonly bool Equals(object? obj) => obj is PlanSlot;

    public override readonly int GetHashCode() => 0;
}
