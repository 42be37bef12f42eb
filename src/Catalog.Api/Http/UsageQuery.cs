using System.Globalization;
using Catalog.Ledger;

namespace Catalog.Api.Http;

/// <summary>
/// The query parameters the ledger's read endpoints share. <c>from</c> is inclusive and <c>to</c>
/// exclusive; each is an ISO-8601 date and time, or a date (meaning 00:00 UTC that day).
/// </summary>
public static class UsageQuery
{
    public static UsageFilter? ReadFilter(HttpRequest request, Dictionary<string, string[]> errors)
    {
        var from = ReadTime(request, "from", errors);
        var to = ReadTime(request, "to", errors);
        if (from is not null && to is not null && from >= to)
        {
            PricingRequestReader.Add(errors, "to", "'to' must be later than 'from' (from is inclusive, to exclusive)");
        }

        return errors.Count > 0 ? null : new UsageFilter(from, to, Text(request, "model"), Text(request, "provider"), Text(request, "user"), Text(request, "team"));
    }

    public static DateTimeOffset? ReadTime(HttpRequest request, string name, Dictionary<string, string[]> errors)
    {
        var text = Text(request, name);
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return at;
        }

        PricingRequestReader.Add(errors, name, $"'{name}' is '{text}'; send an ISO-8601 date (2026-11-01) or date and time (2026-11-01T00:00:00Z)");
        return null;
    }

    /// <summary>A whole UTC day for the summary, which is kept per day.</summary>
    public static DateOnly? ReadDay(HttpRequest request, string name, Dictionary<string, string[]> errors)
    {
        if (ReadTime(request, name, errors) is not { } at)
        {
            return null;
        }

        if (at.TimeOfDay != TimeSpan.Zero)
        {
            PricingRequestReader.Add(errors, name, $"'{name}' must be a whole UTC day (the summary is kept per day): send a date such as {at:yyyy-MM-dd}, or 00:00:00Z");
            return null;
        }

        return DateOnly.FromDateTime(at.UtcDateTime);
    }

    public static int ReadLimit(HttpRequest request, int fallback, int max, Dictionary<string, string[]> errors)
    {
        var text = Text(request, "limit");
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit >= 1 && limit <= max)
        {
            return limit;
        }

        PricingRequestReader.Add(errors, "limit", $"'limit' must be a whole number from 1 to {max}");
        return fallback;
    }

    public static bool ReadFlag(HttpRequest request, string name, bool fallback, Dictionary<string, string[]> errors)
    {
        var text = Text(request, name);
        if (text is null)
        {
            return fallback;
        }

        if (bool.TryParse(text, out var flag))
        {
            return flag;
        }

        PricingRequestReader.Add(errors, name, $"'{name}' must be true or false");
        return fallback;
    }

    public static string? Text(HttpRequest request, string name)
    {
        var value = request.Query[name].ToString().Trim();
        return value.Length == 0 ? null : value;
    }
}
