using System.Net;
using System.Text.Json.Nodes;

namespace Catalog.Api.Tests.Ledger;

/// <summary>The query strings of the ledger's reads, on each store: every filter on the list and the summary, and an unknown parameter refused.</summary>
public abstract class QueryFilterTests(StoreApiFactory factory)
{
    private const string Range = "from=2021-03-01&to=2021-03-02";
    private static readonly DateTimeOffset At = new(2021, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly HttpClient _client = factory.Client();

    [StoreTheory]
    [InlineData("team=ml", "f1,f2")]
    [InlineData("app=web", "f1,f3")]
    [InlineData("user=bob", "f3")]
    [InlineData("tag=feature:search", "f1")]
    [InlineData("tag=feature:chat", "f2")]
    [InlineData("status=error", "f2")]
    [InlineData("status=success", "f1,f3")]
    [InlineData("model=openai/gpt-4o&team=ops", "f3")]
    [InlineData("provider=openai&app=batch", "f2")]
    [InlineData("pricing_source=case_insensitive", "f1")]
    [InlineData("pricing_source=exact", "f2,f3")]
    public async Task The_list_the_export_and_the_summary_keep_only_the_calls_a_filter_names(string filter, string ids)
    {
        await RecordCallsAsync();
        var expected = ids.Split(',');

        var listed = await (await _client.GetAsync($"/v1/usage?{Range}&{filter}")).JsonAsync();
        var csv = await _client.GetStringAsync($"/v1/usage/export.csv?{Range}&{filter}");
        var summary = await (await _client.GetAsync($"/v1/analytics/summary?{Range}&{filter}&group_by=team")).JsonAsync();

        Assert.Equal(expected.Order(), listed.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetString()).Order());
        Assert.Equal(expected.Length, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length - 1);
        Assert.Equal(expected.Length, summary.GetProperty("requests").GetInt64());
        Assert.Equal(expected.Length, summary.GetProperty("trend")[0].GetProperty("requests").GetInt64());
    }

    [StoreFact]
    public async Task A_summary_filtered_by_team_counts_that_team_only()
    {
        await RecordCallsAsync();

        var summary = await (await _client.GetAsync($"/v1/analytics/summary?{Range}&team=ml&group_by=team")).JsonAsync();

        var group = Assert.Single(summary.GetProperty("groups").EnumerateArray());
        Assert.Equal("ml", group.GetProperty("key").GetString());
        Assert.Equal(2, group.GetProperty("requests").GetInt64());
    }

