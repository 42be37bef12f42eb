using BenchmarkDotNet.Attributes;
using Catalog.Pricing;

namespace Catalog.Benchmarks;

/// <summary>Where the time of <see cref="PriceBenchmarks.PriceExact"/> goes: the lookup, the arithmetic with and without the breakdown, one component.</summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class CostBreakdownBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    private readonly TokenUsage _usage = new(InputTokens: 1_000, OutputTokens: 500);

    private long _tokens = 1_000;

    private decimal _mtok = 3.75m;

    private PricingEngine _engine = null!;

    private Resolution _resolution = null!;

    private CostBreakdown _cost;

    [GlobalSetup]
    public void Setup()
    {
        _engine = BuiltInCatalog.CreateEngine(_ => null);
        _resolution = _engine.Resolve("claude-sonnet-4-5");
        _cost = CostCalculator.Price(_resolution, _usage, Now, 1_000, 500);
    }

    [Benchmark]
    public Resolution ResolveExact() => _engine.Resolve("claude-sonnet-4-5");

    [Benchmark]
    public CostBreakdown CalculateCost() => CostCalculator.Price(_resolution, _usage, Now, 1_000, 500);

    /// <summary><see cref="CalculateCost"/>'s arithmetic alone: the same parts, returned without the 304-byte breakdown around them.</summary>
    [Benchmark]
    public (decimal, decimal, decimal, decimal, decimal) ChargeOnly() => CostCalculator.ChargeOnly(_resolution.PricesAt(Now), _usage);

    /// <summary>The units of <see cref="CalculateCost"/>'s breakdown as the answer lists them (<c>CostJson</c>), read from the set's plan.</summary>
    [Benchmark]
    public int ListUnits()
    {
        Span<ChargedUnit> units = stackalloc ChargedUnit[UsageUnits.Count];
        return CostCalculator.Units(_cost, units);
    }

    [Benchmark]
    public decimal DecimalArithmetic() => _tokens * _mtok / 1_000_000m;

    [Benchmark]
    public decimal PerMillionTokens() => CostCalculator.PerMillionTokens(_tokens, _mtok);
}
