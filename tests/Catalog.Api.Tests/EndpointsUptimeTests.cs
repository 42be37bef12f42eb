using System.Net;
using System.Text.Json;

namespace Catalog.Api.Tests;

/// <summary>Status events in, uptime cost and warnings out: late, duplicate and bad events.</summary>
public sealed class EndpointsUptimeTests
{
    private const string Window = "from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z";

    [Fact]
    public async Task A_61_second_run_bills_2_minutes()
    {
        using var api = EndpointsTestHost.Create();
        api.Advance(TimeSpan.FromHours(1));
        await api.EventAsync("phi-4", "running", 0);
        await api.EventAsync("phi-4", "paused", 61, replicas: 0);

        var (status, cost) = await api.GetAsync($"/v1/endpoints/phi-4/cost?{Window}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, cost.GetProperty("billed_minutes").GetInt64());
        Assert.Equal(2, cost.GetProperty("replica_minutes").GetInt64());
        Assert.Equal(0.06m, cost.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(1.02m, cost.GetProperty("minutes_by_status").GetProperty("running").GetDecimal());
        Assert.Equal("paused", cost.GetProperty("status").GetString());
        Assert.Equal(0, cost.GetProperty("tokens").GetInt64());
        Assert.Equal(JsonValueKind.Null, cost.GetProperty("effective_usd_per_mtok").ValueKind);
    }

    [Fact]
    public async Task Two_replicas_double_the_cost()
    {
        using var api = EndpointsTestHost.Create();
        api.Advance(TimeSpan.FromHours(2));
        await api.EventAsync("mistral-7b-instruct", "running", 0, replicas: 2);
        await api.EventAsync("mistral-7b-instruct", "scaledToZero", 3600, replicas: 0);

        var (_, cost) = await api.GetAsync($"/v1/endpoints/mistral-7b-instruct/cost?{Window}");
        Assert.Equal(60, cost.GetProperty("billed_minutes").GetInt64());
        Assert.Equal(120, cost.GetProperty("replica_minutes").GetInt64());
        Assert.Equal(1.6m, cost.GetProperty("cost_usd").GetDecimal());
    }

    [Fact]
    public async Task Duplicates_are_ignored_and_late_events_are_ordered()
    {
        using var api = EndpointsTestHost.Create();
        api.Advance(TimeSpan.FromHours(1));
        await api.EventAsync("phi-4", "paused", 600, replicas: 0);
        await api.EventAsync("phi-4", "running", 120);
        await api.EventAsync("phi-4", "initializing", 0);
        var (status, again) = await api.EventAsync("phi-4", "running", 120);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, again.GetProperty("duplicates").GetInt32());
        Assert.Equal(0, again.GetProperty("recorded").GetInt32());

        var (_, events) = await api.GetAsync("/v1/endpoints/phi-4/events");
        Assert.Equal(["initializing", "running", "paused"], events.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("status").GetString()));
        var (_, cost) = await api.GetAsync($"/v1/endpoints/phi-4/cost?{Window}");
        Assert.Equal(10, cost.GetProperty("billed_minutes").GetInt64());
        Assert.Equal(0.3m, cost.GetProperty("cost_usd").GetDecimal());
    }

    [Fact]
    public async Task An_array_of_events_is_taken_whole_or_not_at_all()
    {
        using var api = EndpointsTestHost.Create();
        var invalid = await api.PostAsync("/v1/endpoints/phi-4/events", """
            [{"status": "running", "replicas": 1, "at": "2026-11-20T09:00:00Z"},
             {"status": "runing", "at": "2026-11-20T09:30:00Z"}]
            """);
        Assert.Contains(invalid.AssertValidationProblem("[1].status"), m => m.Contains("did you mean 'running'", StringComparison.Ordinal));
        var (_, events) = await api.GetAsync("/v1/endpoints/phi-4/events");
        Assert.Equal(0, events.GetProperty("events").GetArrayLength());

        var (ok, recorded) = await api.PostAsync("/v1/endpoints/phi-4/events", """
            [{"status": "running", "at": "2026-11-20T09:00:00Z"}, {"status": "scaled_to_zero", "at": "2026-11-20T09:30:00Z"}]
            """);
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal(2, recorded.GetProperty("recorded").GetInt32());
        var (_, cost) = await api.GetAsync($"/v1/endpoints/phi-4/cost?{Window}");
        Assert.Equal(30, cost.GetProperty("billed_minutes").GetInt64());
    }

