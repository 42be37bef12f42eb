using System.Numerics;
using System.Runtime.InteropServices;
using Catalog.Pricing;

namespace Catalog.Ledger;

/// <summary>The grain the ledger is counted at: one UTC day × model × provider × user × team × app × service tier × region.</summary>
/// <param name="ServiceTier">The service tier the call was served in, <see cref="StandardTier"/> when none was sent.</param>
/// <param name="Region">The region the call was served in, empty when none was sent.</param>
public readonly record struct RollupKey(DateOnly Day, string Model, string Provider, string User, string Team, string App, string ServiceTier, string Region)
{
    /// <summary>The service tier of a call sent without one (or with <c>default</c> or <c>auto</c>).</summary>
    public const string StandardTier = "standard";

    public static RollupKey Of(UsageRecord record) => new(
        DateOnly.FromDateTime(record.Timestamp.UtcDateTime),
        record.CountedModel,
        record.Pricing.Provider ?? record.Provider ?? string.Empty,
        record.User ?? string.Empty,
        record.Team ?? string.Empty,
        record.App ?? string.Empty,
        record.ServiceTier is null or "default" or "auto" ? StandardTier : record.ServiceTier,
        record.Region ?? string.Empty);
}

/// <summary>
/// The grain of the dimension rollups: one UTC day × one dimension the main rollups do not key (the Inference
/// Endpoint, the API key id) × its value (empty when the call has none). Every call counts once per dimension.
/// </summary>
public readonly record struct DimensionKey(DateOnly Day, SummaryGrouping Dimension, string Value)
{
    /// <summary>The dimensions kept this way.</summary>
    public static readonly SummaryGrouping[] Dimensions = [SummaryGrouping.Endpoint, SummaryGrouping.KeyId];

    public static DimensionKey Of(UsageRecord record, SummaryGrouping dimension) =>
        new(DateOnly.FromDateTime(record.Timestamp.UtcDateTime), dimension, UsageSummaryBuilder.GroupOf(record, dimension));

    /// <summary>True for a dimension kept in the dimension rollups.</summary>
    public static bool IsKept(SummaryGrouping dimension) => dimension is SummaryGrouping.Endpoint or SummaryGrouping.KeyId;
}

/// <summary>Rollup counters: they add up, and a row whose <see cref="Requests"/> reach zero is gone.</summary>
public interface IRollupCounters<T> : IAdditionOperators<T, T, T>
    where T : IRollupCounters<T>
{
    long Requests { get; }
}

/// <summary>
/// Counters kept per <see cref="RollupKey"/>; a delta when negative. Token sums are decimals: a call may carry up to
/// 10^12 tokens of each kind, so a 64-bit sum overflows after about nine million such calls; 28 digits cannot.
/// </summary>
/// <param name="ReportedRequests">Calls that carry a reported cost (<see cref="UsageRecord.ReportedCostUsd"/>).</param>
/// <param name="ReportedUsd">The gateway's reported cost of those calls.</param>
/// <param name="ReportedOurUsd">Our price of the same calls, to compare with <paramref name="ReportedUsd"/>.</param>
public readonly record struct RollupTotals(
    long Requests,
    long Errors,
    decimal InputTokens,
    decimal OutputTokens,
    decimal CacheReadTokens,
    decimal CacheWriteTokens,
    decimal TotalUsd,
    long Actual,
    long Estimated,
    long Unknown,
    long ReportedRequests = 0,
    decimal ReportedUsd = 0,
    decimal ReportedOurUsd = 0) : IRollupCounters<RollupTotals>
{
    public static RollupTotals Of(UsageRecord record)
    {
        var usage = record.Usage;
        var source = record.Pricing.TokenSource;
        var total = record.Pricing.Cost.TotalUsd;
        var reported = record.ReportedCostUsd;
        return new RollupTotals(
            1,
            record.Status == CallStatus.Error ? 1 : 0,
            usage.InputTokens,
            usage.OutputTokens,
            usage.CacheReadTokens,
            usage.CacheWriteTokens,
            total,
            source == TokenSource.Actual ? 1 : 0,
            source == TokenSource.Estimated ? 1 : 0,
            source == TokenSource.Unknown ? 1 : 0,
            reported is null ? 0 : 1,
            reported ?? 0,
            reported is null ? 0 : total);
    }

    public static RollupTotals operator +(RollupTotals a, RollupTotals b) => new(
        a.Requests + b.Requests,
        a.Errors + b.Errors,
        a.InputTokens + b.InputTokens,
        a.OutputTokens + b.OutputTokens,
        a.CacheReadTokens + b.CacheReadTokens,
        a.CacheWriteTokens + b.CacheWriteTokens,
        a.TotalUsd + b.TotalUsd,
        a.Actual + b.Actual,
        a.Estimated + b.Estimated,
        a.Unknown + b.Unknown,
        a.ReportedRequests + b.ReportedRequests,
        a.ReportedUsd + b.ReportedUsd,
        a.ReportedOurUsd + b.ReportedOurUsd);

    public static RollupTotals operator -(RollupTotals a) => new(
        -a.Requests, -a.Errors, -a.InputTokens, -a.OutputTokens, -a.CacheReadTokens, -a.CacheWriteTokens, -a.TotalUsd, -a.Actual, -a.Estimated, -a.Unknown,
        -a.ReportedRequests, -a.ReportedUsd, -a.ReportedOurUsd);
}

