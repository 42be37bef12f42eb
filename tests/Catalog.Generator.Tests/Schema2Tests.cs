using Catalog.Generator.Tests.Support;
using Catalog.Pricing;

namespace Catalog.Generator.Tests;

/// <summary>Schema 2: the audio, image, video, reasoning and web-search prices, and ids of any non-whitespace characters.</summary>
public sealed class Schema2Tests
{
    private static readonly GeneratorOutcome Outcome = GeneratorHarness.Run(CatalogueFile.Read(RepoPaths.Catalogue("schema2.yaml")));

    [Fact]
    public void Schema_2_prices_are_emitted_by_name_and_compile()
    {
        Assert.Empty(Outcome.Diagnostics);
        Assert.Empty(Outcome.CompilationErrors);
        Assert.Contains("{ InputAudioMtok = 40m, CacheAudioReadMtok = 2.5m, OutputAudioMtok = 80m }", Outcome.GeneratedSource);
    }

    [Fact]
    public void The_compiled_table_prices_audio_and_keeps_ids_starting_with_at_and_tilde()
    {
        var engine = new PricingEngine(SnapshotTests.LoadCompiledCatalog(Outcome), _ => null);
        var usage = new TokenUsage(1000, 500, CacheReadTokens: 100) { InputAudioTokens = 600, OutputAudioTokens = 300 };

        Assert.Equal(0.050875m, engine.Price("@voice", null, usage, DateTimeOffset.UnixEpoch).TotalUsd);
        Assert.Equal(PricingSource.Exact, engine.Resolve("@cf/meta/llama-3-8b").Source);
        Assert.Equal(PricingSource.Exact, engine.Resolve("~openai/gpt-latest").Source);
        var tier = engine.Data.ModelsByName["openai/gpt-4o-audio-preview"].Prices!.Tiers[0];
        Assert.Equal((12m, 25m), (tier.OutputReasoningMtok, tier.WebSearchesKcount));
    }
}
