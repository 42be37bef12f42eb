using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Catalog.Tests.Shared;

namespace Catalog.Api.Tests.Ledger;

/// <summary>
/// The durability promise end to end: the API as a real process, 32 clients posting 20,000 calls,
/// kill -9 mid-stream, a restart, the clients retrying what was not acknowledged; then every
/// acknowledged call is stored exactly once and the rollups agree with the records.
/// </summary>
[Trait("Category", "Fault")]
public sealed class LedgerFaultTests : IDisposable
{
    private const int Calls = 20_000;
    private const int Clients = 32;
    private const string AdminKey = "fault-test-admin-key";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "catalog-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Every_acknowledged_call_survives_kill_9_exactly_once_and_the_rollups_match()
    {
        var port = ApiProcess.FreePort();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        var acknowledged = new ConcurrentDictionary<string, bool>();

        using (var first = await StartAsync(port))
        {
            using var killed = new CancellationTokenSource();
            var monitor = Task.Run(async () =>
            {
                while (acknowledged.Count < Calls / 4)
                {
                    await Task.Delay(5);
                }

                first.Kill();
                await killed.CancelAsync();
            });
            await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => PostAsync(http, IdsOf(c), acknowledged, stopOnFailure: true)));
            await monitor;
            await first.WaitForExitAsync();
        }

        var beforeKill = acknowledged.Keys.ToHashSet();
        Assert.InRange(beforeKill.Count, Calls / 4, Calls - 1);

        using var second = await StartAsync(port);
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(c =>
            PostAsync(http, IdsOf(c).Where(id => !beforeKill.Contains(id)), acknowledged, stopOnFailure: false)));
        Assert.Equal(Calls, acknowledged.Count);

        var stored = await ListAllAsync(http);
        Assert.Equal(Calls, stored.Count);
        Assert.Equal(Calls, stored.Select(r => r.Id).Distinct().Count());
        Assert.Subset(stored.Select(r => r.Id).ToHashSet(), beforeKill);

        var summary = JsonDocument.Parse(await http.GetStringAsync("/v1/analytics/summary?group_by=user")).RootElement;
        Assert.Equal(Calls, summary.GetProperty("requests").GetInt64());
        Assert.Equal(stored.Sum(r => r.TotalUsd), summary.GetProperty("total_usd").GetDecimal());
        Assert.Equal(stored.Sum(r => r.InputTokens), summary.GetProperty("input_tokens").GetInt64());
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static IEnumerable<string> IdsOf(int client) =>
        Enumerable.Range(0, Calls / Clients).Select(i => $"fault-{client:D2}-{i:D4}");

    private static async Task PostAsync(HttpClient http, IEnumerable<string> ids, ConcurrentDictionary<string, bool> acknowledged, bool stopOnFailure)
    {
        foreach (var id in ids)
        {
            var number = int.Parse(id[^4..]);
            var body = $$"""{"id":"{{id}}","model":"gpt-4o-mini","usage":{"input_tokens":{{100 + number}},"output_tokens":50},"user":"u{{number % 7}}","team":"t{{number % 3}}","app":"fault"}""";
            try
            {
                using var response = await http.PostAsync("/v1/usage", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
                Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                acknowledged[id] = true;
            }
            catch (HttpRequestException) when (stopOnFailure)
            {
                return;
            }
        }
    }

    private static async Task<List<(string Id, decimal TotalUsd, long InputTokens)>> ListAllAsync(HttpClient http)
    {
        var all = new List<(string, decimal, long)>();
        var url = "/v1/usage?limit=1000";
        while (true)
        {
            var page = JsonDocument.Parse(await http.GetStringAsync(url)).RootElement;
            all.AddRange(page.GetProperty("items").EnumerateArray().Select(r => (
                r.GetProperty("id").GetString()!,
                r.GetProperty("pricing").GetProperty("cost").GetProperty("total_usd").GetDecimal(),
                r.GetProperty("usage").GetProperty("input_tokens").GetInt64())));
            if (page.GetProperty("next_cursor").GetString() is not { } cursor)
            {
                return all;
            }

            url = $"/v1/usage?limit=1000&cursor={cursor}";
        }
    }

    private Task<ApiProcess> StartAsync(int port) =>
        ApiProcess.StartAsync(port, Path.Combine(_directory, "catalog.db"), AdminKey, new Dictionary<string, string> { ["Keys__RequestsPerSecond"] = "1000000" });
}
