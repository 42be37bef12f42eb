using Catalog.Api.Telemetry;
using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Catalog.Api.Features.Cost;
using Catalog.Api.Http;
using Catalog.Ledger;
using Catalog.Pricing;

namespace Catalog.Api.Features.Usage;

/// <summary>
/// Turns one posted call into a priced <see cref="UsageRecord"/>: {model, provider, timestamp, usage}
/// are validated exactly as /v1/cost does (<see cref="PricingRequestReader"/>); the ledger adds the id,
/// status, latency and tags. Every error is collected by field name, so nothing half-valid is stored.
/// </summary>
public sealed class UsageCallReader(PricingEngine engine, TimeProvider clock)
{
    public const int MaxIdLength = 128;
    public const int MaxTagLength = 256;
    public const int MaxTagKeyLength = 64;
    public const int MaxCustomTags = 16;

    /// <summary>
    /// The most a gateway may report one call cost: far above any real call (a million tokens at the dearest
    /// catalogue price is a few hundred dollars), far below what would overflow the ledger's sums.
    /// </summary>
    public const decimal MaxReportedCostUsd = 1_000_000m;

    /// <summary>The usage object is kept as sent (whitespace and all); a provider's is a few hundred bytes.</summary>
    public const int MaxUsageBytes = 16 * 1024;

    /// <summary>The fields a call has beside those <see cref="PricingRequestReader.Fields"/> reads.</summary>
    public static readonly string[] LedgerFields = ["id", "latency_ms", "status", "user", "team", "app", "endpoint", "tags", "reported_cost_usd", .. CostApi.CallFields];
    private static readonly string[] NamedTags = ["user", "team", "app", "endpoint"];

