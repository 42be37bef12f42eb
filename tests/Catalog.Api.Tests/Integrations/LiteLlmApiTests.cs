using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Api.Tests.Ledger;

namespace Catalog.Api.Tests.Integrations;

/// <summary>
/// POST /v1/integrations/litellm against what LiteLLM's generic API logger sends: a recorded list of
/// StandardLoggingPayload entries (Fixtures/litellm-spend-logs.json), single entries, NDJSON, bad entries,
/// keys, and the summary's reported-cost mismatches.
/// </summary>
public sealed class LiteLlmApiTests(LedgerApiFactory factory) : IClassFixture<LedgerApiFactory>
{
    private const string Url = "/v1/integrations/litellm";

    /// <summary>2021-03-03T10:00:00Z in Unix seconds.</summary>
    private const long March3 = 1_614_765_600;

    private const long Day = 86_400;

    private readonly HttpClient _client = factory.Client();

    [Fact]
    public async Task The_recorded_payload_is_stored_priced_by_us_with_litellms_cost_kept_beside()
    {
        var response = await _client.PostJsonAsync(Url, Fixture("list-"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal([201, 201, 201, 200], body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetInt32()));
        Assert.Equal("skipped_cache_hit", body.GetProperty("results")[3].GetProperty("outcome").GetString());
        Assert.Equal((3, 0, 1, 0), (body.GetProperty("created").GetInt32(), body.GetProperty("duplicates").GetInt32(), body.GetProperty("skipped").GetInt32(), body.GetProperty("rejected").GetInt32()));

        var openAi = await GetAsync("list-chatcmpl-AY3kLQ7v2n9cQ1sT0eRbWf8ZpMxUd");
        Assert.Equal("prod-assistant", openAi.GetProperty("model").GetString());
        Assert.Equal("openai", openAi.GetProperty("provider").GetString());
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_795_168_434_567), openAi.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(2222, openAi.GetProperty("latency_ms").GetInt64());
        Assert.Equal(("ann", "search", "support-bot-prod", null), (Text(openAi, "user"), Text(openAi, "team"), Text(openAi, "app"), Text(openAi, "endpoint")));
        Assert.Equal(
            """{"litellm_call_type":"acompletion","litellm_model_group":"prod-assistant","litellm_model":"gpt-4o-2024-08-06","litellm_team_id":"7c4e1d2b-6a3f-4b8e-9d1c-0f2e3a4b5c6d","litellm_end_user":"customer-42"}""",
            openAi.GetProperty("tags").GetRawText());
        Assert.Equal((1200L, 300L, 200L), Counts(openAi));
        Assert.Equal("openai/gpt-4o", openAi.GetProperty("pricing").GetProperty("resolved_model").GetString());
        Assert.Equal("alias", openAi.GetProperty("pricing").GetProperty("pricing_source").GetString());
        Assert.Equal(0.00575m, Total(openAi));
        Assert.Equal(0.00575m, openAi.GetProperty("reported_cost_usd").GetDecimal());

        var anthropic = await GetAsync("list-chatcmpl-6e1b7a0c-3f2d-4c9e-b8a1-5d4c3b2a1f0e");
        Assert.Equal("claude-sonnet-4-5-20250929", anthropic.GetProperty("model").GetString());
        Assert.Equal("anthropic/claude-sonnet-4-5", anthropic.GetProperty("pricing").GetProperty("resolved_model").GetString());
        Assert.Equal("2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e", Text(anthropic, "team"));
        Assert.Equal((23014L, 512L, 20000L), Counts(anthropic));
        Assert.Equal(3000, anthropic.GetProperty("usage").GetProperty("cache_write_tokens").GetInt64());
        Assert.Equal(0.024972m, Total(anthropic));
        Assert.Equal(0.024972m, anthropic.GetProperty("reported_cost_usd").GetDecimal());

        var failed = await GetAsync("list-3f0c2b1a-9e8d-4c7b-a6f5-e4d3c2b1a0f9");
        Assert.Equal("error", Text(failed, "status"));
        Assert.Equal("unknown", failed.GetProperty("pricing").GetProperty("token_source").GetString());
        Assert.Equal(0m, Total(failed));

        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/v1/usage/list-chatcmpl-AY3kLQ7v2n9cQ1sT0eRbWf8ZpMxUd_cache_hit1795168700.41")).StatusCode);
    }