    [Fact]
    public async Task The_readme_example_initializes_runs_and_scales_to_zero()
    {
        using var api = EndpointsTestHost.Create();
        api.Advance(TimeSpan.FromDays(1));
        await api.PostAsync("/v1/endpoints/phi-4/events", """
            [{ "status": "initializing", "replicas": 1, "at": "2026-11-20T09:00:00Z" },
             { "status": "running",      "replicas": 1, "at": "2026-11-20T09:03:00Z" },
             { "status": "scaledToZero", "replicas": 0, "at": "2026-11-20T10:20:30Z" }]
            """);

        await api.RecordCallAsync("r1", "phi-4", input: 1_000_000, output: 200_000, at: EndpointsTestHost.Start.AddMinutes(-30));

        var (_, cost) = await api.GetAsync("/v1/endpoints/phi-4/cost?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z");
        Assert.Equal(81, cost.GetProperty("billed_minutes").GetInt64());
        Assert.Equal(2.43m, cost.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(1_200_000, cost.GetProperty("tokens").GetInt64());
        Assert.Equal(2.025m, cost.GetProperty("effective_usd_per_mtok").GetDecimal());
        var minutes = cost.GetProperty("minutes_by_status");
        Assert.Equal((3m, 77.5m, 819.5m), (minutes.GetProperty("initializing").GetDecimal(), minutes.GetProperty("running").GetDecimal(), minutes.GetProperty("scaledToZero").GetDecimal()));
    }

    [Theory]
    [InlineData("""{"status": "running", "replicas": -1, "at": "2026-11-20T09:00:00Z"}""", "replicas")]
    [InlineData("""{"status": "running", "replicas": 1.5, "at": "2026-11-20T09:00:00Z"}""", "replicas")]
    [InlineData("""{"status": "warming", "at": "2026-11-20T09:00:00Z"}""", "status")]
    [InlineData("""{"replicas": 1, "at": "2026-11-20T09:00:00Z"}""", "status")]
    [InlineData("""{"status": "running"}""", "at")]
    [InlineData("""{"status": "running", "at": "yesterday"}""", "at")]
    [InlineData("""{"status": "running", "at": "2026-11-20T11:00:00Z"}""", "at")]
    [InlineData("""{"status": "running", "at": "2026-11-20T09:00:00Z", "replica": 1}""", "replica")]
    [InlineData("""[]""", "body")]
    [InlineData("""{"\ud800": 1, "status": "running", "at": "2026-11-20T09:00:00Z"}""", "body")]
    [InlineData("""{"status": "\ud800", "at": "2026-11-20T09:00:00Z"}""", "status")]
    [InlineData("\"running\"", "body")]
    [InlineData("""{"status": """, "body")]
    public async Task Bad_events_are_a_400_naming_the_field(string body, string field)
    {
        using var api = EndpointsTestHost.Create();
        (await api.PostAsync("/v1/endpoints/phi-4/events", body)).AssertValidationProblem(field);
    }

    [Theory]
    [InlineData("POST", "/v1/endpoints/phi4/events")]
    [InlineData("GET", "/v1/endpoints/phi4/cost")]
    [InlineData("GET", "/v1/endpoints/phi4/events")]
    public async Task Unknown_endpoint_is_404_with_did_you_mean(string method, string path)
    {
        using var api = EndpointsTestHost.Create();
        var (status, json) = method == "POST"
            ? await api.PostAsync(path, """{"status": "running", "at": "2026-11-20T09:00:00Z"}""")
            : await api.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("phi-4", json.GetProperty("did_you_mean").GetString());
        Assert.Equal("id", json.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("from=last-week", "from")]
    [InlineData("to=soon", "to")]
    [InlineData("from=2026-11-21T00:00:00Z&to=2026-11-20T00:00:00Z", "to")]
    public async Task A_bad_window_is_a_400(string query, string field)
    {
        using var api = EndpointsTestHost.Create();
        (await api.GetAsync($"/v1/endpoints/phi-4/cost?{query}")).AssertValidationProblem(field);
        (await api.GetAsync($"/v1/endpoints/costs?{query}")).AssertValidationProblem(field);
    }

    [Fact]
    public async Task A_running_endpoint_is_billed_up_to_now_and_all_costs_add_up()
    {
        using var api = EndpointsTestHost.Create();
        await api.EventAsync("phi-4", "running", -600);
        await api.EventAsync("llama-3-1-8b-instruct", "running", -3600);
        await api.EventAsync("llama-3-1-8b-instruct", "paused", -1800, replicas: 0);

        var (_, one) = await api.GetAsync("/v1/endpoints/phi-4/cost");
        Assert.Equal(10, one.GetProperty("billed_minutes").GetInt64());
        Assert.Equal("running", one.GetProperty("status").GetString());

        var (status, all) = await api.GetAsync("/v1/endpoints/costs");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, all.GetProperty("endpoints").GetArrayLength());
        Assert.Equal(0.3m + 0.4m, all.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(EndpointsTestHost.Start, all.GetProperty("to").GetDateTimeOffset());
    }

    [Fact]
    public async Task An_endpoint_left_running_idle_is_warned_with_the_weekly_waste()
    {
        using var api = EndpointsTestHost.Create();
        await api.EventAsync("mistral-7b-instruct", "running", 0);
        await api.EventAsync("phi-4", "running", 0);
        await api.EventAsync("phi-4", "scaledToZero", 300, replicas: 0);

        api.Advance(TimeSpan.FromMinutes(10));
        var (_, early) = await api.GetAsync("/v1/endpoints/warnings");
        Assert.Equal(0, early.GetProperty("warnings").GetArrayLength());

        api.Advance(TimeSpan.FromMinutes(10));
        var (status, json) = await api.GetAsync("/v1/endpoints/warnings");
        Assert.Equal(HttpStatusCode.OK, status);
        var warning = Assert.Single(json.GetProperty("warnings").EnumerateArray());
        Assert.Equal("mistral-7b-instruct", warning.GetProperty("endpoint_id").GetString());
        Assert.Equal("idle_running", warning.GetProperty("kind").GetString());
        Assert.Equal(0.8m * 168, warning.GetProperty("projected_weekly_waste_usd").GetDecimal());
        Assert.Equal(134.4m, json.GetProperty("projected_weekly_waste_usd").GetDecimal());
        Assert.Contains("pause", warning.GetProperty("fix").GetString(), StringComparison.Ordinal);
    }
}
