using System.Buffers;
using System.Text;
using System.Text.Json;
using Catalog.Pricing;
using Npgsql;
using NpgsqlTypes;

namespace Catalog.Ledger.Postgres;

/// <summary>
/// Maps a <see cref="UsageRecord"/> to a <c>usage_records</c> row and back, column by column: money as
/// <c>numeric</c> (exact decimals), times as <c>timestamptz</c>, enums as their wire names, the usage as
/// sent, the tags and a replaced pricing as <c>json</c> (kept as written, key order included).
/// </summary>
public static class PostgresUsageRows
{
    /// <summary>The columns, in the order <see cref="WriteAsync"/> writes them and <see cref="Read"/> reads them.</summary>
    public const string Columns =
        """id, ts, model, provider, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, usage_shape, sent_usage, status, latency_ms, "user", team, app, endpoint, tags, resolved_model, priced_provider, pricing_source, token_source, input_usd, output_usd, cache_read_usd, cache_write_usd, request_usd, total_usd, tier, catalog_version, original, received_at, fingerprint, reported_usd, """ +
        """input_audio_tokens, cache_audio_read_tokens, input_image_tokens, cache_image_read_tokens, input_video_tokens, output_audio_tokens, output_image_tokens, output_video_tokens, output_reasoning_tokens, web_searches, service_tier, region, unpriced, tools_usd, key_id""";

    /// <summary>Number of <see cref="Columns"/>: a query selecting more reads them from this ordinal on.</summary>
    public const int ColumnCount = 49;

