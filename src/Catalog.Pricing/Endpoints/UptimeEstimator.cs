using static System.FormattableString;

namespace Catalog.Pricing;

/// <summary>When endpoints run: <see cref="HoursPerDay"/> hours on <see cref="DaysPerWeek"/> days a week.</summary>
public readonly record struct RunSchedule(decimal HoursPerDay, decimal DaysPerWeek)
{
    public const decimal MaxHoursPerDay = 24;
    public const decimal MaxDaysPerWeek = 7;

    public static RunSchedule AlwaysOn { get; } = new(MaxHoursPerDay, MaxDaysPerWeek);

    public bool IsAlwaysOn => this == AlwaysOn;
}

/// <summary>What one endpoint costs on a schedule. <see cref="HourlyUsd"/> is an hour running at <see cref="Replicas"/> (<see cref="ReplicaHourlyUsd"/> × replicas).</summary>
public sealed record EndpointEstimate(
    string Id,
    string Model,
    decimal ReplicaHourlyUsd,
    int Replicas,
    int AdditionalReplicas,
    decimal HourlyUsd,
    decimal DailyUsd,
    decimal WeeklyUsd,
    decimal MonthlyUsd,
    IReadOnlyList<string> Notes);

/// <summary>The endpoints' estimates and their sums.</summary>
public sealed record UptimeEstimate(
    decimal HourlyUsd,
    decimal DailyUsd,
    decimal WeeklyUsd,
    decimal MonthlyUsd,
    IReadOnlyList<EndpointEstimate> Endpoints);

/// <summary>
/// Hugging Face's uptime formula, Cost = HourlyRate × (HoursRunning × MinReplicas + ScaleUpHours × AdditionalReplicas),
/// for a schedule. While it runs, an endpoint has at least one replica, so a scale-to-zero endpoint
/// (min_replicas 0) counts as one: that is how the seed's "3 endpoints × $3.4/hour × 2 hours/day × 5 days/week = $34/week" reads.
/// Additional replicas are capped at max_replicas. A day is a running day of the schedule; a month is 30 days, weekly × 30 / 7.
/// </summary>
public static class UptimeEstimator
{
    public const int DaysPerMonth = 30;
    private const decimal HoursPerWeek = RunSchedule.MaxHoursPerDay * RunSchedule.MaxDaysPerWeek;

    public static UptimeEstimate Estimate(IEnumerable<EndpointInfo> endpoints, RunSchedule schedule, int additionalReplicas = 0, decimal scaleUpHoursPerDay = 0)
    {
        if (schedule.HoursPerDay is < 0 or > RunSchedule.MaxHoursPerDay)
        {
            throw new ArgumentOutOfRangeException(nameof(schedule), schedule.HoursPerDay, "hours per day must be from 0 to 24");
        }

        if (schedule.DaysPerWeek is < 0 or > RunSchedule.MaxDaysPerWeek)
        {
            throw new ArgumentOutOfRangeException(nameof(schedule), schedule.DaysPerWeek, "days per week must be from 0 to 7");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(additionalReplicas);
        if (scaleUpHoursPerDay < 0 || scaleUpHoursPerDay > schedule.HoursPerDay)
        {
            throw new ArgumentOutOfRangeException(nameof(scaleUpHoursPerDay), scaleUpHoursPerDay, "scale-up hours must be from 0 to the hours running per day");
        }

        var estimates = endpoints.Select(e => EstimateOne(e, schedule, additionalReplicas, scaleUpHoursPerDay)).ToArray();
        var weekly = estimates.Sum(e => e.WeeklyUsd);
        return new UptimeEstimate(estimates.Sum(e => e.HourlyUsd), estimates.Sum(e => e.DailyUsd), weekly, Monthly(weekly), estimates);
    }

    private static EndpointEstimate EstimateOne(EndpointInfo endpoint, RunSchedule schedule, int additionalReplicas, decimal scaleUpHoursPerDay)
    {
        var replicas = Math.Max(endpoint.MinReplicas, 1);
        var additional = Math.Min(additionalReplicas, Math.Max(endpoint.MaxReplicas - replicas, 0));
        var notes = new List<string>();
        if (additional < additionalReplicas)
        {
            notes.Add($"max_replicas is {endpoint.MaxReplicas}: {additionalReplicas} additional replicas capped at {additional}");
        }

        if (endpoint.MinReplicas >= 1 && !schedule.IsAlwaysOn)
        {
            var alwaysOn = endpoint.HourlyUsd * endpoint.MinReplicas * HoursPerWeek;
            notes.Add(Invariant($"min_replicas {endpoint.MinReplicas} never scales to zero: this schedule holds only if you pause it outside these hours; left running it costs {alwaysOn} USD a week"));
        }

        var daily = endpoint.HourlyUsd * ((schedule.HoursPerDay * replicas) + (scaleUpHoursPerDay * additional));
        var weekly = daily * schedule.DaysPerWeek;
        return new EndpointEstimate(endpoint.Id, endpoint.Model, endpoint.HourlyUsd, replicas, additional, endpoint.HourlyUsd * replicas, daily, weekly, Monthly(weekly), notes);
    }

    private static decimal Monthly(decimal weekly) => Money.Round(weekly * DaysPerMonth / RunSchedule.MaxDaysPerWeek);
}
