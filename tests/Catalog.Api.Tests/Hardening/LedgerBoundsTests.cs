using System.Net;
using System.Text.Json.Nodes;
using Catalog.Api.Features.Alerts;
using Catalog.Api.Tests.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Catalog.Api.Tests.Hardening;

/// <summary>Calls at the bounds the API takes (10^12 tokens of each kind, $1,000,000 reported): every reader of the ledger still answers, exactly.</summary>
public abstract class LedgerBoundsTests(StoreApiFactory factory)
{
    private const long MaxTokens = 1_000_000_000_000;
    private const int Calls = 1_000;

    private readonly HttpClient _client = factory.Client();

    [StoreFact]
    public async Task Calls_at_the_token_and_cost_bounds_leave_the_summary_budgets_and_alerts_answering_exactly()
    {
        var at = DateTimeOffset.UtcNow.AddSeconds(-30);
        var items = new JsonArray();
        for (var i = 0; i < Calls; i++)
        {
            var call = LedgerHttp.Call($"bound-{i:D4}", user: "bound-user", at: at);
            call["usage"] = new JsonObject { ["prompt_tokens"] = MaxTokens, ["completion_tokens"] = MaxTokens };
            call["reported_cost_usd"] = 1_000_000;
            items.Add(call);
        }

        var batch = await (await _client.PostJsonAsync("/v1/usage/batch", new JsonObject { ["items"] = items })).JsonAsync();
        Assert.All(batch.GetProperty("results").EnumerateArray(), r => Assert.Equal(201, r.GetProperty("status").GetInt32()));
        var ours = batch.GetProperty("results")[0].GetProperty("total_usd").GetDecimal();
        var budget = await (await _client.PostJsonAsync("/v1/budgets", """{"name": "bound", "period": "monthly", "amount_usd": 1, "scope": {"user": "bound-user"}}""")).JsonAsync();

        var day = DateOnly.FromDateTime(at.UtcDateTime);
        var range = $"from={day:yyyy-MM-dd}&to={day.AddDays(1):yyyy-MM-dd}";
        foreach (var query in new[] { $"{range}&group_by=user", $"{range}&group_by=model&user=bound-user" })
        {
            var response = await _client.GetAsync("/v1/analytics/summary?" + query);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var summary = await response.JsonAsync();
            Assert.Equal(Calls, summary.GetProperty("requests").GetInt64());
            Assert.Equal(Calls * (decimal)MaxTokens, summary.GetProperty("input_tokens").GetDecimal());
            Assert.Equal(Calls * (decimal)MaxTokens, summary.GetProperty("output_tokens").GetDecimal());
            Assert.Equal(Calls * ours, summary.GetProperty("total_usd").GetDecimal());
            var mismatch = summary.GetProperty("reported_cost_mismatches")[0];
            Assert.Equal(Calls * 1_000_000m, mismatch.GetProperty("reported_usd").GetDecimal());
            Assert.Equal(Calls * ours, mismatch.GetProperty("our_usd").GetDecimal());
        }

        var status = await _client.GetAsync($"/v1/budgets/{budget.GetProperty("id").GetString()}");
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal(Calls * ours, (await status.JsonAsync()).GetProperty("spent_usd").GetDecimal());
        var monitor = factory.Services.GetServices<IHostedService>().OfType<AlertMonitor>().Single();
        var budgetId = budget.GetProperty("id").GetString()!;
        Assert.Contains(await monitor.EvaluateOnceAsync(default), a => a.Kind == "budget" && a.Key.Contains(budgetId, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/v1/alerts")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/v1/budgets")).StatusCode);
    }

    [StoreFact]
    public async Task A_summary_of_thousands_of_distinct_users_lists_the_limit_and_sums_the_rest_in_other()
    {
        const int users = 2_500;
        var at = new DateTimeOffset(2025, 3, 3, 12, 0, 0, TimeSpan.Zero);
        var items = new JsonArray();
        for (var i = 0; i < users; i++)
        {
            items.Add(LedgerHttp.Call($"many-{i:D5}", user: $"user-{i:D5}", input: 1000 + i, at: at));
        }

        Assert.Equal(HttpStatusCode.OK, (await _client.PostJsonAsync("/v1/usage/batch", new JsonObject { ["items"] = items })).StatusCode);

        foreach (var (query, listed) in new[] { ("", 100), ("&limit=7", 7), ("&limit=10000", users) })
        {
            var summary = await (await _client.GetAsync("/v1/analytics/summary?from=2025-03-03&to=2025-03-04&group_by=user" + query)).JsonAsync();
            var groups = summary.GetProperty("groups").EnumerateArray().ToArray();
            Assert.Equal(listed, groups.Length);
            Assert.Equal($"user-{users - 1:D5}", groups[0].GetProperty("key").GetString());
            var other = summary.GetProperty("other");
            var otherRequests = other.ValueKind == System.Text.Json.JsonValueKind.Null ? 0 : other.GetProperty("requests").GetInt64();
            var otherUsd = other.ValueKind == System.Text.Json.JsonValueKind.Null ? 0m : other.GetProperty("total_usd").GetDecimal();
            var otherInput = other.ValueKind == System.Text.Json.JsonValueKind.Null ? 0m : other.GetProperty("input_tokens").GetDecimal();
            Assert.Equal(users - listed, other.ValueKind == System.Text.Json.JsonValueKind.Null ? 0 : other.GetProperty("groups").GetInt64());
            Assert.Equal(users, groups.Sum(g => g.GetProperty("requests").GetInt64()) + otherRequests);
            Assert.Equal(summary.GetProperty("total_usd").GetDecimal(), groups.Sum(g => g.GetProperty("total_usd").GetDecimal()) + otherUsd);
            Assert.Equal(summary.GetProperty("input_tokens").GetDecimal(), groups.Sum(g => g.GetProperty("input_tokens").GetDecimal()) + otherInput);
        }

        foreach (var bad in new[] { "0", "10001", "many" })
        {
            var refused = await _client.GetAsync("/v1/analytics/summary?group_by=user&limit=" + bad);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await refused.JsonAsync()).GetProperty("errors").TryGetProperty("limit", out _));
        }
    }
}

public sealed class LiteDbLedgerBoundsTests(LedgerApiFactory factory) : LedgerBoundsTests(factory), IClassFixture<LedgerApiFactory>;

[RequiresPostgres]
public sealed class PostgresLedgerBoundsTests(PostgresLedgerApiFactory factory) : LedgerBoundsTests(factory), IClassFixture<PostgresLedgerApiFactory>;
