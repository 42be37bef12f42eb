using Catalog.Pricing;

namespace Catalog.Api.Storage;

/// <summary>Endpoint events in memory: for tests, and the default until the ledger's database holds them.</summary>
public sealed class InMemoryEndpointEventStore : IEndpointEventStore
{
    private readonly Dictionary<string, List<EndpointEvent>> _events = new(StringComparer.Ordinal);

    public Task<int> AppendAsync(string endpointId, IReadOnlyList<EndpointEvent> events, CancellationToken cancellationToken)
    {
        lock (_events)
        {
            if (!_events.TryGetValue(endpointId, out var stored))
            {
                _events[endpointId] = stored = [];
            }

            var added = 0;
            foreach (var e in events)
            {
                if (!stored.Contains(e))
                {
                    stored.Add(e);
                    added++;
                }
            }

            return Task.FromResult(added);
        }
    }

    public Task<IReadOnlyList<EndpointEvent>> ListAsync(string endpointId, DateTimeOffset before, CancellationToken cancellationToken)
    {
        lock (_events)
        {
            IReadOnlyList<EndpointEvent> found = _events.TryGetValue(endpointId, out var stored) ? stored.Where(e => e.At < before).ToArray() : [];
            return Task.FromResult(found);
        }
    }
}
