namespace Catalog.Pricing;

/// <summary>A priced request: the resolution that found the price, the price set charged (history, time window, region and service tier applied), the usage and the cost in exact decimal USD.</summary>
public readonly record struct CostBreakdown(
    Resolution Resolution,
    PriceSet Prices,
    TokenSource TokenSource,
    TokenUsage Usage,
    long? Tier,
    decimal InputUsd,
    decimal OutputUsd,
    decimal CacheReadUsd,
    decimal CacheWriteUsd,
    decimal RequestUsd)
{
    /// <summary>Count units such as web searches.</summary>
    public decimal ToolsUsd { get; init; }

    /// <summary>The service tier applied (null = standard).</summary>
    public string? ServiceTier { get; init; }

    /// <summary>The region the call was priced for, as sent (null = none sent).</summary>
    public string? Region { get; init; }

    public decimal TotalUsd => InputUsd + OutputUsd + CacheReadUsd + CacheWriteUsd + RequestUsd + ToolsUsd;
}

/// <summary>One unit's charge: <see cref="Count"/> of it charged at <see cref="Price"/> (per million tokens, per thousand searches).</summary>
public readonly record struct ChargedUnit(UsageUnit Unit, long Count, decimal Price, decimal Usd)
{
    public string Name => UsageUnits.WireName(Unit);

    public string PriceKey => UsageUnits.PriceKey(Unit);
}
