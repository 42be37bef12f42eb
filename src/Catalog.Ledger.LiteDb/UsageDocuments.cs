using System.Globalization;
using System.Text.Json;
using Catalog.Pricing;
using LiteDB;
using static Catalog.Ledger.LiteDb.BsonValues;

namespace Catalog.Ledger.LiteDb;

/// <summary>
/// Maps rollups to BSON by hand: explicit field names, decimals stored as BSON decimals, enums as their
/// wire names. Also the document-per-record format of versions before blocks (<see cref="ToRecord"/>
/// reads it to convert such a file; <see cref="ToDocument(UsageRecord)"/> writes it, for the tests of
/// that conversion): a usage document's <c>k</c> (timestamp ticks + id) ordered the ledger.
/// </summary>
internal static class UsageDocuments
{
    private const char Separator = '\u001f';

    private static string SortKey(UsageRecord record) => UsageCursor.SortKey(record.Timestamp) + "|" + record.Id;

    public static BsonDocument ToDocument(UsageRecord r)
    {
        var doc = new BsonDocument
        {
            ["_id"] = r.Id,
            ["k"] = SortKey(r),
            ["ts"] = r.Timestamp.UtcDateTime,
            ["model"] = r.Model,
            ["provider"] = Nullable(r.Provider),
            ["in"] = r.Usage.InputTokens,
            ["out"] = r.Usage.OutputTokens,
            ["cache_read"] = r.Usage.CacheReadTokens,
            ["cache_write"] = r.Usage.CacheWriteTokens,
            ["cache_write_1h"] = r.Usage.CacheWrite1hTokens,
            ["shape"] = r.UsageShape,
            ["sent_usage"] = r.SentUsage is { } sent ? sent.GetRawText() : BsonValue.Null,
            ["status"] = StoredNames.Status(r.Status),
            ["latency_ms"] = r.LatencyMs is { } latency ? latency : BsonValue.Null,
            ["user"] = Nullable(r.User),
            ["team"] = Nullable(r.Team),
            ["app"] = Nullable(r.App),
            ["endpoint"] = Nullable(r.Endpoint),
            ["received_at"] = r.ReceivedAt.UtcDateTime,
            ["fp"] = r.Fingerprint,
            ["reported_usd"] = r.ReportedCostUsd is { } reported ? reported : BsonValue.Null,
        };
        WritePricing(doc, r.Pricing);
        if (r.Tags.Count > 0)
        {
            var tags = new BsonDocument();
            foreach (var (key, value) in r.Tags)
            {
                tags[key] = value;
            }

            doc["tags"] = tags;
        }

        if (r.Original is { } original)
        {
            var before = new BsonDocument { ["replaced_at"] = original.ReplacedAt.UtcDateTime };
            WritePricing(before, original.Pricing);
            doc["original"] = before;
        }

        return doc;
    }

    public static UsageRecord ToRecord(BsonDocument doc)
    {
        var tags = doc.TryGetValue("tags", out var tagValue) && tagValue.IsDocument
            ? tagValue.AsDocument.ToDictionary(t => t.Key, t => t.Value.AsString, StringComparer.Ordinal)
            : [];
        var original = doc.TryGetValue("original", out var before) && before.IsDocument
            ? new OriginalPricing(ReadPricing(before.AsDocument), Utc(before["replaced_at"]))
            : null;
        var sent = doc["sent_usage"];
        return new UsageRecord(
            doc["_id"].AsString,
            Utc(doc["ts"]),
            doc["model"].AsString,
            Text(doc["provider"]),
            new UsageCounts(doc["in"].AsInt64, doc["out"].AsInt64, doc["cache_read"].AsInt64, doc["cache_write"].AsInt64, doc["cache_write_1h"].AsInt64),
            doc["shape"].AsString,
            sent.IsString ? JsonDocument.Parse(sent.AsString).RootElement.Clone() : null,
            StoredNames.Status(doc["status"].AsString),
            doc["latency_ms"].IsNull ? null : doc["latency_ms"].AsInt64,
            Text(doc["user"]),
            Text(doc["team"]),
            Text(doc["app"]),
            Text(doc["endpoint"]),
            tags,
            ReadPricing(doc),
            original,
            Utc(doc["received_at"]),
            doc["fp"].AsString,
            doc.TryGetValue("reported_usd", out var reported) && !reported.IsNull ? reported.AsDecimal : null);
    }