    /// <param name="keyId">The id of the API key the call was sent with, recorded with it (never the key itself).</param>
    public UsageRecord? Read(JsonElement body, Dictionary<string, string[]> errors, string path = "", string? keyId = null)
    {
        var now = Milliseconds(clock.GetUtcNow());
        var call = PricingRequestReader.Read(body, now, errors, path, LedgerFields);
        if (body.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var id = PricingRequestReader.Text(body, "id", path, errors, required: true, MaxIdLength);
        var status = Status(body, path, errors);
        var latency = Latency(body, path, errors);
        var named = NamedTags.Select(name => PricingRequestReader.Text(body, name, path, errors, required: false, MaxTagLength)).ToArray();
        var tags = Tags(body, path, errors);
        var reportedCost = ReportedCost(body, path, errors);
        if (body.TryGetProperty("usage", out var usageAsSent) && System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(usageAsSent).Length > MaxUsageBytes)
        {
            PricingRequestReader.Add(errors, path + "usage", $"'usage' is {System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(usageAsSent).Length} bytes as sent; the ledger keeps it as sent, up to {MaxUsageBytes} bytes: send the provider's usage object without padding");
        }

        if (reportedCost is null && call?.ReportedCostUsd is > MaxReportedCostUsd)
        {
            PricingRequestReader.Add(errors, path + "usage.cost", $"'usage.cost' is {call.ReportedCostUsd} US dollars; one call costs at most {MaxReportedCostUsd:#,0}: send the usage as the provider returned it");
        }

        if (call is null || id is null || errors.Count > 0)
        {
            return null;
        }

        var hasUsage = body.TryGetProperty("usage", out var sentUsage) && sentUsage.ValueKind != JsonValueKind.Null;
        var sent = new UsageRecord(
            id,
            call.Timestamp is { } at ? Milliseconds(at) : now,
            call.Model,
            call.Provider,
            UsageCounts.From(call.Usage),
            CostApi.ShapeName(call.Shape),
            hasUsage ? sentUsage.Clone() : null,
            status,
            latency,
            named[0],
            named[1],
            named[2],
            named[3],
            tags,
            Pricing: null!,
            Original: null,
            ReceivedAt: now,
            Fingerprint(body),
            reportedCost ?? call.ReportedCostUsd)
        {
            SentOrderFingerprint = () => SentOrderFingerprint(body),
            ServiceTier = call.ServiceTier,
            Region = call.Region,
            Unpriced = call.Unpriced,
            KeyId = keyId,
        };
        var (pricing, usage) = Price(sent, call.Usage, count: true);
        return sent with { Pricing = pricing, Usage = usage };
    }

    /// <summary>The pricing <paramref name="record"/> gets from the catalogue built in now (for recalculation): its counts, service tier and region priced again.</summary>
    public UsagePricing Reprice(UsageRecord record) => Price(record, record.TokenUsage, count: false).Pricing;

    /// <summary>
    /// Prices a record from the usage it was sent with: actual counts stay actual, a call sent without
    /// usage is estimated (the counts priced are kept), and a failed call sent without usage is counted
    /// at zero with token_source 'unknown': nothing says it was billed.
    /// </summary>
    /// <param name="usage">The counts as read from the usage sent (or as stored, for a recalculation).</param>
    /// <param name="count">Counts the call in <see cref="CatalogMetrics"/> (a recalculation is counted on its own).</param>
    private (UsagePricing Pricing, UsageCounts Usage) Price(UsageRecord record, in TokenUsage usage, bool count)
    {
        var cost = engine.Price(record.Model, record.Provider, record.SentUsage is null ? default : usage, record.Timestamp, record.ServiceTier, record.Region);
        var resolution = cost.Resolution;
        if (count)
        {
            CatalogMetrics.Priced(resolution.Source, resolution.Provider?.Id);
        }

        var unknown = record.SentUsage is null && record.Status == CallStatus.Error;
        var pricing = new UsagePricing(
            resolution.ResolvedModel,
            resolution.Provider?.Id ?? record.Provider,
            resolution.Source,
            unknown ? TokenSource.Unknown : cost.TokenSource,
            unknown ? UsageCost.Zero : UsageCost.From(cost),
            engine.Version);
        return (pricing, unknown ? record.Usage : UsageCounts.From(cost.Usage));
    }

    /// <summary>Times are kept to the millisecond (the precision of the store), so a replay returns exactly what was acknowledged.</summary>
    private static DateTimeOffset Milliseconds(DateTimeOffset at) => at.AddTicks(-(at.UtcTicks % TimeSpan.TicksPerMillisecond)).ToUniversalTime();

    /// <summary>
    /// A hash of the body's canonical form: fields in ordinal order at every level, strings unescaped, whitespace
    /// aside. The same call re-sent with its fields in another order is the same call; another value is a conflict.
    /// </summary>
    public static string Fingerprint(JsonElement body) => Hash(body, canonical: true);

    /// <summary>The hash of the body with its fields in the order sent, as records stored before fingerprints were canonical have it.</summary>
    public static string SentOrderFingerprint(JsonElement body) => Hash(body, canonical: false);

    private static string Hash(JsonElement body, bool canonical)
    {
        // The buffer and writer are kept per thread: a batch fingerprints thousands of items.
        var buffer = _fingerprintBuffer ??= new System.Buffers.ArrayBufferWriter<byte>(1024);
        var writer = _fingerprintWriter ??= new Utf8JsonWriter(buffer);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        if (canonical)
        {
            WriteCanonical(body, writer);
        }
        else
        {
            body.WriteTo(writer);
        }

        writer.Flush();
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, hash);
        if (buffer.Capacity > 64 * 1024)
        {
            // One large body does not pin a large buffer to the thread.
            _fingerprintBuffer = null;
            _fingerprintWriter = null;
        }

        return Convert.ToBase64String(hash);
    }

    private static void WriteCanonical(JsonElement element, Utf8JsonWriter writer)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var count = element.GetPropertyCount();
                var rented = ArrayPool<JsonProperty>.Shared.Rent(count);
                var properties = rented.AsSpan(0, count);
                var plain = true;
                var at = 0;
                foreach (var property in element.EnumerateObject())
                {
                    properties[at++] = property;
                    plain &= IsPlainAscii(JsonMarshal.GetRawUtf8PropertyName(property));
                }

                // Names of ASCII without escapes (what gateways send) sort and write from their bytes as sent: for ASCII the
                // byte order is the ordinal order of the names, and the writer escapes them as it escapes the same string.
                // Any other name is unescaped to a string first, as before (FingerprintTests hold both to the same bytes).
                if (plain)
                {
                    properties.Sort(static (a, b) => JsonMarshal.GetRawUtf8PropertyName(a).SequenceCompareTo(JsonMarshal.GetRawUtf8PropertyName(b)));
                }
                else
                {
                    properties.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                }

