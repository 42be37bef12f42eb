using Catalog.Pricing;
using static Catalog.Pricing.Tests.Endpoints.UptimeBillingTests;

namespace Catalog.Pricing.Tests.Endpoints;

public sealed class EndpointWarningsTests
{
    private static readonly EndpointInfo ScaleToZero = UptimeEstimatorTests.Endpoint(min: 0, max: 1, hourly: 0.8m, scaleToZero: 15, id: "mistral");
    private static readonly EndpointInfo AlwaysOn = UptimeEstimatorTests.Endpoint(min: 1, max: 2, hourly: 1.8m, id: "phi");
    private static readonly EndpointUsage NoUse = new(0, null);

    [Fact]
    public void Running_idle_past_the_scale_to_zero_window_warns_with_a_week_of_waste()
    {
        var warning = EndpointWarnings.Check(ScaleToZero, [At(0, EndpointStatus.Running)], NoUse, T0.AddMinutes(16));
        Assert.NotNull(warning);
        Assert.Equal(EndpointWarningKind.IdleRunning, warning.Kind);
        Assert.Equal(0.8m * 168, warning.ProjectedWeeklyWasteUsd);
        Assert.Contains("16 minutes", warning.Message, StringComparison.Ordinal);
        Assert.Contains("pause", warning.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Inside_the_window_there_is_no_warning()
    {
        Assert.Null(EndpointWarnings.Check(ScaleToZero, [At(0, EndpointStatus.Running)], NoUse, T0.AddMinutes(15)));
    }

    [Fact]
    public void Recent_use_restarts_the_idle_clock()
    {
        var usage = new EndpointUsage(5_000, T0.AddMinutes(50));
        Assert.Null(EndpointWarnings.Check(ScaleToZero, [At(0, EndpointStatus.Running)], usage, T0.AddMinutes(60)));
        Assert.NotNull(EndpointWarnings.Check(ScaleToZero, [At(0, EndpointStatus.Running)], usage, T0.AddMinutes(70)));
    }

    [Fact]
    public void A_paused_or_scaled_to_zero_endpoint_gets_no_warning()
    {
        Assert.Null(EndpointWarnings.Check(ScaleToZero, [At(0, EndpointStatus.Running), At(600, EndpointStatus.ScaledToZero, 0)], NoUse, T0.AddDays(1)));
        Assert.Null(EndpointWarnings.Check(ScaleToZero, [], NoUse, T0.AddDays(1)));
    }

    [Fact]
    public void Two_replicas_idle_waste_twice_as_much()
    {
        var warning = EndpointWarnings.Check(ScaleToZero, [At(0, EndpointStatus.Running, 2)], NoUse, T0.AddHours(1));
        Assert.Equal(2 * 0.8m * 168, warning!.ProjectedWeeklyWasteUsd);
    }

    [Fact]
    public void Min_replicas_1_around_the_clock_at_low_use_warns_with_the_effective_price()
    {
        var now = T0.AddDays(3);
        var warning = EndpointWarnings.Check(AlwaysOn, [At(0, EndpointStatus.Running)], new EndpointUsage(720_000, now.AddMinutes(-5)), now);
        Assert.NotNull(warning);
        Assert.Equal(EndpointWarningKind.AlwaysOnLowUse, warning.Kind);
        Assert.Equal(1.8m * 168, warning.ProjectedWeeklyWasteUsd);
        Assert.Equal(1.8m * 72 * 1_000_000 / 720_000, warning.EffectiveUsdPerMtok);
        Assert.Contains("min_replicas to 0", warning.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Min_replicas_1_with_real_use_is_not_warned()
    {
        var now = T0.AddDays(3);
        Assert.Null(EndpointWarnings.Check(AlwaysOn, [At(0, EndpointStatus.Running)], new EndpointUsage(72 * 200_000, now.AddMinutes(-1)), now));
    }

    [Fact]
    public void Less_than_a_day_observed_is_not_around_the_clock()
    {
        var now = T0.AddHours(20);
        var warning = EndpointWarnings.Check(AlwaysOn, [At(0, EndpointStatus.Running)], NoUse, now);
        Assert.Equal(EndpointWarningKind.IdleRunning, warning!.Kind);
    }

    [Fact]
    public void Paused_nights_are_not_around_the_clock()
    {
        var now = T0.AddDays(2);
        EndpointEvent[] events = [At(0, EndpointStatus.Running), At(12 * 3600, EndpointStatus.Paused, 0), At(24 * 3600, EndpointStatus.Running), At(36 * 3600, EndpointStatus.Paused, 0)];
        Assert.Null(EndpointWarnings.Check(AlwaysOn, events, NoUse, now));
    }
}
