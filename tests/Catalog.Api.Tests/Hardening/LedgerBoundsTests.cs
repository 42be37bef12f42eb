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
}

public sealed class LiteDbLedgerBoundsTests(LedgerApiFactory factory) : LedgerBoundsTests(factory), IClassFixture<LedgerApiFactory>;

[RequiresPostgres]
public sealed class PostgresLedgerBoundsTests(PostgresLedgerApiFactory factory) : LedgerBoundsTests(factory), IClassFixture<PostgresLedgerApiFactory>;
