using System.Text.Json;

namespace Catalog.Pricing.Tests;

/// <summary>Usage in each provider's shape becomes canonical counts, cached tokens counted once; bad counts name the field.</summary>
public sealed class UsageReaderTests
{
    [Fact]
    public void Absent_or_null_usage_is_no_usage()
    {
        Assert.Equal(UsageReadResult.Success(default, UsageShape.None), UsageReader.Read(default));
        Assert.Equal(UsageReadResult.Success(default, UsageShape.None), Read("null"));
    }

    [Fact]
    public void An_empty_object_is_canonical_with_no_tokens()
    {
        var result = Read("{}");

        Assert.True(result.Ok);
        Assert.True(result.Usage.IsEmpty);
    }

    [Fact]
    public void Escaped_and_non_ascii_field_names_mean_what_they_say()
    {
        var result = Read("""{"\u0070rompt_tokens": 1000, "completion_tokens": 500, "prompt_tokens_details": {"cached_tokens": 200, "x\u005ftokens": 4}, "z\u00e9ro_tokens": 7, "caf\u00e9": {"n": 2}}""");

        Assert.Equal(UsageShape.OpenAI, result.Shape);
        Assert.Equal(new TokenUsage(1000, 500, 200), result.Usage);
        Assert.Equal(["usage.prompt_tokens_details.x_tokens (4)", "usage.zéro_tokens (7)", "usage.café.n (2)"], result.Unpriced.Select(u => $"{u.Field} ({u.Count})"));
    }

    [Fact]
    public void Canonical_input_includes_the_cache()
    {
        var result = Read("""{"input_tokens": 1000, "output_tokens": 500, "cache_read_tokens": 300, "cache_write_tokens": 200, "cache_write_1h_tokens": 100, "total_tokens": 1500}""");

        Assert.Equal(UsageShape.Canonical, result.Shape);
        Assert.Equal(new TokenUsage(1000, 500, 300, 200, 100), result.Usage);
        Assert.Equal(500, result.Usage.UncachedInputTokens);
    }

    [Fact]
    public void Responses_details_count_cached_and_reasoning_tokens()
    {
        var result = Read("""{"input_tokens": 1000, "output_tokens": 500, "input_tokens_details": {"cached_tokens": 600}, "output_tokens_details": {"reasoning_tokens": 400}}""");

        Assert.Equal(UsageShape.OpenAIResponses, result.Shape);
        Assert.Equal(new TokenUsage(1000, 500, 600) { OutputReasoningTokens = 400 }, result.Usage);
    }

    [Fact]
    public void Canonical_cache_above_input_is_an_error_on_input_tokens()
    {
        var result = Read("""{"input_tokens": 100, "cache_read_tokens": 80, "cache_write_tokens": 30}""");

        AssertError(result, "usage.input_tokens", "add up to 110, more than usage.input_tokens (100)");
    }

    [Fact]
    public void OpenAI_prompt_tokens_include_cached_and_completion_includes_reasoning()
    {
        var result = Read("""{"prompt_tokens": 1000, "completion_tokens": 500, "total_tokens": 1500, "prompt_tokens_details": {"cached_tokens": 400, "audio_tokens": 0}, "completion_tokens_details": {"reasoning_tokens": 300}}""");

        Assert.Equal(UsageShape.OpenAI, result.Shape);
        Assert.Equal(new TokenUsage(1000, 500, 400) { OutputReasoningTokens = 300, DetailReasoningTokens = 300 }, result.Usage);
    }

    [Fact]
    public void OpenAI_cached_above_prompt_is_an_error()
    {
        AssertError(Read("""{"prompt_tokens": 10, "prompt_tokens_details": {"cached_tokens": 11}}"""), "usage.prompt_tokens_details.cached_tokens", "usage.prompt_tokens_details.cached_tokens (11) is more than usage.prompt_tokens (10), which contains it");
    }

    [Fact]
    public void Anthropic_input_excludes_the_cache()
    {
        var result = Read("""{"input_tokens": 100, "cache_creation_input_tokens": 1000, "cache_read_input_tokens": 2000, "output_tokens": 50}""");

        Assert.Equal(UsageShape.Anthropic, result.Shape);
        Assert.Equal(new TokenUsage(3100, 50, CacheReadTokens: 2000, CacheWriteTokens: 1000), result.Usage);
    }

