using Catalog.Pricing;

namespace Catalog.Ledger;

/// <summary>The status events Hugging Face reported for each Inference Endpoint.</summary>
public interface IEndpointEventStore
{
    /// <summary>Stores the events not held yet (same time, status and replicas is the same event); returns how many were new.</summary>
    Task<int> AppendAsync(string endpointId, IReadOnlyList<EndpointEvent> events, CancellationToken cancellationToken);

    /// <summary>The endpoint's events before <paramref name="before"/>, in the order they were received.</summary>
    Task<IReadOnlyList<EndpointEvent>> ListAsync(string endpointId, DateTimeOffset before, CancellationToken cancellationToken);
}