    [Fact]
    public async Task A_single_entry_is_stored_once_a_replay_is_a_duplicate_and_a_changed_entry_a_conflict()
    {
        var entry = Fixture("single-")[0]!.DeepClone();

        var first = await (await _client.PostJsonAsync(Url, entry)).JsonAsync();
        var replay = await (await _client.PostJsonAsync(Url, entry)).JsonAsync();
        entry["response_cost"] = 0.006;
        var changed = await _client.PostJsonAsync(Url, entry);

        Assert.Equal("created", first.GetProperty("results")[0].GetProperty("outcome").GetString());
        Assert.Equal("duplicate", replay.GetProperty("results")[0].GetProperty("outcome").GetString());
        Assert.Equal(1, replay.GetProperty("duplicates").GetInt32());
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(409, (await changed.JsonAsync()).GetProperty("results")[0].GetProperty("status").GetInt32());
        Assert.Equal(0.00575m, (await GetAsync("single-chatcmpl-AY3kLQ7v2n9cQ1sT0eRbWf8ZpMxUd")).GetProperty("reported_cost_usd").GetDecimal());
    }

    [Fact]
    public async Task The_recorded_payload_sent_again_is_all_duplicates()
    {
        await _client.PostJsonAsync(Url, Fixture("replay-"));

        var again = await (await _client.PostJsonAsync(Url, Fixture("replay-"))).JsonAsync();

        Assert.Equal(["duplicate", "duplicate", "duplicate", "skipped_cache_hit"], again.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task A_malformed_entry_in_the_middle_is_reported_with_its_fields_and_the_others_are_stored()
    {
        var bad = Minimal("middle-bad", "gpt-4o", 10, 10, "0.0001");
        bad["prompt_tokens"] = "many";
        bad["startTime"] = "yesterday";
        var entries = new JsonArray(Minimal("middle-1", "gpt-4o", 10, 10, "0.000125"), bad, Minimal("middle-3", "gpt-4o", 10, 10, "0.000125"));

        var response = await _client.PostJsonAsync(Url, entries);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal([201, 400, 201], body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetInt32()));
        var problem = body.GetProperty("results")[1].GetProperty("problem");
        Assert.Equal("middle-bad", body.GetProperty("results")[1].GetProperty("id").GetString());
        Assert.Equal(["[1].prompt_tokens", "[1].startTime"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        Assert.Contains("Unix epoch seconds", problem.GetProperty("errors").GetProperty("[1].startTime")[0].GetString());
        Assert.Equal(1, body.GetProperty("rejected").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/v1/usage/middle-bad")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/v1/usage/middle-3")).StatusCode);
    }

    [Fact]
    public async Task A_response_cost_no_call_can_have_is_refused_naming_response_cost()
    {
        var entries = new JsonArray(Minimal("huge-cost", "gpt-4o", 10, 10, "79228162514264337593543950335"), Minimal("fine-cost", "gpt-4o", 10, 10, "0.000125"));

        var body = await (await _client.PostJsonAsync(Url, entries)).JsonAsync();

        Assert.Equal([400, 201], body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetInt32()));
        Assert.True(body.GetProperty("results")[0].GetProperty("problem").GetProperty("errors").TryGetProperty("[0].response_cost", out _));
    }