    [Fact]
    public void Anthropic_seed_example_costs_0_0054()
    {
        var result = Read("""{"input_tokens": 100, "cache_creation_input_tokens": 1000, "cache_read_input_tokens": 2000, "output_tokens": 50}""");

        var cost = BuiltInCatalog.CreateEngine(TestCatalog.NoEnvironment).Price("claude-sonnet-4-5", "anthropic", result.Usage, TestCatalog.Now);

        Assert.Equal(0.0054m, cost.TotalUsd);
    }

    [Fact]
    public void Anthropic_cache_creation_splits_five_minute_and_one_hour_writes()
    {
        var result = Read("""{"input_tokens": 100, "cache_creation_input_tokens": 1000, "cache_creation": {"ephemeral_5m_input_tokens": 600, "ephemeral_1h_input_tokens": 400}, "output_tokens": 50, "service_tier": "standard", "server_tool_use": null}""");

        Assert.Equal(new TokenUsage(1100, 50, CacheWriteTokens: 1000, CacheWrite1hTokens: 400), result.Usage);
    }

    [Fact]
    public void Anthropic_split_without_the_total_is_read()
    {
        var result = Read("""{"input_tokens": 100, "cache_creation": {"ephemeral_1h_input_tokens": 400}, "output_tokens": 50}""");

        Assert.Equal(new TokenUsage(500, 50, CacheWriteTokens: 400, CacheWrite1hTokens: 400), result.Usage);
    }

    [Fact]
    public void Anthropic_split_that_disagrees_with_the_total_is_an_error()
    {
        AssertError(
            Read("""{"input_tokens": 1, "cache_creation_input_tokens": 1000, "cache_creation": {"ephemeral_5m_input_tokens": 600, "ephemeral_1h_input_tokens": 300}}"""),
            "usage.cache_creation",
            "differ from cache_creation_input_tokens");
    }

    [Fact]
    public void Anthropic_null_cache_creation_keeps_the_total_as_five_minute_writes()
    {
        var result = Read("""{"input_tokens": 1, "cache_creation_input_tokens": 10, "cache_creation": null}""");

        Assert.Equal(new TokenUsage(11, 0, CacheWriteTokens: 10), result.Usage);
    }

    [Fact]
    public void Google_prompt_includes_cached_and_thoughts_are_output()
    {
        var result = Read("""{"promptTokenCount": 1000, "candidatesTokenCount": 300, "thoughtsTokenCount": 200, "cachedContentTokenCount": 400, "totalTokenCount": 1500, "trafficType": "ON_DEMAND", "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 1000}]}""");

        Assert.Equal(UsageShape.Google, result.Shape);
        Assert.Equal(new TokenUsage(1000, 500, 400) { OutputReasoningTokens = 200 }, result.Usage);
    }

    [Fact]
    public void Google_tool_use_prompt_tokens_are_input()
    {
        Assert.Equal(new TokenUsage(150, 0), Read("""{"promptTokenCount": 100, "toolUsePromptTokenCount": 50}""").Usage);
    }

    [Fact]
    public void Google_cached_above_prompt_is_an_error()
    {
        AssertError(Read("""{"promptTokenCount": 1, "cachedContentTokenCount": 2}"""), "usage.cachedContentTokenCount", "usage.cachedContentTokenCount (2) is more than usage.promptTokenCount (1)");
    }

    [Theory]
    [InlineData("""{"input_tokens": 1, "prompt_tokens": 1}""")]
    [InlineData("""{"output_tokens": 1, "candidatesTokenCount": 1}""")]
    [InlineData("""{"cache_read_tokens": 1, "cache_read_input_tokens": 1}""")]
    [InlineData("""{"prompt_tokens": 1, "promptTokenCount": 1}""")]
    public void Mixed_shapes_are_an_error(string json)
    {
        AssertError(Read(json), "usage", "mixes fields");
    }

