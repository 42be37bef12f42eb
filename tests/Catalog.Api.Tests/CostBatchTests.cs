using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;

using Catalog.Api.Tests.Ledger;

namespace Catalog.Api.Tests;

/// <summary>POST /v1/cost/batch: results in order, a bad item gets its own problem and the rest are still priced.</summary>
public sealed class CostBatchTests(LedgerApiFactory factory) : IClassFixture<LedgerApiFactory>
{
    private const string GoodItem = """{ "model": "my-chatbot", "usage": { "input_tokens": 1000, "output_tokens": 500 } }""";

    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task A_bad_item_in_the_middle_gets_its_own_problem()
    {
        var response = await _client.PostJsonTextAsync("/v1/cost/batch", $$"""
            { "items": [
                {{GoodItem}},
                { "model": "gpt-4o", "usage": { "input_tokens": -1 } },
                { "model": "gpt-3.5-turbo" } ] }
            """);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var results = response.Json.GetProperty("results");
        Assert.Equal(3, results.GetArrayLength());
        Assert.Equal(2, response.Json.GetProperty("priced").GetInt32());
        Assert.Equal(1, response.Json.GetProperty("failed").GetInt32());
        Assert.Contains("{\"model\":\"my-chatbot\",\"resolved_model\":\"anthropic/claude-sonnet-4-5\"", response.Text);
        Assert.Contains("\"total_usd\":0.00945,", response.Text);
        Assert.Contains("\"total_usd\":0.00125,", response.Text);
        var problem = results[1];
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Contains("cannot be negative", problem.GetProperty("detail").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("items[1].usage.input_tokens", out _));
        Assert.Equal("gpt-3.5-turbo", results[2].GetProperty("model").GetString());
    }

    [Fact]
    public async Task Items_that_are_not_objects_get_problems_too()
    {
        var response = await _client.PostJsonTextAsync("/v1/cost/batch", $$"""{ "items": [ 42, null, {{GoodItem}}, { "modle": "x" } ] }""");

        var results = response.Json.GetProperty("results");
        Assert.True(results[0].GetProperty("errors").TryGetProperty("items[0]", out _));
        Assert.True(results[1].GetProperty("errors").TryGetProperty("items[1]", out _));
        Assert.Equal("alias", results[2].GetProperty("pricing_source").GetString());
        Assert.Contains("did you mean 'model'?", results[3].GetProperty("errors").GetProperty("items[3].modle")[0].GetString());
    }

    [Theory]
    [InlineData("short")]
    [InlineData("Compact")]
    public async Task An_answer_form_that_is_not_one_is_a_400_naming_the_parameter(string answer)
    {
        var response = await _client.PostJsonTextAsync($"/v1/cost/batch?answer={answer}", $$"""{ "items": [ {{GoodItem}} ] }""");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("compact", response.Json.GetProperty("errors").GetProperty("answer")[0].GetString());
    }

    [Fact]
    public async Task An_empty_batch_is_priced()
    {
        var response = await _client.PostJsonTextAsync("/v1/cost/batch", """{ "items": [] }""");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("""{"results":[],"priced":0,"failed":0}""", response.Text);
    }

    [Fact]
    public async Task Ten_thousand_items_are_priced_in_order()
    {
        var items = Enumerable.Range(1, 10_000).Select(i => $$"""{ "model": "gpt-4o", "usage": { "input_tokens": {{i}} } }""");

        var response = await _client.PostJsonTextAsync("/v1/cost/batch", $$"""{ "items": [ {{string.Join(",", items)}} ] }""");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var results = response.Json.GetProperty("results");
        Assert.Equal(10_000, results.GetArrayLength());
        Assert.Equal(10_000, results[9_999].GetProperty("usage").GetProperty("input_tokens").GetInt64());
        Assert.Equal(0.025m, results[9_999].GetProperty("total_usd").GetDecimal());
    }

    [Fact]
    public async Task Ten_thousand_and_one_items_are_a_400()
    {
        var items = string.Join(",", Enumerable.Repeat("{}", 10_001));

        var response = await _client.PostJsonTextAsync("/v1/cost/batch", $$"""{ "items": [ {{items}} ] }""");

        Assert.Contains("10001 items is over the limit of 10000", response.AssertValidationProblem("items")[0]);
    }

    [Theory]
    [InlineData("""{ }""")]
    [InlineData("""{ "items": {} }""")]
    [InlineData("""{ "items": null }""")]
    [InlineData("""[ { "model": "gpt-4o" } ]""")]
    [InlineData("""{ "itmes": [] }""")]
    public async Task A_body_without_an_items_array_is_a_400(string body)
    {
        var response = await _client.PostJsonTextAsync("/v1/cost/batch", body);

        Assert.Contains("{\"items\": [ ... ]}", response.AssertValidationProblem("items")[0]);
    }

    [Fact]
    public async Task An_unknown_field_beside_items_is_a_400_with_a_suggestion()
    {
        var response = await _client.PostJsonTextAsync("/v1/cost/batch", $$"""{ "items": [ {{GoodItem}} ], "item": [] }""");

        Assert.Contains("did you mean 'items'?", response.AssertValidationProblem("item")[0]);
    }

    [Fact]
    public async Task A_field_name_that_is_not_valid_unicode_is_a_400()
    {
        var response = await _client.PostJsonTextAsync("/v1/cost/batch", """{ "\ud800": 1, "items": [ { "model": "gpt-4o", "\udc00": 2 } ] }""");

        Assert.Contains("not valid Unicode", response.AssertValidationProblem("body")[0]);
    }

    [Fact]
    public async Task Malformed_json_is_a_400()
    {
        var response = await _client.PostJsonTextAsync("/v1/cost/batch", $$"""{ "items": [ {{GoodItem}}, """);

        Assert.Contains("not valid JSON", response.AssertValidationProblem("body")[0]);
    }

    [Fact]
    public async Task A_body_over_32_megabytes_is_a_413()
    {
        var body = new byte[(32 * 1024 * 1024) + 1];
        Array.Fill(body, (byte)' ');
        Encoding.UTF8.GetBytes("{\"items\":[]}").CopyTo(body, 0);

        var response = await _client.PostBytesAsync("/v1/cost/batch", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.Status);
        Assert.Contains("Split it", response.Json.GetProperty("detail").GetString());
    }
}