    [Fact]
    public async Task Ndjson_lines_are_entries_and_a_line_that_is_not_json_is_reported_alone()
    {
        var body = string.Join("\n", Minimal("ndjson-1", "gpt-4o", 10, 10, "0.000125").ToJsonString(), """{"id": "ndjson-2", "model": """, Minimal("ndjson-3", "gpt-4o", 10, 10, "0.000125").ToJsonString()) + "\n";

        var response = await (await _client.PostJsonAsync(Url, body)).JsonAsync();

        Assert.Equal([201, 400, 201], response.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetInt32()));
        Assert.StartsWith("line 2 is not valid JSON", response.GetProperty("results")[1].GetProperty("problem").GetProperty("errors").GetProperty("[1]")[0].GetString());
    }

    [Theory]
    [InlineData("startTime", "\"2024-11-27T09:53:54Z\"", "startTime")]
    [InlineData("startTime", null, "startTime")]
    [InlineData("startTime", "32503680000", "startTime")]
    [InlineData("endTime", "1614765599", "endTime")]
    [InlineData("status", "\"ok\"", "status")]
    [InlineData("metadata", "\"support-bot\"", "metadata")]
    [InlineData("response_cost", "-1", "response_cost")]
    [InlineData("id", null, "id")]
    [InlineData("model,model_group", null, "model")]
    [InlineData("completion_tokens", "1.5", "completion_tokens")]
    [InlineData("metadata", """{"usage_object": {"prompt_tokens_details": {"cached_tokens": -5}}}""", "metadata.usage_object.prompt_tokens_details.cached_tokens")]
    [InlineData("metadata", """{"user_api_key_alias": 7}""", "metadata.user_api_key_alias")]
    public async Task A_body_without_a_valid_entry_is_400_naming_the_litellm_field(string fields, string? json, string field)
    {
        var entry = Minimal("bad-" + field, "gpt-4o", 10, 10, "0.000125");
        foreach (var name in fields.Split(','))
        {
            if (json is null)
            {
                entry.Remove(name);
            }
            else
            {
                entry[name] = JsonNode.Parse(json);
            }
        }

        var response = await _client.PostJsonAsync(Url, entry);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), errors.GetRawText());
        Assert.DoesNotContain("'timestamp'", messages.GetRawText());
        Assert.DoesNotContain("'reported_cost_usd'", messages.GetRawText());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/v1/usage/bad-" + field)).StatusCode);
    }

    [Fact]
    public async Task A_list_without_a_valid_entry_is_400_with_each_entrys_fields_and_bad_bodies_are_4xx()
    {
        var first = Minimal("list-bad-1", "gpt-4o", 10, 10, "0.000125");
        first["status"] = "maybe";
        var second = Minimal("list-bad-2", "gpt-4o", 10, 10, "0.000125");
        second["metadata"] = 3;

        var response = await _client.PostJsonAsync(Url, new JsonArray(first, second, 42));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["[0].status", "[1].metadata", "[2]"], (await response.JsonAsync()).GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.PostJsonAsync(Url, "[]")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.PostJsonAsync(Url, "{\"id\": ")).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await _client.PostAsync(Url, new StringContent("id=1"))).StatusCode);
    }

    [Fact]
    public async Task Recording_needs_a_key_with_the_ingest_scope()
    {
        var reader = (await (await _client.PostJsonAsync("/v1/keys", """{"name":"dashboards","scopes":["read"]}""")).JsonAsync()).GetProperty("key").GetString();
        var gateway = (await (await _client.PostJsonAsync("/v1/keys", """{"name":"litellm","scopes":["ingest"]}""")).JsonAsync()).GetProperty("key").GetString();
        var entry = Minimal("keyed-litellm", "gpt-4o", 10, 10, "0.000125");

        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.Client(key: null).PostJsonAsync(Url, entry)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.Client(reader).PostJsonAsync(Url, entry)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.Client(gateway).PostJsonAsync(Url, entry)).StatusCode);
    }

    [Theory]
    [InlineData("prompt_tokens includes reads and writes (LiteLLM with cache_creation_tokens)", 23014, "metadata", """{"prompt_tokens_details": {"cached_tokens": 20000, "cache_creation_tokens": 3000}, "cache_read_input_tokens": 20000, "cache_creation_input_tokens": 3000}""", 3000, 0)]
    [InlineData("prompt_tokens includes reads only (older LiteLLM)", 20014, "metadata", """{"prompt_tokens_details": {"cached_tokens": 20000}, "cache_read_input_tokens": 20000, "cache_creation_input_tokens": 3000}""", 3000, 0)]
    [InlineData("prompt_tokens includes no cached token", 14, "metadata", """{"cache_read_input_tokens": 20000, "cache_creation_input_tokens": 3000}""", 3000, 0)]
    [InlineData("the usage object in hidden_params", 23014, "hidden_params", """{"prompt_tokens_details": {"cached_tokens": 20000, "cache_creation_tokens": 3000}}""", 3000, 0)]
    [InlineData("1-hour cache writes", 23014, "metadata", """{"prompt_tokens_details": {"cached_tokens": 20000, "cache_creation_tokens": 3000, "cache_creation_token_details": {"ephemeral_5m_input_tokens": 2000, "ephemeral_1h_input_tokens": 1000}}}""", 3000, 1000)]
    public async Task Cached_tokens_from_litellms_usage_object_are_priced_at_cache_prices(string convention, long promptTokens, string holder, string usageObject, long cacheWrite, long cacheWrite1h)
    {
        var id = "cache: " + convention;
        var entry = Minimal(id, "claude-sonnet-4-5", promptTokens, 512, "0.024972");
        entry["custom_llm_provider"] = "anthropic";
        entry[holder] = new JsonObject { ["usage_object"] = JsonNode.Parse(usageObject) };

        await _client.PostJsonAsync(Url, entry);

        var usage = (await GetAsync(id)).GetProperty("usage");
        Assert.Equal(
            (23014L, 20000L, cacheWrite, cacheWrite1h),
            (usage.GetProperty("input_tokens").GetInt64(), usage.GetProperty("cache_read_tokens").GetInt64(), usage.GetProperty("cache_write_tokens").GetInt64(), usage.GetProperty("cache_write_1h_tokens").GetInt64()));
    }

    [Fact]
    public async Task Audio_reasoning_and_web_search_details_and_the_service_tier_are_priced_as_v1_cost_prices_them()
    {
        // LiteLLM's usage object (litellm.types.utils.Usage) in OpenAI's form, with its PromptTokensDetailsWrapper's web_search_requests.
        var entry = Minimal("details-1", "gpt-4o", 1000, 500, "0.01");
        entry["metadata"]!["usage_object"] = JsonNode.Parse(
            """{"prompt_tokens": 1000, "completion_tokens": 500, "total_tokens": 1500, "prompt_tokens_details": {"cached_tokens": 100, "audio_tokens": 600, "text_tokens": 300, "image_tokens": null, "web_search_requests": 2}, "completion_tokens_details": {"reasoning_tokens": 20, "audio_tokens": 300, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}}""");
        entry["model_parameters"] = new JsonObject { ["service_tier"] = "flex", ["temperature"] = 0.2 };
        var same = new JsonObject
        {
            ["model"] = "gpt-4o",
            ["provider"] = "openai",
            ["timestamp"] = "2021-03-03T00:00:00Z",
            ["service_tier"] = "flex",
            ["usage"] = JsonNode.Parse("""{"input_tokens": 1000, "output_tokens": 500, "cache_read_tokens": 100, "input_audio_tokens": 600, "output_audio_tokens": 300, "output_reasoning_tokens": 20, "web_searches": 2}"""),
        };

        await _client.PostJsonAsync(Url, entry);

        var record = await GetAsync("details-1");
        var cost = await (await _client.PostJsonAsync("/v1/cost", same)).JsonAsync();
        var usage = record.GetProperty("usage");
        Assert.Equal(
            (600L, 300L, 20L, 2L),
            (usage.GetProperty("input_audio_tokens").GetInt64(), usage.GetProperty("output_audio_tokens").GetInt64(), usage.GetProperty("output_reasoning_tokens").GetInt64(), usage.GetProperty("web_searches").GetInt64()));
        Assert.Equal("flex", Text(record, "service_tier"));
        Assert.Equal(cost.GetProperty("total_usd").GetDecimal(), Total(record));
        Assert.Equal("flex", cost.GetProperty("service_tier").GetString());
    }

    [Fact]
    public async Task The_region_is_read_from_the_regional_endpoint_litellm_called_and_priced_as_v1_cost_prices_it()
    {
        var regional = Minimal("region-eu", "gpt-5.4", 1000, 500, "0.01");
        regional["api_base"] = "https://eu.api.openai.com/v1";
        var hidden = Minimal("region-hidden", "gpt-5.4", 1000, 500, "0.01");
        hidden["hidden_params"] = new JsonObject { ["model_id"] = "abc", ["api_base"] = "https://us.api.openai.com/v1", ["usage_object"] = null };
        var global = Minimal("region-global", "gpt-5.4", 1000, 500, "0.01");
        global["api_base"] = "https://api.openai.com/v1";
        var cost = await (await _client.PostJsonAsync("/v1/cost", new JsonObject
        {
            ["model"] = "gpt-5.4",
            ["provider"] = "openai",
            ["timestamp"] = "2021-03-03T00:00:00Z",
            ["region"] = "eu",
            ["usage"] = new JsonObject { ["input_tokens"] = 1000, ["output_tokens"] = 500 },
        })).JsonAsync();

        await _client.PostJsonAsync(Url, new JsonArray(regional, hidden, global));

        Assert.Equal("eu", Text(await GetAsync("region-eu"), "region"));
        Assert.Equal(cost.GetProperty("total_usd").GetDecimal(), Total(await GetAsync("region-eu")));
        Assert.Equal("us", Text(await GetAsync("region-hidden"), "region"));
        Assert.Null(Text(await GetAsync("region-global"), "region"));
        Assert.True(Total(await GetAsync("region-eu")) > Total(await GetAsync("region-global")));
    }

    [Theory]
    [InlineData("https://eu.api.openai.com/v1", "eu")]
    [InlineData("https://jp.api.openai.com/v1", "jp")]
    [InlineData("https://api.openai.com/v1", null)]
    [InlineData("https://us-east5-aiplatform.googleapis.com/v1/projects/p/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5:rawPredict", "us-east5")]
    [InlineData("https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/google/models/gemini-2.5-pro:generateContent", null)]
    [InlineData("https://bedrock-runtime.us-west-2.amazonaws.com/model/anthropic.claude-sonnet-4-5-20250929-v1:0/converse", "us-west-2")]
    [InlineData("https://api.anthropic.com/v1/messages", null)]
    [InlineData("https://my-resource.openai.azure.com/openai/deployments/gpt-4o", null)]
    [InlineData("not a url", null)]
    [InlineData(null, null)]
    public void A_regional_endpoint_names_its_region(string? apiBase, string? region) =>
        Assert.Equal(region, Catalog.Api.Features.Integrations.LiteLlmSpendLogReader.RegionOf(apiBase));

    [Fact]
    public async Task A_cost_litellm_could_not_compute_is_not_kept_as_a_reported_cost_of_zero()
    {
        var entry = Minimal("unpriced-by-litellm", "gpt-4o", 10, 10, "0.0");
        entry["response_cost_failure_debug_info"] = new JsonObject { ["error_str"] = "This model isn't mapped yet.", ["traceback_str"] = "", ["model"] = "gpt-4o" };

        await _client.PostJsonAsync(Url, entry);

        Assert.Equal(JsonValueKind.Null, (await GetAsync("unpriced-by-litellm")).GetProperty("reported_cost_usd").ValueKind);
    }

    [Fact]
    public async Task The_summary_lists_a_model_whose_reported_cost_is_more_than_1_percent_off_and_not_one_within()
    {
        // Ours: gpt-4o-mini $0.00075, gpt-4o $0.0125. LiteLLM: 10% below on the first, 0.5% above on the second.
        var entries = new JsonArray(
            Minimal("mismatch-mini", "gpt-4o-mini", 1000, 1000, "0.000675", startTime: March3 + Day),
            Minimal("mismatch-4o", "gpt-4o", 1000, 1000, "0.0125625", startTime: March3 + Day));
        await _client.PostJsonAsync(Url, entries);

        var summary = await (await _client.GetAsync("/v1/analytics/summary?from=2021-03-04&to=2021-03-05")).JsonAsync();

        var mismatch = Assert.Single(summary.GetProperty("reported_cost_mismatches").EnumerateArray());
        Assert.Equal("openai/gpt-4o-mini", mismatch.GetProperty("model").GetString());
        Assert.Equal(1, mismatch.GetProperty("requests").GetInt64());
        Assert.Equal(0.00075m, mismatch.GetProperty("our_usd").GetDecimal());
        Assert.Equal(0.000675m, mismatch.GetProperty("reported_usd").GetDecimal());
        Assert.Equal(11.11m, mismatch.GetProperty("difference_pct").GetDecimal());
    }

    /// <summary>The recorded payload, its ids prefixed so each test has its own calls.</summary>
    private static JsonArray Fixture(string prefix)
    {
        var entries = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Integrations", "Fixtures", "litellm-spend-logs.json")))!.AsArray();
        foreach (var entry in entries)
        {
            entry!["id"] = prefix + entry["id"]!.GetValue<string>();
        }

        return entries;
    }

    /// <summary>A small entry of the standard logging payload, on 2021-03-03 unless said (<paramref name="responseCost"/> as JSON number text).</summary>
    private static JsonObject Minimal(string id, string modelGroup, long promptTokens, long completionTokens, string responseCost, long startTime = March3) => new()
    {
        ["id"] = id,
        ["call_type"] = "acompletion",
        ["model"] = modelGroup,
        ["model_group"] = modelGroup,
        ["custom_llm_provider"] = "openai",
        ["prompt_tokens"] = promptTokens,
        ["completion_tokens"] = completionTokens,
        ["total_tokens"] = promptTokens + completionTokens,
        ["response_cost"] = JsonNode.Parse(responseCost),
        ["startTime"] = startTime,
        ["endTime"] = startTime + 1.5,
        ["status"] = "success",
        ["metadata"] = new JsonObject { ["user_api_key_alias"] = "tests" },
    };

    private async Task<JsonElement> GetAsync(string id)
    {
        var response = await _client.GetAsync($"/v1/usage/{Uri.EscapeDataString(id)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private static string? Text(JsonElement record, string name) => record.GetProperty(name).GetString();

    private static decimal Total(JsonElement record) => record.GetProperty("pricing").GetProperty("cost").GetProperty("total_usd").GetDecimal();

    private static (long Input, long Output, long CacheRead) Counts(JsonElement record)
    {
        var usage = record.GetProperty("usage");
        return (usage.GetProperty("input_tokens").GetInt64(), usage.GetProperty("output_tokens").GetInt64(), usage.GetProperty("cache_read_tokens").GetInt64());
    }
}
