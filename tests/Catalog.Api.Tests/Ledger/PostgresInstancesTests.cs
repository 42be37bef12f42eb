using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

using Catalog.Tests.Shared;

namespace Catalog.Api.Tests.Ledger;

/// <summary>
/// Scale-out: two API processes on two ports, one PostgreSQL database. Both are sent every call (in
/// opposite orders, in batches and one by one, at the same time); each call is created exactly once,
/// nothing is lost or doubled, and either instance reads what the other wrote, keys included.
/// </summary>
[RequiresPostgres]
public sealed class PostgresInstancesTests : IAsyncLifetime
{
    private const string AdminKey = "instances-test-admin-key";
    private const int Calls = 6_000;
    private const int BatchSize = 250;
    private const int SingleCalls = 400;

    private TestDatabase? _database;

    public async Task InitializeAsync() => _database = await TestPostgres.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [StoreFact]
    public async Task Two_instances_sent_the_same_calls_at_once_store_each_exactly_once()
    {
        int portA = ApiProcess.FreePort(), portB = ApiProcess.FreePort();
        var started = await Task.WhenAll(ApiProcess.StartAsync(portA, AdminKey, _database!.ApiSettings), ApiProcess.StartAsync(portB, AdminKey, _database.ApiSettings));
        using var instanceA = started[0];
        using var instanceB = started[1];
        using var a = ApiProcess.Client(portA, AdminKey);
        using var b = ApiProcess.Client(portB, AdminKey);
        var ids = Enumerable.Range(0, Calls).Select(i => $"shared-{i:D5}").ToArray();
        var batches = ids.Chunk(BatchSize).ToArray();
        var statuses = new ConcurrentBag<(string Id, int Status)>();

        await Task.WhenAll(
            PostBatchesAsync(a, batches, statuses),
            PostBatchesAsync(b, [.. batches.Reverse()], statuses),
            PostOneByOneAsync(a, ids[^SingleCalls..], statuses),
            PostOneByOneAsync(b, ids[^SingleCalls..].Reverse(), statuses));

        Assert.All(statuses, s => Assert.True(s.Status is 201 or 200, $"{s.Id}: {s.Status}"));
        var created = statuses.Where(s => s.Status == 201).Select(s => s.Id).ToList();
        Assert.Equal(ids, created.Order(StringComparer.Ordinal));
        var storedViaA = await a.ListAllAsync();
        Assert.Equal(ids, storedViaA.Select(r => r.Id).Order(StringComparer.Ordinal));
        var summaryViaB = JsonDocument.Parse(await b.GetStringAsync("/v1/analytics/summary?group_by=user")).RootElement;
        Assert.Equal(Calls, summaryViaB.GetProperty("requests").GetInt64());
        Assert.Equal(storedViaA.Sum(r => r.TotalUsd), summaryViaB.GetProperty("total_usd").GetDecimal());
        Assert.Equal(storedViaA.Sum(r => r.InputTokens), summaryViaB.GetProperty("input_tokens").GetInt64());

        var other = Call("shared-00042");
        other["usage"]!["prompt_tokens"] = 1;
        Assert.Equal(HttpStatusCode.Conflict, (await b.PostJsonAsync("/v1/usage", other)).StatusCode);
    }

    [StoreFact]
    public async Task A_key_created_on_one_instance_works_on_the_other_and_revoked_there_is_refused_at_once()
    {
        int portA = ApiProcess.FreePort(), portB = ApiProcess.FreePort();
        using var instanceA = await ApiProcess.StartAsync(portA, AdminKey, _database!.ApiSettings);
        using var instanceB = await ApiProcess.StartAsync(portB, AdminKey, _database.ApiSettings);
        using var adminA = ApiProcess.Client(portA, AdminKey);
        using var adminB = ApiProcess.Client(portB, AdminKey);

        var created = await (await adminA.PostJsonAsync("/v1/keys", """{"name":"gateway","scopes":["ingest"]}""")).JsonAsync();
        using var gatewayOnB = ApiProcess.Client(portB, created.GetProperty("key").GetString()!);
        Assert.Equal(HttpStatusCode.Created, (await gatewayOnB.PostJsonAsync("/v1/usage", Call("keyed-1"))).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await adminB.DeleteAsync($"/v1/keys/{created.GetProperty("id").GetString()}")).StatusCode);
        using var gatewayOnA = ApiProcess.Client(portA, created.GetProperty("key").GetString()!);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gatewayOnA.PostJsonAsync("/v1/usage", Call("keyed-2"))).StatusCode);
    }

    private static JsonObject Call(string id)
    {
        var number = int.Parse(id[^2..]);
        return LedgerHttp.Call(id, model: number % 2 == 0 ? "gpt-4o" : "claude-sonnet-4-5", input: 100 + number, user: $"u{number % 7}");
    }

    private static async Task PostBatchesAsync(HttpClient http, string[][] batches, ConcurrentBag<(string, int)> statuses)
    {
        foreach (var batch in batches)
        {
            var body = new JsonObject { ["items"] = new JsonArray([.. batch.Select(id => (JsonNode)Call(id))]) };
            using var response = await http.PostJsonAsync("/v1/usage/batch", body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            foreach (var result in (await response.JsonAsync()).GetProperty("results").EnumerateArray())
            {
                statuses.Add((result.GetProperty("id").GetString()!, result.GetProperty("status").GetInt32()));
            }
        }
    }

    private static async Task PostOneByOneAsync(HttpClient http, IEnumerable<string> ids, ConcurrentBag<(string, int)> statuses)
    {
        foreach (var id in ids)
        {
            using var response = await http.PostJsonAsync("/v1/usage", Call(id));
            statuses.Add((id, (int)response.StatusCode));
        }
    }
}
