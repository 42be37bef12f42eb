namespace Catalog.Ledger;

/// <summary>
/// One recalculation's tally, for a store that pages through its records: each record is priced again,
/// and those whose price changes are counted and returned as they become (the first pricing kept as
/// <see cref="UsageRecord.Original"/>).
/// </summary>
public sealed class Recalculation(Func<UsageRecord, UsagePricing> reprice, TimeProvider clock)
{
    private long _scanned;
    private long _changed;
    private decimal _oldTotal;
    private decimal _newTotal;

    public RecalculationResult Result => new(_scanned, _changed, _oldTotal, _newTotal, _newTotal - _oldTotal);

    /// <summary>The record with its new pricing, or null when its price does not change.</summary>
    public UsageRecord? Reprice(UsageRecord record)
    {
        _scanned++;
        var pricing = reprice(record);
        if (pricing.SamePriceAs(record.Pricing))
        {
            return null;
        }

        _changed++;
        _oldTotal += record.Pricing.Cost.TotalUsd;
        _newTotal += pricing.Cost.TotalUsd;
        return record with { Pricing = pricing, Original = record.Original ?? new OriginalPricing(record.Pricing, clock.GetUtcNow()) };
    }
}
