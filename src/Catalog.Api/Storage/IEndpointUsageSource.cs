using Catalog.Pricing;

namespace Catalog.Api.Storage;

/// <summary>The tokens the usage ledger recorded for an endpoint (usage records tagged with it).</summary>
public interface IEndpointUsageSource
{
    /// <summary>Tokens served in [from, to) and the last use, or null when there is no ledger to ask.</summary>
    Task<EndpointUsage?> UsageAsync(string endpointId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}
