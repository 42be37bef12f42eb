using System.Globalization;
using System.Text;
using System.Text.Json;
using Catalog.Api.Features.Cost;
using Catalog.Api.Features.Usage;
using Catalog.Pricing;
using LiteDB;
using static Catalog.Api.Storage.LiteDb.BsonValues;

namespace Catalog.Api.Storage.LiteDb;

/// <summary>
/// Maps ledger records and rollups to BSON by hand: explicit field names, decimals stored as BSON
/// decimals, enums as their wire names. A usage document's <c>k</c> (timestamp ticks + id) orders
/// the ledger newest first and is the paging cursor.
/// </summary>
internal static class UsageDocuments
{
    private const char Separator = '\u001f';

    public static string SortKey(UsageRecord record) => SortKey(record.Timestamp, record.Id);

    public static string SortKey(DateTimeOffset at, string id) => SortKey(at) + "|" + id;

    /// <summary>A bound on <c>k</c>: every record at or after <paramref name="at"/> sorts at or above it.</summary>
    public static string SortKey(DateTimeOffset at) => UsageCursor.SortKey(at);

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

    /// <summary>
    /// The CSV row of a usage document, exactly as <see cref="UsageCsv.AppendRow"/> writes the record
    /// <see cref="ToRecord"/> reads from it, without building the record.
    /// </summary>
    public static void AppendCsvRow(StringBuilder row, BsonDocument doc)
    {
        UsageCsv.Text(row, doc["_id"].AsString);
        UsageCsv.Timestamp(row, DateTime.SpecifyKind(doc["ts"].AsDateTime, DateTimeKind.Utc));
        UsageCsv.Text(row, doc["model"].AsString);
        UsageCsv.Text(row, Text(doc["provider"]));
        UsageCsv.Text(row, Text(doc["resolved_model"]));
        UsageCsv.Text(row, Text(doc["priced_provider"]));
        UsageCsv.Text(row, doc["pricing_source"].AsString); // stored as its wire name
        UsageCsv.Text(row, doc["token_source"].AsString);
        UsageCsv.Number(row, doc["in"].AsInt64);
        UsageCsv.Number(row, doc["out"].AsInt64);
        UsageCsv.Number(row, doc["cache_read"].AsInt64);
        UsageCsv.Number(row, doc["cache_write"].AsInt64);
        UsageCsv.Number(row, doc["cache_write_1h"].AsInt64);
        UsageCsv.Money(row, doc["input_usd"].AsDecimal);
        UsageCsv.Money(row, doc["output_usd"].AsDecimal);
        UsageCsv.Money(row, doc["cache_read_usd"].AsDecimal);
        UsageCsv.Money(row, doc["cache_write_usd"].AsDecimal);
        UsageCsv.Money(row, doc["request_usd"].AsDecimal);
        UsageCsv.Money(row, doc["total_usd"].AsDecimal);
        UsageCsv.Text(row, doc["catalog_version"].AsString);
        UsageCsv.Text(row, doc["status"].AsString == "error" ? "error" : "success");
        var latency = doc["latency_ms"];
        UsageCsv.Number(row, latency.IsNull ? null : latency.AsInt64);
        UsageCsv.Text(row, Text(doc["user"]));
        UsageCsv.Text(row, Text(doc["team"]));
        UsageCsv.Text(row, Text(doc["app"]));
        UsageCsv.Text(row, Text(doc["endpoint"]));
        UsageCsv.Text(row, doc.TryGetValue("tags", out var tags) && tags.IsDocument && tags.AsDocument.Count > 0 ? CsvTags(tags.AsDocument) : null);
        var original = doc.TryGetValue("original", out var before) && before.IsDocument ? before.AsDocument : null;
        UsageCsv.Money(row, original?["total_usd"].AsDecimal);
        UsageCsv.Text(row, original?["catalog_version"].AsString);
        UsageCsv.Money(row, doc.TryGetValue("reported_usd", out var reported) && !reported.IsNull ? reported.AsDecimal : null);
        row[^1] = '\r';
        row.Append('\n');
    }

    /// <summary>The tags cell: the last tags seen are kept with their text, as most calls carry the same few tags.</summary>
    private static string CsvTags(BsonDocument tags)
    {
        var cached = _lastTags;
        if (cached is not null && cached.Value.Tags.Count == tags.Count && SameTags(cached.Value.Tags, tags))
        {
            return cached.Value.Text;
        }

        var map = new Dictionary<string, string>(tags.Count, StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            map[key] = value.AsString;
        }

        var text = UsageCsv.Tags(map);
        _lastTags = (map, text);
        return text;
    }

    private static bool SameTags(Dictionary<string, string> seen, BsonDocument tags)
    {
        // In order, and case-sensitively: the JSON text follows the document's own order and spelling.
        using var expected = seen.GetEnumerator();
        foreach (var (key, value) in tags)
        {
            if (!expected.MoveNext() || !string.Equals(expected.Current.Key, key, StringComparison.Ordinal) || !value.IsString || !string.Equals(expected.Current.Value, value.AsString, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    [ThreadStatic]
    private static (Dictionary<string, string> Tags, string Text)? _lastTags;

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
