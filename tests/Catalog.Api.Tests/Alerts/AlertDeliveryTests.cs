using System.Net;
using System.Text.Json;
using Catalog.Api.Features.Alerts;
using Catalog.Api.Tests.Operations;
using Catalog.Ledger.Alerts;
using Catalog.Ledger.LiteDb;
using Microsoft.Extensions.Time.Testing;

namespace Catalog.Api.Tests.Alerts;

/// <summary>Alert state over time in the ledger file, and webhook delivery: once, with retries, never twice.</summary>
public sealed class AlertDeliveryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    private readonly TemporaryLedger _ledger = new(new FakeTimeProvider(Start));

    private LiteDbAlertStore Store => _ledger.Alerts;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ledger.DisposeAsync().AsTask();

    [Fact]
    public async Task A_condition_opens_one_alert_that_closes_when_its_day_is_over()
    {
        var daily = Candidate("daily:2026-11-20", closesAtEndOfDay: true);

        Assert.Single(await Store.ApplyAsync([daily], Start, default));
        Assert.Empty(await Store.ApplyAsync([daily], Start.AddMinutes(1), default));
        Assert.Equal("open", Assert.Single(await Store.ListAsync(10, default)).Status);

        Assert.Empty(await Store.ApplyAsync([daily], Start.AddDays(1), default));
        var closed = Assert.Single(await Store.ListAsync(10, default));
        Assert.Equal("closed", closed.Status);
        Assert.Equal(Start.AddDays(1), closed.ClosedAt);
    }

    [Fact]
    public async Task An_alert_closes_when_its_condition_is_no_longer_raised_and_does_not_reopen()
    {
        var idle = Candidate("idle:2026-11-20:phi-4", closesAtEndOfDay: true);
        await Store.ApplyAsync([idle], Start, default);
        await Store.ApplyAsync([], Start.AddMinutes(1), default);
        Assert.Empty(await Store.ApplyAsync([idle], Start.AddMinutes(2), default));
        Assert.Equal("closed", Assert.Single(await Store.ListAsync(10, default)).Status);
    }

    [Fact]
    public async Task Webhook_retries_a_failure_and_delivers_each_alert_exactly_once()
    {
        using var deliveries = new MeasurementRecorder("catalog.webhook.deliveries", "outcome");
        var handler = new RecordingWebhook(HttpStatusCode.InternalServerError, HttpStatusCode.OK, HttpStatusCode.OK);
        var webhook = handler.Client(Store, new FakeTimeProvider(Start));
        await Store.ApplyAsync([Candidate("a"), Candidate("b")], Start, default);

        await webhook.DeliverPendingAsync(default);
        await webhook.DeliverPendingAsync(default);

        Assert.Equal(["a", "a", "b"], handler.Keys);
        Assert.True(deliveries["ok"] >= 2 && deliveries["failed"] >= 1, $"catalog.webhook.deliveries: ok {deliveries["ok"]}, failed {deliveries["failed"]}");
        Assert.All(await Store.ListAsync(10, default), a => Assert.NotNull(a.DeliveredAt));
        Assert.All(handler.Lengths, length => Assert.NotNull(length));
        var body = JsonDocument.Parse(handler.Bodies[^1]).RootElement;
        Assert.Equal("catalog.alert", body.GetProperty("event").GetString());
        Assert.Equal("b", body.GetProperty("alert").GetProperty("key").GetString());
    }

    [Fact]
    public async Task A_receiver_that_stays_down_is_retried_on_the_next_round()
    {
        var handler = new RecordingWebhook(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        var webhook = handler.Client(Store, new FakeTimeProvider(Start));
        await Store.ApplyAsync([Candidate("a"), Candidate("b")], Start, default);

        await webhook.DeliverPendingAsync(default);
        var afterFirstRound = Assert.Single(await Store.ListAsync(10, default), a => a.Key == "a");
        Assert.Null(afterFirstRound.DeliveredAt);
        Assert.Equal(3, afterFirstRound.DeliveryAttempts);
        Assert.Equal("HTTP 503", afterFirstRound.LastDeliveryError);
        Assert.Equal(3, handler.Keys.Count);

        await webhook.DeliverPendingAsync(default);
        Assert.Equal(["a", "a", "a", "a", "b"], handler.Keys);
    }

    private static AlertCandidate Candidate(string key, bool closesAtEndOfDay = true) =>
        new(key, key.Split(':')[0], "daily_spend", $"title {key}", $"message {key}", 1m, 1m, closesAtEndOfDay);
}
