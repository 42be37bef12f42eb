using Catalog.Pricing;

namespace Catalog.Api.Features.Endpoints;

/// <summary>Hours a day on days a week, or always on (24 × 7).</summary>
/// <param name="HoursPerDay">0 to 24, hours running on a running day.</param>
/// <param name="DaysPerWeek">0 to 7.</param>
/// <param name="AlwaysOn">true: around the clock; leave hours_per_day and days_per_week out.</param>
public sealed record ScheduleRequest(decimal? HoursPerDay, decimal? DaysPerWeek, bool? AlwaysOn);

/// <summary>Estimate uptime cost on a schedule.</summary>
/// <param name="Endpoints">Endpoint ids; leave out for all of the catalogue's endpoints.</param>
/// <param name="Schedule">When they run.</param>
/// <param name="AdditionalReplicas">Replicas above the minimum while scaled up (capped at max_replicas); default 0.</param>
/// <param name="ScaleUpHoursPerDay">Hours a running day spends scaled up, at most hours_per_day; default 0.</param>
public sealed record EstimateRequest(string[]? Endpoints, ScheduleRequest Schedule, int? AdditionalReplicas, decimal? ScaleUpHoursPerDay);

public sealed record ScheduleView(decimal HoursPerDay, decimal DaysPerWeek, bool AlwaysOn, int AdditionalReplicas, decimal ScaleUpHoursPerDay);

/// <summary>Sums over the endpoints: daily is one running day, monthly 30 days (weekly × 30 / 7).</summary>
public sealed record EstimateResponse(
    decimal HourlyUsd,
    decimal DailyUsd,
    decimal WeeklyUsd,
    decimal MonthlyUsd,
    string Currency,
    ScheduleView Schedule,
    IReadOnlyList<EndpointEstimate> Endpoints,
    string CatalogVersion);

/// <summary>A status change as Hugging Face reports it.</summary>
/// <param name="Status">pending, initializing, updating, running, paused, failed or scaledToZero.</param>
/// <param name="Replicas">Replicas up from then on; default 1 for initializing, updating and running, else 0.</param>
/// <param name="At">When the status changed (ISO-8601).</param>
public sealed record EndpointEventRequest(string Status, int? Replicas, DateTimeOffset At);

/// <summary>Events received; duplicates (same at, status and replicas) are ignored.</summary>
public sealed record EventsRecorded(string Endpoint, int Received, int Recorded, int Duplicates);

public sealed record EndpointEventView(DateTimeOffset At, string Status, int Replicas);

public sealed record EndpointEventList(string Endpoint, EndpointEventView[] Events);

/// <summary>
/// Uptime cost of one endpoint in [from, to): billed per started minute of initializing, updating and
/// running, times replicas. minutes_by_status is exact time, not rounded up. tokens (input + output)
/// are those of the ledger's usage records tagged with the endpoint; effective_usd_per_mtok is the
/// uptime cost per million of them (null when there were none).
/// </summary>
public sealed record EndpointCost(
    string Id,
    string Model,
    DateTimeOffset From,
    DateTimeOffset To,
    decimal HourlyUsd,
    long BilledMinutes,
    long ReplicaMinutes,
    decimal CostUsd,
    string Currency,
    IReadOnlyDictionary<string, decimal> MinutesByStatus,
    string? Status,
    int Replicas,
    decimal Tokens,
    decimal? EffectiveUsdPerMtok);

public sealed record EndpointCostList(DateTimeOffset From, DateTimeOffset To, decimal CostUsd, long ReplicaMinutes, string Currency, EndpointCost[] Endpoints);

/// <summary>Endpoints costing money for nothing, with what each wastes a week if left as it is.</summary>
public sealed record EndpointWarningList(DateTimeOffset At, decimal ProjectedWeeklyWasteUsd, EndpointWarning[] Warnings);