/// <summary>Calls priced by a fallback step (<see cref="PricingNames.IsGuess"/>), per day, sent name, provider and step.</summary>
public readonly record struct GuessKey(DateOnly Day, string Model, string Provider, PricingSource PricingSource)
{
    public static GuessKey? Of(UsageRecord record) => record.Pricing.PricingSource.IsGuess()
        ? new GuessKey(DateOnly.FromDateTime(record.Timestamp.UtcDateTime), record.Model, record.Provider ?? record.Pricing.Provider ?? string.Empty, record.Pricing.PricingSource)
        : null;
}

public readonly record struct GuessTotals(long Requests, decimal TotalUsd) : IRollupCounters<GuessTotals>
{
    public static GuessTotals operator +(GuessTotals a, GuessTotals b) => new(a.Requests + b.Requests, a.TotalUsd + b.TotalUsd);
}

/// <summary>What a set of record writes does to the rollups, summed per key.</summary>
public sealed class RollupChanges
{
    public Dictionary<RollupKey, RollupTotals> Rollups { get; } = [];

    public Dictionary<GuessKey, GuessTotals> Guesses { get; } = [];

    public Dictionary<DimensionKey, RollupTotals> Dimensions { get; } = [];

    public bool IsEmpty => Rollups.Count == 0 && Guesses.Count == 0 && Dimensions.Count == 0;

    public void Add(UsageRecord record) => Apply(record, 1);

    public void Remove(UsageRecord record) => Apply(record, -1);

    /// <summary>Adds every sum of <paramref name="other"/> to this one's.</summary>
    public void Fold(RollupChanges other)
    {
        Fold(Rollups, other.Rollups);
        Fold(Guesses, other.Guesses);
        Fold(Dimensions, other.Dimensions);
    }

    private static void Fold<TKey, TTotals>(Dictionary<TKey, TTotals> into, Dictionary<TKey, TTotals> from)
        where TKey : notnull
        where TTotals : struct, IRollupCounters<TTotals>
    {
        foreach (var (key, totals) in from)
        {
            ref var row = ref CollectionsMarshal.GetValueRefOrAddDefault(into, key, out var exists);
            row = exists ? row + totals : totals;
        }
    }

    private void Apply(UsageRecord record, int sign)
    {
        var totals = RollupTotals.Of(record);
        var delta = sign > 0 ? totals : -totals;
        // One look-up a row (the key's hash covers eight strings), the sum added in place.
        ref var rollup = ref CollectionsMarshal.GetValueRefOrAddDefault(Rollups, RollupKey.Of(record), out _);
        rollup += delta;
        foreach (var dimension in DimensionKey.Dimensions)
        {
            ref var row = ref CollectionsMarshal.GetValueRefOrAddDefault(Dimensions, DimensionKey.Of(record, dimension), out _);
            row += delta;
        }

        if (GuessKey.Of(record) is { } guess)
        {
            ref var row = ref CollectionsMarshal.GetValueRefOrAddDefault(Guesses, guess, out _);
            row += new GuessTotals(sign, sign * totals.TotalUsd);
        }
    }
}
