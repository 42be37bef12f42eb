using System.Globalization;
using System.Text;
using System.Text.Json;
using Catalog.Pricing;
using Catalog.Pricing.Export;

namespace Catalog.Ledger;

/// <summary>The ledger as CSV, a row per call, its cells written as <see cref="CsvCells"/> writes every export's (RFC 4180, formula-safe).</summary>
public static class UsageCsv
{
    public const string Header =
        "id,timestamp,model,provider,resolved_model,priced_provider,pricing_source,token_source," +
        "input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,cache_write_1h_tokens," +
        "input_usd,output_usd,cache_read_usd,cache_write_usd,request_usd,total_usd,catalog_version," +
        "status,latency_ms,user,team,app,endpoint,tags,original_total_usd,original_catalog_version,reported_cost_usd," +
        "input_audio_tokens,cache_audio_read_tokens,input_image_tokens,cache_image_read_tokens,input_video_tokens," +
        "output_audio_tokens,output_image_tokens,output_video_tokens,output_reasoning_tokens,web_searches," +
        "tools_usd,service_tier,region,unpriced,key_id";

    /// <summary>Rows are sent to the output once this many bytes of them are written.</summary>
    internal const int ChunkSize = 32 * 1024;

    /// <summary>The header and its line break, as UTF-8.</summary>
    private static readonly byte[] HeaderRow = Encoding.UTF8.GetBytes(Header + "\r\n");

    /// <summary>
    /// The CSV of every record of <paramref name="store"/> matching <paramref name="filter"/>, newest first: written by the store
    /// from its stored form when it can (<see cref="IUsageCsvSource"/>, the same bytes), else from <see cref="IUsageStore.StreamAsync"/>'s records.
    /// </summary>
    public static async Task WriteAsync(Stream output, IUsageStore store, UsageFilter filter, CancellationToken cancellationToken)
    {
        if (store is not IUsageCsvSource source)
        {
            await WriteAsync(output, store.StreamAsync(filter, cancellationToken), cancellationToken);
            return;
        }

        await output.WriteAsync(HeaderRow, cancellationToken);
        foreach (var rows in source.CsvRows(filter))
        {
            await output.WriteAsync(rows, cancellationToken);
        }

        await output.FlushAsync(cancellationToken);
    }

    /// <summary>The writer every export goes through: UTF-8 without a byte order mark, a large buffer.</summary>
    private static StreamWriter CreateWriter(Stream output) =>
        new(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024);

    public static async Task WriteAsync(Stream output, IAsyncEnumerable<UsageRecord> records, CancellationToken cancellationToken)
    {
        await using var writer = CreateWriter(output);
        var rows = new StringBuilder(64 * 1024);
        rows.Append(Header).Append("\r\n");
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            AppendRow(rows, record);
            if (rows.Length >= ChunkSize)
            {
                await writer.WriteAsync(rows, cancellationToken);
                rows.Clear();
            }
        }

        await writer.WriteAsync(rows, cancellationToken);
        await writer.FlushAsync(cancellationToken);
    }

    private static void AppendRow(StringBuilder row, UsageRecord r)
    {
        var p = r.Pricing;
        CsvCells.Text(row, r.Id);
        Timestamp(row, r.Timestamp.UtcDateTime);
        CsvCells.Text(row, r.Model);
        CsvCells.Text(row, r.Provider);
        CsvCells.Text(row, p.ResolvedModel);
        CsvCells.Text(row, p.Provider);
        CsvCells.Text(row, p.PricingSource.ToWire());
        CsvCells.Text(row, p.TokenSource.ToWire());
        CsvCells.Number(row, r.Usage.InputTokens);
        CsvCells.Number(row, r.Usage.OutputTokens);
        CsvCells.Number(row, r.Usage.CacheReadTokens);
        CsvCells.Number(row, r.Usage.CacheWriteTokens);
        CsvCells.Number(row, r.Usage.CacheWrite1hTokens);
        CsvCells.Decimal(row, p.Cost.InputUsd);
        CsvCells.Decimal(row, p.Cost.OutputUsd);
        CsvCells.Decimal(row, p.Cost.CacheReadUsd);
        CsvCells.Decimal(row, p.Cost.CacheWriteUsd);
        CsvCells.Decimal(row, p.Cost.RequestUsd);
        CsvCells.Decimal(row, p.Cost.TotalUsd);
        CsvCells.Text(row, p.CatalogVersion);
        CsvCells.Text(row, r.Status == CallStatus.Error ? "error" : "success");
        CsvCells.Number(row, r.LatencyMs);
        CsvCells.Text(row, r.User);
        CsvCells.Text(row, r.Team);
        CsvCells.Text(row, r.App);
        CsvCells.Text(row, r.Endpoint);
        CsvCells.Text(row, r.Tags.Count == 0 ? null : Tags(r.Tags));
        CsvCells.Decimal(row, r.Original?.Pricing.Cost.TotalUsd);
        CsvCells.Text(row, r.Original?.Pricing.CatalogVersion);
        CsvCells.Decimal(row, r.ReportedCostUsd);
        foreach (var unit in UsageCounts.MediaUnits)
        {
            CsvCells.Number(row, r.Usage[unit]);
        }

        CsvCells.Decimal(row, p.Cost.ToolsUsd);
        CsvCells.Text(row, r.ServiceTier);
        CsvCells.Text(row, r.Region);
        CsvCells.Text(row, r.Unpriced.Count == 0 ? null : Unpriced(r.Unpriced));
        CsvCells.Text(row, r.KeyId);
        CsvCells.EndRow(row);
    }

    /// <summary>The timestamp cell (UTC, 100 ns digits) and its separator; it never needs quoting or a formula guard.</summary>
    private static void Timestamp(StringBuilder row, DateTime utc)
    {
        Span<char> text = stackalloc char[32];
        utc.TryFormat(text, out var written, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        row.Append(text[..written]).Append(',');
    }

    /// <summary>The tags cell's text: the tags as a JSON object.</summary>
    internal static string Tags(IReadOnlyDictionary<string, string> tags) => JsonSerializer.Serialize(tags);

    /// <summary>The unpriced cell's text: the fields and counts as a JSON array.</summary>
    internal static string Unpriced(IReadOnlyList<UnpricedField> unpriced) => JsonSerializer.Serialize(unpriced.Select(u => new { field = u.Field, count = u.Count }));
}
