using System.Net;
using System.Text.Json;
using Catalog.Api.Features.Alerts;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Catalog.Api.Tests;

/// <summary>Alert state over time and webhook delivery: once, with retries, never twice.</summary>
public sealed class AlertDeliveryTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_condition_opens_one_alert_that_closes_when_its_day_is_over()
    {
        var store = new InMemoryAlertStore();
        var daily = Candidate("daily:2026-11-20", closesAtEndOfDay: true);

        Assert.Single(await store.ApplyAsync([daily], Start, default));
        Assert.Empty(await store.ApplyAsync([daily], Start.AddMinutes(1), default));
        Assert.Equal("open", Assert.Single(await store.ListAsync(10, default)).Status);

        Assert.Empty(await store.ApplyAsync([daily], Start.AddDays(1), default));
        var closed = Assert.Single(await store.ListAsync(10, default));
        Assert.Equal("closed", closed.Status);
        Assert.Equal(Start.AddDays(1), closed.ClosedAt);
    }

    [Fact]
    public async Task An_alert_closes_when_its_condition_is_no_longer_raised_and_does_not_reopen()
    {
        var store = new InMemoryAlertStore();
        var idle = Candidate("idle:2026-11-20:phi-4", closesAtEndOfDay: true);
        await store.ApplyAsync([idle], Start, default);
        await store.ApplyAsync([], Start.AddMinutes(1), default);
        Assert.Empty(await store.ApplyAsync([idle], Start.AddMinutes(2), default));
        Assert.Equal("closed", Assert.Single(await store.ListAsync(10, default)).Status);
    }

    [Fact]
    public async Task Webhook_retries_a_failure_and_delivers_each_alert_exactly_once()
    {
        var store = new InMemoryAlertStore();
        var handler = new ScriptedHandler(HttpStatusCode.InternalServerError, HttpStatusCode.OK, HttpStatusCode.OK);
        var webhook = Webhook(store, handler);
        await store.ApplyAsync([Candidate("a"), Candidate("b")], Start, default);

        await webhook.DeliverPendingAsync(default);
        await webhook.DeliverPendingAsync(default);

        Assert.Equal(["a", "a", "b"], handler.Keys);
        Assert.All(await store.ListAsync(10, default), a => Assert.NotNull(a.DeliveredAt));
        var body = JsonDocument.Parse(handler.Bodies[^1]).RootElement;
        Assert.Equal("catalog.alert", body.GetProperty("event").GetString());
        Assert.Equal("b", body.GetProperty("alert").GetProperty("key").GetString());
    }

    [Fact]
    public async Task A_receiver_that_stays_down_is_retried_on_the_next_round()
    {
        var store = new InMemoryAlertStore();
        var handler = new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        var webhook = Webhook(store, handler);
        await store.ApplyAsync([Candidate("a"), Candidate("b")], Start, default);

        await webhook.DeliverPendingAsync(default);
        var afterFirstRound = Assert.Single(await store.ListAsync(10, default), a => a.Key == "a");
        Assert.Null(afterFirstRound.DeliveredAt);
        Assert.Equal(3, afterFirstRound.DeliveryAttempts);
        Assert.Equal("HTTP 503", afterFirstRound.LastDeliveryError);
        Assert.Equal(3, handler.Keys.Count);

        await webhook.DeliverPendingAsync(default);
        Assert.Equal(["a", "a", "a", "a", "b"], handler.Keys);
    }

    private static AlertWebhook Webhook(IAlertStore store, ScriptedHandler handler)
    {
        var options = new AlertOptions { WebhookUrl = new Uri("http://127.0.0.1:9/hook"), FirstRetryDelay = TimeSpan.Zero };
        var json = new JsonSerializerOptions();
        Json.Configure(json);
        return new AlertWebhook(new HttpClient(handler), store, options, new FakeTimeProvider(Start), json, NullLogger<AlertWebhook>.Instance);
    }

    private static AlertCandidate Candidate(string key, bool closesAtEndOfDay = true) =>
        new(key, key.Split(':')[0], "daily_spend", $"title {key}", $"message {key}", 1m, 1m, closesAtEndOfDay);

    private sealed class ScriptedHandler(params HttpStatusCode[] script) : HttpMessageHandler
    {
        private int _calls;

        public List<string> Keys { get; } = [];

        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Keys.Add(request.Headers.GetValues("Idempotency-Key").Single());
            Bodies.Add(await request.Content!.ReadAsStringAsync(cancellationToken));
            var status = _calls < script.Length ? script[_calls] : HttpStatusCode.OK;
            _calls++;
            return new HttpResponseMessage(status);
        }
    }
}
