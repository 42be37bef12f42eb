using System.Globalization;
using System.Text.Json;
using Catalog.Pricing;

namespace Catalog.Api.Http;

/// <summary>A validated "price this call" request: the parts /v1/cost and the ledger share.</summary>
public sealed record PricingRequest(string Model, string? Provider, DateTimeOffset? Timestamp, TokenUsage Usage, UsageShape Shape)
{
    /// <summary>Numbers in the usage its shape does not price: charged nothing, reported with a warning.</summary>
    public IReadOnlyList<UnpricedField> Unpriced { get; init; } = [];

    /// <summary>The service tier the call was served in (the request's service_tier, else the usage's own), or null.</summary>
    public string? ServiceTier { get; init; }

    /// <summary>The region the call was served in (the request's region, else the usage's inference_geo), or null.</summary>
    public string? Region { get; init; }

    /// <summary>The cost the usage itself reports (OpenRouter's <c>usage.cost</c>), or null.</summary>
    public decimal? ReportedCostUsd { get; init; }
}

/// <summary>
/// Validates {model, provider, timestamp, usage} from a JSON object, collecting every error by
/// field name (prefixed with <c>path</c> for batch items), so callers can answer with one ValidationProblem.
/// </summary>
public static class PricingRequestReader
{
    public const int MaxNameLength = 256;

    public static readonly string[] Fields = ["model", "provider", "timestamp", "usage"];

    /// <summary>How far ahead of the server clock a timestamp may be (clock skew), no more: the same for pricing and for the ledger.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public static PricingRequest? Read(JsonElement body, DateTimeOffset now, Dictionary<string, string[]> errors, string path = "", IReadOnlyCollection<string>? otherFields = null)
    {
        var where = path.Length == 0 ? "body" : path.TrimEnd('.');
        if (body.ValueKind != JsonValueKind.Object)
        {
            Add(errors, where, "must be a JSON object such as {\"model\": \"gpt-4o\", \"usage\": {\"input_tokens\": 1000, \"output_tokens\": 500}}");
            return null;
        }

        return ReadObject(body, now, errors, path, otherFields);
    }

    /// <summary>Names every field of <paramref name="body"/> that is not <paramref name="known"/>, with the nearest known one.</summary>
    public static void AddUnknownFields(JsonElement body, string path, string[] known, Dictionary<string, string[]> errors) =>
        AddUnknownFields(body, path, known, [], errors);

    /// <summary>The fields known are <paramref name="known"/> and <paramref name="more"/>: no list of both is made unless a field is unknown.</summary>
    private static void AddUnknownFields(JsonElement body, string path, string[] known, string[] more, Dictionary<string, string[]> errors)
    {
        foreach (var property in body.EnumerateObject())
        {
            if (!IsKnown(property, known) && !IsKnown(property, more))
            {
                string[] all = [.. known, .. more];
                var name = JsonText.NameOf(property);
                var nearest = Nearest(name, all);
                Add(errors, path + name, $"unknown field '{name}'{(nearest is null ? string.Empty : $"; did you mean '{nearest}'?")} Known fields: {string.Join(", ", all)}");
            }
        }
    }

    private static PricingRequest? ReadObject(JsonElement body, DateTimeOffset now, Dictionary<string, string[]> errors, string path, IReadOnlyCollection<string>? otherFields)
    {
        AddUnknownFields(body, path, Fields, otherFields as string[] ?? [.. otherFields ?? []], errors);

        var model = Text(body, "model", path, errors, required: true);
        var provider = Text(body, "provider", path, errors, required: false);
        var timestamp = Timestamp(body, path, errors);
        if (timestamp > now + MaxClockSkew)
        {
            Add(errors, path + "timestamp", $"'timestamp' {timestamp:O} is in the future (the server's clock says {now:O}); send the time the call was made, in UTC or with its offset");
        }
        var usage = UsageReader.Read(body.TryGetProperty("usage", out var usageElement) ? usageElement : default, path + "usage");
        if (!usage.Ok)
        {
            Add(errors, usage.Field!, usage.Error!);
        }

        var known = otherFields ?? [];
        var serviceTier = known.Contains("service_tier") ? Text(body, "service_tier", path, errors, required: false) : null;
        var region = known.Contains("region") ? Text(body, "region", path, errors, required: false) : null;
        return model is null || errors.Count > 0 ? null : new PricingRequest(model, provider, timestamp, usage.Usage, usage.Shape)
        {
            Unpriced = usage.Unpriced,
            ServiceTier = serviceTier ?? usage.ServiceTier,
            Region = region ?? usage.Region,
            ReportedCostUsd = usage.ReportedCostUsd,
        };
    }

    public static string? Text(JsonElement body, string name, string path, Dictionary<string, string[]> errors, bool required, int maxLength = MaxNameLength)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Add(errors, path + name, $"'{name}' is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Add(errors, path + name, $"'{name}' must be a string");
            return null;
        }

        if (!JsonText.TryGetString(value, out var text))
        {
            Add(errors, path + name, $"'{name}' is not valid Unicode text (bytes that are not UTF-8, or an unpaired \\u surrogate escape)");
            return null;
        }

        text = text.Trim();
        if (text.Length == 0)
        {
            if (required)
            {
                Add(errors, path + name, $"'{name}' must not be empty");
            }

            return null;
        }

        if (text.Length > maxLength)
        {
            Add(errors, path + name, $"'{name}' is {text.Length} characters long; at most {maxLength} are accepted");
            return null;
        }

        if (text.AsSpan().ContainsAnyInRange('\0', '\u001f') || text.AsSpan().ContainsAnyInRange('\u007f', '\u009f'))
        {
            Add(errors, path + name, $"'{name}' must not contain control characters");
            return null;
        }

        return text;
    }

    public static DateTimeOffset? Timestamp(JsonElement body, string path, Dictionary<string, string[]> errors, string name = "timestamp")
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && TryParseTimestamp(value, out var parsed) && parsed.Year >= 2000)
        {
            return parsed;
        }

        Add(errors, path + name, $"'{name}' must be an ISO-8601 date and time such as \"2026-11-20T10:00:00Z\" (from the year 2000 on)");
        return null;
    }

    /// <summary>ISO 8601 is read without allocating a string; other date formats the slow way. A time without an offset is UTC.</summary>
    private static bool TryParseTimestamp(JsonElement value, out DateTimeOffset parsed)
    {
        if (value.TryGetDateTime(out var time) && time.Kind != DateTimeKind.Local)
        {
            parsed = new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc));
            return true;
        }

        if (value.TryGetDateTimeOffset(out parsed))
        {
            parsed = parsed.ToUniversalTime();
            return true;
        }

        return JsonText.TryGetString(value, out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out parsed);
    }

    public static void Add(Dictionary<string, string[]> errors, string field, string message) =>
        errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];

    /// <summary>Compares the name as UTF-8 bytes: no string is allocated for the usual, known fields.</summary>
    private static bool IsKnown(JsonProperty property, ReadOnlySpan<string> fields)
    {
        foreach (var field in fields)
        {
            if (property.NameEquals(field))
            {
                return true;
            }
        }

        return false;
    }

    private static string? Nearest(string input, IEnumerable<string> candidates) =>
        NameSuggestions.Nearest(input, candidates);
}
