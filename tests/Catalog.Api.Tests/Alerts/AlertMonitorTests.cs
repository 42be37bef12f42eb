using Catalog.Api.Features.Alerts;
using Catalog.Api.Features.Budgets;
using Catalog.Ledger.Budgets;
using Catalog.Ledger.Alerts;
using Catalog.Api.Features.Cost;
using Catalog.Api.Features.Endpoints;
using Catalog.Ledger;
using Catalog.Pricing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Catalog.Api.Tests.Operations;

namespace Catalog.Api.Tests.Alerts;

/// <summary>
/// The monitor over a real ledger file, the catalogue's own rules and a fake clock: usage seeded,
/// alerts opened and POSTed once each, kept across a restart, closed when their day is over.
/// </summary>
public sealed class AlertMonitorTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private static readonly PricingEngine Engine = BuiltInCatalog.CreateEngine(_ => null);

    private readonly FakeTimeProvider _clock = new(Start);
    private readonly RecordingWebhook _receiver = new();
    private readonly TemporaryLedger _ledger;

    public AlertMonitorTests() => _ledger = new TemporaryLedger(_clock);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ledger.DisposeAsync().AsTask();

    [Fact]
    public async Task Alerts_open_once_are_posted_once_survive_a_restart_and_close_when_their_day_is_over()
    {
        await SeedAsync(
            Call("big-1", "openai/gpt-4o", 70m, team: "search"),
            Call("big-2", "openai/gpt-4o", 40m, team: "research"),
            Call("opus", "anthropic/claude-opus-4-1", 0.5m, team: "search"),
            Call("guess", "mystery-model", 0.01m, team: "search", source: PricingSource.Fallback));

        using var openedCount = new MeasurementRecorder("catalog.alerts.opened", "kind");
        var opened = await Monitor().EvaluateOnceAsync(default);

        string[] expected = ["daily-spend-research:2026-11-20", "daily-spend:2026-11-20", "expensive-model:anthropic/claude-opus-4-1", "fallback-pricing:2026-11-20:mystery-model"];
        Assert.True(openedCount["daily_spend"] >= 2 && openedCount["expensive_model"] >= 1 && openedCount["fallback_pricing"] >= 1, "catalog.alerts.opened did not count the alerts by kind");
        Assert.Equal(expected, opened.Select(a => a.Key).Order(StringComparer.Ordinal));
        Assert.Equal(110.51m, Assert.Single(opened, a => a.RuleId == "daily-spend").ValueUsd);
        Assert.Equal(expected, _receiver.Keys.Order(StringComparer.Ordinal));

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(await Monitor().EvaluateOnceAsync(default));

        await _ledger.RestartAsync();
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(await Monitor().EvaluateOnceAsync(default));
        var afterRestart = await _ledger.Alerts.ListAsync(10, default);
        Assert.Equal(4, afterRestart.Count);
        Assert.All(afterRestart, a => Assert.Equal(("open", Start), (a.Status, a.DeliveredAt!.Value)));
        Assert.Equal(4, _receiver.Keys.Count);

        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Empty(await Monitor().EvaluateOnceAsync(default));
        Assert.All(await _ledger.Alerts.ListAsync(10, default), a => Assert.Equal("closed", a.Status));

        await SeedAsync(Call("next-day", "openai/gpt-4o", 101m, team: "search", at: _clock.GetUtcNow()));
        var nextDay = await Monitor().EvaluateOnceAsync(default);
        Assert.Equal(["daily-spend:2026-11-21", "spend-spike:2026-11-21"], nextDay.Select(a => a.Key).Order(StringComparer.Ordinal));
        Assert.Equal(6, _receiver.Keys.Distinct().Count());
        Assert.Equal(6, _receiver.Keys.Count);
    }

    [Fact]
    public async Task Spend_above_three_times_the_trailing_week_alerts_as_unusual()
    {
        await SeedAsync([.. Enumerable.Range(1, 7).Select(back => Call($"day-{back}", "openai/gpt-4o", 2m, team: "search", at: Start.AddDays(-back)))]);
        await SeedAsync(Call("today-1", "openai/gpt-4o", 6m, team: "search"));
        Assert.Empty(await Monitor().EvaluateOnceAsync(default));

        await SeedAsync(Call("today-2", "openai/gpt-4o", 0.01m, team: "search"));
        var spike = Assert.Single(await Monitor().EvaluateOnceAsync(default));

        Assert.Equal("spend-spike:2026-11-20", spike.Key);
        Assert.Equal((6.01m, 6m), (spike.ValueUsd, spike.ThresholdUsd));
    }

    [Fact]
    public async Task An_endpoint_running_idle_past_its_window_alerts_until_it_scales_to_zero()
    {
        await _ledger.EndpointEvents.AppendAsync("phi-4", [new(Start.AddHours(-2), EndpointStatus.Running, 1)], default);

        var idle = Assert.Single(await Monitor().EvaluateOnceAsync(default));

        Assert.Equal(("idle-endpoint:2026-11-20:phi-4", "Endpoint 'phi-4' is running idle"), (idle.Key, idle.Title));
        Assert.Contains("Fix: pause it now", idle.Message);
        Assert.Equal([idle.Key], _receiver.Keys);

        await _ledger.EndpointEvents.AppendAsync("phi-4", [new(Start.AddMinutes(1), EndpointStatus.ScaledToZero, 0)], default);
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty(await Monitor().EvaluateOnceAsync(default));
        Assert.Equal("closed", Assert.Single(await _ledger.Alerts.ListAsync(10, default)).Status);
    }

    [Fact]
    public async Task The_monitor_evaluates_at_start_and_then_every_interval_of_its_clock()
    {
        var monitor = Monitor();
        await monitor.StartAsync(default);
        await UntilAsync(() => monitor.LastEvaluatedAt == Start);

        await SeedAsync(Call("big", "openai/gpt-4o", 150m, team: "search"));
        _clock.Advance(_receiver.Options.Interval);
        await UntilAsync(() => _receiver.Keys.Contains("daily-spend:2026-11-20"));

        await monitor.StopAsync(default);
        Assert.Equal(Start + _receiver.Options.Interval, monitor.LastEvaluatedAt);
    }

    [Fact]
    public async Task A_budget_crossing_its_warning_share_then_its_amount_opens_one_alert_each_through_the_webhook()
    {
        await _ledger.Budgets.AddAsync(new Budget("b1", "search-monthly", BudgetPeriod.Monthly, 100m, new BudgetScope("team", "search"), 0.8m, Start, "api"), default);
        await SeedAsync(Call("early", "openai/gpt-4o", 50m, team: "search", at: Start.AddDays(-19)), Call("other", "openai/gpt-4o", 90m, team: "research"));
        Assert.DoesNotContain(await Monitor().EvaluateOnceAsync(default), a => a.Kind == "budget");

        await SeedAsync(Call("more", "openai/gpt-4o", 35m, team: "search"));
        _clock.Advance(TimeSpan.FromMinutes(1));
        var warning = Assert.Single(await Monitor().EvaluateOnceAsync(default), a => a.Kind == "budget");
        Assert.Equal(("budget:b1:2026-11-01:warning", "b1", "Budget 'search-monthly' at 85% of $100"), (warning.Key, warning.RuleId, warning.Title));
        Assert.Equal((85m, 80m), (warning.ValueUsd, warning.ThresholdUsd));
        Assert.Contains("$85 spent of $100, $15 remaining; forecast $127.5 by the end of the period", warning.Message);

        await SeedAsync(Call("over", "openai/gpt-4o", 20m, team: "search"));
        _clock.Advance(TimeSpan.FromMinutes(1));
        var exceeded = Assert.Single(await Monitor().EvaluateOnceAsync(default), a => a.Kind == "budget");
        Assert.Equal("budget:b1:2026-11-01:exceeded", exceeded.Key);
        Assert.Equal("closed", (await _ledger.Alerts.ListAsync(10, default)).Single(a => a.Key == warning.Key).Status);
        Assert.Contains(warning.Key, _receiver.Keys);
        Assert.Contains(exceeded.Key, _receiver.Keys);

        // A new month starts with nothing spent: the alert closes.
        _clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 0, 5, 0, TimeSpan.Zero));
        await Monitor().EvaluateOnceAsync(default);
        Assert.Equal("closed", (await _ledger.Alerts.ListAsync(10, default)).Single(a => a.Key == exceeded.Key).Status);
    }

    private AlertMonitor Monitor() => new(
        Engine,
        new LedgerAlertFacts(_ledger.Usage, new EndpointBilling(Engine, _ledger.EndpointEvents, _ledger.Usage)),
        _ledger.Alerts,
        new BudgetBook(_ledger.Budgets, new BudgetTracker(_ledger.Usage), _clock, Engine),
        _receiver.Client(_ledger.Alerts, _clock),
        _receiver.Options,
        _clock,
        NullLogger<AlertMonitor>.Instance);

    private async Task SeedAsync(params UsageRecord[] records) =>
        Assert.All(await _ledger.Usage.AppendAsync(records, default), r => Assert.Equal(AppendOutcome.Created, r.Outcome));

    private static async Task UntilAsync(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited += 10)
        {
            Assert.True(waited < 30_000, "the monitor did not evaluate within 30 s");
            await Task.Delay(10);
        }
    }

    /// <summary>A call already priced: <paramref name="model"/> is the catalogue model, or the sent name when priced by a guess.</summary>
    private static UsageRecord Call(string id, string model, decimal totalUsd, string team, DateTimeOffset? at = null, PricingSource source = PricingSource.Exact) => new(
        id,
        at ?? Start,
        model,
        null,
        new UsageCounts(1000, 500, 0, 0, 0),
        "canonical",
        null,
        CallStatus.Success,
        100,
        "ann",
        team,
        "web",
        null,
        new Dictionary<string, string>(),
        new UsagePricing(source.IsGuess() ? null : model, source.IsGuess() ? null : model.Split('/')[0], source, TokenSource.Actual, new UsageCost(totalUsd, 0, 0, 0, 0, totalUsd, null), "test"),
        null,
        at ?? Start,
        id);
}
