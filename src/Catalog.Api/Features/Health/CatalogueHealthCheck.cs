using Catalog.Pricing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Catalog.Api.Features.Health;

/// <summary>The catalogue compiled into the service is loaded and prices something.</summary>
public sealed class CatalogueHealthCheck(PricingEngine engine) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = engine.Data;
        return Task.FromResult(data.Models.Length > 0
            ? HealthCheckResult.Healthy($"catalogue {data.Version}: {data.Models.Length} models")
            : HealthCheckResult.Unhealthy("the catalogue holds no model"));
    }
}
