using System.Net;
using System.Text;
using Catalog.Pricing;
using Microsoft.AspNetCore.Mvc.Testing;

using Catalog.Api.Tests.Ledger;

namespace Catalog.Api.Tests;

/// <summary>POST /v1/cost: the contract of issue 4, money as exact JSON numbers, and a 4xx naming the field for bad input.</summary>
public sealed class CostApiTests(LedgerApiFactory factory) : IClassFixture<LedgerApiFactory>
{
    private const string IssueExample = """
        { "model": "my-chatbot", "provider": "anthropic", "timestamp": "2026-11-20T10:00:00Z",
          "usage": { "input_tokens": 1000, "output_tokens": 500, "cache_read_tokens": 0, "cache_write_tokens": 0 } }
        """;

    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task The_issue_example_answers_with_the_exact_contract()
    {
        var response = await _client.PostJsonTextAsync("/v1/cost", IssueExample);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("application/json", response.MediaType);
        var expected =
            "{\"model\":\"my-chatbot\",\"resolved_model\":\"anthropic/claude-sonnet-4-5\",\"provider\":\"anthropic\"," +
            "\"pricing_source\":\"alias\",\"token_source\":\"actual\",\"tier\":null," +
            "\"input_usd\":0.0027,\"output_usd\":0.00675,\"cache_read_usd\":0,\"cache_write_usd\":0,\"request_usd\":0,\"total_usd\":0.00945," +
            $"\"currency\":\"USD\",\"catalog_version\":\"{BuiltInCatalog.Version}\",\"warnings\":[]";
        Assert.StartsWith(expected, response.Text);
    }

    [Fact]
    public async Task The_anthropic_cache_example_costs_0_0054()
    {
        var response = await _client.PostJsonTextAsync("/v1/cost", """
            { "model": "claude-sonnet-4-5", "provider": "anthropic",
              "usage": { "input_tokens": 100, "cache_creation_input_tokens": 1000, "cache_read_input_tokens": 2000, "output_tokens": 50 } }
            """);

        Assert.Contains("\"total_usd\":0.0054,", response.Text);
        Assert.Contains("\"usage_shape\":\"anthropic\"", response.Text);
        Assert.Contains("\"usage\":{\"input_tokens\":3100,\"output_tokens\":50,\"cache_read_tokens\":2000,\"cache_write_tokens\":1000,\"cache_write_1h_tokens\":0}", response.Text);
    }

