using System.Net;
using System.Text.Json;

namespace Catalog.Api.Tests.Ledger;

/// <summary>POST/GET/DELETE /v1/budgets: what a budget counts, its state and forecast, and what a bad budget is told.</summary>
public sealed class BudgetsApiTests(LedgerApiFactory factory) : IClassFixture<LedgerApiFactory>
{
    private readonly HttpClient _admin = factory.Client();

    [Fact]
    public async Task A_budget_is_created_counts_its_scope_this_month_and_is_deleted()
    {
        var created = await _admin.PostJsonAsync("/v1/budgets", """{"name": "search-monthly", "period": "monthly", "amount_usd": 0.0250, "scope": {"team": "budget-search"}, "warning_share": 0.5}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var budget = await created.JsonAsync();
        var id = budget.GetProperty("id").GetString()!;
        Assert.Equal($"/v1/budgets/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal(("search-monthly", "monthly", "ok", "api"), (Text(budget, "name"), Text(budget, "period"), Text(budget, "state"), Text(budget, "origin")));
        Assert.Equal("budget-search", budget.GetProperty("scope").GetProperty("team").GetString());
        Assert.Equal((0.025m, 0m, 0.025m), (Usd(budget, "amount_usd"), Usd(budget, "spent_usd"), Usd(budget, "remaining_usd")));

        var now = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.Created, (await _admin.PostJsonAsync("/v1/usage", LedgerHttp.Call("budget-1", team: "budget-search", at: now))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _admin.PostJsonAsync("/v1/usage", LedgerHttp.Call("budget-2", team: "budget-other", at: now))).StatusCode);
        var status = await (await _admin.GetAsync($"/v1/budgets/{id}")).JsonAsync();
        Assert.Equal(0.0045m, Usd(status, "spent_usd"));
        Assert.Equal(0.0205m, Usd(status, "remaining_usd"));
        var first = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal((first, first.AddMonths(1)), (status.GetProperty("period_start").GetDateTimeOffset(), status.GetProperty("period_end").GetDateTimeOffset()));
        var elapsed = now.Day;
        Assert.Equal(Math.Round(0.0045m / elapsed * DateTime.DaysInMonth(now.Year, now.Month), 6, MidpointRounding.AwayFromZero), Usd(status, "forecast_usd"));
        Assert.StartsWith("run rate:", Text(status, "forecast_method"));

        var listed = await (await _admin.GetAsync("/v1/budgets")).JsonAsync();
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), b => Text(b, "id") == id);
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"/v1/budgets/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync($"/v1/budgets/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.DeleteAsync($"/v1/budgets/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_read_key_sees_budgets_and_only_an_admin_creates_or_deletes_them()
    {
        var key = (await (await _admin.PostJsonAsync("/v1/keys", """{"name":"gateway","scopes":["read"]}""")).JsonAsync()).GetProperty("key").GetString();
        var gateway = factory.Client(key);
        var id = Text(await (await _admin.PostJsonAsync("/v1/budgets", """{"name": "daily", "period": "daily", "amount_usd": 5, "scope": {"app": "web"}}""")).JsonAsync(), "id");

        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync($"/v1/budgets/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/v1/budgets")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.PostJsonAsync("/v1/budgets", """{"name": "x", "period": "daily", "amount_usd": 5, "scope": {"app": "web"}}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.DeleteAsync($"/v1/budgets/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.Client(null).GetAsync("/v1/budgets")).StatusCode);
    }

    [Theory]
    [InlineData("""{"period": "monthly", "amount_usd": 5, "scope": {"team": "a"}}""", "name", "'name' is required")]
    [InlineData("""{"name": "n", "period": "weekly", "amount_usd": 5, "scope": {"team": "a"}}""", "period", "send monthly or daily")]
    [InlineData("""{"name": "n", "period": "monthly", "amount_usd": 0, "scope": {"team": "a"}}""", "amount_usd", "above 0")]
    [InlineData("""{"name": "n", "period": "monthly", "amount_usd": "500", "scope": {"team": "a"}}""", "amount_usd", "above 0")]
    [InlineData("""{"name": "n", "period": "monthly", "amount_usd": 5}""", "scope", "one of team, user, app, tag, model, provider, key_id, endpoint")]
    [InlineData("""{"name": "n", "period": "monthly", "amount_usd": 5, "scope": {"team": "a", "app": "b"}}""", "scope", "an object with one of")]
    [InlineData("""{"name": "n", "period": "monthly", "amount_usd": 5, "scope": {"squad": "a"}}""", "scope.squad", "unknown scope 'squad'")]
    [InlineData("""{"name": "n", "period": "monthly", "amount_usd": 5, "scope": {"tag": "summaries"}}""", "scope.tag", "'key:value'")]
    [InlineData("""{"name": "n", "period": "monthly", "amount_usd": 5, "scope": {"key_id": " "}}""", "scope.key_id", "'key_id' must not be empty")]
    [InlineData("""{"name": "n", "period": "monthly", "amount_usd": 5, "scope": {"team": "a"}, "warning_share": 1.5}""", "warning_share", "at most 1")]
    [InlineData("""{"name": "n", "period": "monthly", "amount_usd": 5, "scope": {"team": "a"}, "limit": 3}""", "limit", "unknown field 'limit'")]
    public async Task A_bad_budget_is_a_400_naming_the_field_and_the_fix(string body, string field, string message)
    {
        var response = await _admin.PostJsonTextAsync("/v1/budgets", body);

        Assert.Contains(response.AssertValidationProblem(field), m => m.Contains(message, StringComparison.Ordinal));
    }

    private static string Text(JsonElement element, string name) => element.GetProperty(name).GetString()!;

    private static decimal Usd(JsonElement element, string name) => element.GetProperty(name).GetDecimal();
}
