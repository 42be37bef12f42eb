using System.Globalization;
using System.Text.Json;
using Catalog.Pricing;
using static Catalog.Api.Http.PricingRequestReader;
using static System.FormattableString;
using Catalog.Api.Http;

namespace Catalog.Api.Features.Endpoints;

/// <summary>An endpoint id as sent, with the field it came from (for a 404 that names it).</summary>
public sealed record RequestedEndpoint(string Id, string Field);

/// <summary>A validated estimate request; <see cref="Endpoints"/> null means all of them.</summary>
public sealed record EstimateQuery(IReadOnlyList<RequestedEndpoint>? Endpoints, RunSchedule Schedule, int AdditionalReplicas, decimal ScaleUpHoursPerDay);

/// <summary>
/// Validates the bodies of the endpoint API, collecting every error by field name so one
/// ValidationProblem says all that is wrong and how to fix it.
/// </summary>
public static class EndpointRequests
{
    public const int MaxEventsPerRequest = 1000;
    public const int MaxReplicas = 1000;

    /// <summary>How far in the future an event may be, for clocks that disagree a little.</summary>
    public static readonly TimeSpan AllowedClockSkew = TimeSpan.FromMinutes(5);

    private const string ScheduleExample = "{\"hours_per_day\": 2, \"days_per_week\": 5} or {\"always_on\": true}";
    private const string EventExample = "{\"status\": \"running\", \"replicas\": 1, \"at\": \"2026-11-20T10:00:00Z\"}";
    private static readonly string[] EstimateFields = ["endpoints", "schedule", "additional_replicas", "scale_up_hours_per_day"];
    private static readonly string[] ScheduleFields = ["hours_per_day", "days_per_week", "always_on"];
    private static readonly string[] EventFields = ["status", "replicas", "at"];

