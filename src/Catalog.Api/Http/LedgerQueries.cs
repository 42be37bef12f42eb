using System.Globalization;
using Catalog.Ledger;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Api.Http;

/// <summary>
/// The query string of a ledger read, bound with <c>[AsParameters]</c> so the OpenAPI document lists it.
/// Values arrive as text and are read here, so a bad one is a 400 naming it rather than a binding failure.
/// <c>from</c> is inclusive and <c>to</c> exclusive.
/// </summary>
public class TimeRangeQuery
{
    /// <summary>Inclusive start: an ISO-8601 date (2026-11-01, meaning 00:00 UTC) or date and time (2026-11-01T00:00:00Z).</summary>
    [FromQuery(Name = "from")]
    public string? From { get; set; }

    /// <summary>Exclusive end, as <c>from</c>.</summary>
    [FromQuery(Name = "to")]
    public string? To { get; set; }

    /// <summary>[from, to) as times; either may be left out.</summary>
    public (DateTimeOffset? From, DateTimeOffset? To) ReadRange(Dictionary<string, string[]> errors)
    {
        var from = ReadTime(From, "from", errors);
        var to = ReadTime(To, "to", errors);
        if (from is not null && to is not null && from >= to)
        {
            PricingRequestReader.Add(errors, "to", "'to' must be later than 'from' (from is inclusive, to exclusive)");
        }

        return (from, to);
    }

    protected static DateTimeOffset? ReadTime(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (Text(value) is not { } text)
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

    protected static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>The <c>limit</c> parameter: 1 to <paramref name="max"/>, <paramref name="fallback"/> when not sent.</summary>
    protected static int ReadLimit(string? value, int fallback, int max, Dictionary<string, string[]> errors)
    {
        if (Text(value) is not { } text)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit >= 1 && limit <= max)
        {
            return limit;
        }

        PricingRequestReader.Add(errors, "limit", $"'limit' must be a whole number from 1 to {max.ToString("N0", CultureInfo.InvariantCulture)}");
        return fallback;
    }
}

/// <summary>Which calls: a time range and the dimensions a call was recorded with.</summary>
public class UsageFilterQuery : TimeRangeQuery
{
    /// <summary>The model as sent or as priced (an alias, a dated snapshot or the catalogue id).</summary>
    [FromQuery(Name = "model")]
    public string? Model { get; set; }

    /// <summary>The provider as sent or as priced.</summary>
    [FromQuery(Name = "provider")]
    public string? Provider { get; set; }

    [FromQuery(Name = "user")]
    public string? User { get; set; }

    [FromQuery(Name = "team")]
    public string? Team { get; set; }

    [FromQuery(Name = "app")]
    public string? App { get; set; }

    /// <summary>One custom tag and its value, as key:value (feature:search).</summary>
    [FromQuery(Name = "tag")]
    public string? Tag { get; set; }

    /// <summary>success or error.</summary>
    [FromQuery(Name = "status")]
    public string? Status { get; set; }

    /// <summary>The id of the API key the call was recorded with (GET /v1/keys lists them; admin for CATALOG_ADMIN_KEY).</summary>
    [FromQuery(Name = "key_id")]
    public string? KeyId { get; set; }

    /// <summary>The resolution step that priced the call: exact, alias, match, short_name, case_insensitive, provider_default, default_model or fallback.</summary>
    [FromQuery(Name = "pricing_source")]
    public string? PricingSource { get; set; }

    /// <summary>The filter, or null with the problems in <paramref name="errors"/>.</summary>
    public UsageFilter? ReadFilter(Dictionary<string, string[]> errors)
    {
        var (from, to) = ReadRange(errors);
        return ReadFilter(from, to, errors);
    }