    [Fact]
    public async Task Gpt35_turbo_without_usage_is_estimated_at_0_00125()
    {
        var response = await _client.PostJsonTextAsync("/v1/cost", """{ "model": "gpt-3.5-turbo" }""");

        Assert.Contains("\"token_source\":\"estimated\"", response.Text);
        Assert.Contains("\"total_usd\":0.00125,", response.Text);
        Assert.Contains("no token counts", Assert.Single(response.Json.GetProperty("warnings").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task All_zero_counts_are_estimated_too()
    {
        var response = await _client.PostJsonTextAsync("/v1/cost", """{ "model": "gpt-3.5-turbo", "usage": { "prompt_tokens": 0, "completion_tokens": 0 } }""");

        Assert.Contains("\"token_source\":\"estimated\"", response.Text);
        Assert.Contains("\"total_usd\":0.00125,", response.Text);
    }

    [Fact]
    public async Task Hugging_face_at_the_env_defaults_costs_0_0025()
    {
        var response = await _client.PostJsonTextAsync("/v1/cost", """{ "model": "openai/gpt-oss-120b:groq", "usage": { "prompt_tokens": 1000, "completion_tokens": 500 } }""");

        Assert.Contains("\"resolved_model\":\"huggingface/gpt-oss-120b\"", response.Text);
        Assert.Contains("\"total_usd\":0.0025,", response.Text);
    }

    [Fact]
    public async Task Cost_is_open_by_default_and_asks_for_a_key_when_configured()
    {
        const string body = """{ "model": "gpt-4o", "usage": { "input_tokens": 10, "output_tokens": 5 } }""";
        Assert.Equal(HttpStatusCode.OK, (await _client.PostJsonTextAsync("/v1/cost", body)).Status);

        using var metered = factory.WithOwnDatabase(builder => builder.UseSetting("Cost:RequireKey", "true"));
        var anonymous = metered.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostJsonTextAsync("/v1/cost", body)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostJsonTextAsync("/v1/cost/batch", $$"""{ "items": [ {{body}} ] }""")).Status);

        var keyed = metered.CreateClient();
        keyed.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", LedgerApiFactory.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await keyed.PostJsonTextAsync("/v1/cost", body)).Status);
    }

    [Fact]
    public async Task A_changed_env_value_changes_the_cost()
    {
        using var changed = factory.WithOwnDatabase(builder =>
        {
            builder.UseSetting("HUGGINGFACE_INPUT_TOKEN_COST", "0.000002");
            builder.UseSetting("HUGGINGFACE_OUTPUT_TOKEN_COST", "0.000004");
        });

        var response = await changed.CreateClient().PostJsonTextAsync("/v1/cost", """{ "model": "openai/gpt-oss-120b:groq", "usage": { "input_tokens": 1000, "output_tokens": 500 } }""");

        Assert.Contains("\"total_usd\":0.004,", response.Text);
    }

    [Theory]
    [InlineData("anthropic/claude-sonnet-4-5", null, "exact", false)]
    [InlineData("my-chatbot", null, "alias", false)]
    [InlineData("claude-sonnet-4-5-20250929", null, "match", false)]
    [InlineData("openrouter/claude-sonnet-4-5", null, "short_name", true)]
    [InlineData("Claude-Sonnet-4-5", null, "case_insensitive", true)]
    [InlineData("brand-new-model", "huggingface", "provider_default", true)]
    [InlineData("brand-new-model", null, "fallback", true)]
    public async Task Pricing_source_names_the_step_and_guesses_warn(string model, string? provider, string source, bool warns)
    {
        var body = provider is null
            ? $$"""{ "model": "{{model}}", "usage": { "input_tokens": 10, "output_tokens": 10 } }"""
            : $$"""{ "model": "{{model}}", "provider": "{{provider}}", "usage": { "input_tokens": 10, "output_tokens": 10 } }""";

        var response = await _client.PostJsonTextAsync("/v1/cost", body);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(source, response.Json.GetProperty("pricing_source").GetString());
        Assert.Equal(warns, response.Json.GetProperty("warnings").GetArrayLength() > 0);
    }

    [Fact]
    public async Task An_unknown_model_echoes_the_requested_provider()
    {
        var response = await _client.PostJsonTextAsync("/v1/cost", """{ "model": "brand-new-model", "provider": "somecloud" }""");

        Assert.Contains("\"resolved_model\":null,\"provider\":\"somecloud\",\"pricing_source\":\"fallback\"", response.Text);
    }

    [Fact]
    public async Task The_timestamp_picks_the_price_from_history()
    {
        var before = await _client.PostJsonTextAsync("/v1/cost", """{ "model": "claude-sonnet-4-5", "timestamp": "2025-09-30T23:59:59Z", "usage": { "input_tokens": 1000000 } }""");
        var after = await _client.PostJsonTextAsync("/v1/cost", """{ "model": "claude-sonnet-4-5", "timestamp": "2025-10-01T00:00:00Z", "usage": { "input_tokens": 100000 } }""");

        Assert.Contains("\"input_usd\":3.5,", before.Text.Replace("\"tier\":200000", "\"tier\":null"));
        Assert.Contains("\"input_usd\":0.3,", after.Text);
    }

    [Theory]
    [InlineData("2025-09-30T23:59:59Z", "0.35")]
    [InlineData("2025-10-01T00:00:00Z", "0.3")]
    [InlineData("2025-10-01T01:00:00+02:00", "0.35")]
    [InlineData("2025-09-30T23:30:00-01:00", "0.3")]
    [InlineData("2025-09-30T23:59:59", "0.35")]
    [InlineData("2025-10-01T00:00:00.0000001", "0.3")]
    [InlineData("2025-09-30", "0.35")]
    [InlineData("2025-10-01", "0.3")]
    [InlineData("09/30/2025 23:59:59", "0.35")]
    [InlineData("Wed, 01 Oct 2025 00:00:00 GMT", "0.3")]
    public async Task Timestamps_are_read_in_utc_whatever_their_format(string timestamp, string inputUsd)
    {
        var response = await _client.PostJsonTextAsync("/v1/cost", $$"""{ "model": "claude-sonnet-4-5", "timestamp": "{{timestamp}}", "usage": { "input_tokens": 100000 } }""");

        Assert.Contains($"\"input_usd\":{inputUsd},", response.Text);
    }

    [Fact]
    public async Task A_tier_above_its_threshold_is_reported()
    {
        var at = await _client.PostJsonTextAsync("/v1/cost", """{ "model": "claude-sonnet-4-5", "usage": { "input_tokens": 200000 } }""");
        var above = await _client.PostJsonTextAsync("/v1/cost", """{ "model": "claude-sonnet-4-5", "usage": { "input_tokens": 200001 } }""");

        Assert.Contains("\"tier\":null,\"input_usd\":0.6,", at.Text);
        Assert.Contains("\"tier\":200000,\"input_usd\":1.200006,", above.Text);
    }

    [Fact]
    public async Task The_largest_request_is_an_exact_integer_amount()
    {
        var response = await _client.PostJsonTextAsync("/v1/cost", """{ "model": "o1-pro", "usage": { "input_tokens": 1000000000000, "output_tokens": 1000000000000 } }""");

        Assert.Contains("\"total_usd\":750000000,", response.Text);
    }

    [Theory]
    [InlineData("anthropic", """{ "input_tokens": 100, "output_tokens": 50, "cache_read_input_tokens": 0, "service_tier": "standard", "inference_geo": "us", "server_tool_use": { "web_search_requests": 0 } }""")]
    [InlineData("bedrock", """{ "inputTokens": 100, "outputTokens": 50, "totalTokens": 150, "cacheReadInputTokens": 0, "cacheWriteInputTokens": 0 }""")]
    [InlineData("openrouter", """{ "prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150, "cost": 0.00105, "is_byok": false, "prompt_tokens_details": { "cached_tokens": 0 }, "cost_details": { "upstream_inference_cost": null } }""")]
    public async Task Usage_the_providers_return_is_priced_as_sent(string shape, string usage)
    {
        var response = await _client.PostJsonTextAsync("/v1/cost", $$"""{ "model": "claude-sonnet-4-5", "usage": {{usage}} }""");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Contains($"\"usage_shape\":\"{shape}\"", response.Text);
        Assert.Contains("\"total_usd\":0.00105,", response.Text);
    }

    [Theory]
    [InlineData(""" "service_tier": "batch", "usage": { "input_tokens": 1000, "output_tokens": 500 } """, "\"service_tier\":\"batch\",\"region\":null", "0.00525")]
    [InlineData(""" "usage": { "input_tokens": 1000, "output_tokens": 500, "service_tier": "batch", "inference_geo": "us" } """, "\"service_tier\":\"batch\",\"region\":\"us\"", "0.00525")]
    [InlineData(""" "service_tier": "default", "usage": { "input_tokens": 1000, "output_tokens": 500 } """, "\"service_tier\":null,\"region\":null", "0.0105")]
    public async Task Anthropic_batch_usage_is_charged_half(string fields, string applied, string total)
    {
        var response = await _client.PostJsonTextAsync("/v1/cost", $$"""{ "model": "claude-sonnet-4-5", {{fields}} }""");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Contains(applied, response.Text);
        Assert.Contains($"\"total_usd\":{total},", response.Text);
    }

    [Fact]
    public async Task A_service_tier_the_catalogue_lacks_is_standard_with_a_warning()
    {
        var response = await _client.PostJsonTextAsync("/v1/cost", """{ "model": "claude-sonnet-4-5", "service_tier": "priority", "usage": { "input_tokens": 1000, "output_tokens": 500 } }""");

        Assert.Contains("\"total_usd\":0.0105,", response.Text);
        Assert.Contains("service tier 'priority' has no entry", response.Text);
    }

    [Fact]
    public async Task An_unknown_usage_number_is_charged_nothing_listed_unpriced_and_warned()
    {
        var response = await _client.PostJsonTextAsync("/v1/cost", """{ "model": "claude-sonnet-4-5", "usage": { "input_tokens": 1000, "output_tokens": 500, "x_tokens": 12 } }""");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Contains("\"unpriced\":[{\"field\":\"usage.x_tokens\",\"count\":12}]", response.Text);
        Assert.Contains("usage.x_tokens (12) is not a field the canonical usage shape prices; charged nothing", response.Text);
        Assert.Contains("\"total_usd\":0.0105,", response.Text);
    }

    [Fact]
    public async Task Each_charged_unit_is_listed_with_its_price()
    {
        var response = await _client.PostJsonTextAsync("/v1/cost", """{ "model": "claude-sonnet-4-5", "usage": { "input_tokens": 1000, "output_tokens": 500, "cache_read_tokens": 200 } }""");

        Assert.Contains("\"tools_usd\":0,", response.Text);
        Assert.Contains("\"units\":[{\"unit\":\"input_tokens\",\"count\":800,\"price_key\":\"input_mtok\",\"price\":3,\"usd\":0.0024},{\"unit\":\"cache_read_tokens\",\"count\":200,\"price_key\":\"cache_read_mtok\",\"price\":0.3,\"usd\":0.00006},{\"unit\":\"output_tokens\",\"count\":500,\"price_key\":\"output_mtok\",\"price\":15,\"usd\":0.0075}]", response.Text);
    }

    [Fact]
    public async Task Prices_applied_are_reported_per_million()
    {
        var response = await _client.PostJsonTextAsync("/v1/cost", """{ "model": "gpt-4o-2024-05-13", "usage": { "prompt_tokens": 1000, "prompt_tokens_details": { "cached_tokens": 400 } } }""");

        Assert.Contains("\"input_usd\":0.005,", response.Text);
        Assert.Contains("\"cache_read_usd\":0,", response.Text);
        Assert.Contains("\"prices\":{\"input_mtok\":5,\"output_mtok\":15,\"cache_read_mtok\":5,\"cache_write_mtok\":5,\"cache_write_1h_mtok\":5}", response.Text);
    }

    [Theory]
    [InlineData("""{ "provider": "anthropic" }""", "model", "'model' is required")]
    [InlineData("""{ "model": null }""", "model", "'model' is required")]
    [InlineData("""{ "model": "" }""", "model", "must not be empty")]
    [InlineData("""{ "model": "   " }""", "model", "must not be empty")]
    [InlineData("""{ "model": 42 }""", "model", "must be a string")]
    [InlineData("""{ "model": "a\u0000b" }""", "model", "control characters")]
    [InlineData("""{ "model": "gpt-4o", "provider": [] }""", "provider", "must be a string")]
    [InlineData("""{ "model": "gpt-4o", "timestamp": "yesterday" }""", "timestamp", "ISO-8601")]
    [InlineData("""{ "model": "gpt-4o", "timestamp": "1999-12-31T23:59:59Z" }""", "timestamp", "ISO-8601")]
    [InlineData("""{ "model": "gpt-4o", "timestamp": 1763632800 }""", "timestamp", "ISO-8601")]
    [InlineData("""{ "model": "gpt-4o", "usage": { "input_tokens": -1 } }""", "usage.input_tokens", "cannot be negative")]
    [InlineData("""{ "model": "gpt-4o", "usage": { "input_tokens": 1.5 } }""", "usage.input_tokens", "whole number")]
    [InlineData("""{ "model": "gpt-4o", "usage": { "input_tokens": "1000" } }""", "usage.input_tokens", "whole number")]
    [InlineData("""{ "model": "gpt-4o", "usage": { "input_tokens": 1000000000001 } }""", "usage.input_tokens", "not a real request")]
    [InlineData("""{ "model": "gpt-4o", "usage": { "input_tokens": 1e999 } }""", "usage.input_tokens", "whole number")]
    [InlineData("""{ "model": "gpt-4o", "usage": { "input_tokens": 5, "prompt_tokens": 5 } }""", "usage", "mixes fields")]
    [InlineData("""{ "model": "gpt-4o", "usage": { "input_tokens": 5, "cache_read_tokens": 6 } }""", "usage.cache_read_tokens", "usage.cache_read_tokens (6) is more than usage.input_tokens (5)")]
    [InlineData("""{ "model": "gpt-4o", "usage": { "prompt_tokens": 800, "prompt_tokens_details": { "audio_tokens": 900 } } }""", "usage.prompt_tokens_details.audio_tokens", "usage.prompt_tokens_details.audio_tokens (900) is more than usage.prompt_tokens (800)")]
    [InlineData("""{ "model": "gpt-4o", "usage": 5 }""", "usage", "must be an object")]
    [InlineData("""{ "modle": "gpt-4o" }""", "modle", "did you mean 'model'?")]
    [InlineData("""{ "model": "gpt-4o", "usgae": {} }""", "usgae", "did you mean 'usage'?")]
    [InlineData("[]", "body", "must be a JSON object")]
    [InlineData("null", "body", "must be a JSON object")]
    [InlineData("{ \"model\": ", "body", "not valid JSON")]
    [InlineData("{ \"model\": \"gpt-4o\", }", "body", "not valid JSON")]
    [InlineData("", "body", "not valid JSON")]
    public async Task Bad_input_is_a_400_naming_the_field_and_the_fix(string body, string field, string message)
    {
        var response = await _client.PostJsonTextAsync("/v1/cost", body);

        Assert.Contains(response.AssertValidationProblem(field), m => m.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_field_at_fault_is_named_at_once()
    {
        var response = await _client.PostJsonTextAsync("/v1/cost", """{ "model": "", "timestamp": "x", "usage": { "output_tokens": -5 } }""");

        response.AssertValidationProblem("model");
        response.AssertValidationProblem("timestamp");
        response.AssertValidationProblem("usage.output_tokens");
    }

    [Fact]
    public async Task A_long_unknown_field_is_named_without_a_suggestion()
    {
        var name = new string('q', 5000);

        var response = await _client.PostJsonTextAsync("/v1/cost", $$"""{ "model": "gpt-4o", "{{name}}": 1 }""");

        Assert.DoesNotContain("did you mean", response.AssertValidationProblem(name)[0]);
    }

    [Fact]
    public async Task A_model_name_over_256_characters_is_a_400()
    {
        var response = await _client.PostJsonTextAsync("/v1/cost", $$"""{ "model": "{{new string('m', 257)}}" }""");

        Assert.Contains("at most 256", response.AssertValidationProblem("model")[0]);
    }

    [Fact]
    public async Task Nesting_deeper_than_the_limit_is_a_400()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100);

        var response = await _client.PostJsonTextAsync("/v1/cost", deep);

        Assert.Contains("not valid JSON", response.AssertValidationProblem("body")[0]);
    }

    [Theory]
    [InlineData("""{ "model": "gpt-4o~" }""", "model")]
    [InlineData("""{ "model": "gpt-4o", "timestamp": "2026~" }""", "timestamp")]
    [InlineData("""{ "model": "gpt-4o", "usage": { "input_tokens": "1~" } }""", "usage.input_tokens")]
    [InlineData("""{ "model": "gpt-4o", "~": 1 }""", "body")]
    [InlineData("""{ "model": "gpt-4o", "usage": { "~": 1 } }""", "usage")]
    public async Task Bytes_that_are_not_utf8_are_a_400_naming_the_field(string json, string field)
    {
        var body = Encoding.UTF8.GetBytes(json).Select(b => b == (byte)'~' ? (byte)0xFF : b).ToArray();

        var response = await _client.PostBytesAsync("/v1/cost", body);

        response.AssertValidationProblem(field);
    }

    [Theory]
    [InlineData("""{ "model": "gpt\ud800" }""", "model")]
    [InlineData("""{ "model": "gpt-4o", "timestamp": "\udc00" }""", "timestamp")]
    [InlineData("""{ "model": "gpt-4o", "usage": { "input_tokens": "\ud800" } }""", "usage.input_tokens")]
    [InlineData("""{ "model": "gpt-4o", "\ud800": 1 }""", "body")]
    [InlineData("""{ "\ud800": 1, "model": "gpt-4o" }""", "body")]
    public async Task An_escaped_lone_surrogate_is_a_400_naming_the_field(string json, string field)
    {
        var response = await _client.PostJsonTextAsync("/v1/cost", json);

        response.AssertValidationProblem(field);
    }

    [Fact]
    public async Task An_oversized_body_is_a_413()
    {
        var padding = new string(' ', 70 * 1024);

        var response = await _client.PostJsonTextAsync("/v1/cost", $$"""{ "model": "gpt-4o"{{padding}} }""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.Status);
        Assert.Equal("application/problem+json", response.MediaType);
        Assert.Contains("larger than", response.Json.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_oversized_body_of_unknown_length_is_a_413()
    {
        var padding = new string(' ', 70 * 1024);
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($$"""{ "model": "gpt-4o"{{padding}} }""")));
        content.Headers.ContentType = new("application/json");

        using var response = await _client.PostAsync("/v1/cost", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_body_that_is_not_json_by_content_type_is_a_415()
    {
        var response = await _client.PostBytesAsync("/v1/cost", Encoding.UTF8.GetBytes("model=gpt-4o"), "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.Status);
        Assert.Contains("application/json", response.Json.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_body_without_content_type_is_a_415()
    {
        var response = await _client.PostBytesAsync("/v1/cost", Encoding.UTF8.GetBytes("""{ "model": "gpt-4o" }"""), contentType: null);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.Status);
    }
}
