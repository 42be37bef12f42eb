using Catalog.Api.Features.Alerts;
using Catalog.Ledger.Alerts;
using Catalog.Ledger.Postgres;
using Catalog.Api.Tests.Ledger;

namespace Catalog.Api.Tests.Alerts;

/// <summary>Alerts in PostgreSQL, shared by several instances: opened once, delivered by one instance at a time.</summary>
[RequiresPostgres]
public sealed class PostgresAlertStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    private TestDatabase _database = null!;
    private PostgresLedger _first = null!;
    private PostgresLedger _second = null!;

    public async Task InitializeAsync()
    {
        if (TestPostgres.AdminConnectionString is null)
        {
            return;
        }

        _database = await TestPostgres.CreateDatabaseAsync();
        _first = new PostgresLedger(_database.ConnectionString);
        await _first.OpenAsync(default);
        _second = new PostgresLedger(_database.ConnectionString);
        await _second.OpenAsync(default);
    }

    public async Task DisposeAsync()
    {
        if (_database is null)
        {
            return;
        }

        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _database.DisposeAsync();
    }

    [StoreFact]
    public async Task Two_instances_evaluating_at_once_open_an_alert_once_and_it_closes_when_its_day_is_over()
    {
        var first = new PostgresAlertStore(_first);
        var second = new PostgresAlertStore(_second);
        var daily = Candidate("daily:2026-11-20");

        var opened = await Task.WhenAll(first.ApplyAsync([daily], Start, default), second.ApplyAsync([daily], Start, default));
        Assert.Equal(1, opened.Sum(o => o.Count));

        Assert.Empty(await first.ApplyAsync([daily], Start.AddDays(1), default));
        var stored = Assert.Single(await second.ListAsync(10, default));
        Assert.Equal("closed", stored.Status);
        Assert.Equal(12.5m, stored.ValueUsd);
    }

    [StoreFact]
    public async Task An_undelivered_alert_is_claimed_by_one_instance_and_not_offered_again_once_delivered()
    {
        var first = new PostgresAlertStore(_first);
        var second = new PostgresAlertStore(_second);
        await first.ApplyAsync([Candidate("a"), Candidate("b")], Start, default);

        var claimed = await first.UndeliveredAsync(default);
        Assert.Equal(["a", "b"], claimed.Select(a => a.Key));
        Assert.Empty(await second.UndeliveredAsync(default));

        await first.RecordDeliveryAsync("a", Start, null, default);
        await first.RecordDeliveryAsync("b", null, "HTTP 503", default);
        var listed = (await second.ListAsync(10, default)).ToDictionary(a => a.Key);
        Assert.Equal(Start, listed["a"].DeliveredAt);
        Assert.Equal("HTTP 503", listed["b"].LastDeliveryError);
        Assert.Equal(1, listed["b"].DeliveryAttempts);
    }

    private static AlertCandidate Candidate(string key) =>
        new(key, key.Split(':')[0], "daily_spend", $"title {key}", $"message {key}", 12.5m, 10m, true);
}
