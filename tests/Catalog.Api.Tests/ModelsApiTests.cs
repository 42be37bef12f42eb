using System.Net;
using System.Text.Json;
using Catalog.Pricing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

using Catalog.Api.Tests.Ledger;

namespace Catalog.Api.Tests;

/// <summary>GET /v1/models (filters, paging), GET /v1/models/{name} (how a name resolves) and GET /v1/aliases.</summary>
public sealed class ModelsApiTests(LedgerApiFactory factory) : IClassFixture<LedgerApiFactory>
{
    private static readonly CatalogData Catalog = BuiltInCatalog.Data;

    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task The_first_page_holds_the_first_100_models_and_counts_them_all()
    {
        var page = (await _client.GetTextAsync("/v1/models")).Json;

        Assert.Equal(Catalog.Models.Length, page.GetProperty("total").GetInt32());
        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.Equal(100, page.GetProperty("page_size").GetInt32());
        Assert.Equal(Catalog.Models.Take(100).Select(m => m.FullName), Names(page));
    }

    [Fact]
    public async Task A_listed_model_shows_its_current_prices_exactly()
    {
        var response = await _client.GetTextAsync("/v1/models?q=claude-sonnet-4-5");

        Assert.Contains("\"name\":\"anthropic/claude-sonnet-4-5\",\"provider\":\"anthropic\",\"id\":\"claude-sonnet-4-5\",\"display_name\":\"Claude Sonnet 4.5\",\"active\":true,", response.Text);
        Assert.Contains("\"prices\":{\"input_mtok\":3,\"output_mtok\":15,\"cache_read_mtok\":0.3,\"cache_write_mtok\":3.75,\"cache_write_1h_mtok\":6,\"tiers\":[{\"above_input_tokens\":200000,", response.Text);
        Assert.Contains("\"history\":[{\"until\":\"2025-10-01\",", response.Text);
    }

