using Catalog.Pricing;

namespace Catalog.Api.Storage;

/// <summary>No usage ledger: tokens are unknown, so no effective price and idle means "no use known".</summary>
public sealed class NoUsageLedger : IEndpointUsageSource
{
    public Task<EndpointUsage?> UsageAsync(string endpointId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        Task.FromResult<EndpointUsage?>(null);
}
