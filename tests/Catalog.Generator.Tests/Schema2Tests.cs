using Catalog.Generator.Tests.Support;
using Catalog.Pricing;

namespace Catalog.Generator.Tests;

/// <summary>Schema 2: the audio, image, video, reasoning and web-search prices, and ids of any non-whitespace characters.</summary>
public sealed class Schema2Tests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private static readonly GeneratorOutcome Outcome = GeneratorHarness.Run(CatalogueFile.Read(RepoPaths.Catalogue("schema2.yaml")));

    [Fact]
    public void Schema_2_prices_are_emitted_by_name_and_compile()
    {
        Assert.Empty(Outcome.Diagnostics);
        Assert.Empty(Outcome.CompilationErrors);
        var prices = SnapshotTests.LoadCompiledCatalog(Outcome).ModelsByName["gpt-4o-audio-preview"].Prices!;
        Assert.Equal((40m, 2.5m, 80m), (prices.InputAudioMtok, prices.CacheAudioReadMtok, prices.OutputAudioMtok));
    }

    [Fact]
    public void The_compiled_table_prices_audio_and_keeps_ids_starting_with_at_and_tilde()
    {
        var engine = new PricingEngine(SnapshotTests.LoadCompiledCatalog(Outcome), _ => null);
        var usage = new TokenUsage(1000, 500, CacheReadTokens: 100) { InputAudioTokens = 600, OutputAudioTokens = 300 };

        Assert.Equal(0.050875m, engine.Price("@voice", null, usage, Noon).TotalUsd);
        Assert.Equal(PricingSource.Exact, engine.Resolve("@cf/meta/llama-3-8b").Source);
        Assert.Equal(PricingSource.Exact, engine.Resolve("~openai/gpt-latest").Source);
        var tier = engine.Data.ModelsByName["openai/gpt-4o-audio-preview"].Prices!.Tiers[0];
        Assert.Equal((12m, 25m), (tier.OutputReasoningMtok, tier.WebSearchesKcount));
    }

    [Theory]
    [InlineData("acme-v2-hd-voice", "acme/acme-prefix", "prefix 'acme-v2'")]
    [InlineData("my-hd-voice", "acme/acme-suffix", "suffix '-hd-voice'")]
    [InlineData("myvoice", "acme/acme-suffix-short", "suffix 'voice'")]
    [InlineData("a-super-turbo-voice", "acme/acme-suffix", "suffix '-voice'")]
    [InlineData("a-super-turbo-model", "acme/acme-contains", "contains 'super-turbo'")]
    [InlineData("a-super-model", "acme/acme-contains-super", "contains 'super'")]
    [InlineData("acme-v12-x", "acme/acme-regex", "regex 'acme-v[0-9]+-x'")]
    public void Match_rules_apply_in_order_prefix_suffix_contains_regex_and_the_longest_wins_within_a_kind(string name, string model, string? detail)
    {
        var engine = new PricingEngine(SnapshotTests.LoadCompiledCatalog(Outcome), _ => null);

        var (resolution, steps) = engine.Explain(name);

        Assert.Equal((model, PricingSource.Match), (resolution.ResolvedModel, resolution.Source));
        if (detail is not null)
        {
            Assert.Contains(steps, s => s.Matched && s.Detail == detail);
        }
    }

    [Fact]
    public void A_regex_is_matched_against_the_whole_name_and_a_pattern_that_backtracks_catastrophically_answers_at_once()
    {
        var engine = new PricingEngine(SnapshotTests.LoadCompiledCatalog(Outcome), _ => null);
        var started = System.Diagnostics.Stopwatch.StartNew();

        Assert.Equal(PricingSource.Fallback, engine.Resolve(new string('a', 5_000) + "c").Source);
        // Backtracking through 5,000 characters would take far longer than this bound, which only a machine under heavy load comes near.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"took {started.Elapsed}");
        Assert.Equal("acme/acme-regex", engine.Resolve("aaab").ResolvedModel);
        Assert.Equal(PricingSource.Fallback, engine.Resolve("xacme-v1-x").Source);
    }

    [Theory]
    [InlineData("batch", null, "12:00", 0.0254375)]
    [InlineData("batch", "us", "12:00", 0.02798125)]
    [InlineData("flex", "us", "17:00", 0.013990625)]
    [InlineData(null, "eu", "00:29", 0.0254375)]
    [InlineData("default", null, "00:30", 0.050875)]
    public void Tiers_regions_and_time_windows_multiply_every_token_price(string? tier, string? region, string time, decimal total)
    {
        var engine = new PricingEngine(SnapshotTests.LoadCompiledCatalog(Outcome), _ => null);
        var usage = new TokenUsage(1000, 500, CacheReadTokens: 100) { InputAudioTokens = 600, OutputAudioTokens = 300 };
        var at = new DateTimeOffset(DateOnly.FromDateTime(Noon.UtcDateTime), TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero);

        var cost = engine.Price("openai/gpt-4o-audio-preview", null, usage, at, tier, region);

        Assert.Equal(total, cost.TotalUsd);
        Assert.Equal(region, cost.Region);
    }

    [Fact]
    public void A_model_tier_with_prices_replaces_the_price_set()
    {
        var engine = new PricingEngine(SnapshotTests.LoadCompiledCatalog(Outcome), _ => null);

        var cost = engine.Price("openai/gpt-4o-audio-preview", null, new TokenUsage(1000, 1000), Noon, "priority", null);

        Assert.Equal(0.025m, cost.TotalUsd);
        Assert.Equal("priority", cost.ServiceTier);
    }

    [Fact]
    public void An_unknown_service_tier_is_standard_with_a_warning_naming_it()
    {
        var engine = new PricingEngine(SnapshotTests.LoadCompiledCatalog(Outcome), _ => null);

        var cost = engine.Price("@cf/meta/llama-3-8b", null, new TokenUsage(1000, 1000), Noon, "batch", null);

        Assert.Equal((0.28m + 0.83m) / 1000m, cost.TotalUsd);
        Assert.Null(cost.ServiceTier);
        Assert.Contains("service tier 'batch'", Assert.Single(cost.Resolution.Warnings));
    }
}
