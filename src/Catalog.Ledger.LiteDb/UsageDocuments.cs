using System.Globalization;
using Catalog.Pricing;
using LiteDB;

namespace Catalog.Ledger.LiteDb;

/// <summary>
/// Maps rollups to BSON by hand: explicit field names, decimals stored as BSON decimals, enums as their
/// wire names (docs/ledger-format.md).
/// </summary>
internal static class UsageDocuments
{
    private const char Separator = '\u001f';

    public static string RollupId(RollupKey key) =>
        string.Join(Separator, Day(key.Day), key.Model, key.Provider, key.User, key.Team, key.App, key.ServiceTier, key.Region);

    public static BsonDocument ToDocument(RollupKey key, RollupTotals t) => WithTotals(
        new BsonDocument
        {
            ["_id"] = RollupId(key),
            ["day"] = Day(key.Day),
            ["model"] = key.Model,
            ["provider"] = key.Provider,
            ["user"] = key.User,
            ["team"] = key.Team,
            ["app"] = key.App,
            ["service_tier"] = key.ServiceTier,
            ["region"] = key.Region,
        },
        t);

    public static KeyValuePair<RollupKey, RollupTotals> ToRollup(BsonDocument d) => new(
        new RollupKey(ParseDay(d["day"]), d["model"].AsString, d["provider"].AsString, d["user"].AsString, d["team"].AsString, d["app"].AsString, d["service_tier"].AsString, d["region"].AsString),
        Totals(d));

    public static string DimensionId(DimensionKey key) =>
        string.Join(Separator, Day(key.Day), UsageSummaryBuilder.DimensionName(key.Dimension), key.Value);

    public static BsonDocument ToDocument(DimensionKey key, RollupTotals t) => WithTotals(
        new BsonDocument
        {
            ["_id"] = DimensionId(key),
            ["day"] = Day(key.Day),
            ["dimension"] = UsageSummaryBuilder.DimensionName(key.Dimension),
            ["value"] = key.Value,
        },
        t);

    public static KeyValuePair<DimensionKey, RollupTotals> ToDimension(BsonDocument d) => new(
        new DimensionKey(ParseDay(d["day"]), d["dimension"].AsString == "endpoint" ? SummaryGrouping.Endpoint : SummaryGrouping.KeyId, d["value"].AsString),
        Totals(d));

    /// <summary>Adds the counters to a rollup row's document.</summary>
    private static BsonDocument WithTotals(BsonDocument d, RollupTotals t)
    {
        d["requests"] = t.Requests;
        d["errors"] = t.Errors;
        d["in"] = t.InputTokens;
        d["out"] = t.OutputTokens;
        d["cache_read"] = t.CacheReadTokens;
        d["cache_write"] = t.CacheWriteTokens;
        d["total_usd"] = t.TotalUsd;
        d["actual"] = t.Actual;
        d["estimated"] = t.Estimated;
        d["unknown"] = t.Unknown;
        d["reported_requests"] = t.ReportedRequests;
        d["reported_usd"] = t.ReportedUsd;
        d["reported_our_usd"] = t.ReportedOurUsd;
        return d;
    }

    private static RollupTotals Totals(BsonDocument d) =>
        new(
            d["requests"].AsInt64,
            d["errors"].AsInt64,
            Tokens(d["in"]),
            Tokens(d["out"]),
            Tokens(d["cache_read"]),
            Tokens(d["cache_write"]),
            d["total_usd"].AsDecimal,
            d["actual"].AsInt64,
            d["estimated"].AsInt64,
            d["unknown"].AsInt64,
            d["reported_requests"].AsInt64,
            d["reported_usd"].AsDecimal,
            d["reported_our_usd"].AsDecimal);

    public static string GuessId(GuessKey key) =>
        string.Join(Separator, Day(key.Day), key.Model, key.Provider, key.PricingSource.ToWire());

    public static BsonDocument ToDocument(GuessKey key, GuessTotals t) => new()
    {
        ["_id"] = GuessId(key),
        ["day"] = Day(key.Day),
        ["model"] = key.Model,
        ["provider"] = key.Provider,
        ["pricing_source"] = key.PricingSource.ToWire(),
        ["requests"] = t.Requests,
        ["total_usd"] = t.TotalUsd,
    };

    public static KeyValuePair<GuessKey, GuessTotals> ToGuess(BsonDocument d) => new(
        new GuessKey(ParseDay(d["day"]), d["model"].AsString, d["provider"].AsString, StoredNames.PricingSource(d["pricing_source"].AsString)),
        new GuessTotals(d["requests"].AsInt64, d["total_usd"].AsDecimal));

    /// <summary>A token sum: written as a decimal (a sum may pass 64 bits); rollups written before were 64-bit integers.</summary>
    private static decimal Tokens(BsonValue value) => value.IsDecimal ? value.AsDecimal : value.AsInt64;

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly ParseDay(BsonValue value) => DateOnly.ParseExact(value.AsString, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
