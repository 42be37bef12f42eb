using System.Globalization;
using System.Text.Json;
using Catalog.Pricing;

namespace Catalog.Api.Features.Cost;

/// <summary>A validated "price this call" request: the parts /v1/cost and the ledger share.</summary>
public sealed record PricingRequest(string Model, string? Provider, DateTimeOffset? Timestamp, TokenUsage Usage, UsageShape Shape);

/// <summary>
/// Validates {model, provider, timestamp, usage} from a JSON object, collecting every error by
/// field name (prefixed with <c>path</c> for batch items), so callers can answer with one ValidationProblem.
/// </summary>
public static class PricingRequestReader
{
    public const int MaxNameLength = 256;

    public static readonly string[] Fields = ["model", "provider", "timestamp", "usage"];

    public static PricingRequest? Read(JsonElement body, Dictionary<string, string[]> errors, string path = "", IReadOnlyCollection<string>? otherFields = null)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            Add(errors, path.Length == 0 ? "body" : path.TrimEnd('.'), "must be a JSON object such as {\"model\": \"gpt-4o\", \"usage\": {\"input_tokens\": 1000, \"output_tokens\": 500}}");
            return null;
        }

        UnknownFields(body, otherFields is null ? Fields : [.. Fields, .. otherFields], path, errors);
        var model = Text(body, "model", path, errors, required: true);
        var provider = Text(body, "provider", path, errors, required: false);
        var timestamp = Timestamp(body, path, errors);
        var usage = UsageReader.Read(body.TryGetProperty("usage", out var usageElement) ? usageElement : default, path + "usage");
        if (!usage.Ok)
        {
            Add(errors, usage.Field!, usage.Error!);
        }

        return model is null || errors.Count > 0 ? null : new PricingRequest(model, provider, timestamp, usage.Usage, usage.Shape);
    }

    /// <summary>Adds an error, with the nearest known name, for each field of <paramref name="body"/> not in <paramref name="known"/>.</summary>
    public static void UnknownFields(JsonElement body, IReadOnlyCollection<string> known, string path, Dictionary<string, string[]> errors)
    {
        foreach (var property in body.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                var nearest = Nearest(property.Name, known);
                Add(errors, path + property.Name, $"unknown field '{property.Name}'{(nearest is null ? string.Empty : $"; did you mean '{nearest}'?")} Known fields: {string.Join(", ", known)}");
            }
        }
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

        var text = value.GetString()!.Trim();
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

        if (text.Any(char.IsControl))
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

        if (value.ValueKind == JsonValueKind.String && TryParseTimestamp(value.GetString(), out var parsed))
        {
            return parsed;
        }

        Add(errors, path + name, TimestampError(name));
        return null;
    }

    /// <summary>An ISO-8601 date and time from the year 2000 on; without an offset it is UTC.</summary>
    public static bool TryParseTimestamp(string? text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value)
        && value.Year >= 2000;

    public static string TimestampError(string name) =>
        $"'{name}' must be an ISO-8601 date and time such as \"2026-11-20T10:00:00Z\" (from the year 2000 on)";

    public static void Add(Dictionary<string, string[]> errors, string field, string message) =>
        errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];

    private static string? Nearest(string input, IEnumerable<string> candidates) =>
        NameSuggestions.Nearest(input, candidates);
}
