using Catalog.Pricing;

namespace Catalog.Pricing.Tests.Endpoints;

/// <summary>Seed 001's worked examples against the real catalogue, and the formula's edges.</summary>
public sealed class UptimeEstimatorTests
{
    private static readonly EndpointInfo[] SeedEndpoints = BuiltInCatalog.Data.Endpoints;

    [Fact]
    public void The_seed_endpoints_are_in_the_catalogue_at_their_seed_rates()
    {
        var rates = SeedEndpoints.ToDictionary(e => e.Model, e => e.HourlyUsd);
        Assert.Equal(0.80m, rates["mistralai/Mistral-7B-Instruct-v0.3"]);
        Assert.Equal(0.80m, rates["meta-llama/Llama-3.1-8B-Instruct"]);
        Assert.Equal(1.80m, rates["microsoft/phi-4"]);
        Assert.Equal(3.40m, rates.Values.Sum());
        Assert.All(SeedEndpoints, e => Assert.Equal((0, 1, 15), (e.MinReplicas, e.MaxReplicas, e.ScaleToZeroAfterMinutes)));
    }

    [Theory]
    [InlineData(2, 5, "34.00")]
    [InlineData(8, 5, "136.00")]
    [InlineData(24, 7, "571.20")]
    public void Seed_examples_weekly(int hoursPerDay, int daysPerWeek, string weekly)
    {
        var estimate = UptimeEstimator.Estimate(SeedEndpoints, new RunSchedule(hoursPerDay, daysPerWeek));
        Assert.Equal(decimal.Parse(weekly, System.Globalization.CultureInfo.InvariantCulture), estimate.WeeklyUsd);
        Assert.Equal(3.40m, estimate.HourlyUsd);
    }

    [Fact]
    public void Always_on_is_24_hours_on_7_days()
    {
        var estimate = UptimeEstimator.Estimate(SeedEndpoints, RunSchedule.AlwaysOn);
        Assert.Equal(571.20m, estimate.WeeklyUsd);
        Assert.Equal(81.60m, estimate.DailyUsd);
        Assert.Equal(2448.00m, estimate.MonthlyUsd);
    }

    [Fact]
    public void Daily_is_a_running_day_and_monthly_is_30_days_of_the_weekly_average()
    {
        var estimate = UptimeEstimator.Estimate(SeedEndpoints, new RunSchedule(2, 5));
        Assert.Equal(6.80m, estimate.DailyUsd);
        Assert.Equal(145.714286m, estimate.MonthlyUsd);
        Assert.Equal([1.6m, 1.6m, 3.6m], estimate.Endpoints.Select(e => e.DailyUsd));
    }

    [Fact]
    public void Scale_to_zero_endpoint_runs_one_replica_while_running()
    {
        var estimate = UptimeEstimator.Estimate([Endpoint(min: 0, max: 1)], new RunSchedule(1, 1));
        Assert.Equal(1, estimate.Endpoints[0].Replicas);
        Assert.Equal(2m, estimate.WeeklyUsd);
    }

    [Fact]
    public void Min_replicas_multiply_the_running_hours_and_get_a_note_on_a_partial_schedule()
    {
        var estimate = UptimeEstimator.Estimate([Endpoint(min: 2, max: 2)], new RunSchedule(10, 5));
        Assert.Equal(4m, estimate.HourlyUsd);
        Assert.Equal(200m, estimate.WeeklyUsd);
        Assert.Contains(estimate.Endpoints[0].Notes, n => n.Contains("never scales to zero", StringComparison.Ordinal) && n.Contains("672", StringComparison.Ordinal));
    }

    [Fact]
    public void Additional_replicas_cost_their_scale_up_hours_and_are_capped_at_max_replicas()
    {
        var estimate = UptimeEstimator.Estimate([Endpoint(min: 1, max: 3)], RunSchedule.AlwaysOn, additionalReplicas: 5, scaleUpHoursPerDay: 4);
        var only = estimate.Endpoints[0];
        Assert.Equal(2, only.AdditionalReplicas);
        Assert.Equal(2m * ((24 * 1) + (4 * 2)), only.DailyUsd);
        Assert.Contains(only.Notes, n => n.Contains("capped at 2", StringComparison.Ordinal));
    }

    [Fact]
    public void Out_of_range_inputs_are_refused()
    {
        EndpointInfo[] one = [Endpoint(0, 1)];
        Assert.Throws<ArgumentOutOfRangeException>(() => UptimeEstimator.Estimate(one, new RunSchedule(25, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => UptimeEstimator.Estimate(one, new RunSchedule(1, 8)));
        Assert.Throws<ArgumentOutOfRangeException>(() => UptimeEstimator.Estimate(one, new RunSchedule(2, 1), additionalReplicas: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => UptimeEstimator.Estimate(one, new RunSchedule(2, 1), scaleUpHoursPerDay: 3));
    }

    internal static EndpointInfo Endpoint(int min, int max, decimal hourly = 2m, int? scaleToZero = null, string id = "test") =>
        new(id, "org/model", "aws", "us-east-1", null, null, hourly, min, max, scaleToZero, null);
}
