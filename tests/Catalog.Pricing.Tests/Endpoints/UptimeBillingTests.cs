using Catalog.Pricing;

namespace Catalog.Pricing.Tests.Endpoints;

public sealed class UptimeBillingTests
{
    internal static readonly DateTimeOffset T0 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Far = T0.AddDays(30);

    [Fact]
    public void A_61_second_run_is_2_billed_minutes()
    {
        var bill = Bill([At(0, EndpointStatus.Running), At(61, EndpointStatus.Paused, 0)]);
        Assert.Equal(2, bill.BilledMinutes);
        Assert.Equal(2, bill.ReplicaMinutes);
        Assert.Equal(0.066667m, bill.CostUsd);
    }

    [Fact]
    public void A_whole_minute_is_one_minute()
    {
        var bill = Bill([At(0, EndpointStatus.Running), At(60, EndpointStatus.Paused, 0)]);
        Assert.Equal(1, bill.BilledMinutes);
    }

    [Fact]
    public void Initializing_and_updating_are_billed_with_running_as_one_session()
    {
        var bill = Bill([At(0, EndpointStatus.Initializing), At(90, EndpointStatus.Running), At(150, EndpointStatus.Updating), At(170, EndpointStatus.Paused, 0)]);
        Assert.Equal(3, bill.BilledMinutes);
        Assert.Equal(TimeSpan.FromSeconds(90), bill.TimeByStatus[EndpointStatus.Initializing]);
        Assert.Equal(TimeSpan.FromSeconds(170), bill.Uptime);
    }

    [Fact]
    public void Pending_paused_failed_and_scaled_to_zero_are_not_billed()
    {
        var bill = Bill([At(0, EndpointStatus.Pending, 1), At(600, EndpointStatus.Failed, 1), At(1200, EndpointStatus.ScaledToZero, 0), At(1800, EndpointStatus.Paused, 0)], to: T0.AddHours(1));
        Assert.Equal(0, bill.BilledMinutes);
        Assert.Equal(0m, bill.CostUsd);
        Assert.Equal(TimeSpan.FromMinutes(30), bill.TimeByStatus[EndpointStatus.Paused]);
    }

    [Fact]
    public void Each_session_rounds_up_on_its_own()
    {
        var bill = Bill([At(0, EndpointStatus.Running), At(30, EndpointStatus.ScaledToZero, 0), At(300, EndpointStatus.Running), At(330, EndpointStatus.ScaledToZero, 0)]);
        Assert.Equal(2, bill.BilledMinutes);
    }

    [Fact]
    public void Two_replicas_double_the_cost()
    {
        var one = Bill([At(0, EndpointStatus.Running, 1), At(3600, EndpointStatus.Paused, 0)]);
        var two = Bill([At(0, EndpointStatus.Running, 2), At(3600, EndpointStatus.Paused, 0)]);
        Assert.Equal(60, two.BilledMinutes);
        Assert.Equal(120, two.ReplicaMinutes);
        Assert.Equal(2 * one.CostUsd, two.CostUsd);
        Assert.Equal(4m, two.CostUsd);
    }

    [Fact]
    public void A_minute_shared_by_two_replica_counts_is_billed_at_the_larger()
    {
        var bill = Bill([At(0, EndpointStatus.Running, 1), At(30, EndpointStatus.Running, 2), At(90, EndpointStatus.Paused, 0)]);
        Assert.Equal(2, bill.BilledMinutes);
        Assert.Equal(4, bill.ReplicaMinutes);
    }

    [Fact]
    public void Duplicates_are_ignored()
    {
        EndpointEvent[] once = [At(0, EndpointStatus.Running), At(100, EndpointStatus.Paused, 0)];
        var expected = Bill(once);
        var twice = Bill([.. once, .. once, At(0, EndpointStatus.Running)]);
        Assert.Equal(expected, twice with { TimeByStatus = expected.TimeByStatus });
        Assert.Equal(expected.TimeByStatus, twice.TimeByStatus);
        Assert.Equal(2, UptimeBilling.Normalize([.. once, .. once]).Length);
    }

    [Fact]
    public void Late_events_are_put_in_time_order()
    {
        var inOrder = Bill([At(0, EndpointStatus.Initializing), At(120, EndpointStatus.Running), At(400, EndpointStatus.Paused, 0)]);
        var late = Bill([At(400, EndpointStatus.Paused, 0), At(0, EndpointStatus.Initializing), At(120, EndpointStatus.Running)]);
        Assert.Equal(7, late.BilledMinutes);
        Assert.Equal(inOrder.CostUsd, late.CostUsd);
        Assert.Equal(EndpointStatus.Paused, late.LastEvent!.Value.Status);
    }

    [Fact]
    public void At_the_same_instant_the_event_received_last_holds()
    {
        var bill = Bill([At(0, EndpointStatus.Running), At(0, EndpointStatus.Paused, 0)], to: T0.AddHours(1));
        Assert.Equal(0, bill.BilledMinutes);
    }

    [Fact]
    public void The_window_clips_the_bill_and_the_state_before_it_carries_in()
    {
        var bill = Bill([At(-3600, EndpointStatus.Running), At(3600, EndpointStatus.Paused, 0)], from: T0, to: T0.AddMinutes(30));
        Assert.Equal(30, bill.BilledMinutes);
        Assert.Equal(1m, bill.CostUsd);
    }

    [Fact]
    public void An_open_interval_runs_to_now_not_past_it()
    {
        var now = T0.AddMinutes(10).AddSeconds(1);
        var bill = UptimeBilling.Bill([At(0, EndpointStatus.Running)], 2m, T0, Far, now);
        Assert.Equal(11, bill.BilledMinutes);
        Assert.Equal(now, bill.To);
        Assert.Equal(T0, bill.RunningSince);
    }

    [Fact]
    public void Nothing_before_the_first_event_is_billed()
    {
        var bill = Bill([At(600, EndpointStatus.Running), At(660, EndpointStatus.Paused, 0)], from: T0.AddHours(-5));
        Assert.Equal(1, bill.BilledMinutes);
    }

    [Fact]
    public void Cost_is_rate_times_replica_minutes_over_60_rounded_to_micro_dollars()
    {
        var bill = UptimeBilling.Bill([At(0, EndpointStatus.Running), At(60, EndpointStatus.Paused, 0)], 0.8m, T0, Far, Far);
        Assert.Equal(0.013333m, bill.CostUsd);
    }

    [Fact]
    public void Effective_price_per_million_tokens_is_cost_over_tokens()
    {
        var bill = Bill([At(0, EndpointStatus.Running), At(3600, EndpointStatus.Paused, 0)]);
        Assert.Equal(4m, bill.EffectiveUsdPerMtok(500_000));
        Assert.Null(bill.EffectiveUsdPerMtok(0));
    }

    [Fact]
    public void Statuses_read_as_hugging_face_spells_them_and_in_other_spellings()
    {
        Assert.True(EndpointStatuses.TryParse("scaledToZero", out var status));
        Assert.Equal(EndpointStatus.ScaledToZero, status);
        Assert.True(EndpointStatuses.TryParse("scaled_to_zero", out status));
        Assert.Equal("scaledToZero", status.ToWire());
        Assert.False(EndpointStatuses.TryParse("runing", out _));
    }

    internal static EndpointEvent At(int seconds, EndpointStatus status, int replicas = 1) => new(T0.AddSeconds(seconds), status, replicas);

    private static UptimeBill Bill(EndpointEvent[] events, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        UptimeBilling.Bill(events, 2m, from ?? T0, to ?? Far, Far);
}
