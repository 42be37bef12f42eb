using Catalog.Ledger;
using Catalog.Ledger.LiteDb;
using Catalog.Pricing;
using LiteDB;

namespace Catalog.Api.Tests.Ledger;

/// <summary>The ledger store contract against the embedded LiteDB file, plus what only a file store has: its lock, and its format version.</summary>
public sealed class LiteDbLedgerStoreTests : LedgerStoreContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "catalog-tests", Guid.NewGuid().ToString("N"));
    private LedgerDatabase? _database;
    private LiteDbUsageStore? _store;
    private TimeSpan? _rollupFlushInterval;

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
    public async Task A_new_file_is_stamped_with_the_ledger_format_version()
    {
        await Store.AppendAsync([Record("a", 1m)], default);

        await OnTheClosedFileAsync(database => Assert.Equal(LedgerDatabase.FormatVersion, database.Database.UserVersion));
    }

    [Fact]
    public async Task A_file_of_another_format_version_is_refused_with_a_message_naming_both_versions()
    {
        await Store.AppendAsync([Record("a", 1m)], default);
        await OnTheClosedFileAsync(database => database.Database.UserVersion = LedgerDatabase.FormatVersion + 1);

        var error = Assert.Throws<LedgerFormatException>(() => new LedgerDatabase(DatabasePath));

        Assert.Contains($"has ledger format version {LedgerDatabase.FormatVersion + 1}; this build reads format version {LedgerDatabase.FormatVersion}", error.Message);
        Assert.Contains("Storage:Path", error.Message);
    }

    [Fact]
    public async Task A_file_of_format_1_has_its_rollups_counted_again_with_the_service_tier_and_region_and_is_stamped_with_the_current_format()
    {
        var records = TieredRecords();
        await Store.AppendAsync(records, default);
        await OnTheClosedFileAsync(database =>
        {
            // As format 1 left it: rollup rows without a service tier or region (here one, wrong, to see it replaced).
            database.Database.UserVersion = 1;
            var rollups = database.Database.GetCollection(LiteDbUsageStore.RollupCollection);
            rollups.DeleteAll();
            rollups.Insert(new BsonDocument
            {
                ["_id"] = "2026-11-20\u001fa\u001fp\u001fann\u001ft\u001fweb", ["day"] = "2026-11-20", ["model"] = "a", ["provider"] = "p", ["user"] = "ann", ["team"] = "t", ["app"] = "web",
                ["requests"] = 1000L, ["errors"] = 0L, ["in"] = 0m, ["out"] = 0m, ["cache_read"] = 0m, ["cache_write"] = 0m, ["total_usd"] = 99m,
                ["actual"] = 1000L, ["estimated"] = 0L, ["unknown"] = 0L, ["reported_requests"] = 0L, ["reported_usd"] = 0m, ["reported_our_usd"] = 0m,
            });
        });

        await RestartAsync();

        await AssertSummariesByTierAndRegionAsync(records);
        await OnTheClosedFileAsync(database => Assert.Equal(LedgerDatabase.FormatVersion, database.Database.UserVersion));
    }

    [Fact]
    public async Task A_file_with_a_document_per_call_from_a_pre_release_build_is_refused()
    {
        await OnTheClosedFileAsync(database =>
        {
            database.Database.UserVersion = 0;
            database.Database.GetCollection("usage").Insert(new BsonDocument { ["_id"] = "a" });
        });

        var error = Assert.Throws<LedgerFormatException>(() => new LedgerDatabase(DatabasePath));

        Assert.Contains("pre-release build that kept a document per call", error.Message);
    }

    [Fact]
    public async Task Blocks_that_overlap_in_time_read_as_one_ledger_newest_first()
    {
        // Three commits over the same two days, each more than a block: their blocks interleave in time.
        var random = new Random(7);
        var records = Enumerable.Range(0, 3_300).Select(i => Record(
            $"o{random.Next(0, 1_000_000):D6}-{i}",
            total: i,
            at: Day.AddMilliseconds(random.NextInt64(0, 2 * 86_400_000L) / 1000 * 1000),
            user: i % 3 == 0 ? "bob" : "ann")).ToArray();
        foreach (var commit in records.Chunk(1_100))
        {
            await Store.AppendAsync(commit, default);
        }

        var filter = new UsageFilter(From: Day.AddHours(5), To: Day.AddHours(40), User: "ann");
        var expected = records.Where(filter.Matches).OrderByDescending(r => r.Timestamp).ThenByDescending(r => r.Id, StringComparer.Ordinal).Select(r => r.Id).ToList();
        Assert.True(expected.Count > 1_000);
        foreach (var size in new[] { 7, 1_000 })
        {
            var seen = new List<string>();
            string? cursor = null;
            do
            {
                var page = await Store.ListAsync(filter, cursor, size, default);
                seen.AddRange(page.Items.Select(r => r.Id));
                cursor = page.NextCursor;
            }
            while (cursor is not null);

            Assert.Equal(expected, seen);
        }

        Assert.Equal(records.OrderByDescending(r => r.Timestamp).ThenByDescending(r => r.Id, StringComparer.Ordinal).Select(r => r.Id), (await ReadAllAsync(new UsageFilter())).Select(r => r.Id));
    }

    [Fact]
    public async Task Calls_appended_one_at_a_time_fill_whole_blocks()
    {
        var records = Enumerable.Range(0, 600).Select(i => Record($"one-{i:D3}", i, at: Day.AddSeconds(i % 2 == 0 ? i : 600 - i))).ToArray();
        foreach (var record in records)
        {
            Assert.Equal(AppendOutcome.Created, (await Store.AppendAsync([record], default))[0].Outcome);
        }

        await RestartAsync();

        Assert.Equal(AppendOutcome.Duplicate, (await Store.AppendAsync([records[123]], default))[0].Outcome);
        Assert.Equal(records.OrderByDescending(r => r.Timestamp).ThenByDescending(r => r.Id, StringComparer.Ordinal).Select(r => r.Id), (await ReadAllAsync(new UsageFilter())).Select(r => r.Id));
        foreach (var record in records)
        {
            Assert.Equal(record.Pricing.Cost.TotalUsd, (await Store.FindAsync(record.Id, default))!.Pricing.Cost.TotalUsd);
        }

        await OnTheClosedFileAsync(database =>
            Assert.Equal((records.Length + LiteDbUsageStore.BlockSize - 1) / LiteDbUsageStore.BlockSize, database.Database.GetCollection(LiteDbUsageStore.BlockCollection).Count()));
    }

    [Fact]
    public async Task Calls_appended_one_at_a_time_around_a_deletion_and_a_recalculation_of_their_block_are_all_kept()
    {
        // The writer keeps the block it fills in memory between commits; a deletion or a recalculation that rewrites that
        // block must leave the next commit to grow the block as stored, not as remembered.
        var at = Day.AddHours(1);
        async Task AppendAsync(string id, string user, int second) =>
            Assert.Equal(AppendOutcome.Created, (await Store.AppendAsync([Record(id, 1m, at: at.AddSeconds(second), user: user)], default))[0].Outcome);

        for (var i = 0; i < 6; i++)
        {
            await AppendAsync($"a{i}", i % 2 == 0 ? "gone" : "ann", i);
        }

        Assert.Equal(3, await Store.DeleteAsync(new UsageFilter(User: "gone"), default));
        await AppendAsync("b0", "ann", 10);
        await AppendAsync("b1", "ann", 3); // older than some of the block's calls: merged into its order
        await Store.RecalculateAsync(new UsageFilter(), r => r.Id == "a1" ? r.Pricing with { Cost = Cost(5m) } : r.Pricing, apply: true, default);
        await AppendAsync("c0", "ann", 20);
        await AppendAsync("c1", "bob", 0);

        string[] expected = ["c0", "b0", "a5", "b1", "a3", "a1", "c1"];
        Assert.Equal(expected, (await ReadAllAsync(new UsageFilter())).Select(r => r.Id));
        Assert.Equal(5m, (await Store.FindAsync("a1", default))!.Pricing.Cost.TotalUsd);
        Assert.Equal(11m, (await Store.SummarizeAsync(null, null, SummaryGrouping.User, default)).TotalUsd);

        await RestartAsync();

        Assert.Equal(expected, (await ReadAllAsync(new UsageFilter())).Select(r => r.Id));
        Assert.Equal(AppendOutcome.Duplicate, (await Store.AppendAsync([Record("b1", 1m, at: at.AddSeconds(3))], default))[0].Outcome);
        Assert.Null(await Store.FindAsync("a0", default));
        Assert.Equal(7, (await Store.SummarizeAsync(null, null, SummaryGrouping.User, default)).Requests);
        await OnTheClosedFileAsync(database => Assert.Equal(1, database.Database.GetCollection(LiteDbUsageStore.BlockCollection).Count()));
    }

    [Fact]
    public async Task A_call_stored_while_an_export_runs_never_comes_out_of_order()
    {
        await Store.AppendAsync([.. Enumerable.Range(0, LiteDbUsageStore.BlockSize).Select(i => Record($"ten-{i:D3}", 1m, at: Day.AddHours(10)))], default);
        await Store.AppendAsync([.. Enumerable.Range(0, 10).Select(i => Record($"one-{i}", 1m, at: Day.AddHours(1)))], default);

        var read = new List<UsageRecord>();
        await using (var export = Store.StreamAsync(new UsageFilter(), default).GetAsyncEnumerator())
        {
            Assert.True(await export.MoveNextAsync());
            read.Add(export.Current);

            // Goes into the block written last (the hour-1 block has room), which the export has not opened yet.
            await Store.AppendAsync([Record("late", 1m, at: Day.AddHours(12))], default);

            while (await export.MoveNextAsync())
            {
                read.Add(export.Current);
            }
        }

        Assert.Equal(read.OrderByDescending(r => r.Timestamp).ThenByDescending(r => r.Id, StringComparer.Ordinal).Select(r => r.Id), read.Select(r => r.Id));
        Assert.Equal(LiteDbUsageStore.BlockSize + 10, read.Count);
        Assert.Equal("late", (await ReadAllAsync(new UsageFilter()))[0].Id);
    }

    [Fact]
    public async Task The_csv_export_of_stored_records_is_the_csv_of_the_records_as_sent()
    {
        var records = TrickyRecords(2_500);
        await Store.AppendAsync(records, default);
        await RestartAsync();

        foreach (var filter in new[] { new UsageFilter(), new UsageFilter(From: Day.AddMinutes(1), To: Day.AddMinutes(10), User: "ann") })
        {
            var expected = records.Where(filter.Matches).OrderByDescending(r => r.Timestamp).ThenByDescending(r => r.Id, StringComparer.Ordinal);
            Assert.Equal(await CsvAsync(AsAsync(expected)), await CsvAsync(Store.StreamAsync(filter, default)));
        }
    }

    [Fact]
    public async Task The_csv_written_from_the_stored_bytes_is_the_csv_of_the_records_as_sent()
    {
        // Ids that sort differently as UTF-8 bytes and as UTF-16 (U+E000 against a character beyond U+FFFF) at one tick,
        // across blocks (written in two commits), as well as the tricky cells.
        var records = TrickyRecords(2_500);
        var sameTick = new[] { "\uE000a", "\U0001F600a", "\uFFFDb", "zz", "\U0001F600", "\uE000" }
            .Select((id, i) => Record(id, 0.1m * i, at: Day.AddMinutes(5)) with
            {
                Tags = new Dictionary<string, string> { ["n"] = id },
                Usage = new UsageCounts(1000, 200, 100, 0, 0).WithMedia([i, 0, 2, 0, 0, 0, 0, 0, 50, 1]),
                ServiceTier = i % 2 == 0 ? "flex" : null,
                Region = i % 3 == 0 ? "eu" : null,
                Unpriced = i % 2 == 1 ? [new UnpricedField("usage.foo", i)] : [],
                KeyId = i % 2 == 0 ? "k1" : null,
            })
            .ToArray();
        await Store.AppendAsync([.. records, .. sameTick[..3]], default);
        await Store.AppendAsync(sameTick[3..], default);
        await RestartAsync();

        foreach (var filter in new[] { new UsageFilter(), new UsageFilter(From: Day.AddMinutes(1), To: Day.AddMinutes(10)), new UsageFilter(From: Day.AddMinutes(1), To: Day.AddMinutes(10), User: "ann") })
        {
            var expected = records.Concat(sameTick).Where(filter.Matches).OrderByDescending(r => r.Timestamp).ThenByDescending(r => r.Id, StringComparer.Ordinal);
            using var csv = new MemoryStream();
            await UsageCsv.WriteAsync(csv, Store, filter, default);

            Assert.Equal(await CsvAsync(AsAsync(expected)), System.Text.Encoding.UTF8.GetString(csv.ToArray()));
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

    protected override Task AsWrittenBeforeDimensionRollupsAsync() =>
        OnTheClosedFileAsync(database =>
        {
            database.Database.DropCollection(LiteDbUsageStore.DimensionCollection);
            database.Database.UserVersion = 2;
        });

    [Fact]
    public async Task A_file_of_format_2_is_stamped_with_the_current_format_once_its_dimension_rollups_are_built()
    {
        await Store.AppendAsync([Record("a", 1m)], default);
        await AsWrittenBeforeDimensionRollupsAsync();

        await RestartAsync();

        Assert.Equal(1, (await Store.SummarizeAsync(null, null, SummaryGrouping.Endpoint, default)).Groups.Single().Requests);
        await OnTheClosedFileAsync(database => Assert.Equal(LedgerDatabase.FormatVersion, database.Database.UserVersion));
    }

    [Fact]
    public async Task A_rollup_write_rolled_back_is_not_remembered_by_the_next_commit()
    {
        // The writer remembers the rows it wrote (RollupTable.WrittenRows); a transaction that fails must not leave them
        // remembered, or the next commit would add to totals the file never had.
        await CloseAsync();
        using var database = new LedgerDatabase(DatabasePath);
        var db = database.Database;
        var table = new RollupTable(db.GetCollection(LiteDbUsageStore.RollupCollection), db.GetCollection(LiteDbUsageStore.GuessCollection), db.GetCollection(LiteDbUsageStore.DimensionCollection));
        void Commit(Func<RollupChanges, RollupChanges> fail, params UsageRecord[] records)
        {
            var changes = new RollupChanges();
            foreach (var record in records)
            {
                changes.Add(record);
            }

            table.Writing(changes, () => database.WriteDurably(_ =>
            {
                table.Write(changes);
                return fail(changes);
            }));
        }

        Commit(c => c, Record("a", 1m));
        var failed = Assert.Throws<InvalidOperationException>(() =>
            Commit(_ => throw new InvalidOperationException("disk full"), Record("b", 10m), Record("c", 100m, user: "new", source: PricingSource.ShortName)));
        Assert.Equal("disk full", failed.Message);
        Commit(c => c, Record("d", 1000m), Record("e", 10_000m, user: "new", source: PricingSource.ShortName));

        var summary = table.Summarize(null, null, SummaryGrouping.User);
        Assert.Equal(3, summary.Requests);
        Assert.Equal(11_001m, summary.TotalUsd);
        Assert.Equal([("ann", 1001m), ("new", 10_000m)], summary.Groups.Select(g => (g.Key, g.TotalUsd)).OrderBy(g => g.Key, StringComparer.Ordinal));
        Assert.Equal(3, table.Summarize(null, null, SummaryGrouping.Endpoint).Groups.Single().Requests);
        Assert.Equal((1L, 10_000m), summary.FallbackModels.Select(f => (f.Requests, f.TotalUsd)).Single());
    }

    [Fact]
    public async Task Rollups_folded_in_memory_when_the_process_dies_are_counted_again_from_the_records_on_open()
    {
        // The writer leaves the rollup rows of most commits in memory (summaries add them) and writes them later; a
        // rollup mark in the file says which records its rows count. Here the rows are never written before the "crash".
        await FoldingAsync();
        var records = new List<UsageRecord> { Record("first", 1m, at: Day.AddHours(1)) };
        await Store.AppendAsync([records[0]], default); // the first commit writes its rows and the mark
        for (var i = 0; i < 5; i++)
        {
            records.Add(Record($"one-{i}", 10m, at: Day.AddHours(2).AddSeconds(-i), user: i % 2 == 0 ? "bob" : "ann")); // the mark's block grows
            await Store.AppendAsync([records[^1]], default);
        }

        var batch = Enumerable.Range(0, LiteDbUsageStore.BlockSize + 10).Select(i => Record($"many-{i:D3}", 100m, at: Day.AddDays(1).AddSeconds(i), user: "cy")).ToArray();
        records.AddRange(batch);
        await Store.AppendAsync(batch, default); // fills the mark's block, then new blocks after it
        Assert.Equal(AppendOutcome.Duplicate, (await Store.AppendAsync([records[3]], default))[0].Outcome);
        await AssertSummariesCountAsync(records);

        Crash();
        await OnTheClosedFileAsync(database => Assert.Equal(1, database.Database.GetCollection(LiteDbUsageStore.RollupCollection).FindAll().Sum(r => r["requests"].AsInt64)));
        await RestartAsync();

        await AssertSummariesCountAsync(records);
        await RestartAsync();
        await AssertSummariesCountAsync(records);
    }

    [Fact]
    public async Task A_deletion_writes_the_rollups_folded_before_it_and_the_calls_after_it_are_counted_again_after_a_crash()
    {
        await FoldingAsync();
        var records = Enumerable.Range(0, 8).Select(i => Record($"a{i}", 1m + i, at: Day.AddMinutes(i), user: i % 3 == 0 ? "gone" : "ann")).ToList();
        foreach (var record in records)
        {
            await Store.AppendAsync([record], default);
        }

        Assert.Equal(3, await Store.DeleteAsync(new UsageFilter(User: "gone"), default)); // the block written last shrinks
        records.RemoveAll(r => r.User == "gone");
        await Store.RecalculateAsync(new UsageFilter(), r => r.Id == "a1" ? r.Pricing with { Cost = Cost(50m) } : r.Pricing, apply: true, default);
        records[0] = records[0] with { Pricing = records[0].Pricing with { Cost = Cost(50m) } };
        for (var i = 0; i < 4; i++)
        {
            records.Add(Record($"b{i}", 7m, at: Day.AddMinutes(3).AddSeconds(i), user: "bob"));
            await Store.AppendAsync([records[^1]], default);
        }

        await AssertSummariesCountAsync(records);
        Crash();
        await RestartAsync();

        await AssertSummariesCountAsync(records);
    }

    [Fact]
    public async Task A_file_of_format_3_is_stamped_with_the_current_format_and_its_rollups_are_kept_as_they_are()
    {
        var records = Enumerable.Range(0, 5).Select(i => Record($"r{i}", 1m + i, at: Day.AddHours(i))).ToArray();
        await Store.AppendAsync(records, default);
        await OnTheClosedFileAsync(database =>
        {
            // As format 3 left it: rollups written with every commit, no mark.
            Assert.True(database.Database.DropCollection(LiteDbUsageStore.RollupMarkCollection));
            database.Database.UserVersion = 3;
        });
        await RestartAsync();

        await AssertSummariesCountAsync(records);
        await OnTheClosedFileAsync(database => Assert.Equal(LedgerDatabase.FormatVersion, database.Database.UserVersion));
    }

    /// <summary>Every summary the rollups answer agrees with <paramref name="records"/>.</summary>
    private async Task AssertSummariesCountAsync(IReadOnlyList<UsageRecord> records)
    {
        var byUser = await Store.SummarizeAsync(null, null, SummaryGrouping.User, default);
        Assert.Equal(records.Count, byUser.Requests);
        Assert.Equal(records.Sum(r => r.Pricing.Cost.TotalUsd), byUser.TotalUsd);
        Assert.Equal(
            records.GroupBy(r => r.User ?? "").Select(g => (g.Key, (long)g.Count(), g.Sum(r => r.Pricing.Cost.TotalUsd))).OrderBy(g => g.Key, StringComparer.Ordinal),
            byUser.Groups.Select(g => (g.Key, g.Requests, g.TotalUsd)).OrderBy(g => g.Key, StringComparer.Ordinal));
        var byDay = await Store.SummarizeAsync(DateOnly.FromDateTime(Day.UtcDateTime), DateOnly.FromDateTime(Day.UtcDateTime).AddDays(2), SummaryGrouping.Day, default);
        Assert.Equal(records.Count, byDay.Requests);
        Assert.Equal(records.Count, (await Store.SummarizeAsync(null, null, SummaryGrouping.Endpoint, default)).Requests);
        Assert.Equal(records.Count, (await Store.SummarizeAsync(null, null, SummaryGrouping.Model, SummaryGrouping.User, default)).Requests);
    }

    /// <summary>Stops as a kill would: the file is closed, the store is not (what it holds in memory is lost).</summary>
    private void Crash()
    {
        _database?.Dispose();
        _store = null;
        _database = null;
    }

    /// <summary>Opens the store again with rollup rows written only by its first commit, a deletion, a recalculation or a close.</summary>
    private Task FoldingAsync()
    {
        _rollupFlushInterval = Timeout.InfiniteTimeSpan;
        return RestartAsync();
    }

    /// <summary>Closes the store and works on its file directly (to make it look as another version left it, or to look inside).</summary>
    private async Task OnTheClosedFileAsync(Action<LedgerDatabase> work)
    {
        await CloseAsync();
        using var database = new LedgerDatabase(DatabasePath);
        work(database);
    }

    /// <summary>The CSV <see cref="UsageCsv"/> writes of <paramref name="records"/>.</summary>
    internal static async Task<string> CsvAsync(IAsyncEnumerable<UsageRecord> records)
    {
        using var csv = new MemoryStream();
        await UsageCsv.WriteAsync(csv, records, default);
        return System.Text.Encoding.UTF8.GetString(csv.ToArray());
    }

    internal static async IAsyncEnumerable<UsageRecord> AsAsync(IEnumerable<UsageRecord> records)
    {
        foreach (var record in records)
        {
            yield return record;
        }

        await Task.CompletedTask;
    }

    /// <summary>Records with text a CSV or a codec can get wrong, nulls, odd decimals, tags in either order, replaced pricing.</summary>
    private static UsageRecord[] TrickyRecords(int count) => [.. Enumerable.Range(0, count).Select(i =>
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
    })];

    private LedgerStores Open()
    {
        _database = new LedgerDatabase(DatabasePath);
        _store = new LiteDbUsageStore(_database, TimeProvider.System, rollupFlushInterval: _rollupFlushInterval);
        return new LedgerStores(_store, new LiteDbKeyStore(_database), new LiteDbEndpointEventStore(_database), new LiteDbBudgetStore(_database));
    }
}