    [Fact]
    public async Task Filters_by_provider()
    {
        var page = (await _client.GetTextAsync("/v1/models?provider=anthropic")).Json;

        Assert.Equal(Catalog.Models.Count(m => m.Provider == "anthropic"), page.GetProperty("total").GetInt32());
        Assert.All(Items(page), m => Assert.Equal("anthropic", m.GetProperty("provider").GetString()));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Filters_by_active(bool active)
    {
        var page = (await _client.GetTextAsync($"/v1/models?active={active.ToString().ToLowerInvariant()}")).Json;

        Assert.Equal(Catalog.Models.Count(m => m.Active == active), page.GetProperty("total").GetInt32());
        Assert.All(Items(page), m => Assert.Equal(active, m.GetProperty("active").GetBoolean()));
    }

    [Theory]
    [InlineData("sonnet")]
    [InlineData("SONNET")]
    [InlineData("Claude Sonnet")]
    public async Task Filters_by_text_in_id_name_or_match_names_ignoring_case(string q)
    {
        var page = (await _client.GetTextAsync($"/v1/models?q={Uri.EscapeDataString(q)}")).Json;

        Assert.NotEmpty(Items(page));
        Assert.All(Items(page), m => Assert.Contains(q, m.GetRawText(), StringComparison.OrdinalIgnoreCase));
        bool Has(string? text) => text?.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false;
        Assert.Equal(Catalog.Models.Count(m => Has(m.FullName) || Has(m.Name) || m.MatchNames.Any(Has)), page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Text_finds_match_names()
    {
        var page = (await _client.GetTextAsync("/v1/models?q=gpt-35-turbo")).Json;

        // Azure's spelling of the name: only match names have it.
        Assert.Equal("openai/gpt-3.5-turbo", Names(page).First());
        Assert.All(Items(page), m => Assert.Contains(m.GetProperty("match_names").EnumerateArray(), n => n.GetString()!.Contains("gpt-35-turbo", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Filters_combine()
    {
        var page = (await _client.GetTextAsync("/v1/models?provider=openai&active=false&q=o1")).Json;

        Assert.Equal(["openai/o1-mini"], Names(page));
    }

    [Fact]
    public async Task Pages_follow_the_catalogue_order()
    {
        var second = (await _client.GetTextAsync("/v1/models?page=2&page_size=10")).Json;
        var last = (await _client.GetTextAsync($"/v1/models?page=10&page_size=10")).Json;

        Assert.Equal(Catalog.Models.Skip(10).Take(10).Select(m => m.FullName), Names(second));
        Assert.Equal(Catalog.Models.Skip(90).Take(10).Select(m => m.FullName), Names(last));
        Assert.Equal(Catalog.Models.Length, second.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("?page=100")]
    [InlineData("?page=2147483647&page_size=500")]
    public async Task A_page_past_the_end_is_empty(string query)
    {
        var page = (await _client.GetTextAsync("/v1/models" + query)).Json;

        Assert.Empty(Items(page));
        Assert.Equal(Catalog.Models.Length, page.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("?page=0", "page", "starts at 1")]
    [InlineData("?page=-3", "page", "starts at 1")]
    [InlineData("?page_size=0", "page_size", "from 1 to 500")]
    [InlineData("?page_size=501", "page_size", "from 1 to 500")]
    [InlineData("?provider=antropic", "provider", "did you mean 'anthropic'?")]
    public async Task Bad_query_values_are_a_400_naming_the_parameter(string query, string field, string message)
    {
        var response = await _client.GetTextAsync("/v1/models" + query);

        Assert.Contains(message, response.AssertValidationProblem(field)[0]);
    }

    [Theory]
    [InlineData("?active=maybe")]
    [InlineData("?page=two")]
    [InlineData("?page_size=99999999999")]
    public async Task A_query_value_of_the_wrong_type_is_a_400_with_a_detail(string query)
    {
        var response = await _client.GetTextAsync("/v1/models" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("application/problem+json", response.MediaType);
        Assert.Contains("/openapi/v1.json", response.Json.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_query_value_of_the_wrong_type_is_a_400_with_a_detail_in_production()
    {
        using var production = factory.WithOwnDatabase(builder => builder.UseEnvironment("Production"));

        var response = await production.CreateClient().GetTextAsync("/v1/models?active=maybe");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("application/problem+json", response.MediaType);
        Assert.Contains("/openapi/v1.json", response.Json.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/v1/models/anthropic/claude-sonnet-4-5", "anthropic/claude-sonnet-4-5", "anthropic", "exact")]
    [InlineData("/v1/models/openai%2Fgpt-4o", "openai/gpt-4o", "openai", "exact")]
    [InlineData("/v1/models/gpt-4o?provider=openai", "gpt-4o", "openai", "exact")]
    [InlineData("/v1/models/openai/gpt-oss-120b:groq", "openai/gpt-oss-120b:groq", "huggingface", "match")]
    [InlineData("/v1/models/brand-new-model?provider=huggingface", "brand-new-model", "huggingface", "provider_default")]
    [InlineData("/v1/models/brand-new-model?provider=somecloud", "brand-new-model", "somecloud", "fallback")]
    public async Task Explains_how_a_name_resolves(string path, string name, string provider, string source)
    {
        var explanation = (await _client.GetTextAsync(path)).Json;

        Assert.Equal(name, explanation.GetProperty("name").GetString());
        Assert.Equal(provider, explanation.GetProperty("provider").GetString());
        Assert.Equal(source, explanation.GetProperty("pricing_source").GetString());
    }

    [Fact]
    public async Task Explains_an_exact_name_with_its_model_and_prices()
    {
        var explanation = (await _client.GetTextAsync("/v1/models/anthropic/claude-sonnet-4-5")).Json;

        Assert.Equal("anthropic/claude-sonnet-4-5", explanation.GetProperty("name").GetString());
        Assert.Equal("anthropic/claude-sonnet-4-5", explanation.GetProperty("resolved_model").GetString());
        Assert.Equal("exact", explanation.GetProperty("pricing_source").GetString());
        Assert.Equal(1, explanation.GetProperty("steps").GetArrayLength());
        Assert.Equal("Claude Sonnet 4.5", explanation.GetProperty("model").GetProperty("display_name").GetString());
        Assert.Equal(3m, explanation.GetProperty("prices").GetProperty("input_mtok").GetDecimal());
        Assert.Equal(BuiltInCatalog.Version, explanation.GetProperty("catalog_version").GetString());
    }

    [Fact]
    public async Task Explains_a_name_with_a_slash_and_a_colon()
    {
        var explanation = (await _client.GetTextAsync("/v1/models/openai/gpt-oss-120b:groq")).Json;

        Assert.Equal("openai/gpt-oss-120b:groq", explanation.GetProperty("name").GetString());
        Assert.Equal("huggingface/gpt-oss-120b", explanation.GetProperty("resolved_model").GetString());
        Assert.Equal("match", explanation.GetProperty("pricing_source").GetString());
        Assert.True(explanation.GetProperty("model").GetProperty("uses_provider_default").GetBoolean());
    }

    [Fact]
    public async Task Explains_a_short_name_with_every_step_tried()
    {
        var response = await _client.GetTextAsync("/v1/models/meta/gpt-oss-120b:groq");
        var explanation = response.Json;

        Assert.Equal("short_name", explanation.GetProperty("pricing_source").GetString());
        Assert.Equal(["exact", "match", "short_name", "short_name"], explanation.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()));
        Assert.Contains("\"step\":\"short_name\",\"tried\":\"gpt-oss-120b\",\"matched\":true,\"detail\":\"huggingface/gpt-oss-120b\"", response.Text);
        Assert.NotEmpty(explanation.GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public async Task Explains_an_unknown_name_step_by_step_down_to_the_fallback()
    {
        var explanation = (await _client.GetTextAsync("/v1/models/claude-sonet-4-5")).Json;

        Assert.Equal("fallback", explanation.GetProperty("pricing_source").GetString());
        Assert.Equal(JsonValueKind.Null, explanation.GetProperty("resolved_model").ValueKind);
        Assert.Equal(JsonValueKind.Null, explanation.GetProperty("model").ValueKind);
        Assert.Equal(
            ["exact", "match", "short_name", "case_insensitive", "provider_default", "default_model", "fallback"],
            explanation.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()));
        Assert.Equal("claude-sonnet-4-5", explanation.GetProperty("did_you_mean").GetString());
        Assert.Equal(1m, explanation.GetProperty("prices").GetProperty("input_mtok").GetDecimal());
    }

    [Fact]
    public async Task Explains_an_alias_with_its_chain_and_override()
    {
        var explanation = (await _client.GetTextAsync("/v1/models/support-bot")).Json;

        Assert.Equal("alias", explanation.GetProperty("pricing_source").GetString());
        var alias = explanation.GetProperty("alias");
        Assert.Equal(["support-bot", "my-chatbot", "anthropic/claude-sonnet-4-5"], alias.GetProperty("chain").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(2.7m, explanation.GetProperty("prices").GetProperty("input_mtok").GetDecimal());
        Assert.Equal(0.3m, explanation.GetProperty("prices").GetProperty("cache_read_mtok").GetDecimal());
    }

    [Fact]
    public async Task A_name_over_256_characters_is_a_400()
    {
        var response = await _client.GetTextAsync("/v1/models/" + new string('m', 257));

        Assert.Contains("at most 256", response.AssertValidationProblem("name")[0]);
    }

    [Fact]
    public async Task Lists_the_aliases()
    {
        var aliases = (await _client.GetTextAsync("/v1/aliases")).Json;

        Assert.Equal(Catalog.Aliases.Select(a => a.Name), aliases.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task The_price_list_downloads_as_csv_a_row_per_model_and_alias_with_its_source_and_checked_date()
    {
        using var response = await _client.GetAsync("/v1/models/export.csv");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("models.csv", response.Content.Headers.ContentDisposition!.FileName);
        var lines = text.Split("\r\n");
        Assert.StartsWith("kind,name,provider,id,display_name,active,resolves_to,input_mtok,output_mtok,", lines[0]);
        Assert.Equal(
            [.. Catalog.Models.Select(m => "model," + m.FullName + ","), .. Catalog.Aliases.Select(a => "alias," + a.Name + ",")],
            lines[1..^1].Select(l => string.Join(',', l.Split(',').Take(2)) + ","));
        Assert.Contains(lines, l => l.StartsWith("model,anthropic/claude-sonnet-4-5,anthropic,claude-sonnet-4-5,Claude Sonnet 4.5,true,,3,15,0.3,3.75,6,", StringComparison.Ordinal)
            && l.EndsWith(",model,https://www.anthropic.com/pricing,2026-11-20,," + Catalog.Version, StringComparison.Ordinal));
    }

    private static IEnumerable<JsonElement> Items(JsonElement page) => page.GetProperty("items").EnumerateArray();

    private static IEnumerable<string?> Names(JsonElement page) => Items(page).Select(m => m.GetProperty("name").GetString());
}