    protected UsageFilter? ReadFilter(DateTimeOffset? from, DateTimeOffset? to, Dictionary<string, string[]> errors)
    {
        var tag = ReadTag(errors);
        var status = ReadStatus(errors);
        var source = ReadPricingSource(errors);
        return errors.Count > 0
            ? null
            : new UsageFilter(from, to, Text(Model), Text(Provider), Text(User), Text(Team), App: Text(App), Tag: tag, Status: status, PricingSource: source, KeyId: Text(KeyId));
    }

    private Catalog.Pricing.PricingSource? ReadPricingSource(Dictionary<string, string[]> errors)
    {
        if (Text(PricingSource) is not { } text)
        {
            return null;
        }

        var known = Enum.GetValues<Catalog.Pricing.PricingSource>();
        foreach (var source in known)
        {
            if (Catalog.Pricing.PricingNames.ToWire(source) == text)
            {
                return source;
            }
        }

        PricingRequestReader.Add(errors, "pricing_source", $"'pricing_source' is '{text}'; send one of {string.Join(", ", known.Select(Catalog.Pricing.PricingNames.ToWire))}");
        return null;
    }

    private UsageTag? ReadTag(Dictionary<string, string[]> errors)
    {
        if (Text(Tag) is not { } text)
        {
            return null;
        }

        var colon = text.IndexOf(':');
        if (colon > 0)
        {
            return new UsageTag(text[..colon], text[(colon + 1)..]);
        }

        PricingRequestReader.Add(errors, "tag", $"'tag' is '{text}'; send a custom tag and its value as key:value, such as tag=feature:search");
        return null;
    }

    private CallStatus? ReadStatus(Dictionary<string, string[]> errors)
    {
        switch (Text(Status))
        {
            case null:
                return null;
            case "success":
                return CallStatus.Success;
            case "error":
                return CallStatus.Error;
            case var text:
                PricingRequestReader.Add(errors, "status", $"'status' is '{text}'; send success or error");
                return null;
        }
    }
}

/// <summary>A page of recorded calls.</summary>
public sealed class UsageListQuery : UsageFilterQuery
{
    /// <summary>Calls per page, 1 to 1,000 (default 100).</summary>
    [FromQuery(Name = "limit")]
    public string? Limit { get; set; }

    /// <summary>The next_cursor of the previous page.</summary>
    [FromQuery(Name = "cursor")]
    public string? Cursor { get; set; }

    public int ReadLimit(int fallback, int max, Dictionary<string, string[]> errors) => ReadLimit(Limit, fallback, max, errors);

    public string? ReadCursor() => Text(Cursor);
}

/// <summary>Which calls to price again, and whether to store the new prices.</summary>
public sealed class RecalculationQuery : UsageFilterQuery
{
    /// <summary>true (default): report what would change; false: store the new prices.</summary>
    [FromQuery(Name = "dry_run")]
    public string? DryRun { get; set; }

    public bool ReadDryRun(Dictionary<string, string[]> errors)
    {
        if (Text(DryRun) is not { } text)
        {
            return true;
        }

        if (bool.TryParse(text, out var dryRun))
        {
            return dryRun;
        }

        PricingRequestReader.Add(errors, "dry_run", "'dry_run' must be true or false");
        return true;
    }
}

/// <summary>The summary's whole UTC days, grouping and filters.</summary>
public sealed class SummaryQuery : UsageFilterQuery
{
    /// <summary>model (default), provider, day, user, team, app, service_tier, region, endpoint or key_id; tag:&lt;key&gt; (the calls' tags.key); or two of the first ten, comma-separated (team,model).</summary>
    [FromQuery(Name = "group_by")]
    public string? GroupBy { get; set; }

    /// <summary>Groups listed, 1 to 10,000 (default 100); the rest are summed in <c>other</c>. Also bounds fallback_models and reported_cost_mismatches.</summary>
    [FromQuery(Name = "limit")]
    public string? Limit { get; set; }

