using BenchmarkDotNet.Attributes;
using Catalog.Pricing;

namespace Catalog.Benchmarks;

/// <summary>
/// Resolve and price one request per call, one benchmark per resolution step. The names are checked
/// against the catalogue at set-up, so a catalogue change cannot silently move a benchmark to another step.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class PriceBenchmarks
{
    private const string Sonnet = "claude-sonnet-4-5";

    private static readonly DateTimeOffset Now = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    // Before the history entry's `until` (2025-10-01) of claude-sonnet-4-5.
    private static readonly DateTimeOffset BeforeHistoryUntil = new(2025, 9, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TokenUsage _usage = new(InputTokens: 1_000, OutputTokens: 500);

    // Above the 200k-token tier, with 5-minute and 1-hour cache writes and cache reads.
    private readonly TokenUsage _largeCachedUsage = new(InputTokens: 250_000, OutputTokens: 4_000, CacheReadTokens: 120_000, CacheWriteTokens: 30_000, CacheWrite1hTokens: 10_000);

    // Audio in and out, cached text, on a model whose price set prices audio (built in Setup).
    private readonly TokenUsage _audioUsage = new(InputTokens: 1_000, OutputTokens: 500, CacheReadTokens: 100) { InputAudioTokens = 600, OutputAudioTokens = 300 };

    private PricingEngine _engine = null!;

    private PricingEngine _audioEngine = null!;

    [GlobalSetup]
    public void Setup()
    {
        _engine = BuiltInCatalog.CreateEngine(_ => null);
        _audioEngine = AudioCatalog.Engine();
        Expect(Sonnet, "anthropic", PricingSource.Exact);
        Expect(Sonnet, null, PricingSource.Exact);
        Expect("my-chatbot", null, PricingSource.Alias);
        Expect("claude-sonnet-4-5-20250929", null, PricingSource.Match);
        Expect("anthropic/claude-sonnet-4-5:bedrock", null, PricingSource.ShortName);
        Expect("openrouter/gpt-4o", null, PricingSource.ShortName);
        Expect("Claude-Sonnet-4-5", null, PricingSource.CaseInsensitive);
        Expect("acme-unknown-model", null, PricingSource.Fallback);
        if (_engine.Price(Sonnet, "anthropic", _largeCachedUsage, Now).Tier is null)
        {
            throw new InvalidOperationException($"'{Sonnet}' has no tier below {_largeCachedUsage.InputTokens} input tokens");
        }

        if (_engine.Price(Sonnet, "anthropic", _usage, BeforeHistoryUntil).InputUsd == _engine.Price(Sonnet, "anthropic", _usage, Now).InputUsd)
        {
            throw new InvalidOperationException($"'{Sonnet}' has no earlier price before {BeforeHistoryUntil:yyyy-MM-dd}");
        }
    }

    [Benchmark(Baseline = true)]
    public CostBreakdown PriceExact() => _engine.Price(Sonnet, null, _usage, Now);

    [Benchmark]
    public CostBreakdown PriceExactWithProvider() => _engine.Price(Sonnet, "anthropic", _usage, Now);

    [Benchmark]
    public CostBreakdown PriceAlias() => _engine.Price("my-chatbot", null, _usage, Now);

    [Benchmark]
    public CostBreakdown PricePrefix() => _engine.Price("claude-sonnet-4-5-20250929", null, _usage, Now);

    [Benchmark]
    public CostBreakdown PriceShortNameProviderSuffix() => _engine.Price("anthropic/claude-sonnet-4-5:bedrock", null, _usage, Now);

    [Benchmark]
    public CostBreakdown PriceShortNameVendorPrefix() => _engine.Price("openrouter/gpt-4o", null, _usage, Now);

    [Benchmark]
    public CostBreakdown PriceCaseInsensitive() => _engine.Price("Claude-Sonnet-4-5", null, _usage, Now);

    [Benchmark]
    public CostBreakdown PriceFallback() => _engine.Price("acme-unknown-model", null, _usage, Now);

    [Benchmark]
    public CostBreakdown PriceWithCacheAndTier() => _engine.Price(Sonnet, "anthropic", _largeCachedUsage, Now);

    [Benchmark]
    public CostBreakdown PriceHistorical() => _engine.Price(Sonnet, "anthropic", _usage, BeforeHistoryUntil);

    /// <summary>An audio model with a batch tier and a region multiplier: the three pricing steps a call can take after history.</summary>
    [Benchmark]
    public CostBreakdown PriceAudioWithTierAndRegion() => _audioEngine.Price("gpt-audio", null, _audioUsage, Now, "batch", "us");

    private void Expect(string name, string? provider, PricingSource source)
    {
        var actual = _engine.Resolve(name, provider).Source;
        if (actual != source)
        {
            throw new InvalidOperationException($"'{name}' resolves by {actual}, not {source}: pick another name for this benchmark");
        }
    }
}