                writer.WriteStartObject();
                foreach (var property in properties)
                {
                    if (plain)
                    {
                        writer.WritePropertyName(JsonMarshal.GetRawUtf8PropertyName(property));
                    }
                    else
                    {
                        writer.WritePropertyName(property.Name);
                    }

                    WriteCanonical(property.Value, writer);
                }

                writer.WriteEndObject();
                ArrayPool<JsonProperty>.Shared.Return(rented, clearArray: true);
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(item, writer);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                // A string without escapes is its bytes as sent (valid UTF-8: the parser checked it), written as its text would be.
                var raw = JsonMarshal.GetRawUtf8Value(element)[1..^1];
                if (raw.IndexOf((byte)'\\') < 0)
                {
                    writer.WriteStringValue(raw);
                }
                else
                {
                    writer.WriteStringValue(element.GetString());
                }

                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    private static bool IsPlainAscii(ReadOnlySpan<byte> name) => Ascii.IsValid(name) && name.IndexOf((byte)'\\') < 0;

    [ThreadStatic]
    private static System.Buffers.ArrayBufferWriter<byte>? _fingerprintBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _fingerprintWriter;

    private static CallStatus Status(JsonElement body, string path, Dictionary<string, string[]> errors)
    {
        var text = PricingRequestReader.Text(body, "status", path, errors, required: false);
        switch (text)
        {
            case null or "success":
                return CallStatus.Success;
            case "error":
                return CallStatus.Error;
            default:
                PricingRequestReader.Add(errors, path + "status", $"'status' is '{text}'; send \"success\" or \"error\"");
                return CallStatus.Success;
        }
    }

    private static long? Latency(JsonElement body, string path, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty("latency_ms", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var ms) && ms >= 0 && ms <= (long)TimeSpan.FromDays(1).TotalMilliseconds)
        {
            return ms;
        }

        PricingRequestReader.Add(errors, path + "latency_ms", "'latency_ms' must be a whole number of milliseconds from 0 to 86400000 (one day)");
        return null;
    }

    /// <summary>The gateway's own cost of the call, read from the JSON number's text (exact, never through a double).</summary>
    private static decimal? ReportedCost(JsonElement body, string path, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty("reported_cost_usd", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number
            && decimal.TryParse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var usd)
            && usd is >= 0 and <= MaxReportedCostUsd)
        {
            return usd;
        }

        PricingRequestReader.Add(errors, path + "reported_cost_usd", $"'reported_cost_usd' must be a number of US dollars from 0 to {MaxReportedCostUsd:#,0} (what one call can cost), such as 0.00945");
        return null;
    }

    private static Dictionary<string, string> Tags(JsonElement body, string path, Dictionary<string, string[]> errors)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!body.TryGetProperty("tags", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return tags;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            PricingRequestReader.Add(errors, path + "tags", "'tags' must be an object of string values, such as {\"feature\": \"search\"}");
            return tags;
        }

        foreach (var tag in value.EnumerateObject())
        {
            var field = $"{path}tags.{tag.Name}";
            if (tags.Count == MaxCustomTags)
            {
                PricingRequestReader.Add(errors, path + "tags", $"more than {MaxCustomTags} custom tags; keep the {MaxCustomTags} you query by");
                break;
            }

            if (tag.Name.Length is 0 or > MaxTagKeyLength || !tag.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':'))
            {
                PricingRequestReader.Add(errors, field, $"tag names are 1 to {MaxTagKeyLength} characters of letters, digits, '_', '-', '.' or ':'");
                continue;
            }

            if (Array.IndexOf(NamedTags, tag.Name) >= 0)
            {
                PricingRequestReader.Add(errors, field, $"'{tag.Name}' is a field of its own; send it beside 'tags', not inside");
                continue;
            }

            var text = tag.Value.ValueKind == JsonValueKind.String ? tag.Value.GetString()! : null;
            if (text is null || text.Length > MaxTagLength || text.Any(char.IsControl))
            {
                PricingRequestReader.Add(errors, field, $"tag values are strings of at most {MaxTagLength} characters without control characters");
                continue;
            }

            tags[tag.Name] = text;
        }

        return tags;
    }
}