    [Fact]
    public void An_unknown_number_is_accepted_charged_nothing_and_listed_unpriced()
    {
        var result = Read("""{"input_tokens": 1, "imput_tokens": 2, "note": "x", "extra": {"x_tokens": 12, "label": "y"}}""");

        Assert.True(result.Ok);
        Assert.Equal(new TokenUsage(1, 0), result.Usage);
        Assert.Equal([new UnpricedField("usage.imput_tokens", 2), new UnpricedField("usage.extra.x_tokens", 12)], result.Unpriced);
    }

    [Fact]
    public void A_field_of_another_shape_beside_a_shape_is_unpriced_not_an_error()
    {
        var result = Read("""{"completion_tokens": 1, "cache_creation_input_tokens": 5}""");

        Assert.Equal(UsageShape.OpenAI, result.Shape);
        Assert.Equal([new UnpricedField("usage.cache_creation_input_tokens", 5)], result.Unpriced);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("\"1000 tokens\"")]
    [InlineData("true")]
    public void Usage_that_is_not_an_object_is_an_error(string json)
    {
        AssertError(Read(json), "usage", "must be an object");
    }

    [Theory]
    [InlineData("1.5", "must be a whole number")]
    [InlineData("1e3", "must be a whole number")]
    [InlineData("1e400", "must be a whole number")]
    [InlineData("\"100\"", "the string \"100\"")]
    [InlineData("true", "not true")]
    [InlineData("[]", "not array")]
    [InlineData("{}", "not object")]
    [InlineData("-1", "cannot be negative")]
    [InlineData("1000000000001", "more than 1000000000000")]
    [InlineData("99999999999999999999", "must be a whole number")]
    public void Bad_counts_name_the_field(string value, string message)
    {
        AssertError(Read($$"""{"input_tokens": 5, "output_tokens": {{value}}}"""), "usage.output_tokens", message);
    }

    [Fact]
    public void Ten_to_the_twelve_tokens_is_the_limit()
    {
        Assert.Equal(TokenUsage.MaxTokens, Read("""{"input_tokens": 1000000000000}""").Usage.InputTokens);
    }

    [Fact]
    public void Null_counts_are_zero()
    {
        var result = Read("""{"prompt_tokens": 10, "completion_tokens": null, "prompt_tokens_details": null}""");

        Assert.Equal(new TokenUsage(10, 0), result.Usage);
    }

    [Theory]
    [InlineData("""{"prompt_tokens": 1, "prompt_tokens_details": 5}""", "usage.prompt_tokens_details")]
    [InlineData("""{"prompt_tokens": 1, "prompt_tokens_details": {"cached_tokens": -1}}""", "usage.prompt_tokens_details.cached_tokens")]
    [InlineData("""{"input_tokens": 1, "cache_creation": [1]}""", "usage.cache_creation")]
    public void Bad_nested_details_name_the_field(string json, string field)
    {
        Assert.Equal(field, Read(json).Field);
    }

    [Fact]
    public void The_first_bad_field_is_reported()
    {
        var result = Read("""{"input_tokens": -1, "output_tokens": -2}""");

        Assert.Equal("usage.input_tokens", result.Field);
    }

    [Fact]
    public void Field_names_carry_the_path_of_a_batch_item()
    {
        Assert.Equal("items[3].usage.input_tokens", UsageReader.Read(Parse("""{"input_tokens": -1}"""), "items[3].usage").Field);
    }

    private static UsageReadResult Read(string json) => UsageReader.Read(Parse(json));

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static void AssertError(UsageReadResult result, string field, string message)
    {
        Assert.False(result.Ok);
        Assert.Equal(field, result.Field);
        Assert.Contains(message, result.Error);
    }
}

/// <summary>The provider shapes beyond chat: what each field is read as, and what the usage says besides counts.</summary>
public sealed class ProviderShapeTests
{
    [Fact]
    public void Anthropic_web_searches_thinking_service_tier_and_inference_geo_are_read()
    {
        var result = Read("""{"input_tokens": 100, "output_tokens": 500, "output_tokens_details": {"thinking_tokens": 300}, "server_tool_use": {"web_search_requests": 2, "web_fetch_requests": 1}, "service_tier": "batch", "inference_geo": "us"}""");

        Assert.Equal(UsageShape.Anthropic, result.Shape);
        Assert.Equal(new TokenUsage(100, 500) { OutputReasoningTokens = 300, WebSearches = 2 }, result.Usage);
        Assert.Equal(("batch", "us"), (result.ServiceTier, result.Region));
        Assert.Empty(result.Unpriced);
    }

