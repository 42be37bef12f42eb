using Microsoft.Extensions.Options;

namespace Catalog.Api.Features.Alerts;

public static class AlertServices
{
    /// <summary>Alert rules evaluation, storage and webhook. Needs an <see cref="IAlertFactsSource"/> and an <see cref="IAlertStore"/> registered by the store.</summary>
    public static IServiceCollection AddAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new AlertOptions();
        if (double.TryParse(configuration["Alerts:IntervalSeconds"], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            options.Interval = TimeSpan.FromSeconds(seconds);
        }

        var webhook = configuration["CATALOG_ALERT_WEBHOOK_URL"] ?? configuration["Alerts:WebhookUrl"];
        if (!string.IsNullOrWhiteSpace(webhook))
        {
            if (!Uri.TryCreate(webhook, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                throw new InvalidOperationException($"CATALOG_ALERT_WEBHOOK_URL='{webhook}' is not an http(s) URL. Set it to the address alerts are POSTed to, or unset it.");
            }

            options.WebhookUrl = url;
        }

        services.AddSingleton(options);
        services.AddHttpClient(nameof(AlertWebhook), client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton(sp => new AlertWebhook(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(AlertWebhook)),
            sp.GetRequiredService<IAlertStore>(),
            options,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions,
            sp.GetRequiredService<ILogger<AlertWebhook>>()));
        services.AddSingleton<AlertMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertMonitor>());
        return services;
    }
}
