using Catalog.Api.Telemetry;
using System.Net.Http.Headers;
using System.Text.Json;
using Catalog.Ledger.Alerts;

namespace Catalog.Api.Features.Alerts;

/// <summary>
/// POSTs each new alert to the configured webhook once: retried with backoff on failure, marked
/// delivered after a 2xx, and sent with an Idempotency-Key (the alert key) so a receiver can drop
/// a repeat that crossed a crash.
/// </summary>
public sealed class AlertWebhook(HttpClient http, IAlertStore store, AlertOptions options, TimeProvider clock, JsonSerializerOptions json, ILogger<AlertWebhook> logger)
{
    public async Task DeliverPendingAsync(CancellationToken cancellationToken)
    {
        if (options.WebhookUrl is null)
        {
            return;
        }

        foreach (var alert in await store.UndeliveredAsync(cancellationToken))
        {
            if (!await DeliverAsync(alert, cancellationToken))
            {
                // The receiver is down: the rest wait for the next round instead of each burning retries.
                return;
            }
        }
    }

    private async Task<bool> DeliverAsync(AlertRecord alert, CancellationToken cancellationToken)
    {
        var delay = options.FirstRetryDelay;
        for (var attempt = 1; attempt <= options.MaxAttemptsPerRound; attempt++)
        {
            var error = await TrySendAsync(alert, cancellationToken);
            CatalogMetrics.WebhookDelivery(ok: error is null);
            if (error is null)
            {
                await store.RecordDeliveryAsync(alert.Key, clock.GetUtcNow(), null, cancellationToken);
                return true;
            }

            await store.RecordDeliveryAsync(alert.Key, null, error, cancellationToken);
            logger.LogWarning("Delivering alert {Key} failed (attempt {Attempt}): {Error}", alert.Key, attempt, error);
            if (attempt < options.MaxAttemptsPerRound)
            {
                await Task.Delay(delay, clock, cancellationToken);
                delay *= 2;
            }
        }

        return false;
    }

    private async Task<string?> TrySendAsync(AlertRecord alert, CancellationToken cancellationToken)
    {
        try
        {
            // Buffered, so it goes with a Content-Length: not every receiver reads a chunked body.
            var body = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new AlertNotification("catalog.alert", alert), json));
            body.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            using var request = new HttpRequestMessage(HttpMethod.Post, options.WebhookUrl) { Content = body };
            request.Headers.Add("Idempotency-Key", alert.Key);
            using var response = await http.SendAsync(request, cancellationToken);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (HttpRequestException ex)
        {
            return ex.Message;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "timed out";
        }
    }
}

public sealed record AlertNotification(string Event, AlertRecord Alert);
