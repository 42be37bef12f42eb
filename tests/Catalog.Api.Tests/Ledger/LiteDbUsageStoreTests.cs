using Catalog.Api.Storage;
using Catalog.Api.Storage.LiteDb;

namespace Catalog.Api.Tests.Ledger;

/// <summary>The usage store contract against the embedded LiteDB file, plus what only a file store has: its lock.</summary>
public sealed class LiteDbUsageStoreTests : UsageStoreContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "catalog-tests", Guid.NewGuid().ToString("N"));
    private LedgerDatabase? _database;
    private LiteDbUsageStore? _store;

    private string DatabasePath => Path.Combine(_directory, "catalog.db");

    [Fact]
    public void A_second_store_on_the_same_file_fails_with_a_message_saying_why()
    {
        var error = Assert.Throws<LedgerInUseException>(() => new LedgerDatabase(DatabasePath));

        Assert.Contains("already open", error.Message);
        Assert.Contains("Storage:Path", error.Message);
    }

    [Fact]
    public async Task The_file_can_be_opened_again_once_its_owner_closed_it()
    {
        await Store.AppendAsync([Record("a", 1m)], default);

        await RestartAsync();

        Assert.NotNull(await Store.FindAsync("a", default));
    }

    [Fact]
    public async Task A_file_written_before_reported_costs_were_kept_opens_with_none_reported()
    {
        await Store.AppendAsync([Record("a", 1m)], default);
        await CloseAsync();
        using (var database = new LedgerDatabase(DatabasePath))
        {
            Forget(database, LiteDbUsageStore.UsageCollection, "reported_usd");
            Forget(database, LiteDbUsageStore.RollupCollection, "reported_requests", "reported_usd", "reported_our_usd");
        }

        await RestartAsync();

        Assert.Null((await Store.FindAsync("a", default))!.ReportedCostUsd);
        var summary = await Store.SummarizeAsync(null, null, SummaryGrouping.Model, default);
        Assert.Equal(1, summary.Requests);
        Assert.Empty(summary.ReportedCostMismatches);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    protected override Task<IUsageStore> OpenNewAsync() => Task.FromResult(Open());

    protected override async Task<IUsageStore> ReopenAsync()
    {
        await CloseAsync();
        return Open();
    }

    protected override async Task CloseAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        _database?.Dispose();
        _store = null;
        _database = null;
    }

    private static void Forget(LedgerDatabase database, string collection, params string[] fields)
    {
        var documents = database.Database.GetCollection(collection);
        foreach (var document in documents.FindAll().ToList())
        {
            foreach (var field in fields)
            {
                document.Remove(field);
            }

            documents.Update(document);
        }
    }

    private IUsageStore Open()
    {
        _database = new LedgerDatabase(DatabasePath);
        _store = new LiteDbUsageStore(_database, TimeProvider.System);
        return _store;
    }
}
