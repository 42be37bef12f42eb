using Catalog.Api.Features.Cost;
using System.Text.Json;
using Catalog.Api.Features.Usage;
using Catalog.Api.Http;
using Catalog.Api.Tests.Ledger;

namespace Catalog.Api.Tests;

/// <summary>
/// The OpenAPI document against what the service really does: every field and query parameter a reader
/// accepts is in the document and every one the document lists is accepted; keys, scopes, problems and
/// money as the service has them.
/// </summary>
public sealed class OpenApiContractTests(LedgerApiFactory factory) : IClassFixture<LedgerApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task The_cost_request_schema_lists_exactly_the_fields_the_reader_accepts_and_requires_only_model()
    {
        var schema = Schema(await DocumentAsync(), "CostRequest");

        Assert.Equal(PricingRequestReader.Fields.Concat(CostApi.CallFields).Order(), Properties(schema).Order());
        Assert.Equal(["model"], Required(schema));
    }

    [Fact]
    public async Task The_compact_cost_schema_lists_exactly_the_fields_a_compact_answer_has_with_money_as_decimals()
    {
        var schema = Schema(await DocumentAsync(), "CostCompactResponse");

        Assert.Equal(CompactAnswers.Fields, Properties(schema));
        Assert.Equal("decimal", schema.GetProperty("properties").GetProperty("total_usd").GetProperty("format").GetString());
    }

    [Fact]
    public async Task The_usage_call_schema_lists_exactly_the_fields_the_reader_accepts_and_requires_only_id_and_model()
    {
        var schema = Schema(await DocumentAsync(), "UsageCallRequest");

        Assert.Equal(PricingRequestReader.Fields.Concat(UsageCallReader.LedgerFields).Order(), Properties(schema).Order());
        Assert.Equal(["id", "model"], Required(schema).Order());
    }

    [Theory]
    [InlineData("/v1/usage", "get", typeof(UsageListQuery))]
    [InlineData("/v1/usage/export.csv", "get", typeof(UsageFilterQuery))]
    [InlineData("/v1/usage/recalculate", "post", typeof(RecalculationQuery))]
    [InlineData("/v1/analytics/summary", "get", typeof(SummaryQuery))]
    [InlineData("/v1/endpoints/costs", "get", typeof(TimeRangeQuery))]
    [InlineData("/v1/endpoints/{id}/cost", "get", typeof(TimeRangeQuery))]
    [InlineData("/v1/cost/batch", "post", typeof(CostBatchQuery))]
    public async Task Every_query_parameter_an_endpoint_accepts_is_documented_and_no_other(string path, string method, Type query)
    {
        var operation = Operation(await DocumentAsync(), path, method);

        var documented = operation.GetProperty("parameters").EnumerateArray()
            .Where(p => p.GetProperty("in").GetString() == "query")
            .Select(p => p.GetProperty("name").GetString()!);
        Assert.Equal(QueryParameters.Names(query).Order(), documented.Order());
    }

    [Theory]
    [InlineData("/v1/usage", "post", "ingest")]
    [InlineData("/v1/usage", "get", "read")]
    [InlineData("/v1/usage/recalculate", "post", "admin")]
    [InlineData("/v1/analytics/summary", "get", "read")]
    public async Task A_keyed_operation_names_the_bearer_scheme_its_scope_and_the_problems_of_keys(string path, string method, string scope)
    {
        var document = await DocumentAsync();
        var operation = Operation(document, path, method);

        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
        Assert.Equal([scope], operation.GetProperty("security")[0].GetProperty("Bearer").EnumerateArray().Select(s => s.GetString()));
        foreach (var status in new[] { "401", "403", "429" })
        {
            Assert.Equal("#/components/schemas/Problem", ProblemSchemaOf(operation, status));
        }
    }

    [Fact]
    public async Task The_open_price_list_asks_for_no_key()
    {
        var operation = Operation(await DocumentAsync(), "/v1/cost", "post");

        Assert.False(operation.TryGetProperty("security", out _));
        Assert.Equal("#/components/schemas/Problem", ProblemSchemaOf(operation, "400"));
        Assert.Equal("my-chatbot", operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example").GetProperty("model").GetString());
    }

    [Fact]
    public async Task The_problem_schema_has_the_fields_a_real_problem_has()
    {
        var document = await DocumentAsync();
        var problem = (await _client.GetTextAsync("/v1/models?page=0")).Json;
        var schema = Schema(document, "Problem");

        var written = problem.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("trace_id", written);
        Assert.Contains("errors", written);
        Assert.DoesNotContain("traceId", written);
        Assert.All(written, name => Assert.Contains(name, Properties(schema)));
    }

    [Fact]
    public async Task Money_is_a_decimal_number_never_a_double_and_the_document_says_what_the_service_is()
    {
        var document = await DocumentAsync();
        var cost = Schema(document, "CostResponse").GetProperty("properties").GetProperty("total_usd");

        Assert.Equal("decimal", cost.GetProperty("format").GetString());
        Assert.DoesNotContain("\"format\": \"double\"", document.GetRawText());
        Assert.Contains("decimal USD", document.GetProperty("info").GetProperty("description").GetString());
    }

    [Fact]
    public async Task Every_operation_declares_the_problems_its_body_route_and_query_can_answer_with()
    {
        var document = await DocumentAsync();

        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var where = $"{operation.Name} {path.Name}";
                var responses = operation.Value.GetProperty("responses");
                var expected = new List<string>();
                if (operation.Value.TryGetProperty("requestBody", out _))
                {
                    expected.AddRange(["400", "413", "415"]);
                }

                if (path.Name.Contains('{'))
                {
                    expected.Add("404");
                }

                if (operation.Value.TryGetProperty("parameters", out var parameters) && parameters.EnumerateArray().Any(p => p.GetProperty("in").GetString() == "query"))
                {
                    expected.Add("400");
                }

                foreach (var status in expected)
                {
                    Assert.True(responses.TryGetProperty(status, out _), $"{where} does not declare {status}");
                    Assert.Equal("#/components/schemas/Problem", ProblemSchemaOf(operation.Value, status));
                }
            }
        }
    }

    [Fact]
    public async Task The_usage_shapes_are_the_readers_own_fields()
    {
        var schema = Schema(await DocumentAsync(), "CostRequest").GetProperty("properties").GetProperty("usage");
        var shapes = schema.GetProperty("oneOf").EnumerateArray().ToDictionary(s => s.GetProperty("title").GetString()!, s => Properties(s));

        foreach (var shape in Enum.GetValues<Catalog.Pricing.UsageShape>().Where(s => s != Catalog.Pricing.UsageShape.None))
        {
            var topLevel = Catalog.Pricing.UsageReader.FieldsOf(shape).Select(f => f.Split('.')[0]).Distinct().Order();
            Assert.Equal(topLevel, shapes[Catalog.Pricing.UsageReader.ShapeName(shape)].Order());
        }
    }

    private async Task<JsonElement> DocumentAsync() => (await _client.GetTextAsync("/openapi/v1.json")).Json;

    private static JsonElement Schema(JsonElement document, string name) => document.GetProperty("components").GetProperty("schemas").GetProperty(name);

    private static JsonElement Operation(JsonElement document, string path, string method) => document.GetProperty("paths").GetProperty(path).GetProperty(method);

    private static string[] Properties(JsonElement schema) => [.. schema.GetProperty("properties").EnumerateObject().Select(p => p.Name)];

    private static string[] Required(JsonElement schema) =>
        schema.TryGetProperty("required", out var required) ? [.. required.EnumerateArray().Select(r => r.GetString()!)] : [];

    private static string? ProblemSchemaOf(JsonElement operation, string status) =>
        operation.GetProperty("responses").GetProperty(status).GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString();
}
