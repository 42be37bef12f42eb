using Catalog.Api.Telemetry;
using Catalog.Pricing;
using Catalog.Api.Features.Budgets;
using Catalog.Ledger.Alerts;

namespace Catalog.Api.Features.Alerts;

/// <summary>Gathers what the alert rules look at (spend per day, models used, fallbacks, idle endpoints).</summary>
public interface IAlertFactsSource
{
    Task<AlertFacts> GatherAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>
/// Alert settings: <c>Alerts:IntervalSeconds</c>, the webhook (<c>CATALOG_ALERT_WEBHOOK_URL</c>, else
/// <c>Alerts:WebhookUrl</c>) and its signing secret (<c>CATALOG_ALERT_WEBHOOK_SECRET</c>).
/// </summary>
public sealed class AlertOptions
{
    /// <summary>How often the rules are evaluated, in seconds (<c>Alerts:IntervalSeconds</c>, default 60).</summary>
    public double IntervalSeconds { get; set; } = 60;

    /// <summary>How often the rules are evaluated.</summary>
    public TimeSpan Interval => TimeSpan.FromSeconds(IntervalSeconds);

    /// <summary>Where each new alert is POSTed (env CATALOG_ALERT_WEBHOOK_URL); null = no webhook.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>Attempts per delivery round; undelivered alerts are retried on the next rounds.</summary>
    public int MaxAttemptsPerRound { get; set; } = 3;

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The HMAC-SHA256 key each delivery is signed with (env CATALOG_ALERT_WEBHOOK_SECRET, as UTF-8); null = unsigned.</summary>
    public byte[]? SigningSecret { get; set; }

    public static string? Problem(AlertOptions options) => Http.Settings.FirstProblem(
        (!double.IsFinite(options.IntervalSeconds) || options.IntervalSeconds <= 0 || options.IntervalSeconds > 86_400,
            $"Alerts:IntervalSeconds='{options.IntervalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}' is not a positive number of seconds up to a day. Set it (e.g. 60) or leave it out for one minute."),
        (options.WebhookUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)),
            $"CATALOG_ALERT_WEBHOOK_URL (or Alerts:WebhookUrl)='{options.WebhookUrl?.OriginalString}' is not an http(s) URL. Set it to the address alerts are POSTed to, or unset it."));
}

/// <summary>Evaluates the catalogue's alert rules every <see cref="AlertOptions.Interval"/> and delivers new alerts.</summary>
public sealed class AlertMonitor(
    PricingEngine engine,
    IAlertFactsSource facts,
    IAlertStore store,
    BudgetBook budgets,
    AlertWebhook webhook,
    AlertOptions options,
    TimeProvider clock,
    ILogger<AlertMonitor> logger,
    IHostApplicationLifetime? lifetime = null) : BackgroundService
{
    /// <summary>One evaluation at a time: two at once could both deliver the same new alert.</summary>
    private readonly SemaphoreSlim _evaluating = new(1, 1);

    public DateTimeOffset? LastEvaluatedAt { get; private set; }

    /// <summary>One evaluation: open/close alerts, then deliver whatever is undelivered.</summary>
    public async Task<IReadOnlyList<AlertRecord>> EvaluateOnceAsync(CancellationToken cancellationToken)
    {
        await _evaluating.WaitAsync(cancellationToken);
        try
        {
            var now = clock.GetUtcNow();
            IReadOnlyList<AlertCandidate> candidates = engine.Data.Alerts.Length == 0
                ? []
                : AlertEvaluator.Evaluate(engine.Data.Alerts, await facts.GatherAsync(now, cancellationToken), engine);
            candidates = [.. candidates, .. await budgets.AlertsAsync(now, cancellationToken)];
            var opened = await store.ApplyAsync(candidates, now, cancellationToken);
            LastEvaluatedAt = now;
            foreach (var alert in opened)
            {
                logger.LogWarning("Alert {Key}: {Title}", alert.Key, alert.Title);
                CatalogMetrics.AlertOpened(alert.Kind);
            }

            await webhook.DeliverPendingAsync(cancellationToken);
            return opened;
        }
        finally
        {
            _evaluating.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first evaluation waits until the service is up: on a small machine, evaluating while the host starts
        // took CPU from the start-up itself (bench/startup.sh).
        if (lifetime is not null)
        {
            await WhenStarted(lifetime.ApplicationStarted, stoppingToken);
        }

        using var timer = new PeriodicTimer(options.Interval, clock);
        do
        {
            try
            {
                await EvaluateOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Alert evaluation failed; retrying at the next interval");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private static async Task WhenStarted(CancellationToken started, CancellationToken stopping)
    {
        var whenStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = started.Register(() => whenStarted.TrySetResult());
        using var onStopping = stopping.Register(() => whenStarted.TrySetCanceled(stopping));
        await whenStarted.Task;
    }
}