    public static EstimateQuery? ReadEstimate(JsonElement body, Dictionary<string, string[]> errors)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            Add(errors, "body", $"must be a JSON object such as {{\"schedule\": {ScheduleExample}}}");
            return null;
        }

        return ReadEstimateObject(body, errors);
    }

    private static EstimateQuery? ReadEstimateObject(JsonElement body, Dictionary<string, string[]> errors)
    {
        AddUnknownFields(body, string.Empty, EstimateFields, errors);
        var endpoints = EndpointIds(body, errors);
        var schedule = Schedule(body, errors);
        var additional = Integer(body, "additional_replicas", string.Empty, errors, 0, MaxReplicas) ?? 0;
        var scaleUp = Number(body, "scale_up_hours_per_day", string.Empty, errors, 0, RunSchedule.MaxHoursPerDay) ?? 0;
        if (schedule is { } running && scaleUp > running.HoursPerDay)
        {
            Add(errors, "scale_up_hours_per_day", Invariant($"'scale_up_hours_per_day' is {scaleUp}, more than the {running.HoursPerDay} hours running per day; endpoints scale up only while they run"));
        }

        return schedule is null || errors.Count > 0 ? null : new EstimateQuery(endpoints, schedule.Value, additional, scaleUp);
    }

    /// <summary>One event object, or an array of up to <see cref="MaxEventsPerRequest"/>; all valid or none taken.</summary>
    public static IReadOnlyList<EndpointEvent>? ReadEvents(JsonElement body, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        if (body.ValueKind == JsonValueKind.Object)
        {
            var one = ReadEvent(body, string.Empty, now, errors);
            return one is null ? null : [one.Value];
        }

        if (body.ValueKind != JsonValueKind.Array || body.GetArrayLength() is 0 or > MaxEventsPerRequest)
        {
            Add(errors, "body", $"send one event such as {EventExample}, or an array of 1 to {MaxEventsPerRequest} of them");
            return null;
        }

        var events = new List<EndpointEvent>(body.GetArrayLength());
        var index = 0;
        foreach (var item in body.EnumerateArray())
        {
            if (ReadEvent(item, $"[{index++}].", now, errors) is { } read)
            {
                events.Add(read);
            }
        }

        return errors.Count > 0 ? null : events;
    }

    private static EndpointEvent? ReadEvent(JsonElement item, string path, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            Add(errors, path.Length == 0 ? "body" : path.TrimEnd('.'), $"must be an event object such as {EventExample}");
            return null;
        }

        var before = errors.Count;
        AddUnknownFields(item, path, EventFields, errors);
        EndpointStatus? status = null;
        if (Text(item, "status", path, errors, required: true) is { } text)
        {
            if (EndpointStatuses.TryParse(text, out var parsed))
            {
                status = parsed;
            }
            else
            {
                var nearest = NameSuggestions.Nearest(text, EndpointStatuses.Names);
                Add(errors, path + "status", $"unknown status '{text}'{(nearest is null ? string.Empty : $"; did you mean '{nearest}'?")} Statuses: {string.Join(", ", EndpointStatuses.Names)}");
            }
        }

        var at = Timestamp(item, path, errors, "at");
        if (at is null && !Present(item, "at"))
        {
            Add(errors, path + "at", "'at' is required: when Hugging Face reported the status, e.g. \"2026-11-20T10:00:00Z\"");
        }
        else if (at > now + AllowedClockSkew)
        {
            Add(errors, path + "at", $"'at' is {Iso(at.Value)}, in the future (now is {Iso(now)}); send the time the status changed");
        }

        var replicas = Integer(item, "replicas", path, errors, 0, MaxReplicas);
        if (status is null || at is null || errors.Count > before)
        {
            return null;
        }

        return new EndpointEvent(at.Value, status.Value, replicas ?? (status.Value.IsBilled() ? 1 : 0));
    }

    private static List<RequestedEndpoint>? EndpointIds(JsonElement body, Dictionary<string, string[]> errors)
    {
        if (!Present(body, "endpoints"))
        {
            return null;
        }

        var value = body.GetProperty("endpoints");
        if (value.ValueKind == JsonValueKind.String)
        {
            return Text(body, "endpoints", string.Empty, errors, required: true) is { } id ? [new RequestedEndpoint(id, "endpoints")] : null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            Add(errors, "endpoints", "'endpoints' must be a list of endpoint ids such as [\"phi-4\"]; leave it out for all endpoints (GET /v1/endpoints lists them)");
            return null;
        }

        var ids = new List<RequestedEndpoint>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var field = $"endpoints[{index++}]";
            if (item.ValueKind == JsonValueKind.String && JsonText.TryGetString(item, out var text) && text.Trim() is { Length: > 0 and <= MaxNameLength } id)
            {
                ids.Add(new RequestedEndpoint(id, field));
            }
            else
            {
                Add(errors, field, $"'{field}' must be an endpoint id (a non-empty string of at most {MaxNameLength} characters)");
            }
        }

        return ids;
    }

    private static RunSchedule? Schedule(JsonElement body, Dictionary<string, string[]> errors)
    {
        if (!Present(body, "schedule") || body.GetProperty("schedule") is not { ValueKind: JsonValueKind.Object } schedule)
        {
            Add(errors, "schedule", $"'schedule' is required: {ScheduleExample}");
            return null;
        }

        const string path = "schedule.";
        AddUnknownFields(schedule, path, ScheduleFields, errors);
        var alwaysOn = Bool(schedule, "always_on", path, errors);
        var hours = Number(schedule, "hours_per_day", path, errors, 0, RunSchedule.MaxHoursPerDay);
        var days = Number(schedule, "days_per_week", path, errors, 0, RunSchedule.MaxDaysPerWeek);
        if (alwaysOn == true)
        {
            if (Present(schedule, "hours_per_day") || Present(schedule, "days_per_week"))
            {
                Add(errors, path + "always_on", "always_on means 24 hours on 7 days; leave hours_per_day and days_per_week out, or set always_on to false");
                return null;
            }

            return RunSchedule.AlwaysOn;
        }

        foreach (var name in new[] { "hours_per_day", "days_per_week" })
        {
            if (!Present(schedule, name))
            {
                Add(errors, path + name, $"'{name}' is required unless always_on is true: {ScheduleExample}");
            }
        }

        return hours is { } h && days is { } d ? new RunSchedule(h, d) : null;
    }

    private static bool Present(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    private static decimal? Number(JsonElement body, string name, string path, Dictionary<string, string[]> errors, decimal min, decimal max)
    {
        if (!Present(body, name))
        {
            return null;
        }

        if (body.GetProperty(name) is not { ValueKind: JsonValueKind.Number } value || !value.TryGetDecimal(out var number))
        {
            Add(errors, path + name, Invariant($"'{name}' must be a number from {min} to {max}"));
            return null;
        }

        if (number < min || number > max)
        {
            Add(errors, path + name, Invariant($"'{name}' is {number}; it must be from {min} to {max}"));
            return null;
        }

        return number;
    }

    private static int? Integer(JsonElement body, string name, string path, Dictionary<string, string[]> errors, int min, int max)
    {
        var number = Number(body, name, path, errors, min, max);
        if (number is { } n && n != decimal.Truncate(n))
        {
            Add(errors, path + name, Invariant($"'{name}' is {n}; it must be a whole number"));
            return null;
        }

        return (int?)number;
    }

    private static bool? Bool(JsonElement body, string name, string path, Dictionary<string, string[]> errors)
    {
        if (!Present(body, name))
        {
            return null;
        }

        var kind = body.GetProperty(name).ValueKind;
        if (kind is JsonValueKind.True or JsonValueKind.False)
        {
            return kind == JsonValueKind.True;
        }

        Add(errors, path + name, $"'{name}' must be true or false");
        return null;
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