    [StoreFact]
    public async Task A_summary_groups_by_a_tag_and_the_calls_without_it_apart()
    {
        await RecordCallsAsync();

        var summary = await (await _client.GetAsync($"/v1/analytics/summary?{Range}&group_by=tag:feature")).JsonAsync();

        Assert.Equal(["tag:feature"], summary.GetProperty("grouped_by").EnumerateArray().Select(g => g.GetString()));
        var groups = summary.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("key").GetString()!, g => g.GetProperty("requests").GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["search"] = 1, ["chat"] = 1, [""] = 1 }, groups);
        Assert.Equal(3, summary.GetProperty("requests").GetInt64());
    }

    [StoreFact]
    public async Task A_summary_groups_by_two_dimensions_at_once_each_group_naming_both()
    {
        await RecordCallsAsync();

        var summary = await (await _client.GetAsync($"/v1/analytics/summary?{Range}&group_by=team,app")).JsonAsync();

        Assert.Equal(["team", "app"], summary.GetProperty("grouped_by").EnumerateArray().Select(g => g.GetString()));
        var groups = summary.GetProperty("groups").EnumerateArray()
            .Select(g => (Key: g.GetProperty("key").GetString(), Team: g.GetProperty("keys").GetProperty("team").GetString(), App: g.GetProperty("keys").GetProperty("app").GetString(), Requests: g.GetProperty("requests").GetInt64()))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        Assert.Equal([("ml · batch", "ml", "batch", 1L), ("ml · web", "ml", "web", 1L), ("ops · web", "ops", "web", 1L)], groups);

        var filtered = await (await _client.GetAsync($"/v1/analytics/summary?{Range}&group_by=team,app&app=web")).JsonAsync();
        Assert.Equal(["ml · web", "ops · web"], filtered.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("key").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal("web", filtered.GetProperty("groups")[0].GetProperty("keys").GetProperty("app").GetString());

        var single = await (await _client.GetAsync($"/v1/analytics/summary?{Range}&group_by=team")).JsonAsync();
        Assert.False(single.TryGetProperty("grouped_by", out _));
        Assert.False(single.GetProperty("groups")[0].TryGetProperty("keys", out _));
    }

    [StoreTheory]
    [InlineData("group_by=team,team")]
    [InlineData("group_by=team,model,app")]
    [InlineData("group_by=tag:")]
    [InlineData("group_by=team,feature")]
    public async Task A_grouping_the_summary_cannot_do_is_a_400_saying_what_it_can(string query)
    {
        var messages = (await _client.GetTextAsync($"/v1/analytics/summary?{query}")).AssertValidationProblem("group_by");
        Assert.Contains(messages, m => m.Contains("tag:", StringComparison.Ordinal) || m.Contains("two", StringComparison.Ordinal));
    }

    [StoreTheory]
    [InlineData("/v1/usage?modle=gpt-4o", "modle", "did you mean 'model'?")]
    [InlineData("/v1/usage/export.csv?teem=ml", "teem", "did you mean 'team'?")]
    [InlineData("/v1/analytics/summary?groupby=team", "groupby", "did you mean 'group_by'?")]
    [InlineData("/v1/endpoints/costs?form=2026-11-01", "form", "did you mean 'from'?")]
    public async Task An_unknown_query_parameter_is_a_400_naming_it_with_the_nearest_known_one(string url, string field, string hint)
    {
        var response = await _client.GetTextAsync(url);

        Assert.Contains(hint, Assert.Single(response.AssertValidationProblem(field)));
    }

    [StoreFact]
    public async Task An_unknown_query_parameter_on_recalculation_changes_nothing()
    {
        var response = await _client.PostAsync("/v1/usage/recalculate?dryrun=false", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("did you mean 'dry_run'?", (await response.JsonAsync()).GetProperty("errors").GetProperty("dryrun")[0].GetString());
    }

    [StoreTheory]
    [InlineData("tag=feature", "tag")]
    [InlineData("tag=:search", "tag")]
    [InlineData("status=failed", "status")]
    [InlineData("pricing_source=guess", "pricing_source")]
    public async Task A_bad_filter_value_is_a_400_naming_it(string query, string field)
    {
        (await _client.GetTextAsync($"/v1/usage?{query}")).AssertValidationProblem(field);
        (await _client.GetTextAsync($"/v1/analytics/summary?{query}")).AssertValidationProblem(field);
    }

    [StoreFact]
    public async Task Every_time_in_a_response_is_utc_with_z()
    {
        var call = LedgerHttp.Call("z1", at: At);
        call["timestamp"] = "2021-04-01T09:30:00.25+01:00";
        await _client.PostJsonAsync("/v1/usage", call);

        var record = await (await _client.GetAsync("/v1/usage/z1")).JsonAsync();

        Assert.Equal("2021-04-01T08:30:00.25Z", record.GetProperty("timestamp").GetString());
        Assert.EndsWith("Z", record.GetProperty("received_at").GetString());
    }

    private async Task RecordCallsAsync()
    {
        var first = LedgerHttp.Call("f1", model: "GPT-4o", team: "ml", app: "web", at: At, tags: new JsonObject { ["feature"] = "search" });
        var second = LedgerHttp.Call("f2", team: "ml", app: "batch", at: At.AddHours(1), tags: new JsonObject { ["feature"] = "chat" });
        second["status"] = "error";
        second["provider"] = "openai";
        var third = LedgerHttp.Call("f3", user: "bob", team: "ops", app: "web", at: At.AddHours(2));
        var batch = await _client.PostJsonAsync("/v1/usage/batch", new JsonObject { ["items"] = new JsonArray(first, second, third) });
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
    }
}

public sealed class LiteDbQueryFilterTests(LedgerApiFactory factory) : QueryFilterTests(factory), IClassFixture<LedgerApiFactory>;

[RequiresPostgres]
public sealed class PostgresQueryFilterTests(PostgresLedgerApiFactory factory) : QueryFilterTests(factory), IClassFixture<PostgresLedgerApiFactory>;
