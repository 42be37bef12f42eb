using System.Net;
using System.Text;
using Catalog.Api.Tests.Ledger;

namespace Catalog.Api.Tests.Hardening;

/// <summary>
/// Every body reader answers a body it cannot read as the client meant with a 4xx naming the field (issue #13,
/// items 3 and 10): text that is not Unicode, a field sent twice, a body that does not say it is JSON.
/// </summary>
public sealed class RequestBodyTests(LedgerApiFactory factory) : IClassFixture<LedgerApiFactory>
{
    public static readonly TheoryData<string> BodyReaders = new()
    {
        "/v1/cost", "/v1/cost/batch", "/v1/usage", "/v1/usage/batch", "/v1/keys", "/v1/integrations/litellm",
        "/v1/endpoints/phi-4/events", "/v1/endpoints/estimate", "/v1/budgets",
    };

    private readonly HttpClient _client = factory.Client();

    [Theory]
    [MemberData(nameof(BodyReaders))]
    public async Task An_unpaired_surrogate_in_a_field_name_is_a_400_on_every_body_reader(string path)
    {
        var response = await _client.PostJsonTextAsync(path, """{"\ud800": 1, "id": "x", "model": "gpt-4o"}""");

        Assert.Contains("not valid Unicode", response.AssertValidationProblem("body")[0]);
    }

    [Theory]
    [MemberData(nameof(BodyReaders))]
    public async Task An_unpaired_surrogate_in_a_nested_value_is_a_400_naming_it(string path)
    {
        var response = await _client.PostJsonTextAsync(path, """{"items": [{"id": "x", "model": "gpt-4o", "tags": {"feature": "\udc00"}}]}""");

        Assert.Contains("not valid Unicode", response.AssertValidationProblem("items[0].tags.feature")[0]);
    }

    [Theory]
    [MemberData(nameof(BodyReaders))]
    public async Task A_field_sent_twice_is_a_400_naming_it(string path)
    {
        var response = await _client.PostJsonTextAsync(path, """{"items": [{"id": "dup", "model": "gpt-4o", "usage": {"input_tokens": 1, "input_tokens": 1000000}}]}""");

        Assert.Contains("'input_tokens' is sent twice", response.AssertValidationProblem("items[0].usage.input_tokens")[0]);
    }

    [Fact]
    public async Task A_field_sent_twice_in_another_spelling_is_the_same_field()
    {
        var response = await _client.PostJsonTextAsync("/v1/cost", """{"model": "gpt-4o", "\u006dodel": "claude-sonnet-4-5"}""");

        response.AssertValidationProblem("model");
    }

    [Theory]
    [MemberData(nameof(BodyReaders))]
    public async Task A_body_without_a_json_content_type_is_a_415(string path)
    {
        var body = Encoding.UTF8.GetBytes("""{"model": "gpt-4o"}""");

        var untyped = await _client.PostBytesAsync(path, body, contentType: null);
        var text = await _client.PostBytesAsync(path, body, "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, untyped.Status);
        Assert.Contains("application/json", untyped.Json.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.Status);
    }

    [Theory]
    [InlineData("/v1/cost")]
    [InlineData("/v1/usage")]
    public async Task A_timestamp_far_in_the_future_is_refused_alike_by_pricing_and_the_ledger(string path)
    {
        var response = await _client.PostJsonTextAsync(path, """{"id": "future-1", "model": "gpt-4o", "timestamp": "9999-12-31T00:00:00Z"}""");

        Assert.Contains("in the future", response.AssertValidationProblem("timestamp")[0]);
    }
}