    /// <summary>[from, to) as whole UTC days (the rollups are kept per day), the grouping, the filter and how many groups to list.</summary>
    public (DateOnly? From, DateOnly? To, SummaryGroupBy GroupBy, UsageFilter? Filter, int Limit) Read(Dictionary<string, string[]> errors)
    {
        var from = ReadDay(From, "from", errors);
        var to = ReadDay(To, "to", errors);
        if (from is not null && to is not null && from >= to)
        {
            PricingRequestReader.Add(errors, "to", "'to' must be a later day than 'from' (from is inclusive, to exclusive)");
        }

        var groupBy = ReadGroupBy(errors);
        var filter = ReadFilter(Start(from), Start(to), errors);
        return (from, to, groupBy, filter, ReadLimit(Limit, UsageSummaryBuilder.DefaultLimit, UsageSummaryBuilder.MaxLimit, errors));
    }

    private static DateTimeOffset? Start(DateOnly? day) => day is { } d ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;

    private static DateOnly? ReadDay(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (ReadTime(value, name, errors) is not { } at)
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

    private SummaryGroupBy ReadGroupBy(Dictionary<string, string[]> errors)
    {
        if (Text(GroupBy) is not { } text)
        {
            return new SummaryGroupBy(SummaryGrouping.Model);
        }

        const string Allowed = "send one of model, provider, day, user, team, app, service_tier, region, endpoint, key_id; tag:<key> (e.g. tag:feature); or two of the first ten, comma-separated (e.g. team,model)";
        if (text.StartsWith("tag:", StringComparison.Ordinal))
        {
            var key = text[4..].Trim();
            if (key.Length > 0)
            {
                return new SummaryGroupBy(SummaryGrouping.Model, TagKey: key);
            }

            PricingRequestReader.Add(errors, "group_by", $"'group_by' is '{text}': name the tag after 'tag:' (the calls' tags.key), e.g. tag:feature");
            return new SummaryGroupBy(SummaryGrouping.Model);
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var dimensions = new List<SummaryGrouping>();
        foreach (var part in parts)
        {
            if (Enum.TryParse<SummaryGrouping>(part.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true, out var groupBy) && Enum.IsDefined(groupBy) && part.Length > 0 && !char.IsDigit(part[0]))
            {
                dimensions.Add(groupBy);
            }
            else
            {
                PricingRequestReader.Add(errors, "group_by", $"'group_by' is '{text}'; {Allowed}");
                return new SummaryGroupBy(SummaryGrouping.Model);
            }
        }

        if (dimensions.Count > 2 || (dimensions.Count == 2 && dimensions[0] == dimensions[1]))
        {
            PricingRequestReader.Add(errors, "group_by", $"'group_by' is '{text}': at most two different dimensions at once; {Allowed}");
            return new SummaryGroupBy(SummaryGrouping.Model);
        }

        return new SummaryGroupBy(dimensions[0], dimensions.Count == 2 ? dimensions[1] : null);
    }
}

/// <summary>
/// What a summary's groups are keyed by: one or two rollup dimensions (read from the rollups), or a tag (counted from
/// the calls themselves, as a filter is).
/// </summary>
public sealed record SummaryGroupBy(SummaryGrouping First, SummaryGrouping? Second = null, string? TagKey = null)
{
    /// <summary>True when the rollups (or the dimension rollups: endpoint, key id) answer it with one dimension (not a tag, which they do not keep).</summary>
    public bool IsRollup => Second is null && TagKey is null && (UsageSummaryBuilder.InRollups(First) || DimensionKey.IsKept(First));

    /// <summary>The names the response's grouped_by lists.</summary>
    public string[] Names => TagKey is { } tag ? [$"tag:{tag}"] : Second is { } second ? [Name(First), Name(second)] : [Name(First)];

    /// <summary>The group a call is counted under, with one dimension (a tag's value, or the first dimension's value).</summary>
    public string KeyOf(UsageRecord record) => TagKey is { } tag
        ? record.Tags.GetValueOrDefault(tag, string.Empty)
        : UsageSummaryBuilder.GroupOf(record, First);

    private static string Name(SummaryGrouping grouping) => UsageSummaryBuilder.DimensionName(grouping);
}
