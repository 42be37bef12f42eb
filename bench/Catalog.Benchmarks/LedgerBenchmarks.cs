using BenchmarkDotNet.Attributes;
using Catalog.Api.Features.Cost;
using Catalog.Ledger;
using Catalog.Ledger.LiteDb;
using Catalog.Pricing;

namespace Catalog.Benchmarks;

/// <summary>
/// The LiteDB ledger's hot paths below HTTP: a record to and from its stored bytes, and a 5,000-call
/// append (what one <c>POST /v1/usage/batch</c> hands the store) committed and fsync'd to a file.
/// Per-call numbers: the append's time is divided by the 5,000 calls it stores.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class LedgerBenchmarks
{
    private const int BatchSize = 5_000;

    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Records a stored block holds (<see cref="LiteDbUsageStore.BlockSize"/>): the CSV benchmarks write a block's rows.</summary>
    private const int BlockRows = LiteDbUsageStore.BlockSize;

    private readonly UsageRecord _record = Call("bench-0", 0);
    private readonly UsageRecordCodec.CsvRowWriter _csv = new(64 * 1024);
    private byte[] _bytes = null!;
    private byte[][] _block = null!;
    private string _directory = null!;
    private LedgerDatabase _database = null!;
    private LiteDbUsageStore _store = null!;
    private long _next;

    [GlobalSetup]
    public void Setup()
    {
        _bytes = UsageRecordCodec.Encode(_record);
        _block = [.. Enumerable.Range(0, BlockRows).Select(n => UsageRecordCodec.Encode(Call($"{Guid.NewGuid()}", n * 7_919L)))];
        _directory = Path.Combine(Path.GetTempPath(), "catalog-bench-" + Guid.NewGuid().ToString("N"));
        _database = new LedgerDatabase(Path.Combine(_directory, "catalog.db"));
        _store = new LiteDbUsageStore(_database, TimeProvider.System);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public byte[] EncodeRecord() => UsageRecordCodec.Encode(_record);

    [Benchmark]
    public UsageRecord DecodeRecord() => UsageRecordCodec.Decode(_bytes);

    /// <summary>A CSV export's work per row (<c>GET /v1/usage/export.csv</c> on the LiteDB ledger): the row written from the stored bytes.</summary>
    [Benchmark(OperationsPerInvoke = BlockRows)]
    public int CsvRowFromBytes()
    {
        _csv.Rows.Clear();
        foreach (var record in _block)
        {
            UsageRecordCodec.WriteCsvRow(record, _csv);
        }

        return _csv.Rows.Length;
    }

    /// <summary>The same rows the general way (what a store without <see cref="IUsageCsvSource"/> does): each record decoded, then written as text.</summary>
    [Benchmark(OperationsPerInvoke = BlockRows)]
    public Task CsvRowFromRecord() => UsageCsv.WriteAsync(Stream.Null, Decoded(_block), default);

    /// <summary>5,000 new calls (a gateway's request ids, 30 days of timestamps) appended and committed.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public IReadOnlyList<AppendResult> AppendBatchPerCall()
    {
        var calls = new UsageRecord[BatchSize];
        for (var i = 0; i < calls.Length; i++)
        {
            var n = _next++;
            calls[i] = Call($"{Guid.NewGuid()}", n);
        }

        return _store.AppendAsync(calls, default).GetAwaiter().GetResult();
    }

    /// <summary>
    /// Commits of 16 calls (what the group commit gathers from 64 clients posting one call each), 64 of them in a row, in
    /// time order, 200 users: the writer's cost a call when calls come one at a time (blocks grown, rollups, fsync).
    /// </summary>
    [Benchmark(OperationsPerInvoke = SmallCommits * SmallCommit)]
    public int AppendSmallCommitsPerCall()
    {
        var created = 0;
        for (var c = 0; c < SmallCommits; c++)
        {
            var calls = new UsageRecord[SmallCommit];
            for (var i = 0; i < calls.Length; i++)
            {
                var n = _next++;
                calls[i] = Call($"{Guid.NewGuid()}", n);
            }

            created += _store.AppendAsync(calls, default).GetAwaiter().GetResult().Count;
        }

        return created;
    }

    private const int SmallCommits = 64;
    private const int SmallCommit = 16;

    private static async IAsyncEnumerable<UsageRecord> Decoded(byte[][] block)
    {
        foreach (var bytes in block)
        {
            yield return UsageRecordCodec.Decode(bytes);
        }

        await Task.CompletedTask;
    }

    private static UsageRecord Call(string id, long n) => new(
        id,
        Day.AddSeconds(n % (30 * 86_400)),
        "gpt-4o",
        null,
        new UsageCounts(500 + (n % 3000), 50 + (n % 700), 0, 0, 0),
        "canonical",
        null,
        CallStatus.Success,
        200 + (n % 900),
        $"user-{n % 200}",
        $"team-{n % 10}",
        $"app-{n % 6}",
        "chat",
        new Dictionary<string, string> { ["env"] = "prod" },
        new UsagePricing("openai/gpt-4o", "openai", PricingSource.Exact, TokenSource.Actual, new UsageCost(0.00125m, 0.0005m, 0m, 0m, 0m, 0.00175m, null), "sha256:0123456789ab"),
        null,
        Day,
        "Zm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9v");
}
