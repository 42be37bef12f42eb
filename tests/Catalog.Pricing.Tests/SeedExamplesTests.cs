using Catalog.Pricing;

namespace Catalog.Pricing.Tests;

/// <summary>The worked examples of the seed documents, against the real catalogue.</summary>
public sealed class SeedExamplesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void HuggingFace_at_env_defaults_costs_0_0025()
    {
        var engine = BuiltInCatalog.CreateEngine(TestCatalog.Environment(("HUGGINGFACE_INPUT_TOKEN_COST", "0.000001"), ("HUGGINGFACE_OUTPUT_TOKEN_COST", "0.000003")));
        var cost = engine.Price("openai/gpt-oss-120b:groq", null, new TokenUsage(1000, 500), Now);
        Assert.Equal(0.0025m, cost.TotalUsd);
        Assert.Equal("huggingface/gpt-oss-120b", cost.Resolution.ResolvedModel);
    }

    [Fact]
    public void HuggingFace_env_change_changes_the_cost()
    {
        var engine = BuiltInCatalog.CreateEngine(TestCatalog.Environment(("HUGGINGFACE_INPUT_TOKEN_COST", "0.000002"), ("HUGGINGFACE_OUTPUT_TOKEN_COST", "0.000004")));
        var cost = engine.Price("openai/gpt-oss-120b:groq", null, new TokenUsage(1000, 500), Now);
        Assert.Equal(0.004m, cost.TotalUsd);
    }

    [Fact]
    public void Gpt35_turbo_without_usage_is_estimated_at_0_00125()
    {
        var engine = BuiltInCatalog.CreateEngine(TestCatalog.Environment());
        var cost = engine.Price("gpt-3.5-turbo", null, default, Now);
        Assert.Equal(0.00125m, cost.TotalUsd);
        Assert.Equal(TokenSource.Estimated, cost.TokenSource);
    }

    [Fact]
    public void Anthropic_cache_usage_is_charged_once_at_cache_prices()
    {
        var engine = BuiltInCatalog.CreateEngine(TestCatalog.Environment());
        var usage = new TokenUsage(InputTokens: 100 + 1000 + 2000, OutputTokens: 50, CacheReadTokens: 2000, CacheWriteTokens: 1000);
        var cost = engine.Price("claude-sonnet-4-5", "anthropic", usage, Now);
        Assert.Equal(0.0054m, cost.TotalUsd);
    }

    [Fact]
    public void My_chatbot_alias_uses_its_negotiated_prices()
    {
        var engine = BuiltInCatalog.CreateEngine(TestCatalog.Environment());
        var cost = engine.Price("my-chatbot", "anthropic", new TokenUsage(1000, 500), Now);
        Assert.Equal(PricingSource.Alias, cost.Resolution.Source);
        Assert.Equal("anthropic/claude-sonnet-4-5", cost.Resolution.ResolvedModel);
        Assert.Equal(0.0027m, cost.InputUsd);
        Assert.Equal(0.00675m, cost.OutputUsd);
        Assert.Equal(0.00945m, cost.TotalUsd);
    }
}
