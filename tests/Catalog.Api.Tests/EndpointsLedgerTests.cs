using System.Net;
using System.Text.Json.Nodes;
using Catalog.Api.Tests.Ledger;

namespace Catalog.Api.Tests;

/// <summary>The endpoint API on the ledger: key scopes, and tokens from usage records tagged with the endpoint.</summary>
public sealed class EndpointsLedgerTests
{
    [Fact]
    public async Task Events_need_ingest_and_uptime_reads_need_read_while_the_catalogue_stays_open()
    {
        using var api = EndpointsTestHost.Create();
        var readKey = await KeyAsync(api, "read");
        var ingestKey = await KeyAsync(api, "ingest");
        const string Event = """{"status": "running", "at": "2026-11-20T09:00:00Z"}""";

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.PostAsync("/v1/endpoints/phi-4/events", Event, key: null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync("/v1/endpoints/phi-4/events", Event, readKey)).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync("/v1/endpoints/phi-4/events", Event, ingestKey)).Status);

        foreach (var path in new[] { "/v1/endpoints/phi-4/cost", "/v1/endpoints/costs", "/v1/endpoints/warnings", "/v1/endpoints/phi-4/events" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync(path, key: null)).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync(path, ingestKey)).Status);
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(path, readKey)).Status);
        }

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/v1/endpoints", key: null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync("/v1/endpoints/estimate", """{"schedule": {"always_on": true}}""", key: null)).Status);
    }

    [Fact]
    public async Task Tokens_served_give_the_effective_price_per_million_tokens()
    {
        using var api = EndpointsTestHost.Create();
        await api.EventAsync("phi-4", "running", -3600);
        await api.EventAsync("phi-4", "paused", 0, replicas: 0);
        await api.RecordCallAsync("a", "phi-4", input: 600_000, output: 300_000, at: EndpointsTestHost.Start.AddMinutes(-30));
        await api.RecordCallAsync("b", "phi-4", input: 50_000, output: 50_000, at: EndpointsTestHost.Start.AddMinutes(-10));
        await api.RecordCallAsync("c", "mistral-7b-instruct", input: 1_000_000, output: 0, at: EndpointsTestHost.Start.AddMinutes(-10));
        await api.RecordCallAsync("d", null, input: 1_000_000, output: 0, at: EndpointsTestHost.Start.AddMinutes(-10));

        var (_, cost) = await api.GetAsync("/v1/endpoints/phi-4/cost");
        Assert.Equal(1.8m, cost.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(1_000_000, cost.GetProperty("tokens").GetInt64());
        Assert.Equal(1.8m, cost.GetProperty("effective_usd_per_mtok").GetDecimal());
    }

    [Fact]
    public async Task Recorded_use_restarts_the_idle_clock()
    {
        using var api = EndpointsTestHost.Create();
        await api.EventAsync("mistral-7b-instruct", "running", -3600);
        await api.RecordCallAsync("a", "mistral-7b-instruct", input: 1000, output: 100, at: EndpointsTestHost.Start.AddMinutes(-5));

        var (_, quiet) = await api.GetAsync("/v1/endpoints/warnings");
        Assert.Equal(0, quiet.GetProperty("warnings").GetArrayLength());

        api.Advance(TimeSpan.FromMinutes(11));
        var (_, idle) = await api.GetAsync("/v1/endpoints/warnings");
        var warning = Assert.Single(idle.GetProperty("warnings").EnumerateArray());
        Assert.Contains("for 16 minutes with no usage since 2026-11-20T09:55:00", warning.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static async Task<string> KeyAsync(LedgerApiFactory api, string scope)
    {
        using var response = await api.Client().PostJsonAsync("/v1/keys", new JsonObject { ["name"] = scope, ["scopes"] = new JsonArray(scope) });
        return (await response.JsonAsync()).GetProperty("key").GetString()!;
    }
}
