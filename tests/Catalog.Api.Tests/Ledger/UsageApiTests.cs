using System.Net;
using System.Text.Json.Nodes;
using Catalog.Api.Features.Cost;
using Catalog.Api.Http;
using Catalog.Ledger;
using Catalog.Pricing;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Api.Tests.Ledger;

/// <summary>Recording calls over HTTP, on each store: pricing, idempotency, batches, bad input, listing, export and recalculation.</summary>
public abstract class UsageApiTests(StoreApiFactory factory)
{
    private readonly HttpClient _client = factory.Client();

    [StoreFact]
    public async Task A_call_is_priced_and_stored_then_the_same_body_answers_200_and_another_body_409()
    {
        var call = LedgerHttp.Call("idem-1", tags: null);
        call["tags"] = new JsonObject { ["feature"] = "search" };

        var created = await _client.PostJsonAsync("/v1/usage", call);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var record = await created.JsonAsync();
        Assert.Equal("gpt-4o", record.GetProperty("model").GetString());
        Assert.Equal("openai/gpt-4o", record.GetProperty("pricing").GetProperty("resolved_model").GetString());
        Assert.Equal("exact", record.GetProperty("pricing").GetProperty("pricing_source").GetString());
        Assert.Equal("actual", record.GetProperty("pricing").GetProperty("token_source").GetString());
        Assert.Equal(0.0045m, record.GetProperty("pricing").GetProperty("cost").GetProperty("total_usd").GetDecimal());
        Assert.Equal("search", record.GetProperty("tags").GetProperty("feature").GetString());

        var again = await _client.PostJsonAsync("/v1/usage", call);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(record.GetRawText(), (await again.JsonAsync()).GetRawText());

        call["usage"]!["completion_tokens"] = 999;
        var conflict = await _client.PostJsonAsync("/v1/usage", call);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("idem-1", (await conflict.JsonAsync()).GetProperty("detail").GetString());
    }

    [StoreFact]
    public async Task The_same_call_sent_again_with_its_fields_in_another_order_is_a_duplicate()
    {
        var first = """{"id": "reordered-1", "model": "gpt-4o", "usage": {"prompt_tokens": 10, "completion_tokens": 5}, "tags": {"a": "1", "b": "2"}}""";
        var reordered = """{"tags": {"b": "2", "a": "1"}, "usage": {"completion_tokens": 5, "prompt_tokens": 10}, "model": "gpt\u002d4o", "id": "reordered-1"}""";

        Assert.Equal(HttpStatusCode.Created, (await _client.PostJsonAsync("/v1/usage", first)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.PostJsonAsync("/v1/usage", reordered)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _client.PostJsonAsync("/v1/usage", reordered.Replace("\"b\": \"2\"", "\"b\": \"3\"", StringComparison.Ordinal))).StatusCode);
    }

    [StoreFact]
    public async Task A_call_stored_with_a_fingerprint_of_its_fields_in_sent_order_is_still_a_duplicate_when_sent_again()
    {
        var body = """{"id": "stored-before-canonical", "model": "gpt-4o", "usage": {"prompt_tokens": 10, "completion_tokens": 5}}""";
        var reader = factory.Services.GetRequiredService<Catalog.Api.Features.Usage.UsageCallReader>();
        using (var document = System.Text.Json.JsonDocument.Parse(body))
        {
            var record = reader.Read(document.RootElement, [])!;
            await factory.Services.GetRequiredService<IUsageStore>().AppendAsync([record with { Fingerprint = record.SentOrderFingerprint!() }], CancellationToken.None);
        }

        Assert.Equal(HttpStatusCode.OK, (await _client.PostJsonAsync("/v1/usage", body)).StatusCode);
    }

