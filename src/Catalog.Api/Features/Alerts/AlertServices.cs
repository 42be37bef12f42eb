using Catalog.Api.Http;
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
        services.AddSettings<AlertOptions>("Alerts", AlertOptions.Problem)
            .Configure<IConfiguration>((options, configuration) =>
            {
                if (configuration["CATALOG_ALERT_WEBHOOK_URL"] is { } webhook)
                {
                    options.WebhookUrl = string.IsNullOrWhiteSpace(webhook) ? null : new Uri(webhook, UriKind.RelativeOrAbsolute);
                }

                if (configuration["CATALOG_ALERT_WEBHOOK_SECRET"] is { Length: > 0 } secret)
                {
                    options.SigningSecret = System.Text.Encoding.UTF8.GetBytes(secret);
                }
            });
        services.AddSingleton<IAlertFactsSource, LedgerAlertFacts>();
        services.AddHttpClient(nameof(AlertWebhook), client => client.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(AlertWebhook.CreateHandler);
        services.AddSingleton(sp => new AlertWebhook(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(AlertWebhook)),
            sp.GetRequiredService<IAlertStore>(),
            sp.GetRequiredService<AlertOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions,
            sp.GetRequiredService<ILogger<AlertWebhook>>()));
        services.AddSingleton<AlertMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertMonitor>());
        return builder;
    }
}
