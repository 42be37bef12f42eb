using Catalog.Api.Features.Keys;
using Catalog.Ledger.Alerts;

namespace Catalog.Api.Features.Alerts;

public static class AlertsApi
{
    public static RouteGroupBuilder MapAlerts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/alerts").WithTags("Alerts").RequireAuthorization(ApiKeys.Read).RequireRateLimiting(ApiKeys.RateLimitPolicy);
        group.MapGet("/", ListAlerts)
            .WithName("ListAlerts")
            .WithSummary("Open and past cost alerts")
            .WithDescription("Rules live in pricing.yaml (alerts:) and are evaluated every minute. Each new alert is POSTed once to CATALOG_ALERT_WEBHOOK_URL when set.")
            .Produces<AlertList>();
        return group;
    }

    public static async Task<AlertList> ListAlerts(IAlertStore store, AlertMonitor monitor, AlertOptions options, int? limit, CancellationToken cancellationToken)
    {
        var alerts = await store.ListAsync(Math.Clamp(limit ?? 200, 1, 1000), cancellationToken);
        return new AlertList(
            alerts.Where(a => a.ClosedAt is null).ToArray(),
            alerts.Where(a => a.ClosedAt is not null).ToArray(),
            monitor.LastEvaluatedAt,
            options.WebhookUrl is not null);
    }
}
