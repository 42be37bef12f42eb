using System.Net;
using Catalog.Pricing;
using Microsoft.AspNetCore.Mvc.Testing;

using Catalog.Api.Tests.Ledger;

namespace Catalog.Api.Tests;

/// <summary>GET /v1/catalog, the OpenAPI document, the Scalar reference, and start-up configuration.</summary>
public sealed class CatalogApiTests(LedgerApiFactory factory) : IClassFixture<LedgerApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Catalog_reports_version_and_counts()
    {
        var data = BuiltInCatalog.Data;

        var catalog = (await _client.GetTextAsync("/v1/catalog")).Json;

        Assert.Equal(BuiltInCatalog.Version, catalog.GetProperty("version").GetString());
        Assert.Equal(data.Providers.Length, catalog.GetProperty("providers").GetInt32());
        Assert.Equal(data.Models.Length, catalog.GetProperty("models").GetInt32());
        Assert.Equal(data.Models.Count(m => m.Active), catalog.GetProperty("active_models").GetInt32());
        Assert.Equal(data.Aliases.Length, catalog.GetProperty("aliases").GetInt32());
        Assert.Equal(data.Instances.Length, catalog.GetProperty("instances").GetInt32());
        Assert.Equal(data.Endpoints.Length, catalog.GetProperty("endpoints").GetInt32());
        Assert.Equal(1000, catalog.GetProperty("assumptions").GetProperty("typical_input_tokens").GetInt64());
        var huggingface = catalog.GetProperty("provider_list").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "huggingface");
        Assert.True(huggingface.GetProperty("has_default_prices").GetBoolean());
        Assert.Equal(Catalog.Tests.Shared.Repository.Version, catalog.GetProperty("service_version").GetString());
    }

    [Fact]
    public async Task The_openapi_document_describes_every_endpoint()
    {
        var response = await _client.GetTextAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var paths = response.Json.GetProperty("paths");
        foreach (var path in new[] { "/v1/cost", "/v1/cost/batch", "/v1/models", "/v1/models/{name}", "/v1/aliases", "/v1/catalog" })
        {
            Assert.True(paths.TryGetProperty(path, out _) || paths.TryGetProperty(path + "/", out _), $"no '{path}' in {string.Join(", ", paths.EnumerateObject().Select(p => p.Name))}");
        }

        Assert.Contains("\"operationId\":\"PriceCall\"", response.Text.Replace(" ", string.Empty));
    }

    [Fact]
    public async Task The_scalar_reference_is_served()
    {
        using var response = await _client.GetAsync("/scalar");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/v1/nothing-here", HttpStatusCode.NotFound)]
    [InlineData("/v1/cost", HttpStatusCode.MethodNotAllowed)]
    public async Task Framework_problems_say_what_to_fix(string path, HttpStatusCode status)
    {
        var response = await _client.GetTextAsync(path);

        Assert.Equal(status, response.Status);
        Assert.Equal("application/problem+json", response.MediaType);
        Assert.Contains(path, response.Json.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("HUGGINGFACE_INPUT_TOKEN_COST", "abc")]
    [InlineData("HUGGINGFACE_OUTPUT_TOKEN_COST", "-0.000001")]
    public void An_invalid_environment_value_stops_start_up_naming_the_variable(string variable, string value)
    {
        using var broken = new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder.UseSetting(variable, value));

        var error = Assert.ThrowsAny<Exception>(() => broken.CreateClient());

        Assert.Contains(variable, Flatten(error));
    }

    private static string Flatten(Exception error) =>
        error.InnerException is null ? error.Message : error.Message + " | " + Flatten(error.InnerException);
}
