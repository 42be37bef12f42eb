using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace Catalog.Api.Tests.Ledger;

/// <summary>
/// The durability promise end to end, for each store: the API as a real process, 32 clients posting
/// 20,000 calls, kill -9 mid-stream, a restart, the clients retrying what was not acknowledged; then
/// every acknowledged call is stored exactly once and the rollups agree with the records.
/// </summary>
public abstract class LedgerFaultTests : IAsyncLifetime
{
    private const int Calls = 20_000;
    private const int Clients = 32;
    private const string AdminKey = "fault-test-admin-key";

    /// <summary>The API's storage settings (environment variables), the same for the killed process and its restart.</summary>
    protected abstract IReadOnlyDictionary<string, string> Storage { get; }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public abstract Task DisposeAsync();

    [StoreFact]
    public async Task Every_acknowledged_call_survives_kill_9_exactly_once_and_the_rollups_match()
    {
        var port = ApiProcess.FreePort();
        using var http = ApiProcess.Client(port, AdminKey);
        var acknowledged = new ConcurrentDictionary<string, bool>();

        using (var first = await ApiProcess.StartAsync(port, AdminKey, Storage))
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

        using var second = await ApiProcess.StartAsync(port, AdminKey, Storage);
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(c =>
            PostAsync(http, IdsOf(c).Where(id => !beforeKill.Contains(id)), acknowledged, stopOnFailure: false)));
        Assert.Equal(Calls, acknowledged.Count);

        var stored = await http.ListAllAsync();
        Assert.Equal(Calls, stored.Count);
        Assert.Equal(Calls, stored.Select(r => r.Id).Distinct().Count());
        Assert.Subset(stored.Select(r => r.Id).ToHashSet(), beforeKill);

        var summary = JsonDocument.Parse(await http.GetStringAsync("/v1/analytics/summary?group_by=user")).RootElement;
        Assert.Equal(Calls, summary.GetProperty("requests").GetInt64());
        Assert.Equal(stored.Sum(r => r.TotalUsd), summary.GetProperty("total_usd").GetDecimal());
        Assert.Equal(stored.Sum(r => r.InputTokens), summary.GetProperty("input_tokens").GetInt64());
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

[Trait("Category", "Fault")]
[RequiresPostgres]
public sealed class PostgresLedgerFaultTests : LedgerFaultTests
{
    private TestDatabase? _database;

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
