using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Catalog.Api.Tests.Ledger;

/// <summary>
/// Each call keeps the id of the API key it was recorded with (never the key), on each store: shown with the call,
/// filtered and grouped by (key_id=, group_by=key_id), exported, and counted by a budget scoped to the key.
/// </summary>
public abstract class CallKeyApiTests(StoreApiFactory factory)
{
    [StoreFact]
    public async Task A_call_keeps_the_id_of_the_key_that_recorded_it_and_is_filtered_grouped_exported_and_budgeted_by_it()
    {
        var admin = factory.Client();
        var created = await (await admin.PostJsonAsync("/v1/keys", """{"name":"gateway","scopes":["ingest"]}""")).JsonAsync();
        var keyId = created.GetProperty("id").GetString()!;
        var secret = created.GetProperty("key").GetString()!;
        var gateway = factory.Client(secret);
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var range = $"from={today:yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}";

        Assert.Equal(HttpStatusCode.Created, (await gateway.PostJsonAsync("/v1/usage", LedgerHttp.Call("keyed-single", at: now))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostJsonAsync("/v1/usage/batch", new JsonObject { ["items"] = new JsonArray(LedgerHttp.Call("keyed-batch", at: now.AddSeconds(1))) })).StatusCode);
        var litellm = new JsonObject
        {
            ["id"] = "keyed-litellm",
            ["call_type"] = "acompletion",
            ["model"] = "gpt-4o",
            ["model_group"] = "gpt-4o",
            ["custom_llm_provider"] = "openai",
            ["prompt_tokens"] = 1000,
            ["completion_tokens"] = 200,
            ["total_tokens"] = 1200,
            ["response_cost"] = 0.0045,
            ["startTime"] = now.AddSeconds(2).ToUnixTimeMilliseconds() / 1000m,
            ["endTime"] = now.AddSeconds(3).ToUnixTimeMilliseconds() / 1000m,
            ["status"] = "success",
        };
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostJsonAsync("/v1/integrations/litellm", litellm)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJsonAsync("/v1/usage", LedgerHttp.Call("keyed-admin", at: now))).StatusCode);

        var single = await admin.GetStringAsync("/v1/usage/keyed-single");
        Assert.Equal(keyId, JsonDocument.Parse(single).RootElement.GetProperty("key_id").GetString());
        Assert.DoesNotContain(secret, single, StringComparison.Ordinal);
        var listed = await admin.GetStringAsync($"/v1/usage?key_id={keyId}");
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        Assert.Equal(["keyed-litellm", "keyed-batch", "keyed-single"], Ids(listed));
        Assert.Equal(["keyed-admin"], Ids(await admin.GetStringAsync($"/v1/usage?key_id=admin&{range}")));

        var csv = (await admin.GetStringAsync($"/v1/usage/export.csv?key_id={keyId}")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(",key_id", csv[0], StringComparison.Ordinal);
        Assert.Equal(4, csv.Length);
        Assert.All(csv[1..], row => Assert.EndsWith("," + keyId, row, StringComparison.Ordinal));

        var filtered = await (await admin.GetAsync($"/v1/analytics/summary?{range}&key_id={keyId}")).JsonAsync();
        Assert.Equal(3, filtered.GetProperty("requests").GetInt64());
        var grouped = await (await admin.GetAsync($"/v1/analytics/summary?{range}&group_by=key_id")).JsonAsync();
        var groups = grouped.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("key").GetString()!, g => g.GetProperty("requests").GetInt64());
        Assert.Equal(3, groups[keyId]);
        Assert.Equal(1, groups["admin"]);
        var spent = grouped.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("key").GetString() == keyId).GetProperty("total_usd").GetDecimal();

        var budget = await admin.PostJsonAsync("/v1/budgets", new JsonObject { ["name"] = "gateway-daily", ["period"] = "daily", ["amount_usd"] = 1, ["scope"] = new JsonObject { ["key_id"] = keyId } });
        Assert.Equal(HttpStatusCode.Created, budget.StatusCode);
        var status = await budget.JsonAsync();
        Assert.Equal(keyId, status.GetProperty("scope").GetProperty("key_id").GetString());
        Assert.Equal(3 * 0.0045m, status.GetProperty("spent_usd").GetDecimal());
        Assert.Equal(spent, status.GetProperty("spent_usd").GetDecimal());
    }

    private static string[] Ids(string page) =>
        [.. JsonDocument.Parse(page).RootElement.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetString()!)];
}

public sealed class LiteDbCallKeyApiTests(LedgerApiFactory factory) : CallKeyApiTests(factory), IClassFixture<LedgerApiFactory>;

[RequiresPostgres]
public sealed class PostgresCallKeyApiTests(PostgresLedgerApiFactory factory) : CallKeyApiTests(factory), IClassFixture<PostgresLedgerApiFactory>;
