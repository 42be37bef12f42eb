using static Catalog.Pricing.Tests.TestCatalog;

namespace Catalog.Pricing.Tests;

/// <summary>Every resolution step, against the real catalogue where it holds an example, else a hand-made one.</summary>
public sealed class ResolutionTests
{
    private static readonly PricingEngine Real = RealEngine();

    /// <summary>Two providers serve a model of the same id; the bare id is the first provider's.</summary>
    private static readonly PricingEngine SharedId = Engine(
        [Provider("first"), Provider("second")],
        [Model("first", "shared", Prices(1m, 1m)), Model("second", "shared", Prices(2m, 2m))]);

    [Theory]
    [InlineData("anthropic/claude-sonnet-4-5", null)]
    [InlineData("claude-sonnet-4-5", null)]
    [InlineData("claude-sonnet-4-5", "anthropic")]
    [InlineData("claude-sonnet-4-5", "openai")]
    public void Step1_exact_full_or_bare_name(string name, string? provider)
    {
        var resolution = Real.Resolve(name, provider);

        Assert.Equal(PricingSource.Exact, resolution.Source);
        Assert.Equal("anthropic/claude-sonnet-4-5", resolution.ResolvedModel);
        Assert.Empty(resolution.Warnings);
    }

    [Fact]
    public void Step1_provider_hint_picks_the_providers_model_when_a_bare_id_is_shared()
    {
        Assert.Equal("first/shared", SharedId.Resolve("shared").ResolvedModel);
        var hinted = SharedId.Resolve("shared", "second");
        Assert.Equal("second/shared", hinted.ResolvedModel);
        Assert.Equal(PricingSource.Exact, hinted.Source);
    }

    [Fact]
    public void Step2_alias_with_override_prices_keeps_the_targets_cache_prices()
    {
        var resolution = Real.Resolve("my-chatbot");

        Assert.Equal(PricingSource.Alias, resolution.Source);
        Assert.Equal("anthropic/claude-sonnet-4-5", resolution.ResolvedModel);
        Assert.Equal("my-chatbot", resolution.Alias?.Name);
        Assert.Equal(Prices(2.7m, 13.5m, 0.3m, 3.75m, 6m) with { WebSearchesKcount = 10m }, resolution.Prices, PriceSetComparer.Instance);
        Assert.Empty(resolution.Warnings);
    }

    [Fact]
    public void Step2_alias_without_override_uses_the_targets_prices()
    {
        var resolution = Real.Resolve("prod-assistant");

        Assert.Equal(PricingSource.Alias, resolution.Source);
        Assert.Equal("openai/gpt-4o", resolution.ResolvedModel);
        Assert.Same(resolution.Model!.Prices, resolution.Prices);
    }

    [Fact]
    public void Step2_alias_of_an_alias_takes_the_nearest_override_in_its_chain()
    {
        var resolution = Real.Resolve("support-bot");

        Assert.Equal(PricingSource.Alias, resolution.Source);
        Assert.Equal(["support-bot", "my-chatbot", "anthropic/claude-sonnet-4-5"], resolution.Alias!.Chain);
        Assert.Equal(2.7m, resolution.Prices.InputMtok);
        Assert.Equal(13.5m, resolution.Prices.OutputMtok);
    }

    [Fact]
    public void Step2_alias_chain_by_hand_uses_the_override_the_generator_chose()
    {
        var engine = Engine(
            [Provider("p")],
            [Model("p", "m", Prices(10m, 20m, 1m))],
            [Alias("outer", "p/m", Prices(5m, 6m), "inner"), Alias("inner", "p/m", Prices(7m, 8m))]);

        Assert.Equal(Prices(5m, 6m, 1m), engine.Resolve("outer").Prices, PriceSetComparer.Instance);
        Assert.Equal(Prices(7m, 8m, 1m), engine.Resolve("inner").Prices, PriceSetComparer.Instance);
    }

    [Theory]
    [InlineData("claude-haiku-4", "anthropic/claude-haiku-4-5")]
    [InlineData("gpt-35-turbo", "openai/gpt-3.5-turbo")]
    [InlineData("openai/gpt-oss-120b:groq", "huggingface/gpt-oss-120b")]
    [InlineData("claude-sonnet-4-5-20250929", "anthropic/claude-sonnet-4-5")]
    [InlineData("claude-sonnet-4.5", "anthropic/claude-sonnet-4-5")]
    [InlineData("gpt-4o-2024-08-06", "openai/gpt-4o")]
    [InlineData("gpt-4o-mini-2024-07-18", "openai/gpt-4o-mini")]
    [InlineData("gpt-4o-2024-05-13", "openai/gpt-4o-2024-05-13")]
    public void Step3_match_names_and_prefixes(string name, string model)
    {
        var resolution = Real.Resolve(name);

        Assert.Equal(model, resolution.ResolvedModel);
        Assert.True(resolution.Source is PricingSource.Match or PricingSource.Exact);
        Assert.Empty(resolution.Warnings);
    }

