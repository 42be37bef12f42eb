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
    public void Canonical_input_includes_the_cache()
    {
        var result = Read("""{"input_tokens": 1000, "output_tokens": 500, "cache_read_tokens": 300, "cache_write_tokens": 200, "cache_write_1h_tokens": 100, "total_tokens": 1500}""");

        Assert.Equal(UsageShape.Canonical, result.Shape);
        Assert.Equal(new TokenUsage(1000, 500, 300, 200, 100), result.Usage);
        Assert.Equal(500, result.Usage.UncachedInputTokens);
    }

    [Fact]
    public void Canonical_details_count_cached_tokens_and_ignore_reasoning()
    {
        var result = Read("""{"input_tokens": 1000, "output_tokens": 500, "input_tokens_details": {"cached_tokens": 600}, "output_tokens_details": {"reasoning_tokens": 400}}""");

        Assert.Equal(new TokenUsage(1000, 500, 600), result.Usage);
    }

    [Fact]
    public void Canonical_cache_above_input_is_an_error_on_input_tokens()
    {
        var result = Read("""{"input_tokens": 100, "cache_read_tokens": 80, "cache_write_tokens": 30}""");

        AssertError(result, "usage.input_tokens", "exceed input_tokens");
    }

    [Fact]
    public void OpenAI_prompt_tokens_include_cached_and_completion_includes_reasoning()
    {
        var result = Read("""{"prompt_tokens": 1000, "completion_tokens": 500, "total_tokens": 1500, "prompt_tokens_details": {"cached_tokens": 400, "audio_tokens": 0}, "completion_tokens_details": {"reasoning_tokens": 300}}""");

        Assert.Equal(UsageShape.OpenAI, result.Shape);
        Assert.Equal(new TokenUsage(1000, 500, 400), result.Usage);
    }

    [Fact]
    public void OpenAI_cached_above_prompt_is_an_error()
    {
        AssertError(Read("""{"prompt_tokens": 10, "prompt_tokens_details": {"cached_tokens": 11}}"""), "usage.prompt_tokens_details.cached_tokens", "exceed prompt_tokens");
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
        Assert.Equal(new TokenUsage(1000, 500, 400), result.Usage);
    }

    [Fact]
    public void Google_tool_use_prompt_tokens_are_input()
    {
        Assert.Equal(new TokenUsage(150, 0), Read("""{"promptTokenCount": 100, "toolUsePromptTokenCount": 50}""").Usage);
    }

    [Fact]
    public void Google_cached_above_prompt_is_an_error()
    {
        AssertError(Read("""{"promptTokenCount": 1, "cachedContentTokenCount": 2}"""), "usage.cachedContentTokenCount", "exceeds promptTokenCount");
    }

    [Theory]
    [InlineData("""{"input_tokens": 1, "prompt_tokens": 1}""")]
    [InlineData("""{"output_tokens": 1, "candidatesTokenCount": 1}""")]
    [InlineData("""{"cache_read_tokens": 1, "cache_read_input_tokens": 1}""")]
    [InlineData("""{"prompt_tokens": 1, "promptTokenCount": 1}""")]
    [InlineData("""{"completion_tokens": 1, "cache_creation_input_tokens": 1}""")]
    public void Mixed_shapes_are_an_error(string json)
    {
        AssertError(Read(json), "usage", "mixes fields");
    }

    [Fact]
    public void Unknown_usage_field_is_named()
    {
        AssertError(Read("""{"input_tokens": 1, "imput_tokens": 2}"""), "usage.imput_tokens", "unknown usage field 'imput_tokens'");
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
