using System.Diagnostics.Metrics;
using Catalog.Ledger;
using Catalog.Pricing;
using OpenTelemetry.Metrics;

namespace Catalog.Api.Telemetry;

/// <summary>
/// The service's own instruments, on the meter <see cref="MeterName"/>; Prometheus names them with
/// underscores (<c>catalog.calls.priced</c> is scraped as <c>catalog_calls_priced_total</c>). Tag values
/// come from closed sets (the catalogue's provider ids, pricing steps, reasons), never from what a client
/// sent, so the number of series stays bounded. Adding to an instrument nobody listens to costs nothing.
/// </summary>
public static class CatalogMetrics
{
    public const string MeterName = LedgerMetrics.MeterName;

    /// <summary>Tag value for a call whose provider is not in the catalogue.</summary>
    public const string UnknownProvider = "unknown";

    private static readonly Meter Meter = new(MeterName, ProductVersion.Current);

    private static readonly Counter<long> CallsPriced = Meter.CreateCounter<long>(
        "catalog.calls.priced", "{call}", "Calls priced (POST /v1/cost and its batch, recorded usage), by pricing_source and provider");

    private static readonly Counter<long> CallsFallbackPriced = Meter.CreateCounter<long>(
        "catalog.calls.fallback_priced", "{call}", "Calls priced by a guess (short_name, case_insensitive, provider_default, default_model, fallback): names to add to pricing.yaml");

    private static readonly Counter<long> ItemsRejected = Meter.CreateCounter<long>(
        "catalog.items.rejected", "{item}", "Calls, batch items and events turned away, by route and reason (invalid, conflict)");

    private static readonly Histogram<long> BatchSizes = Meter.CreateHistogram<long>(
        "catalog.batch.size", "{item}", "Items per batch request, by route",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 10, 100, 500, 1_000, 2_500, 5_000, 10_000] });

    private static readonly Counter<long> AlertsOpened = Meter.CreateCounter<long>(
        "catalog.alerts.opened", "{alert}", "Alerts opened, by kind");

    private static readonly Counter<long> WebhookDeliveries = Meter.CreateCounter<long>(
        "catalog.webhook.deliveries", "{delivery}", "Alert webhook delivery attempts, by outcome (ok, failed)");

    private static readonly Counter<long> Recalculations = Meter.CreateCounter<long>(
        "catalog.recalculations", "{recalculation}", "Ledger recalculations, by mode (dry_run, applied)");

    private static readonly Counter<long> RecalculatedRecords = Meter.CreateCounter<long>(
        "catalog.recalculation.changed_records", "{call}", "Stored calls whose price a recalculation changed (or would change, on a dry run), by mode");

    static CatalogMetrics()
    {
        Meter.CreateObservableGauge(
            "catalog.build.info",
            () => new Measurement<int>(1, new KeyValuePair<string, object?>("version", ProductVersion.Current), new KeyValuePair<string, object?>("catalogue_version", BuiltInCatalog.Version)),
            description: "Always 1; its tags are the service's version and the catalogue's");
    }

    /// <summary>Values of the <c>route</c> tag.</summary>
    public static class Routes
    {
        public const string Cost = "cost";
        public const string CostBatch = "cost_batch";
        public const string Usage = "usage";
        public const string UsageBatch = "usage_batch";
        public const string LiteLlm = "litellm";
    }

    /// <summary>Values of the <c>reason</c> tag.</summary>
    public static class Reasons
    {
        /// <summary>400: the item is not valid (its problem names the field).</summary>
        public const string Invalid = "invalid";

        /// <summary>409: the id is stored with another body.</summary>
        public const string Conflict = "conflict";
    }

    /// <summary>Listens to the service's meter (and, by touching this class, creates its build-info gauge).</summary>
    public static MeterProviderBuilder AddCatalogMeter(this MeterProviderBuilder metrics) => metrics.AddMeter(MeterName);

    /// <summary>Counts <paramref name="calls"/> priced calls of one source and provider; a guess is counted again as fallback-priced.</summary>
    public static void Priced(PricingSource source, string? provider, long calls = 1)
    {
        var sourceTag = new KeyValuePair<string, object?>("pricing_source", source.ToWire());
        var providerTag = new KeyValuePair<string, object?>("provider", provider ?? UnknownProvider);
        CallsPriced.Add(calls, sourceTag, providerTag);
        if (source.IsGuess())
        {
            CallsFallbackPriced.Add(calls, sourceTag, providerTag);
        }
    }

    public static void Rejected(string route, string reason, long count = 1)
    {
        if (count > 0)
        {
            ItemsRejected.Add(count, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("reason", reason));
        }
    }

    public static void BatchReceived(string route, long items) => BatchSizes.Record(items, new KeyValuePair<string, object?>("route", route));

    public static void AlertOpened(string kind) => AlertsOpened.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public static void WebhookDelivery(bool ok) => WebhookDeliveries.Add(1, new KeyValuePair<string, object?>("outcome", ok ? "ok" : "failed"));

    public static void Recalculated(bool dryRun, long changed)
    {
        var mode = new KeyValuePair<string, object?>("mode", dryRun ? "dry_run" : "applied");
        Recalculations.Add(1, mode);
        RecalculatedRecords.Add(changed, mode);
    }
}
