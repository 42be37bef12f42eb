namespace Catalog.Pricing;

/// <summary>A priced request: the resolution that found the price, the price set in force (history applied), the usage and the cost in exact decimal USD.</summary>
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
    public decimal TotalUsd => InputUsd + OutputUsd + CacheReadUsd + CacheWriteUsd + RequestUsd;
}
