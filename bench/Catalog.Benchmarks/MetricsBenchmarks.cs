using BenchmarkDotNet.Attributes;
using Catalog.Api.Telemetry;
using Catalog.Pricing;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Catalog.Benchmarks;

/// <summary>
/// What counting a priced call costs the hot path: pricing alone, pricing and counting with nobody listening,
/// and pricing and counting while OpenTelemetry's SDK aggregates every measurement (as the service does).
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class MetricsBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    private readonly TokenUsage _usage = new(InputTokens: 1_000, OutputTokens: 500);

    private PricingEngine _engine = null!;
    private MeterProvider? _meters;

    [Params(false, true)]
    public bool Listening { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _engine = BuiltInCatalog.CreateEngine(_ => null);
        if (Listening)
        {
            _meters = Sdk.CreateMeterProviderBuilder()
                .AddCatalogMeter()
                .AddReader(new BaseExportingMetricReader(new DiscardingExporter()))
                .Build();
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _meters?.Dispose();

    [Benchmark(Baseline = true)]
    public CostBreakdown Price() => _engine.Price("my-chatbot", "anthropic", _usage, Now);

    [Benchmark]
    public CostBreakdown PriceAndCount()
    {
        var cost = _engine.Price("my-chatbot", "anthropic", _usage, Now);
        CatalogMetrics.Priced(cost.Resolution.Source, cost.Resolution.Provider?.Id);
        return cost;
    }

    /// <summary>Aggregation happens; the export is dropped.</summary>
    private sealed class DiscardingExporter : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch) => ExportResult.Success;
    }
}
