using System.Net;
using System.Security.Cryptography;
using System.Text;
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

    [Fact]
    public async Task An_alert_the_receiver_refuses_does_not_hold_back_the_others()
    {
        var handler = new RecordingWebhook(HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.OK);
        var webhook = handler.Client(Store, new FakeTimeProvider(Start));
        await Store.ApplyAsync([Candidate("a"), Candidate("b")], Start, default);

        await webhook.DeliverPendingAsync(default);

        Assert.Equal(["a", "a", "a", "b"], handler.Keys);
        Assert.NotNull(Assert.Single(await Store.ListAsync(10, default), a => a.Key == "b").DeliveredAt);
    }

    [Fact]
    public async Task An_alert_key_that_is_not_ascii_goes_as_a_hash_in_the_idempotency_key_and_is_delivered()
    {
        using var receiver = new LoopbackReceiver(HttpStatusCode.OK);
        var webhook = receiver.Client(Store, new FakeTimeProvider(Start));
        await Store.ApplyAsync([Candidate("fallback:2026-11-20:modèle-inconnu"), Candidate("b")], Start, default);

        await webhook.DeliverPendingAsync(default);

        Assert.Equal(2, receiver.Requests.Count);
        Assert.Contains(AlertWebhook.IdempotencyKey("fallback:2026-11-20:modèle-inconnu"), receiver.Requests.Select(r => r.Headers["Idempotency-Key"]));
        Assert.All(receiver.Requests, r => Assert.Matches("^[0-9a-f]{64}$", r.Headers["Idempotency-Key"]));
        Assert.All(await Store.ListAsync(10, default), a => Assert.NotNull(a.DeliveredAt));
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_counts_as_a_failed_delivery()
    {
        using var receiver = new LoopbackReceiver(HttpStatusCode.TemporaryRedirect);
        var webhook = receiver.Client(Store, new FakeTimeProvider(Start));
        await Store.ApplyAsync([Candidate("a")], Start, default);

        await webhook.DeliverPendingAsync(default);

        Assert.All(receiver.Requests, r => Assert.Equal("/hook", r.Path));
        var alert = Assert.Single(await Store.ListAsync(10, default));
        Assert.Null(alert.DeliveredAt);
        Assert.StartsWith("HTTP 307", alert.LastDeliveryError);
    }

    [Fact]
    public async Task Each_delivery_is_signed_with_hmac_sha256_of_its_body_when_a_secret_is_set()
    {
        var handler = new RecordingWebhook();
        handler.Options.SigningSecret = Encoding.UTF8.GetBytes("s3cret");
        await Store.ApplyAsync([Candidate("a")], Start, default);

        await handler.Client(Store, new FakeTimeProvider(Start)).DeliverPendingAsync(default);

        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("s3cret"), Encoding.UTF8.GetBytes(handler.Bodies[0])));
        Assert.Equal(expected, Assert.Single(handler.Signatures));
    }

    [Fact]
    public async Task Without_a_secret_a_delivery_is_not_signed()
    {
        var handler = new RecordingWebhook();
        await Store.ApplyAsync([Candidate("a")], Start, default);

        await handler.Client(Store, new FakeTimeProvider(Start)).DeliverPendingAsync(default);

        Assert.Null(Assert.Single(handler.Signatures));
    }

    private static AlertCandidate Candidate(string key, bool closesAtEndOfDay = true) =>
        new(key, key.Split(':')[0], "daily_spend", $"title {key}", $"message {key}", 1m, 1m, closesAtEndOfDay);
}
