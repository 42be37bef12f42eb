using System.Collections.Frozen;
using Catalog.Pricing;

namespace Catalog.Benchmarks;

/// <summary>
/// The catalogue of <c>PriceBenchmarks.PriceAudioWithTierAndRegion</c>: one audio model whose provider has a batch
/// tier (0.5) and a region (1.1). Shared with bench/cpu-time, which times the same call in thread CPU time.
/// </summary>
internal static class AudioCatalog
{
    public static PricingEngine Engine()
    {
        var prices = new PriceSet(2.5m, 10m, 1.25m, null, null, []) { InputAudioMtok = 40m, CacheAudioReadMtok = 2.5m, OutputAudioMtok = 80m };
        var provider = new ProviderInfo("openai", "OpenAI", CacheTokens.Included, null, null, null, null, null)
        {
            ServiceTiers = [new PriceModifier("batch", 0.5m, null)],
            Regions = [new PriceModifier("us", 1.1m, null)],
        };
        var model = new ModelInfo("openai", "gpt-audio", null, true, prices, [], 0m, null, [], [], null, null, null);
        var data = new CatalogData(
            "bench", "bench.yaml", 2, 1000, 500, prices, [provider], [model], [], [], [], [],
            new Dictionary<string, ProviderInfo> { ["openai"] = provider }.ToFrozenDictionary(),
            new Dictionary<string, ModelInfo> { ["gpt-audio"] = model, ["openai/gpt-audio"] = model }.ToFrozenDictionary(),
            new Dictionary<string, AliasInfo>().ToFrozenDictionary());
        return new PricingEngine(data, _ => null);
    }
}
