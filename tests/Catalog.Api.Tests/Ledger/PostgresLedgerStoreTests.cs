using Catalog.Ledger;
using Catalog.Ledger.Postgres;
using Catalog.Pricing;

namespace Catalog.Api.Tests.Ledger;

/// <summary>
/// The ledger store contract against PostgreSQL, in a database of its own, plus what only a shared
/// database has: several stores (instances) writing at once, and the schema migration.
/// </summary>
[RequiresPostgres]
public sealed class PostgresLedgerStoreTests : LedgerStoreContract
{
    private TestDatabase? _database;
    private PostgresLedger? _ledger;
    private PostgresUsageStore? _store;

    [StoreFact]
    public async Task Two_stores_on_one_database_appending_the_same_ids_at_once_store_each_once()
    {
        await using var other = await OpenStoreAsync();
        var records = Enumerable.Range(0, 2_000).Select(i => Record($"shared-{i:D4}", total: 0.01m * (i % 13), at: Day.AddSeconds(i), user: $"u{i % 5}")).ToArray();
        var conflicting = Record("shared-0007", total: 5m, fingerprint: "another body");

        var writes = await Task.WhenAll(
            Enumerable.Range(0, 40).Select(c => (c % 2 == 0 ? Store : other.Store).AppendAsync([.. records.Skip(c / 2 * 100).Take(100), .. records.Skip((19 - (c / 2)) * 100).Take(100)], default)));
        var conflict = await other.Store.AppendAsync([conflicting], default);

        var outcomes = writes.SelectMany(w => w).GroupBy(r => r.Record.Id).ToDictionary(g => g.Key, g => g.Select(r => r.Outcome).ToArray());
        Assert.Equal(records.Length, outcomes.Count);
        Assert.All(outcomes.Values, o => Assert.Equal(1, o.Count(x => x == AppendOutcome.Created)));
        Assert.All(outcomes.Values, o => Assert.DoesNotContain(AppendOutcome.Conflict, o));
        Assert.Equal(AppendOutcome.Conflict, conflict.Single().Outcome);
        Assert.Equal(records.Length, (await ReadAllAsync(new UsageFilter())).Count);
        var summary = await other.Store.SummarizeAsync(null, null, SummaryGrouping.User, default);
        Assert.Equal(records.Length, summary.Requests);
        Assert.Equal(records.Sum(r => r.Pricing.Cost.TotalUsd), summary.TotalUsd);
    }

    [StoreFact]
    public async Task Migrating_again_or_from_two_instances_at_once_leaves_one_schema_version()
    {
        var ledgers = Enumerable.Range(0, 4).Select(_ => new PostgresLedger(_database!.ConnectionString)).ToArray();

        await Task.WhenAll(ledgers.Select(l => l.OpenAsync(default)));
        await ledgers[0].OpenAsync(default);

        Assert.Equal(PostgresSchema.Version, await ScalarAsync<long>("SELECT count(*) FROM schema_version"));
        Assert.Equal(PostgresSchema.Version, await ScalarAsync<int>("SELECT max(version) FROM schema_version"));
        foreach (var ledger in ledgers)
        {
            await ledger.DisposeAsync();
        }
    }

    [StoreFact]
    public async Task Migration_9_counts_the_rollups_again_with_the_service_tier_and_region()
    {
        var records = TieredRecords();
        await Store.AppendAsync(records, default);
        await CloseAsync();
        // As version 8 left the database: rollup rows without a service tier or region (here one, wrong, to see it replaced), no dimension rollups.
        await TestPostgres.ExecuteAsync(_database!.ConnectionString, """
            DELETE FROM schema_version WHERE version >= 9;
            DROP TABLE usage_dimension_rollups;
            DELETE FROM usage_rollups;
            ALTER TABLE usage_rollups DROP CONSTRAINT usage_rollups_pkey;
            ALTER TABLE usage_rollups DROP COLUMN service_tier, DROP COLUMN region;
            ALTER TABLE usage_rollups ADD PRIMARY KEY (day, model, provider, "user", team, app);
            INSERT INTO usage_rollups VALUES ('2026-11-20', 'a', 'p', 'ann', 't', 'web', 1000, 0, 0, 0, 0, 0, 99, 1000, 0, 0, 0, 0, 0);
            """);

        await RestartAsync();

        Assert.Equal(PostgresSchema.Version, await ScalarAsync<int>("SELECT max(version) FROM schema_version"));
        await AssertSummariesByTierAndRegionAsync(records);
    }

    [StoreFact]
    public async Task A_database_migrated_by_a_newer_catalog_is_refused_with_a_message()
    {
        await TestPostgres.ExecuteAsync(_database!.ConnectionString, $"INSERT INTO schema_version (version) VALUES ({PostgresSchema.Version + 1})");
        await using var ledger = new PostgresLedger(_database.ConnectionString);

        var error = await Assert.ThrowsAsync<CatalogConfigurationException>(() => ledger.OpenAsync(default));

        Assert.Contains($"version {PostgresSchema.Version + 1}", error.Message);
        Assert.Contains("Storage:ConnectionString", error.Message);
    }

    protected override async Task AsWrittenBeforeDimensionRollupsAsync()
    {
        await CloseAsync();
        await TestPostgres.ExecuteAsync(_database!.ConnectionString, $"DROP TABLE usage_dimension_rollups; DELETE FROM schema_version WHERE version = {PostgresSchema.Version}");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    protected override async Task<LedgerStores> OpenNewAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        return await OpenAsync();
    }

    protected override async Task<LedgerStores> ReopenAsync()
    {
        await CloseAsync();
        return await OpenAsync();
    }

    protected override async Task CloseAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        if (_ledger is not null)
        {
            await _ledger.DisposeAsync();
        }

        _store = null;
        _ledger = null;
    }

    private async Task<LedgerStores> OpenAsync()
    {
        (_ledger, _store) = await OpenStoreAsync();
        return new LedgerStores(_store, new PostgresKeyStore(_ledger), new PostgresEndpointEventStore(_ledger), new PostgresBudgetStore(_ledger));
    }

    /// <summary>Another instance's store: a ledger (connection pool) and a writer of its own on the same database.</summary>
    private async Task<OpenStore> OpenStoreAsync()
    {
        var ledger = new PostgresLedger(_database!.ConnectionString);
        await ledger.OpenAsync(default);
        return new OpenStore(ledger, new PostgresUsageStore(ledger, TimeProvider.System));
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = _ledger!.DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private sealed record OpenStore(PostgresLedger Ledger, PostgresUsageStore Store) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Store.DisposeAsync();
            await Ledger.DisposeAsync();
        }
    }
}
