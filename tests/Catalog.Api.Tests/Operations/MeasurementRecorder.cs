using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Catalog.Api.Telemetry;

namespace Catalog.Api.Tests.Operations;

/// <summary>
/// Sums what one instrument of the service's meter records while it is alive, by the value of one tag. Every
/// test in the process records on the same meter, so a test asserts "at least".
/// </summary>
public sealed class MeasurementRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _sums = new();

    public MeasurementRecorder(string instrument, string tag)
    {
        _listener.InstrumentPublished = (published, listener) =>
        {
            if (published.Meter.Name == CatalogMetrics.MeterName && published.Name == instrument)
            {
                listener.EnableMeasurementEvents(published);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var pair in tags)
            {
                if (pair.Key == tag)
                {
                    _sums.AddOrUpdate(pair.Value?.ToString() ?? string.Empty, value, (_, sum) => sum + value);
                }
            }
        });
        _listener.Start();
    }

    public long this[string tagValue] => _sums.GetValueOrDefault(tagValue);

    public void Dispose() => _listener.Dispose();
}