    [Fact]
    public void Step3_longest_prefix_wins()
    {
        var engine = Engine(
            [Provider("p")],
            [Model("p", "family", Prices(1m, 1m), prefixes: ["fam-"]), Model("p", "family-pro", Prices(9m, 9m), prefixes: ["fam-pro-"])]);

        Assert.Equal("p/family-pro", engine.Resolve("fam-pro-2026").ResolvedModel);
        Assert.Equal("p/family", engine.Resolve("fam-2026").ResolvedModel);
        Assert.Equal("p/family", engine.Resolve("fam-pr").ResolvedModel);
        Assert.Equal(PricingSource.Match, engine.Resolve("fam-pro-2026").Source);
    }

    [Theory]
    [InlineData("openrouter/gpt-4o", "openai/gpt-4o", "gpt-4o")]
    [InlineData("gpt-4o:openai", "openai/gpt-4o", "gpt-4o")]
    [InlineData("meta/gpt-oss-120b:groq", "huggingface/gpt-oss-120b", "gpt-oss-120b")]
    [InlineData("bedrock/claude-sonnet-4-5-20250929", "anthropic/claude-sonnet-4-5", "claude-sonnet-4-5-20250929")]
    [InlineData("litellm/my-chatbot", "anthropic/claude-sonnet-4-5", "my-chatbot")]
    public void Step4_short_name_drops_vendor_prefix_and_provider_suffix(string name, string model, string shortName)
    {
        var resolution = Real.Resolve(name);

        Assert.Equal(PricingSource.ShortName, resolution.Source);
        Assert.Equal(model, resolution.ResolvedModel);
        var warning = Assert.Single(resolution.Warnings);
        Assert.Contains($"short name '{shortName}'", warning);
    }

    [Fact]
    public void Step4_provider_suffix_is_a_hint_for_a_shared_bare_id()
    {
        Assert.Equal("second/shared", SharedId.Resolve("vendor/shared:second").ResolvedModel);
        Assert.Equal("first/shared", SharedId.Resolve("vendor/shared:unknown").ResolvedModel);
    }

    [Fact]
    public void Step4_the_requests_provider_is_a_hint_for_a_shared_bare_id()
    {
        var resolution = SharedId.Resolve("vendor/shared", "second");

        Assert.Equal(PricingSource.ShortName, resolution.Source);
        Assert.Equal("second/shared", resolution.ResolvedModel);
    }

    [Theory]
    [InlineData("Claude-Sonnet-4-5", "anthropic/claude-sonnet-4-5")]
    [InlineData("OpenAI/GPT-4o", "openai/gpt-4o")]
    [InlineData("vendor/GPT-4O", "openai/gpt-4o")]
    [InlineData("CLAUDE-SONNET-4-5-20250929", "anthropic/claude-sonnet-4-5")]
    public void Step5_case_insensitive_match_warns(string name, string model)
    {
        var resolution = Real.Resolve(name);

        Assert.Equal(PricingSource.CaseInsensitive, resolution.Source);
        Assert.Equal(model, resolution.ResolvedModel);
        Assert.Contains("case is ignored", Assert.Single(resolution.Warnings));
    }

    [Fact]
    public void Step5_case_insensitive_alias_keeps_its_override_prices()
    {
        var resolution = Real.Resolve("MY-CHATBOT");

        Assert.Equal(PricingSource.CaseInsensitive, resolution.Source);
        Assert.Equal(2.7m, resolution.Prices.InputMtok);
    }

    [Theory]
    [InlineData("brand-new-model", "huggingface")]
    [InlineData("huggingface/brand-new-model", null)]
    [InlineData("someone/brand-new-model:huggingface", null)]
    public void Step6_provider_default_from_the_request_or_the_name(string name, string? provider)
    {
        var resolution = Real.Resolve(name, provider);

        Assert.Equal(PricingSource.ProviderDefault, resolution.Source);
        Assert.Equal("huggingface", resolution.Provider?.Id);
        Assert.Null(resolution.Model);
        Assert.Equal(Prices(1m, 3m), resolution.Prices, PriceSetComparer.Instance);
        Assert.Contains("provider 'huggingface' default prices", Assert.Single(resolution.Warnings));
    }

    [Fact]
    public void Step6_provider_default_prices_follow_the_environment()
    {
        var engine = RealEngine(("HUGGINGFACE_INPUT_TOKEN_COST", "0.000002"), ("HUGGINGFACE_OUTPUT_TOKEN_COST", "0.000005"));

        var resolution = engine.Resolve("brand-new-model", "huggingface");

        Assert.Equal(Prices(2m, 5m), resolution.Prices, PriceSetComparer.Instance);
    }

    [Fact]
    public void Step6_a_provider_without_default_prices_is_skipped()
    {
        var resolution = Real.Resolve("brand-new-model", "anthropic");

        Assert.Equal(PricingSource.Fallback, resolution.Source);
    }

