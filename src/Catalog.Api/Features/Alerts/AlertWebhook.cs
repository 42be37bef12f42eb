using Catalog.Api.Telemetry;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Catalog.Ledger.Alerts;

namespace Catalog.Api.Features.Alerts;

/// <summary>
/// POSTs each new alert to the configured webhook once: retried with backoff on failure, marked delivered
/// after a 2xx, sent with an Idempotency-Key (a hash of the alert key: header values are ASCII, alert keys
/// carry model names) so a receiver can drop a repeat that crossed a crash, and signed with
/// <see cref="SignatureHeader"/> when a secret is set. Redirects are not followed: a 3xx is a failure.
/// </summary>
public sealed class AlertWebhook(HttpClient http, IAlertStore store, AlertOptions options, TimeProvider clock, JsonSerializerOptions json, ILogger<AlertWebhook> logger)
{
    public const string SignatureHeader = "X-Catalog-Signature";

    /// <summary>The handler under the webhook's client: it never follows a redirect, so a receiver cannot send an alert elsewhere.</summary>
    public static HttpMessageHandler CreateHandler() => new SocketsHttpHandler { AllowAutoRedirect = false };

    /// <summary>The Idempotency-Key of an alert: the SHA-256 of its key in UTF-8, as lowercase hex.</summary>
    public static string IdempotencyKey(string alertKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(alertKey)));

    /// <summary>The signature header's value for a body: <c>sha256=</c> and the lowercase hex HMAC-SHA256 of the body's bytes under the secret.</summary>
    public static string Signature(byte[] secret, ReadOnlySpan<byte> body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, body));

    /// <summary>
    /// Tries every undelivered alert, oldest first. An alert the receiver refuses (or that cannot be sent) does not
    /// hold back the others; when the receiver is unreachable or failing, the rest wait for the next round
    /// instead of each burning retries.
    /// </summary>
    public async Task DeliverPendingAsync(CancellationToken cancellationToken)
    {
        if (options.WebhookUrl is null)
        {
            return;
        }

        foreach (var alert in await store.UndeliveredAsync(cancellationToken))
        {
            if (await DeliverAsync(alert, cancellationToken) == Delivery.ReceiverDown)
            {
                return;
            }
        }
    }

    private enum Delivery
    {
        Delivered,
        Refused,
        ReceiverDown,
    }

    private async Task<Delivery> DeliverAsync(AlertRecord alert, CancellationToken cancellationToken)
    {
        var delay = options.FirstRetryDelay;
        var outcome = Delivery.ReceiverDown;
        for (var attempt = 1; attempt <= options.MaxAttemptsPerRound; attempt++)
        {
            (outcome, var error) = await TrySendAsync(alert, cancellationToken);
            CatalogMetrics.WebhookDelivery(ok: outcome == Delivery.Delivered);
            if (outcome == Delivery.Delivered)
            {
                await store.RecordDeliveryAsync(alert.Key, clock.GetUtcNow(), null, cancellationToken);
                return outcome;
            }

            await store.RecordDeliveryAsync(alert.Key, null, error, cancellationToken);
            logger.LogWarning("Delivering alert {Key} failed (attempt {Attempt}): {Error}", alert.Key, attempt, error);
            if (attempt < options.MaxAttemptsPerRound)
            {
                await Task.Delay(delay, clock, cancellationToken);
                delay *= 2;
            }
        }

        return outcome;
    }

    private async Task<(Delivery Outcome, string? Error)> TrySendAsync(AlertRecord alert, CancellationToken cancellationToken)
    {
        try
        {
            // Buffered, so it goes with a Content-Length: not every receiver reads a chunked body.
            var bytes = JsonSerializer.SerializeToUtf8Bytes(new AlertNotification("catalog.alert", alert), json);
            var body = new ByteArrayContent(bytes);
            body.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            using var request = new HttpRequestMessage(HttpMethod.Post, options.WebhookUrl) { Content = body };
            request.Headers.Add("Idempotency-Key", IdempotencyKey(alert.Key));
            if (options.SigningSecret is { } secret)
            {
                request.Headers.Add(SignatureHeader, Signature(secret, bytes));
            }

            using var response = await http.SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? (Delivery.Delivered, null)
                : (RefusesThisAlert(response.StatusCode) ? Delivery.Refused : Delivery.ReceiverDown, $"HTTP {status}{(status is >= 300 and < 400 ? " (redirects are not followed; set CATALOG_ALERT_WEBHOOK_URL to the final address)" : string.Empty)}");
        }
        catch (HttpRequestException ex)
        {
            return (Delivery.ReceiverDown, ex.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (Delivery.ReceiverDown, "timed out");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Something about this alert (it cannot be serialized or sent): it must not stop the others.
            return (Delivery.Refused, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>A 4xx other than a timeout or throttling is about the alert sent, not about the receiver being down.</summary>
    private static bool RefusesThisAlert(HttpStatusCode status) =>
        (int)status is >= 400 and < 500 && status is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests);
}

public sealed record AlertNotification(string Event, AlertRecord Alert);
