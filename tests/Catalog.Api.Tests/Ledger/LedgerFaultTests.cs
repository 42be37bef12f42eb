using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

using Catalog.Tests.Shared;

namespace Catalog.Api.Tests.Ledger;

/// <summary>
/// The durability promise end to end, for each store: the API as real processes, 32 clients posting
/// 20,000 calls, kill -9 of one instance mid-stream, its restart, the clients retrying what was not
/// acknowledged (through another instance when there are several, as a load balancer would); then every
/// acknowledged call is stored exactly once and the rollups agree with the records.
/// </summary>
public abstract class LedgerFaultTests : IAsyncLifetime
{
    private const int Calls = 20_000;
    private const int Clients = 32;
    private const string AdminKey = "fault-test-admin-key";

    /// <summary>The API's storage settings (environment variables), the same for every instance and the restart.</summary>
    protected abstract IReadOnlyDictionary<string, string> Storage { get; }

    /// <summary>How many instances share the store; the first is killed, the others keep serving.</summary>
    protected virtual int Instances => 1;

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public abstract Task DisposeAsync();

    [StoreFact]
    public async Task Every_acknowledged_call_survives_kill_9_exactly_once_and_the_rollups_match()
    {
        var ports = Enumerable.Range(0, Instances).Select(_ => ApiProcess.FreePort()).ToArray();
        var http = ports.Select(port => ApiProcess.Client(port, AdminKey)).ToArray();
        var apis = await Task.WhenAll(ports.Select(port => ApiProcess.StartAsync(port, AdminKey, Storage)));
        var acknowledged = new ConcurrentDictionary<string, bool>();
        try
        {
            var monitor = Task.Run(async () =>
            {
                while (acknowledged.Count < Calls / 4)
                {
                    await Task.Delay(5);
                }

                apis[0].Kill();
            });
            await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => PostAsync(http[c % Instances], IdsOf(c), acknowledged, stopOnFailure: true)));
            await monitor;
            await apis[0].WaitForExitAsync();
            apis[0].Dispose();

            var beforeKill = acknowledged.Keys.ToHashSet();
            Assert.InRange(beforeKill.Count, Calls / 4, Calls - 1);

            apis[0] = await ApiProcess.StartAsync(ports[0], AdminKey, Storage);
            await Task.WhenAll(Enumerable.Range(0, Clients).Select(c =>
                PostAsync(http[(c + 1) % Instances], IdsOf(c).Where(id => !beforeKill.Contains(id)), acknowledged, stopOnFailure: false)));
            Assert.Equal(Calls, acknowledged.Count);

            var stored = await http[0].ListAllAsync();
            Assert.Equal(Calls, stored.Count);
            Assert.Equal(Calls, stored.Select(r => r.Id).Distinct().Count());
            Assert.Subset(stored.Select(r => r.Id).ToHashSet(), beforeKill);

            var summary = JsonDocument.Parse(await http[^1].GetStringAsync("/v1/analytics/summary?group_by=user")).RootElement;
            Assert.Equal(Calls, summary.GetProperty("requests").GetInt64());
            Assert.Equal(stored.Sum(r => r.TotalUsd), summary.GetProperty("total_usd").GetDecimal());
            Assert.Equal(stored.Sum(r => r.InputTokens), summary.GetProperty("input_tokens").GetInt64());
        }
        finally
        {
            foreach (var api in apis)
            {
                api.Dispose();
            }

            foreach (var client in http)
            {
                client.Dispose();
            }
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
}

[Trait("Category", "Fault")]
public sealed class LiteDbLedgerFaultTests : LedgerFaultTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "catalog-tests", Guid.NewGuid().ToString("N"));

    protected override IReadOnlyDictionary<string, string> Storage => new Dictionary<string, string> { ["Storage__Path"] = Path.Combine(_directory, "catalog.db") };

    public override Task DisposeAsync()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Two instances on one PostgreSQL database: one is killed, the other keeps serving and takes over its clients.</summary>
[Trait("Category", "Fault")]
[RequiresPostgres]
public sealed class PostgresLedgerFaultTests : LedgerFaultTests
{
    private TestDatabase? _database;

    protected override int Instances => 2;

    protected override IReadOnlyDictionary<string, string> Storage => _database!.ApiSettings;

    public override async Task InitializeAsync() => _database = await TestPostgres.CreateDatabaseAsync();

    public override async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
