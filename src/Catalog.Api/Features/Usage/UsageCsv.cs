using System.Globalization;
using System.Text;
using System.Text.Json;
using Catalog.Ledger;
using Catalog.Pricing;

namespace Catalog.Api.Features.Usage;

/// <summary>
/// The ledger as CSV: RFC 4180 (comma, CRLF, fields with a comma, quote or line break quoted and
/// quotes doubled), invariant culture, and safe to open in a spreadsheet: a text cell that starts with
/// '=', '+', '-', '@' (or a tab or carriage return) is prefixed with a single quote so it is not run as a formula.
/// </summary>
public static class UsageCsv
{
    public const string Header =
        "id,timestamp,model,provider,resolved_model,priced_provider,pricing_source,token_source," +
        "input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,cache_write_1h_tokens," +
        "input_usd,output_usd,cache_read_usd,cache_write_usd,request_usd,total_usd,catalog_version," +
        "status,latency_ms,user,team,app,endpoint,tags,original_total_usd,original_catalog_version,reported_cost_usd";

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
            if (rows.Length >= 32 * 1024)
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
        Text(row, r.Id);
        Timestamp(row, r.Timestamp.UtcDateTime);
        Text(row, r.Model);
        Text(row, r.Provider);
        Text(row, p.ResolvedModel);
        Text(row, p.Provider);
        Text(row, p.PricingSource.ToWire());
        Text(row, p.TokenSource.ToWire());
        Number(row, r.Usage.InputTokens);
        Number(row, r.Usage.OutputTokens);
        Number(row, r.Usage.CacheReadTokens);
        Number(row, r.Usage.CacheWriteTokens);
        Number(row, r.Usage.CacheWrite1hTokens);
        Money(row, p.Cost.InputUsd);
        Money(row, p.Cost.OutputUsd);
        Money(row, p.Cost.CacheReadUsd);
        Money(row, p.Cost.CacheWriteUsd);
        Money(row, p.Cost.RequestUsd);
        Money(row, p.Cost.TotalUsd);
        Text(row, p.CatalogVersion);
        Text(row, r.Status == CallStatus.Error ? "error" : "success");
        Number(row, r.LatencyMs);
        Text(row, r.User);
        Text(row, r.Team);
        Text(row, r.App);
        Text(row, r.Endpoint);
        Text(row, r.Tags.Count == 0 ? null : Tags(r.Tags));
        Money(row, r.Original?.Pricing.Cost.TotalUsd);
        Text(row, r.Original?.Pricing.CatalogVersion);
        Money(row, r.ReportedCostUsd);
        row[^1] = '\r';
        row.Append('\n');
    }

    /// <summary>The timestamp cell (UTC, 100 ns digits) and its separator; it never needs quoting or a formula guard.</summary>
    private static void Timestamp(StringBuilder row, DateTime utc)
    {
        Span<char> text = stackalloc char[32];
        utc.TryFormat(text, out var written, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        row.Append(text[..written]).Append(',');
    }

    /// <summary>The tags cell's text: the tags as a JSON object.</summary>
    private static string Tags(IReadOnlyDictionary<string, string> tags) => JsonSerializer.Serialize(tags);

    /// <summary>One text cell and its separator, escaped against formulas, quoted when RFC 4180 needs it.</summary>
    private static void Text(StringBuilder row, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            var guarded = value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
            if (guarded.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                row.Append('"').Append(guarded.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                row.Append(guarded);
            }
        }

        row.Append(',');
    }

    /// <summary>One number cell and its separator; empty when there is no value.</summary>
    private static void Number(StringBuilder row, long? value) => row.Append(value?.ToString(CultureInfo.InvariantCulture)).Append(',');

    /// <summary>One amount cell and its separator, without trailing zeros; empty when there is no value.</summary>
    private static void Money(StringBuilder row, decimal? value) =>
        row.Append(value is { } usd ? ExactDecimalConverter.Trim(usd).ToString(CultureInfo.InvariantCulture) : null).Append(',');
}