    /// <summary>Writes one row to a binary COPY of <see cref="Columns"/>.</summary>
    public static async Task WriteAsync(NpgsqlBinaryImporter copy, UsageRecord r, CancellationToken cancellationToken)
    {
        await copy.StartRowAsync(cancellationToken);
        await copy.WriteAsync(r.Id, NpgsqlDbType.Text, cancellationToken);
        await copy.WriteAsync(r.Timestamp.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
        await copy.WriteAsync(r.Model, NpgsqlDbType.Text, cancellationToken);
        await WriteOrNullAsync(copy, r.Provider, NpgsqlDbType.Text, cancellationToken);
        await copy.WriteAsync(r.Usage.InputTokens, NpgsqlDbType.Bigint, cancellationToken);
        await copy.WriteAsync(r.Usage.OutputTokens, NpgsqlDbType.Bigint, cancellationToken);
        await copy.WriteAsync(r.Usage.CacheReadTokens, NpgsqlDbType.Bigint, cancellationToken);
        await copy.WriteAsync(r.Usage.CacheWriteTokens, NpgsqlDbType.Bigint, cancellationToken);
        await copy.WriteAsync(r.Usage.CacheWrite1hTokens, NpgsqlDbType.Bigint, cancellationToken);
        await copy.WriteAsync(r.UsageShape, NpgsqlDbType.Text, cancellationToken);
        await WriteOrNullAsync(copy, r.SentUsage?.GetRawText(), NpgsqlDbType.Json, cancellationToken);
        await copy.WriteAsync(StoredNames.Status(r.Status), NpgsqlDbType.Text, cancellationToken);
        await WriteOrNullAsync(copy, r.LatencyMs, NpgsqlDbType.Bigint, cancellationToken);
        await WriteOrNullAsync(copy, r.User, NpgsqlDbType.Text, cancellationToken);
        await WriteOrNullAsync(copy, r.Team, NpgsqlDbType.Text, cancellationToken);
        await WriteOrNullAsync(copy, r.App, NpgsqlDbType.Text, cancellationToken);
        await WriteOrNullAsync(copy, r.Endpoint, NpgsqlDbType.Text, cancellationToken);
        await copy.WriteAsync(TagsJson(r.Tags), NpgsqlDbType.Json, cancellationToken);
        await WriteOrNullAsync(copy, r.Pricing.ResolvedModel, NpgsqlDbType.Text, cancellationToken);
        await WriteOrNullAsync(copy, r.Pricing.Provider, NpgsqlDbType.Text, cancellationToken);
        await copy.WriteAsync(r.Pricing.PricingSource.ToWire(), NpgsqlDbType.Text, cancellationToken);
        await copy.WriteAsync(r.Pricing.TokenSource.ToWire(), NpgsqlDbType.Text, cancellationToken);
        var cost = r.Pricing.Cost;
        foreach (var usd in (decimal[])[cost.InputUsd, cost.OutputUsd, cost.CacheReadUsd, cost.CacheWriteUsd, cost.RequestUsd, cost.TotalUsd])
        {
            await copy.WriteAsync(usd, NpgsqlDbType.Numeric, cancellationToken);
        }

        await WriteOrNullAsync(copy, cost.Tier, NpgsqlDbType.Bigint, cancellationToken);
        await copy.WriteAsync(r.Pricing.CatalogVersion, NpgsqlDbType.Text, cancellationToken);
        await WriteOrNullAsync(copy, r.Original is { } original ? OriginalJson(original) : null, NpgsqlDbType.Json, cancellationToken);
        await copy.WriteAsync(r.ReceivedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
        await copy.WriteAsync(r.Fingerprint, NpgsqlDbType.Text, cancellationToken);
        await WriteOrNullAsync(copy, r.ReportedCostUsd, NpgsqlDbType.Numeric, cancellationToken);
        foreach (var unit in UsageCounts.MediaUnits)
        {
            await copy.WriteAsync(r.Usage[unit], NpgsqlDbType.Bigint, cancellationToken);
        }

        await WriteOrNullAsync(copy, r.ServiceTier, NpgsqlDbType.Text, cancellationToken);
        await WriteOrNullAsync(copy, r.Region, NpgsqlDbType.Text, cancellationToken);
        await WriteOrNullAsync(copy, r.Unpriced.Count == 0 ? null : UnpricedJson(r.Unpriced), NpgsqlDbType.Json, cancellationToken);
        await copy.WriteAsync(cost.ToolsUsd, NpgsqlDbType.Numeric, cancellationToken);
        await WriteOrNullAsync(copy, r.KeyId, NpgsqlDbType.Text, cancellationToken);
    }

    /// <summary>The record in the current row, whose first columns are <see cref="Columns"/>.</summary>
    public static UsageRecord Read(NpgsqlDataReader row)
    {
        var i = 0;
        var read = new UsageRecord(
            row.GetString(i++),
            row.GetFieldValue<DateTimeOffset>(i++),
            row.GetString(i++),
            Text(row, i++),
            new UsageCounts(row.GetInt64(i++), row.GetInt64(i++), row.GetInt64(i++), row.GetInt64(i++), row.GetInt64(i++)),
            row.GetString(i++),
            Text(row, i++) is { } sent ? JsonDocument.Parse(sent).RootElement.Clone() : null,
            StoredNames.Status(row.GetString(i++)),
            Int64(row, i++),
            Text(row, i++),
            Text(row, i++),
            Text(row, i++),
            Text(row, i++),
            ReadTags(row.GetString(i++)),
            new UsagePricing(
                Text(row, i++),
                Text(row, i++),
                StoredNames.PricingSource(row.GetString(i++)),
                StoredNames.TokenSource(row.GetString(i++)),
                new UsageCost(row.GetDecimal(i++), row.GetDecimal(i++), row.GetDecimal(i++), row.GetDecimal(i++), row.GetDecimal(i++), row.GetDecimal(i++), Int64(row, i++)),
                row.GetString(i++)),
            Text(row, i++) is { } original ? ReadOriginal(original) : null,
            row.GetFieldValue<DateTimeOffset>(i++),
            row.GetString(i++),
            row.IsDBNull(i) ? null : row.GetDecimal(i));
        i++;
        Span<long> media = stackalloc long[UsageCounts.MediaUnits.Length];
        for (var m = 0; m < media.Length; m++)
        {
            media[m] = row.GetInt64(i++);
        }

        return read with
        {
            Usage = read.Usage.WithMedia(media),
            ServiceTier = Text(row, i++),
            Region = Text(row, i++),
            Unpriced = Text(row, i++) is { } unpriced ? ReadUnpriced(unpriced) : [],
            Pricing = read.Pricing with { Cost = read.Pricing.Cost with { ToolsUsd = row.GetDecimal(i++) } },
            KeyId = Text(row, i),
        };
    }

    /// <summary>Sets a record's pricing and the pricing it replaced, if its row is still at <paramref name="version"/> (<c>xmin</c>).</summary>
    public static NpgsqlBatchCommand UpdatePricing(UsageRecord record, uint version)
    {
        var pricing = record.Pricing;
        var cost = pricing.Cost;
        return new NpgsqlBatchCommand(
            "UPDATE usage_records SET resolved_model = $2, priced_provider = $3, pricing_source = $4, token_source = $5, input_usd = $6, output_usd = $7, " +
            "cache_read_usd = $8, cache_write_usd = $9, request_usd = $10, total_usd = $11, tier = $12, catalog_version = $13, original = $14, tools_usd = $16 WHERE id = $1 AND xmin = $15")
        {
            Parameters =
            {
                Parameter(record.Id, NpgsqlDbType.Text),
                Parameter(pricing.ResolvedModel, NpgsqlDbType.Text),
                Parameter(pricing.Provider, NpgsqlDbType.Text),
                Parameter(pricing.PricingSource.ToWire(), NpgsqlDbType.Text),
                Parameter(pricing.TokenSource.ToWire(), NpgsqlDbType.Text),
                Parameter(cost.InputUsd, NpgsqlDbType.Numeric),
                Parameter(cost.OutputUsd, NpgsqlDbType.Numeric),
                Parameter(cost.CacheReadUsd, NpgsqlDbType.Numeric),
                Parameter(cost.CacheWriteUsd, NpgsqlDbType.Numeric),
                Parameter(cost.RequestUsd, NpgsqlDbType.Numeric),
                Parameter(cost.TotalUsd, NpgsqlDbType.Numeric),
                Parameter(cost.Tier, NpgsqlDbType.Bigint),
                Parameter(pricing.CatalogVersion, NpgsqlDbType.Text),
                Parameter(record.Original is { } original ? OriginalJson(original) : null, NpgsqlDbType.Json),
                Parameter(version, NpgsqlDbType.Xid),
                Parameter(cost.ToolsUsd, NpgsqlDbType.Numeric),
            },
        };
    }

    /// <summary>A replaced pricing as stored in <c>original</c>: the <see cref="UsagePricing"/> fields in snake_case, decimals exact.</summary>
    public static string OriginalJson(OriginalPricing original)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            var p = original.Pricing;
            json.WriteStartObject();
            json.WriteString("replaced_at", original.ReplacedAt);
            json.WriteString("resolved_model", p.ResolvedModel);
            json.WriteString("provider", p.Provider);
            json.WriteString("pricing_source", p.PricingSource.ToWire());
            json.WriteString("token_source", p.TokenSource.ToWire());
            json.WriteNumber("input_usd", p.Cost.InputUsd);
            json.WriteNumber("output_usd", p.Cost.OutputUsd);
            json.WriteNumber("cache_read_usd", p.Cost.CacheReadUsd);
            json.WriteNumber("cache_write_usd", p.Cost.CacheWriteUsd);
            json.WriteNumber("request_usd", p.Cost.RequestUsd);
            json.WriteNumber("total_usd", p.Cost.TotalUsd);
            json.WriteNumber("tools_usd", p.Cost.ToolsUsd);
            if (p.Cost.Tier is { } tier)
            {
                json.WriteNumber("tier", tier);
            }
            else
            {
                json.WriteNull("tier");
            }

            json.WriteString("catalog_version", p.CatalogVersion);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static OriginalPricing ReadOriginal(string text)
    {
        using var document = JsonDocument.Parse(text);
        var o = document.RootElement;
        var tier = o.GetProperty("tier");
        return new OriginalPricing(
            new UsagePricing(
                o.GetProperty("resolved_model").GetString(),
                o.GetProperty("provider").GetString(),
                StoredNames.PricingSource(o.GetProperty("pricing_source").GetString()!),
                StoredNames.TokenSource(o.GetProperty("token_source").GetString()!),
                new UsageCost(
                    o.GetProperty("input_usd").GetDecimal(),
                    o.GetProperty("output_usd").GetDecimal(),
                    o.GetProperty("cache_read_usd").GetDecimal(),
                    o.GetProperty("cache_write_usd").GetDecimal(),
                    o.GetProperty("request_usd").GetDecimal(),
                    o.GetProperty("total_usd").GetDecimal(),
                    tier.ValueKind == JsonValueKind.Null ? null : tier.GetInt64(),
                    o.TryGetProperty("tools_usd", out var tools) ? tools.GetDecimal() : 0),
                o.GetProperty("catalog_version").GetString()!),
            o.GetProperty("replaced_at").GetDateTimeOffset());
    }

    /// <summary>The numbers a usage shape did not price, as <c>[{"field": ..., "count": ...}]</c>.</summary>
    private static string UnpricedJson(IReadOnlyList<UnpricedField> unpriced)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var field in unpriced)
            {
                json.WriteStartObject();
                json.WriteString("field", field.Field);
                json.WriteNumber("count", field.Count);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static UnpricedField[] ReadUnpriced(string text)
    {
        using var document = JsonDocument.Parse(text);
        return [.. document.RootElement.EnumerateArray().Select(u => new UnpricedField(u.GetProperty("field").GetString()!, u.GetProperty("count").GetInt64()))];
    }

    private static string TagsJson(IReadOnlyDictionary<string, string> tags)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (key, value) in tags)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static Dictionary<string, string> ReadTags(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.EnumerateObject().ToDictionary(t => t.Name, t => t.Value.GetString()!, StringComparer.Ordinal);
    }

    private static Task WriteOrNullAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : class =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, type, cancellationToken);

    private static Task WriteOrNullAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } v ? copy.WriteAsync(v, type, cancellationToken) : copy.WriteNullAsync(cancellationToken);

    private static NpgsqlParameter Parameter(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };

    private static string? Text(NpgsqlDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetString(ordinal);

    private static long? Int64(NpgsqlDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetInt64(ordinal);
}