    [Fact]
    public void Step7_default_model_prices_an_unknown_name()
    {
        var engine = Engine([Provider("p")], [Model("p", "default", Prices(4m, 8m)), Model("p", "known", Prices(1m, 1m))]);

        var resolution = engine.Resolve("brand-new-model");

        Assert.Equal(PricingSource.DefaultModel, resolution.Source);
        Assert.Equal("p/default", resolution.ResolvedModel);
        Assert.Contains("model 'default'", Assert.Single(resolution.Warnings));
    }

    [Fact]
    public void Step7_provider_default_comes_before_the_default_model()
    {
        var engine = Engine([Provider("p", Prices(3m, 3m))], [Model("p", "default", Prices(4m, 8m))]);

        Assert.Equal(PricingSource.ProviderDefault, engine.Resolve("p/brand-new-model").Source);
        Assert.Equal(PricingSource.DefaultModel, engine.Resolve("brand-new-model").Source);
    }

    [Fact]
    public void Step8_fallback_is_one_dollar_per_million()
    {
        var resolution = Real.Resolve("brand-new-model");

        Assert.Equal(PricingSource.Fallback, resolution.Source);
        Assert.Null(resolution.Model);
        Assert.Equal(Prices(1m, 1m), resolution.Prices, PriceSetComparer.Instance);
        var warning = Assert.Single(resolution.Warnings);
        Assert.Contains("catalogue fallback ($1 in / $1 out per million tokens)", warning);
    }

    [Theory]
    [InlineData(PricingSource.Exact, false)]
    [InlineData(PricingSource.Alias, false)]
    [InlineData(PricingSource.Match, false)]
    [InlineData(PricingSource.ShortName, true)]
    [InlineData(PricingSource.CaseInsensitive, true)]
    [InlineData(PricingSource.ProviderDefault, true)]
    [InlineData(PricingSource.DefaultModel, true)]
    [InlineData(PricingSource.Fallback, true)]
    public void Every_step_after_match_is_a_guess(PricingSource source, bool guess) =>
        Assert.Equal(guess, source.IsGuess());

    [Theory]
    [InlineData(PricingSource.Exact, "exact")]
    [InlineData(PricingSource.Alias, "alias")]
    [InlineData(PricingSource.Match, "match")]
    [InlineData(PricingSource.ShortName, "short_name")]
    [InlineData(PricingSource.CaseInsensitive, "case_insensitive")]
    [InlineData(PricingSource.ProviderDefault, "provider_default")]
    [InlineData(PricingSource.DefaultModel, "default_model")]
    [InlineData(PricingSource.Fallback, "fallback")]
    public void Sources_have_wire_names(PricingSource source, string wire) =>
        Assert.Equal(wire, source.ToWire());

    [Fact]
    public void An_inactive_model_is_priced_with_a_warning()
    {
        var resolution = Real.Resolve("claude-3-opus-20240229");

        Assert.Equal("anthropic/claude-3-opus", resolution.ResolvedModel);
        Assert.Contains("inactive", Assert.Single(resolution.Warnings));
    }

    [Fact]
    public void A_guess_on_an_inactive_model_carries_both_warnings()
    {
        var resolution = Real.Resolve("CLAUDE-3-OPUS");

        Assert.Equal(2, resolution.Warnings.Count);
    }

    [Fact]
    public void Explain_lists_every_step_tried_in_order()
    {
        var (resolution, steps) = Real.Explain("brand-new-model");

        Assert.Equal(PricingSource.Fallback, resolution.Source);
        Assert.Equal(
            ["exact", "match", "short_name", "case_insensitive", "provider_default", "default_model", "fallback"],
            steps.Select(s => s.Step));
        Assert.Equal([false, false, false, false, false, false, true], steps.Select(s => s.Matched));
    }

    [Fact]
    public void Explain_stops_at_the_step_that_matched()
    {
        var (resolution, steps) = Real.Explain("openrouter/gpt-4o:openai");

        Assert.Equal(PricingSource.ShortName, resolution.Source);
        var last = steps[^1];
        Assert.Equal("short_name", last.Step);
        Assert.True(last.Matched);
        Assert.Equal("openai/gpt-4o", last.Detail);
    }

    [Fact]
    public void Explain_of_an_exact_name_is_one_step()
    {
        var (_, steps) = Real.Explain("my-chatbot");

        var step = Assert.Single(steps);
        Assert.Equal(new ResolutionStep("alias", "my-chatbot", true), step);
    }

    [Fact]
    public void Explain_names_the_step_a_provider_qualified_name_matched()
    {
        var (resolution, steps) = Real.Explain("gpt-oss-120b:groq", "openai");

        Assert.Equal("huggingface/gpt-oss-120b", resolution.ResolvedModel);
        Assert.Equal(new ResolutionStep("match", "openai/gpt-oss-120b:groq", true), Assert.Single(steps));
    }

    [Fact]
    public void Names_longer_than_the_stack_buffer_resolve_to_the_fallback()
    {
        var name = "vendor/" + new string('x', 300) + ":huggingface";

        Assert.Equal(PricingSource.ProviderDefault, Real.Resolve(name, "huggingface").Source);
        Assert.Equal(PricingSource.Fallback, Real.Resolve(new string('y', 400)).Source);
    }
}
