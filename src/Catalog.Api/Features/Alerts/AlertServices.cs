using System.Globalization;
using Microsoft.Extensions.Options;
using Catalog.Ledger.Alerts;
using Catalog.Pricing;

namespace Catalog.Api.Features.Alerts;

public static class AlertServices
{
    /// <summary>
    /// The alert rules of pricing.yaml evaluated every minute over the usage ledger and endpoint billing, and
    /// the webhook. Needs the ledger's stores (<c>AddLedgerStorage</c>) and <c>AddEndpointBilling</c> first.
    /// </summary>
    public static WebApplicationBuilder AddAlerts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        var options = new AlertOptions();
        if (configuration["Alerts:IntervalSeconds"] is { } interval)
        {
            if (!double.TryParse(interval, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
            {
                throw new CatalogConfigurationException($"Alerts:IntervalSeconds='{interval}' is not a positive number of seconds. Set it (e.g. 60) or leave it out for one minute.");
            }

            options.Interval = TimeSpan.FromSeconds(seconds);
        }

        var webhook = configuration["CATALOG_ALERT_WEBHOOK_URL"] ?? configuration["Alerts:WebhookUrl"];
        if (!string.IsNullOrWhiteSpace(webhook))
        {
            if (!Uri.TryCreate(webhook, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                throw new CatalogConfigurationException($"CATALOG_ALERT_WEBHOOK_URL='{webhook}' is not an http(s) URL. Set it to the address alerts are POSTed to, or unset it.");
            }

            options.WebhookUrl = url;
        }

        if (configuration["CATALOG_ALERT_WEBHOOK_SECRET"] is { Length: > 0 } secret)
        {
            options.SigningSecret = System.Text.Encoding.UTF8.GetBytes(secret);
        }

        services.AddSingleton(options);
        services.AddSingleton<IAlertFactsSource, LedgerAlertFacts>();
        services.AddHttpClient(nameof(AlertWebhook), client => client.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(AlertWebhook.CreateHandler);
        services.AddSingleton(sp => new AlertWebhook(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(AlertWebhook)),
            sp.GetRequiredService<IAlertStore>(),
            options,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions,
            sp.GetRequiredService<ILogger<AlertWebhook>>()));
        services.AddSingleton<AlertMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertMonitor>());
        return builder;
    }
}
