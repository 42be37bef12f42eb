using Catalog.Api.Storage;
using Catalog.Api.Storage.LiteDb;
using Catalog.Pricing;

namespace Catalog.Api.Tests.Ledger;

/// <summary>The ledger store contract against the embedded LiteDB file, plus what only a file store has: its lock, and files written by older versions.</summary>
public sealed class LiteDbLedgerStoreTests : LedgerStoreContract
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

    [Fact]
    public async Task The_csv_written_from_the_documents_is_byte_for_byte_the_csv_of_the_records()
    {
        var records = Enumerable.Range(0, 2_500).Select(i =>
        {
            var record = Record(
                $"r{i:D5}",
                total: 0.000010000000000000001m * i,
                at: Day.AddSeconds(i / 3),
                model: i % 5 == 0 ? "=HYPERLINK(\"x\")" : "a",
                user: i % 7 == 0 ? null : i % 3 == 0 ? "+sum" : "ann",
                team: i % 4 == 0 ? "a,b" : "t",
                app: i % 6 == 0 ? "say \"hi\"\r\nthere" : null,
                source: i % 9 == 0 ? PricingSource.Fallback : PricingSource.Exact,
                tokens: i % 11 == 0 ? TokenSource.Estimated : TokenSource.Actual,
                reported: i % 2 == 0 ? 0.5m * i : null);
            return record with
            {
                Status = i % 8 == 0 ? CallStatus.Error : CallStatus.Success,
                LatencyMs = i % 10 == 0 ? null : i,
                Endpoint = i % 13 == 0 ? "-chat" : null,
                Tags = (i % 4) switch
                {
                    0 => new Dictionary<string, string>(),
                    1 => new Dictionary<string, string> { ["env"] = "prod", ["région"] = "<é>" },
                    2 => new Dictionary<string, string> { ["région"] = "<é>", ["env"] = "prod" },
                    _ => new Dictionary<string, string> { ["env"] = "prod" },
                },
                Original = i % 17 == 0 ? new OriginalPricing(record.Pricing with { CatalogVersion = "v0" }, Day.AddDays(1)) : null,
            };
        }).ToArray();
        await Store.AppendAsync(records, default);

        foreach (var filter in new[] { new UsageFilter(), new UsageFilter(From: Day.AddMinutes(1), To: Day.AddMinutes(10), User: "ann") })
        {
            using var fromRecords = new MemoryStream();
            await Catalog.Api.Features.Usage.UsageCsv.WriteAsync(fromRecords, Store.StreamAsync(filter, default), default);
            using var fromDocuments = new MemoryStream();
            await ((Catalog.Api.Features.Usage.IUsageCsvSource)Store).WriteCsvAsync(fromDocuments, filter, default);

            var expected = System.Text.Encoding.UTF8.GetString(fromRecords.ToArray());
            Assert.True(expected.Length > 1_000);
            Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(fromDocuments.ToArray()));
        }
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    protected override Task<LedgerStores> OpenNewAsync() => Task.FromResult(Open());

    protected override async Task<LedgerStores> ReopenAsync()
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

    private LedgerStores Open()
    {
        _database = new LedgerDatabase(DatabasePath);
        _store = new LiteDbUsageStore(_database, TimeProvider.System);
        return new LedgerStores(_store, new LiteDbKeyStore(_database), new LiteDbEndpointEventStore(_database));
    }
}