    [StoreTheory]
    [InlineData("79228162514264337593543950335")]
    [InlineData("1000000.01")]
    [InlineData("1e30")]
    public async Task A_reported_cost_no_call_can_have_is_a_400_and_the_summary_and_later_calls_are_unharmed(string usd)
    {
        var call = LedgerHttp.Call("overflow-" + usd.Length, at: new DateTimeOffset(2024, 7, 7, 0, 0, 0, TimeSpan.Zero));
        call["reported_cost_usd"] = JsonNode.Parse(usd);

        var refused = await _client.PostJsonAsync("/v1/usage", call);
        var batch = await (await _client.PostJsonAsync("/v1/usage/batch", new JsonObject { ["items"] = new JsonArray(call.DeepClone()) })).JsonAsync();
        call["reported_cost_usd"] = 0.5;
        var later = await _client.PostJsonAsync("/v1/usage", call);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await refused.JsonAsync()).GetProperty("errors").TryGetProperty("reported_cost_usd", out _));
        Assert.Equal(400, batch.GetProperty("results")[0].GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/v1/analytics/summary?from=2024-07-07&to=2024-07-08")).StatusCode);
    }

    [StoreFact]
    public async Task A_reported_cost_is_kept_exactly_as_written_and_exported()
    {
        var at = new DateTimeOffset(2024, 6, 6, 0, 0, 0, TimeSpan.Zero);
        var call = LedgerHttp.Call("reported-1", at: at);
        call["reported_cost_usd"] = JsonNode.Parse("1.0000000000000001e-05");

        var record = await (await _client.PostJsonAsync("/v1/usage", call)).JsonAsync();
        var csv = await (await _client.GetAsync("/v1/usage/export.csv?from=2024-06-06&to=2024-06-07")).Content.ReadAsStringAsync();

        Assert.Equal(0.000010000000000000001m, record.GetProperty("reported_cost_usd").GetDecimal());
        var lines = csv.Split("\r\n");
        var header = lines[0].Split(',');
        Assert.Equal("0.000010000000000000001", lines[1].Split(',')[^(header.Length - Array.IndexOf(header, "reported_cost_usd"))]);
    }

    [StoreFact]
    public async Task A_call_without_usage_is_estimated_and_a_failed_one_without_usage_is_unknown_at_zero()
    {
        var estimated = LedgerHttp.Call("no-usage");
        estimated.Remove("usage");
        var failed = LedgerHttp.Call("failed");
        failed.Remove("usage");
        failed["status"] = "error";

        var e = await (await _client.PostJsonAsync("/v1/usage", estimated)).JsonAsync();
        var f = await (await _client.PostJsonAsync("/v1/usage", failed)).JsonAsync();

        Assert.Equal("estimated", e.GetProperty("pricing").GetProperty("token_source").GetString());
        Assert.True(e.GetProperty("pricing").GetProperty("cost").GetProperty("total_usd").GetDecimal() > 0);
        Assert.Equal("unknown", f.GetProperty("pricing").GetProperty("token_source").GetString());
        Assert.Equal(0m, f.GetProperty("pricing").GetProperty("cost").GetProperty("total_usd").GetDecimal());
    }

    [StoreTheory]
    [InlineData("""{"id":"v1","model":"gpt-4o","usage":{"prompt_tokens":-1}}""", "usage.prompt_tokens")]
    [InlineData("""{"id":"v2","model":"gpt-4o","timestamp":"2999-01-01T00:00:00Z"}""", "timestamp")]
    [InlineData("""{"id":"v3","model":"gpt-4o","tags":{"a b":"x"}}""", "tags.a b")]
    [InlineData("""{"id":"v4","model":"gpt-4o","tags":{"x":"1"},"status":"maybe"}""", "status")]
    [InlineData("""{"model":"gpt-4o"}""", "id")]
    [InlineData("""{"id":"v6","model":"gpt-4o","colour":"red"}""", "colour")]
    [InlineData("""{"id":"v7","model":"gpt-4o","latency_ms":"fast"}""", "latency_ms")]
    [InlineData("""{"id":"v8","model":"gpt-4o","reported_cost_usd":-0.01}""", "reported_cost_usd")]
    [InlineData("""{"id":"v9","model":"gpt-4o","reported_cost_usd":"0.01"}""", "reported_cost_usd")]
    public async Task Bad_input_is_a_validation_problem_naming_the_field_and_nothing_is_stored(string body, string field)
    {
        var response = await _client.PostJsonAsync("/v1/usage", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
        var id = JsonNode.Parse(body)!["id"]?.GetValue<string>();
        if (id is not null)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/v1/usage/{id}")).StatusCode);
        }
    }

    [StoreFact]
    public async Task Too_many_or_too_long_tags_are_refused()
    {
        var many = LedgerHttp.Call("tags-many");
        many["tags"] = new JsonObject(Enumerable.Range(0, 17).Select(i => KeyValuePair.Create($"t{i}", (JsonNode?)"x")));
        var longValue = LedgerHttp.Call("tags-long");
        longValue["tags"] = new JsonObject { ["t"] = new string('x', 257) };
        longValue["user"] = new string('u', 300);

        var tooMany = await (await _client.PostJsonAsync("/v1/usage", many)).JsonAsync();
        var tooLong = await (await _client.PostJsonAsync("/v1/usage", longValue)).JsonAsync();

        Assert.True(tooMany.GetProperty("errors").TryGetProperty("tags", out _));
        Assert.True(tooLong.GetProperty("errors").TryGetProperty("tags.t", out _));
        Assert.True(tooLong.GetProperty("errors").TryGetProperty("user", out _));
    }

    [StoreFact]
    public async Task Malformed_json_is_400_and_a_body_too_large_is_413()
    {
        var malformed = await _client.PostJsonAsync("/v1/usage", """{"id": "x", """);
        var tooLarge = await _client.PostJsonAsync("/v1/usage", $$"""{"id":"big","model":"{{new string('m', (int)RequestLimits.BodyBytes)}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("application/problem+json", tooLarge.Content.Headers.ContentType?.MediaType);
    }

    [StoreFact]
    public async Task A_batch_accepts_and_rejects_each_item_on_its_own()
    {
        await _client.PostJsonAsync("/v1/usage", LedgerHttp.Call("batch-dup"));
        var changed = LedgerHttp.Call("batch-conflict");
        await _client.PostJsonAsync("/v1/usage", changed);
        changed["model"] = "gpt-4o-mini";
        var items = new JsonArray(LedgerHttp.Call("batch-new"), new JsonObject { ["id"] = "batch-bad" }, LedgerHttp.Call("batch-dup"), changed);

        var response = await _client.PostJsonAsync("/v1/usage/batch", new JsonObject { ["items"] = items });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal([201, 400, 200, 409], body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetInt32()));
        Assert.True(body.GetProperty("results")[1].GetProperty("problem").GetProperty("errors").TryGetProperty("items[1].model", out _));
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/v1/usage/batch-new")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/v1/usage/batch-bad")).StatusCode);
    }

    [StoreFact]
    public async Task A_usage_object_padded_past_the_limit_is_refused_alone_in_a_batch()
    {
        var padded = $$$"""{"id":"padded","model":"gpt-4o","usage":{"input_tokens":10{{{new string(' ', 10 * 1024 * 1024)}}},"output_tokens":5}}""";
        var body = $$"""{"items":[{{LedgerHttp.Call("beside-padded").ToJsonString()}},{{padded}}]}""";

        var response = await _client.PostJsonAsync("/v1/usage/batch", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await response.JsonAsync()).GetProperty("results");
        Assert.Equal([201, 400], results.EnumerateArray().Select(r => r.GetProperty("status").GetInt32()));
        Assert.True(results[1].GetProperty("problem").GetProperty("errors").TryGetProperty("items[1].usage", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/v1/usage/padded")).StatusCode);
    }

    [StoreFact]
    public async Task A_batch_over_the_limit_is_refused_whole()
    {
        var items = new JsonArray([.. Enumerable.Range(0, 10_001).Select(i => (JsonNode)new JsonObject { ["id"] = $"over-{i}", ["model"] = "gpt-4o" })]);

        var response = await _client.PostJsonAsync("/v1/usage/batch", new JsonObject { ["items"] = items });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("items", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/v1/usage/over-0")).StatusCode);
    }

    [StoreFact]
    public async Task The_list_pages_newest_first_with_a_cursor()
    {
        var at = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var items = new JsonArray([.. Enumerable.Range(0, 7).Select(i => (JsonNode)LedgerHttp.Call($"page-{i}", user: "pager", at: at.AddMinutes(i)))]);
        await _client.PostJsonAsync("/v1/usage/batch", new JsonObject { ["items"] = items });

        var ids = new List<string>();
        var url = "/v1/usage?user=pager&limit=3";
        while (true)
        {
            var page = await (await _client.GetAsync(url)).JsonAsync();
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetString()!));
            if (page.GetProperty("next_cursor").GetString() is not { } cursor)
            {
                break;
            }

            url = $"/v1/usage?user=pager&limit=3&cursor={cursor}";
        }

        Assert.Equal(Enumerable.Range(0, 7).Reverse().Select(i => $"page-{i}"), ids);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/v1/usage?limit=1001")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/v1/usage?cursor=nonsense")).StatusCode);
    }

    [StoreFact]
    public async Task The_csv_export_quotes_per_rfc_4180_and_defuses_formulas()
    {
        var at = new DateTimeOffset(2024, 5, 5, 0, 0, 0, TimeSpan.Zero);
        var call = LedgerHttp.Call("csv-1", model: "=HYPERLINK(\"http://x\")", user: "+sum", team: "a,b", app: "say \"hi\"", at: at);
        call["endpoint"] = "@cmd";
        await _client.PostJsonAsync("/v1/usage", call);

        var response = await _client.GetAsync("/v1/usage/export.csv?from=2024-05-05&to=2024-05-06");

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        var lines = text.Split("\r\n");
        Assert.StartsWith("id,timestamp,model,", lines[0]);
        Assert.StartsWith("csv-1,2024-05-05T00:00:00.0000000Z,\"'=HYPERLINK(\"\"http://x\"\")\",", lines[1]);
        Assert.Contains(",'+sum,\"a,b\",\"say \"\"hi\"\"\",'@cmd,", text);
        Assert.EndsWith("\r\n", text);
        Assert.Equal(3, lines.Length);
    }

    [StoreFact]
    public async Task Recalculation_reprices_a_stored_call_whose_price_was_wrong()
    {
        var store = factory.Services.GetRequiredService<IUsageStore>();
        var at = new DateTimeOffset(2023, 1, 10, 12, 0, 0, TimeSpan.Zero);
        await _client.PostJsonAsync("/v1/usage", LedgerHttp.Call("recalc-right", at: at));
        var right = (await store.FindAsync("recalc-right", default))!;
        var wrong = right with { Id = "recalc-wrong", Pricing = right.Pricing with { Cost = right.Pricing.Cost with { TotalUsd = 9m }, CatalogVersion = "old" } };
        await store.AppendAsync([wrong], default);
        const string range = "from=2023-01-10&to=2023-01-11";

        var dryRun = await (await _client.PostAsync($"/v1/usage/recalculate?{range}", null)).JsonAsync();
        Assert.True(dryRun.GetProperty("dry_run").GetBoolean());
        Assert.Equal(2, dryRun.GetProperty("scanned").GetInt64());
        Assert.Equal(1, dryRun.GetProperty("changed").GetInt64());
        Assert.Equal(right.Pricing.Cost.TotalUsd - 9m, dryRun.GetProperty("delta_usd").GetDecimal());
        Assert.Equal(9m, (await store.FindAsync("recalc-wrong", default))!.Pricing.Cost.TotalUsd);

        var applied = await (await _client.PostAsync($"/v1/usage/recalculate?{range}&dry_run=false", null)).JsonAsync();
        Assert.Equal(1, applied.GetProperty("changed").GetInt64());
        var fixedRecord = (await store.FindAsync("recalc-wrong", default))!;
        Assert.Equal(right.Pricing.Cost.TotalUsd, fixedRecord.Pricing.Cost.TotalUsd);
        Assert.Equal(9m, fixedRecord.Original!.Pricing.Cost.TotalUsd);
        Assert.Equal("old", fixedRecord.Original.Pricing.CatalogVersion);
        var summary = await (await _client.GetAsync($"/v1/analytics/summary?{range}&group_by=day")).JsonAsync();
        Assert.Equal(2 * right.Pricing.Cost.TotalUsd, summary.GetProperty("total_usd").GetDecimal());
    }

    /// <summary>Anthropic's usage as its Messages API documents it, for a call made through the Message Batches API with web search.</summary>
    private const string AnthropicBatchUsage =
        """{"input_tokens": 1200, "output_tokens": 400, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 300, "server_tool_use": {"web_search_requests": 2}, "service_tier": "batch"}""";

    /// <summary>Gemini's usageMetadata as the Gemini API documents it, with an audio prompt, thoughts, and a count no shape knows.</summary>
    private const string GeminiAudioUsage =
        """{"promptTokenCount": 1000, "candidatesTokenCount": 200, "thoughtsTokenCount": 50, "totalTokenCount": 1250, "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 400}, {"modality": "AUDIO", "tokenCount": 600}], "x_future_tokens": 7}""";

    [StoreTheory]
    [InlineData("claude-sonnet-4-5", AnthropicBatchUsage, null, null)]
    [InlineData("claude-sonnet-4-5", """{"input_tokens": 1000, "output_tokens": 100}""", "batch", "us")]
    [InlineData("gemini-2.0-flash", GeminiAudioUsage, "batch", null)]
    [InlineData("gpt-4o", """{"prompt_tokens": 1000, "completion_tokens": 500, "prompt_tokens_details": {"cached_tokens": 100, "audio_tokens": 600}, "completion_tokens_details": {"reasoning_tokens": 20, "audio_tokens": 300}}""", "flex", null)]
    public async Task The_ledger_prices_a_call_as_v1_cost_does_with_its_tier_region_and_every_count(string model, string usage, string? tier, string? region)
    {
        var call = new JsonObject { ["model"] = model, ["usage"] = JsonNode.Parse(usage), ["timestamp"] = "2025-11-03T10:00:00Z" };
        if (tier is not null)
        {
            call["service_tier"] = tier;
        }

        if (region is not null)
        {
            call["region"] = region;
        }

        var cost = await (await _client.PostJsonAsync("/v1/cost", call.DeepClone())).JsonAsync();
        var standard = call.DeepClone().AsObject();
        standard.Remove("service_tier");
        standard["usage"]!.AsObject().Remove("service_tier");
        var standardCost = await (await _client.PostJsonAsync("/v1/cost", standard)).JsonAsync();
        call["id"] = $"dims-{model}-{tier}-{region}-{usage.Length}";

        var created = await _client.PostJsonAsync("/v1/usage", call);
        var inBatch = call.DeepClone();
        inBatch["id"] = call["id"] + "-batch";
        var batch = await (await _client.PostJsonAsync("/v1/usage/batch", new JsonObject { ["items"] = new JsonArray(inBatch) })).JsonAsync();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var record = await created.JsonAsync();
        var total = cost.GetProperty("total_usd").GetDecimal();
        Assert.Equal(total, record.GetProperty("pricing").GetProperty("cost").GetProperty("total_usd").GetDecimal());
        Assert.Equal(total, batch.GetProperty("results")[0].GetProperty("total_usd").GetDecimal());
        Assert.True(total < standardCost.GetProperty("total_usd").GetDecimal(), "the batch, flex or regional price differs from the standard one");
        Assert.Equal(cost.GetProperty("tools_usd").GetDecimal(), record.GetProperty("pricing").GetProperty("cost").GetProperty("tools_usd").GetDecimal());
        Assert.Equal(cost.GetProperty("usage").GetRawText(), record.GetProperty("usage").GetRawText());
        Assert.Equal(cost.GetProperty("unpriced").GetRawText(), record.GetProperty("unpriced").GetRawText());
        Assert.Equal(tier ?? cost.GetProperty("service_tier").GetString(), record.GetProperty("service_tier").GetString());
        Assert.Equal(region, record.GetProperty("region").GetString());

        // Stored as acknowledged, and a recalculation keeps every count, the tier and the region.
        var stored = (await factory.Services.GetRequiredService<IUsageStore>().FindAsync(call["id"]!.GetValue<string>(), default))!;
        var listed = (await (await _client.GetAsync($"/v1/usage?model={model}&limit=1000")).JsonAsync()).GetProperty("items").EnumerateArray().Single(r => r.GetProperty("id").GetString() == stored.Id);
        Assert.Equal(record.GetRawText(), listed.GetRawText());
        var wrong = stored with { Id = stored.Id + "-wrong", Pricing = stored.Pricing with { Cost = stored.Pricing.Cost with { TotalUsd = 9m, ToolsUsd = 0m } } };
        await factory.Services.GetRequiredService<IUsageStore>().AppendAsync([wrong], default);
        await _client.PostAsync($"/v1/usage/recalculate?from=2025-11-03&to=2025-11-04&model={model}&dry_run=false", null);
        var fixedRecord = (await factory.Services.GetRequiredService<IUsageStore>().FindAsync(wrong.Id, default))!;
        Assert.Equal(stored.Pricing.Cost, fixedRecord.Pricing.Cost);
        Assert.Equal(stored.Usage, fixedRecord.Usage);
        Assert.Equal((stored.ServiceTier, stored.Region), (fixedRecord.ServiceTier, fixedRecord.Region));
        Assert.Equal(stored.Unpriced, fixedRecord.Unpriced);

        // The export has a column per count, the tools cost, the tier, the region, the unpriced fields and the key id.
        var csv = (await _client.GetStringAsync($"/v1/usage/export.csv?from=2025-11-03&to=2025-11-04&model={model}")).Split("\r\n");
        var header = csv[0].Split(',');
        var row = csv.Single(line => line.StartsWith(stored.Id + ",", StringComparison.Ordinal));
        string Cell(string column) => row.Split(',')[Array.IndexOf(header, column)];
        Assert.Equal(stored.Usage.InputAudioTokens.ToString(System.Globalization.CultureInfo.InvariantCulture), Cell("input_audio_tokens"));
        Assert.Equal(stored.Usage.WebSearches.ToString(System.Globalization.CultureInfo.InvariantCulture), Cell("web_searches"));
        Assert.Equal(stored.ServiceTier ?? "", Cell("service_tier"));
        Assert.Equal(region ?? "", Cell("region"));
        Assert.Equal(stored.Pricing.Cost.ToolsUsd, decimal.Parse(Cell("tools_usd"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(stored.Unpriced.Count == 0, Cell("unpriced").Length == 0);
        Assert.EndsWith(",admin", row, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task The_summary_groups_by_service_tier_and_by_region()
    {
        var at = new DateTimeOffset(2022, 6, 1, 9, 0, 0, TimeSpan.Zero);
        var batch = LedgerHttp.Call("tier-batch", model: "claude-sonnet-4-5", at: at);
        batch["usage"] = JsonNode.Parse("""{"input_tokens": 1000, "output_tokens": 100, "service_tier": "batch"}""");
        var regional = LedgerHttp.Call("tier-standard-us", model: "claude-sonnet-4-5", at: at);
        regional["usage"] = JsonNode.Parse("""{"input_tokens": 1000, "output_tokens": 100}""");
        regional["region"] = "us";
        await _client.PostJsonAsync("/v1/usage/batch", new JsonObject { ["items"] = new JsonArray(batch, regional, LedgerHttp.Call("tier-default", at: at)) });

        var byTier = await (await _client.GetAsync("/v1/analytics/summary?from=2022-06-01&to=2022-06-02&group_by=service_tier")).JsonAsync();
        var byRegion = await (await _client.GetAsync("/v1/analytics/summary?from=2022-06-01&to=2022-06-02&group_by=region")).JsonAsync();

        Assert.True(byTier.TryGetProperty("group_by", out var groupBy), byTier.GetRawText());
        Assert.Equal("service_tier", groupBy.GetString());
        var tiers = byTier.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("key").GetString()!, g => g.GetProperty("requests").GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["standard"] = 2, ["batch"] = 1 }, tiers);
        var regions = byRegion.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("key").GetString()!, g => g.GetProperty("requests").GetInt64());
        Assert.Equal(new Dictionary<string, long> { [""] = 2, ["us"] = 1 }, regions);
        Assert.Equal(byTier.GetProperty("total_usd").GetDecimal(), byTier.GetProperty("groups").EnumerateArray().Sum(g => g.GetProperty("total_usd").GetDecimal()));
        var pairs = await _client.GetAsync("/v1/analytics/summary?from=2022-06-01&to=2022-06-02&group_by=model,service_tier");
        Assert.Equal(HttpStatusCode.OK, pairs.StatusCode);
        Assert.Equal(3, (await pairs.JsonAsync()).GetProperty("groups").EnumerateArray().Sum(g => g.GetProperty("requests").GetInt64()));
    }

    [StoreFact]
    public async Task The_summary_answers_with_groups_trend_estimated_share_and_fallback_models()
    {
        var at = new DateTimeOffset(2022, 2, 1, 9, 0, 0, TimeSpan.Zero);
        var unknownModel = LedgerHttp.Call("sum-2", model: "my-own-model", team: "ml", at: at.AddDays(1));
        unknownModel.Remove("usage");
        await _client.PostJsonAsync("/v1/usage/batch", new JsonObject { ["items"] = new JsonArray(LedgerHttp.Call("sum-1", team: "ml", at: at), unknownModel) });

        var response = await _client.GetAsync("/v1/analytics/summary?from=2022-02-01&to=2022-02-03&group_by=team");

        var summary = await response.JsonAsync();
        Assert.Equal(2, summary.GetProperty("requests").GetInt64());
        Assert.Equal(0.5m, summary.GetProperty("estimated_share").GetDecimal());
        Assert.Equal("ml", summary.GetProperty("groups")[0].GetProperty("key").GetString());
        Assert.Equal(2, summary.GetProperty("trend").GetArrayLength());
        var fallback = summary.GetProperty("fallback_models")[0];
        Assert.Equal("my-own-model", fallback.GetProperty("model").GetString());
        Assert.Equal(1, fallback.GetProperty("requests").GetInt64());
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/v1/analytics/summary?group_by=colour")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/v1/analytics/summary?from=2022-02-01T10:00:00Z")).StatusCode);
    }
}

public sealed class LiteDbUsageApiTests(LedgerApiFactory factory) : UsageApiTests(factory), IClassFixture<LedgerApiFactory>;

[RequiresPostgres]
public sealed class PostgresUsageApiTests(PostgresLedgerApiFactory factory) : UsageApiTests(factory), IClassFixture<PostgresLedgerApiFactory>;