    public static string RollupId(RollupKey key) =>
        string.Join(Separator, Day(key.Day), key.Model, key.Provider, key.User, key.Team, key.App);

    public static BsonDocument ToDocument(RollupKey key, RollupTotals t) => new()
    {
        ["_id"] = RollupId(key),
        ["day"] = Day(key.Day),
        ["model"] = key.Model,
        ["provider"] = key.Provider,
        ["user"] = key.User,
        ["team"] = key.Team,
        ["app"] = key.App,
        ["requests"] = t.Requests,
        ["errors"] = t.Errors,
        ["in"] = t.InputTokens,
        ["out"] = t.OutputTokens,
        ["cache_read"] = t.CacheReadTokens,
        ["cache_write"] = t.CacheWriteTokens,
        ["total_usd"] = t.TotalUsd,
        ["actual"] = t.Actual,
        ["estimated"] = t.Estimated,
        ["unknown"] = t.Unknown,
        ["reported_requests"] = t.ReportedRequests,
        ["reported_usd"] = t.ReportedUsd,
        ["reported_our_usd"] = t.ReportedOurUsd,
    };

    public static KeyValuePair<RollupKey, RollupTotals> ToRollup(BsonDocument d) => new(
        new RollupKey(ParseDay(d["day"]), d["model"].AsString, d["provider"].AsString, d["user"].AsString, d["team"].AsString, d["app"].AsString),
        new RollupTotals(
            d["requests"].AsInt64,
            d["errors"].AsInt64,
            d["in"].AsInt64,
            d["out"].AsInt64,
            d["cache_read"].AsInt64,
            d["cache_write"].AsInt64,
            d["total_usd"].AsDecimal,
            d["actual"].AsInt64,
            d["estimated"].AsInt64,
            d["unknown"].AsInt64,
            Counter(d, "reported_requests").AsInt64,
            Counter(d, "reported_usd").AsDecimal,
            Counter(d, "reported_our_usd").AsDecimal));

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

    private static void WritePricing(BsonDocument doc, UsagePricing p)
    {
        doc["resolved_model"] = Nullable(p.ResolvedModel);
        doc["priced_provider"] = Nullable(p.Provider);
        doc["pricing_source"] = p.PricingSource.ToWire();
        doc["token_source"] = p.TokenSource.ToWire();
        doc["input_usd"] = p.Cost.InputUsd;
        doc["output_usd"] = p.Cost.OutputUsd;
        doc["cache_read_usd"] = p.Cost.CacheReadUsd;
        doc["cache_write_usd"] = p.Cost.CacheWriteUsd;
        doc["request_usd"] = p.Cost.RequestUsd;
        doc["total_usd"] = p.Cost.TotalUsd;
        doc["tier"] = p.Cost.Tier is { } tier ? tier : BsonValue.Null;
        doc["catalog_version"] = p.CatalogVersion;
    }

    private static UsagePricing ReadPricing(BsonDocument doc) => new(
        Text(doc["resolved_model"]),
        Text(doc["priced_provider"]),
        StoredNames.PricingSource(doc["pricing_source"].AsString),
        StoredNames.TokenSource(doc["token_source"].AsString),
        new UsageCost(
            doc["input_usd"].AsDecimal,
            doc["output_usd"].AsDecimal,
            doc["cache_read_usd"].AsDecimal,
            doc["cache_write_usd"].AsDecimal,
            doc["request_usd"].AsDecimal,
            doc["total_usd"].AsDecimal,
            doc["tier"].IsNull ? null : doc["tier"].AsInt64),
        doc["catalog_version"].AsString);

    /// <summary>A counter of a rollup document; 0 when the document was written before the counter existed.</summary>
    private static BsonValue Counter(BsonDocument d, string name) => d.TryGetValue(name, out var value) ? value : new BsonValue(0);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly ParseDay(BsonValue value) => DateOnly.ParseExact(value.AsString, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