    [Fact]
    public void Bedrock_converse_cache_is_beside_the_input()
    {
        var result = Read("""{"inputTokens": 100, "outputTokens": 300, "totalTokens": 2900, "cacheReadInputTokens": 2000, "cacheWriteInputTokens": 500}""");

        Assert.Equal(UsageShape.Bedrock, result.Shape);
        Assert.Equal(new TokenUsage(2600, 300, 2000, 500), result.Usage);
    }

    [Fact]
    public void OpenRouter_cost_is_kept_as_the_reported_cost()
    {
        var result = Read("""{"prompt_tokens": 194, "completion_tokens": 2, "total_tokens": 196, "cost": 0.00095, "is_byok": false, "cost_details": {"upstream_inference_cost": 19}}""");

        Assert.Equal(UsageShape.OpenRouter, result.Shape);
        Assert.Equal(0.00095m, result.ReportedCostUsd);
        Assert.Empty(result.Unpriced);
    }

    [Fact]
    public void Cohere_search_units_have_no_price_and_are_listed()
    {
        var result = Read("""{"billed_units": {"input_tokens": 5, "output_tokens": 418, "search_units": 1}, "tokens": {"input_tokens": 71, "output_tokens": 420}}""");

        Assert.Equal(new TokenUsage(5, 418), result.Usage);
        Assert.Equal([new UnpricedField("usage.billed_units.search_units", 1)], result.Unpriced);
    }

    [Fact]
    public void Reasoning_in_completion_details_is_inside_the_output_unless_the_provider_reports_it_beside()
    {
        var usage = Read("""{"prompt_tokens": 10, "completion_tokens": 9, "completion_tokens_details": {"reasoning_tokens": 94}}""").Usage;
        var included = TestCatalog.Engine([TestCatalog.Provider("openai")], [TestCatalog.Model("openai", "o", TestCatalog.Prices(1m, 10m))]);
        var separate = TestCatalog.Engine([TestCatalog.Provider("xai") with { ReasoningTokens = ReasoningTokens.Separate }], [TestCatalog.Model("xai", "grok", TestCatalog.Prices(1m, 10m))]);

        var beside = separate.Price("grok", null, usage, TestCatalog.Now);
        var inconsistent = included.Price("o", null, usage, TestCatalog.Now);

        Assert.Equal(103, beside.Usage.OutputTokens);
        Assert.Equal(103 * 10m / 1_000_000m, beside.OutputUsd);
        Assert.Empty(beside.Resolution.Warnings);
        Assert.Equal(103, inconsistent.Usage.OutputTokens);
        Assert.Contains("reasoning_tokens: separate", Assert.Single(inconsistent.Resolution.Warnings));
    }

    [Fact]
    public void Google_modalities_are_read_with_documents_as_images()
    {
        var result = Read("""{"promptTokenCount": 1000, "candidatesTokenCount": 100, "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 100}, {"modality": "AUDIO", "tokenCount": 600}, {"modality": "DOCUMENT", "tokenCount": 200}, {"modality": "VIDEO", "tokenCount": 100}], "candidatesTokensDetails": [{"modality": "IMAGE", "tokenCount": 80}]}""");

        Assert.Equal(new TokenUsage(1000, 100) { InputAudioTokens = 600, InputImageTokens = 200, InputVideoTokens = 100, OutputImageTokens = 80 }, result.Usage);
    }

    [Fact]
    public void Audio_larger_than_the_prompt_is_an_error_naming_both_fields()
    {
        var result = Read("""{"prompt_tokens": 800, "prompt_tokens_details": {"audio_tokens": 900}}""");

        Assert.Equal("usage.prompt_tokens_details.audio_tokens", result.Field);
        Assert.Contains("usage.prompt_tokens_details.audio_tokens (900) is more than usage.prompt_tokens (800)", result.Error);
    }

    private static UsageReadResult Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return UsageReader.Read(document.RootElement.Clone());
    }
}
