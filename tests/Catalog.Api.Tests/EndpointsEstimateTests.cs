using System.Net;
using Catalog.Api.Tests.Ledger;

namespace Catalog.Api.Tests;

/// <summary>POST /v1/endpoints/estimate and GET /v1/endpoints: seed 001's examples over HTTP, and bad input.</summary>
public sealed class EndpointsEstimateTests(LedgerApiFactory api) : IClassFixture<LedgerApiFactory>
{
    [Theory]
    [InlineData("""{"hours_per_day": 2, "days_per_week": 5}""", "34")]
    [InlineData("""{"hours_per_day": 8, "days_per_week": 5}""", "136")]
    [InlineData("""{"always_on": true}""", "571.2")]
    public async Task Seed_examples_for_the_three_endpoints(string schedule, string weekly)
    {
        var (status, json) = await api.PostAsync("/v1/endpoints/estimate", $$"""{"schedule": {{schedule}}}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(weekly, json.GetProperty("weekly_usd").GetRawText());
        Assert.Equal(3.4m, json.GetProperty("hourly_usd").GetDecimal());
        Assert.Equal(3, json.GetProperty("endpoints").GetArrayLength());
    }

    [Fact]
    public async Task One_endpoint_by_id_with_day_and_month()
    {
        var (status, json) = await api.PostAsync("/v1/endpoints/estimate", """{"endpoints": ["phi-4"], "schedule": {"hours_per_day": 2, "days_per_week": 5}}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(18m, json.GetProperty("weekly_usd").GetDecimal());
        Assert.Equal(3.6m, json.GetProperty("daily_usd").GetDecimal());
        Assert.Equal(77.142857m, json.GetProperty("monthly_usd").GetDecimal());
        var phi = Assert.Single(json.GetProperty("endpoints").EnumerateArray());
        Assert.Equal("phi-4", phi.GetProperty("id").GetString());
        Assert.Equal(1.8m, phi.GetProperty("replica_hourly_usd").GetDecimal());
    }

    [Fact]
    public async Task Additional_replicas_above_max_replicas_are_capped_with_a_note()
    {
        var (_, json) = await api.PostAsync("/v1/endpoints/estimate", """{"endpoints": "phi-4", "schedule": {"always_on": true}, "additional_replicas": 2, "scale_up_hours_per_day": 4}""");
        var phi = json.GetProperty("endpoints")[0];
        Assert.Equal(0, phi.GetProperty("additional_replicas").GetInt32());
        Assert.Contains("capped", phi.GetProperty("notes")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(1.8m * 168, json.GetProperty("weekly_usd").GetDecimal());
    }

    [Fact]
    public async Task Unknown_endpoint_is_404_with_did_you_mean()
    {
        var (status, json) = await api.PostAsync("/v1/endpoints/estimate", """{"endpoints": ["phi-4", "phi4"], "schedule": {"always_on": true}}""");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("endpoints[1]", json.GetProperty("field").GetString());
        Assert.Equal("phi-4", json.GetProperty("did_you_mean").GetString());
        Assert.Contains("did you mean 'phi-4'", json.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{}""", "schedule")]
    [InlineData("""{"schedule": {"hours_per_day": 25, "days_per_week": 5}}""", "schedule.hours_per_day")]
    [InlineData("""{"schedule": {"hours_per_day": 2, "days_per_week": 8}}""", "schedule.days_per_week")]
    [InlineData("""{"schedule": {"hours_per_day": 2}}""", "schedule.days_per_week")]
    [InlineData("""{"schedule": {"always_on": true, "hours_per_day": 2}}""", "schedule.always_on")]
    [InlineData("""{"schedule": {"always_on": "yes"}}""", "schedule.always_on")]
    [InlineData("""{"schedule": {"hours_per_day": "2", "days_per_week": 5}}""", "schedule.hours_per_day")]
    [InlineData("""{"schedule": {"always_on": true}, "additional_replicas": -1}""", "additional_replicas")]
    [InlineData("""{"schedule": {"always_on": true}, "additional_replicas": 1.5}""", "additional_replicas")]
    [InlineData("""{"schedule": {"hours_per_day": 2, "days_per_week": 5}, "scale_up_hours_per_day": 3}""", "scale_up_hours_per_day")]
    [InlineData("""{"schedule": {"always_on": true}, "endpoints": []}""", "endpoints")]
    [InlineData("""{"schedule": {"always_on": true}, "endpoints": [7]}""", "endpoints[0]")]
    [InlineData("""[1, 2]""", "body")]
    [InlineData("""{"\ud800": 1, "schedule": {"always_on": true}}""", "body")]
    [InlineData("""{"schedule": {"always_on": true}, "endpoints": ["\ud800"]}""", "endpoints[0]")]
    [InlineData("""{"schedule": """, "body")]
    public async Task Bad_input_is_a_400_naming_the_field(string body, string field)
    {
        var messages = (await api.PostAsync("/v1/endpoints/estimate", body)).AssertValidationProblem(field);
        Assert.All(messages, m => Assert.False(string.IsNullOrWhiteSpace(m)));
    }

    [Fact]
    public async Task A_misspelt_field_gets_a_suggestion()
    {
        var messages = (await api.PostAsync("/v1/endpoints/estimate", """{"schedul": {"always_on": true}}""")).AssertValidationProblem("schedul");
        Assert.Contains(messages, m => m.Contains("did you mean 'schedule'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Listing_shows_the_catalogue_endpoints_and_rates()
    {
        var (status, json) = await api.GetAsync("/v1/endpoints");
        Assert.Equal(HttpStatusCode.OK, status);
        var rates = json.GetProperty("items").EnumerateArray().ToDictionary(e => e.GetProperty("id").GetString()!, e => e.GetProperty("hourly_usd").GetDecimal());
        Assert.Equal(3.4m, rates.Values.Sum());
        var phi = json.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("id").GetString() == "phi-4");
        Assert.Equal("microsoft/phi-4", phi.GetProperty("model").GetString());
        Assert.Equal(15, phi.GetProperty("scale_to_zero_after_minutes").GetInt32());
        Assert.Equal(("nvidia-l40s", "x1"), (phi.GetProperty("instance_type").GetString(), phi.GetProperty("instance_size").GetString()));
    }
}
