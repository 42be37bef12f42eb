using System.Net;
using System.Text.Json.Nodes;
using Catalog.Api.Tests.Ledger;
using Catalog.Tests.Shared;

namespace Catalog.Api.Tests.Operations;

/// <summary>
/// <c>/metrics</c>: the service's own counters move when calls are priced and recorded. The meter is shared by
/// every host in the test process, so the assertions are on how much a counter moved, at least.
/// </summary>
public sealed class MetricsTests(LedgerApiFactory factory) : IClassFixture<LedgerApiFactory>
{
    [Fact]
    public async Task Metrics_are_open_in_the_prometheus_format_with_the_build_info()
    {
        using var http = factory.Client(key: null);

        var response = await http.GetAsync("/metrics");
        var scrape = new PrometheusText(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, scrape.Sum("catalog_build_info", $"version=\"{Repository.Version}\""));
    }

    [Fact]
    public async Task Pricing_and_recording_calls_move_the_counters()
    {
        using var http = factory.Client();
        var before = await PrometheusText.ScrapeAsync(http);

        await http.PostJsonAsync("/v1/cost", """{"model": "my-chatbot", "provider": "anthropic", "usage": {"input_tokens": 10, "output_tokens": 5}}""");
        await http.PostJsonAsync("/v1/cost", """{"model": "no-such-model-anywhere", "usage": {"input_tokens": 10, "output_tokens": 5}}""");
        Assert.Equal(HttpStatusCode.Created, (await http.PostJsonAsync("/v1/usage", LedgerHttp.Call("metrics-1"))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await http.PostJsonAsync("/v1/usage", LedgerHttp.Call("metrics-1", input: 5))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostJsonAsync("/v1/usage", """{"id": "metrics-bad", "model": ""}""")).StatusCode);
        var batch = new JsonObject { ["items"] = new JsonArray(LedgerHttp.Call("metrics-2"), LedgerHttp.Call("metrics-3"), new JsonObject { ["id"] = 7 }) };
        Assert.Equal(HttpStatusCode.OK, (await http.PostJsonAsync("/v1/usage/batch", batch)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/v1/usage/recalculate?from=2026-11-01&to=2026-12-01", null)).StatusCode);

        var after = await PrometheusText.ScrapeAsync(http);
        double Moved(string name, params string[] labels) => after.Sum(name, labels) - before.Sum(name, labels);
        Assert.True(Moved("catalog_calls_priced_total", "pricing_source=\"alias\"", "provider=\"anthropic\"") >= 1, after.Text);
        Assert.True(Moved("catalog_calls_priced_total", "pricing_source=\"exact\"", "provider=\"openai\"") >= 3, after.Text);
        Assert.True(Moved("catalog_calls_fallback_priced_total") >= 1, after.Text);
        Assert.True(Moved("catalog_items_rejected_total", "route=\"usage\"", "reason=\"conflict\"") >= 1, after.Text);
        Assert.True(Moved("catalog_items_rejected_total", "route=\"usage\"", "reason=\"invalid\"") >= 1, after.Text);
        Assert.True(Moved("catalog_items_rejected_total", "route=\"usage_batch\"", "reason=\"invalid\"") >= 1, after.Text);
        Assert.True(Moved("catalog_batch_size_count", "route=\"usage_batch\"") >= 1, after.Text);
        Assert.True(Moved("catalog_batch_size_sum", "route=\"usage_batch\"") >= 3, after.Text);
        Assert.True(Moved("catalog_recalculations_total", "mode=\"dry_run\"") >= 1, after.Text);
        Assert.True(Moved("catalog_ingest_commits_total", "outcome=\"ok\"") >= 2, after.Text);
        Assert.True(Moved("catalog_ingest_commit_size_sum") >= 3, after.Text);
        Assert.True(Moved("catalog_ingest_commit_duration_seconds_count") >= 2, after.Text);
        Assert.True(Moved("catalog_ingest_fsync_duration_seconds_count") >= 2, after.Text);
        Assert.Single(after.Samples("catalog_ingest_queue_length"));
    }
}
