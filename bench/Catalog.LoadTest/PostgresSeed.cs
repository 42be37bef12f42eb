using System.Diagnostics;
using System.Text.Json;
using Catalog.Api.Features.Usage;
using Catalog.Ledger;
using Catalog.Ledger.Postgres;
using Catalog.Pricing;
using Npgsql;

/// <summary>
/// Bench-only: fills a PostgreSQL ledger fast. The calls are read and priced as the API does, then
/// written with the store's own row format by COPY straight into usage_records, with their rollups, a
/// million per transaction. It skips what the API's path adds per write (the staging table, the
/// id-conflict check), so it needs ids no one has stored: each run has its own.
/// </summary>
internal static class PostgresSeed
{
    private const int PerTransaction = 1_000_000;

    public static async Task RunAsync(string connectionString, long calls, string run)
    {
        await using var ledger = new PostgresLedger(connectionString);
        await ledger.OpenAsync(CancellationToken.None);
        var reader = new UsageCallReader(BuiltInCatalog.CreateEngine(_ => null), TimeProvider.System);
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        var stop = Stopwatch.StartNew();
        for (long first = 0; first < calls; first += PerTransaction)
        {
            await using var connection = await ledger.DataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            var changes = new RollupChanges();
            await using (var copy = await connection.BeginBinaryImportAsync($"COPY usage_records ({PostgresUsageRows.Columns}) FROM STDIN (FORMAT BINARY)"))
            {
                for (var n = first; n < Math.Min(first + PerTransaction, calls); n++)
                {
                    using var call = JsonDocument.Parse(LedgerCalls.Json(run, n, LedgerCalls.Spread(start, n, calls)));
                    var record = reader.Read(call.RootElement, []) ?? throw new InvalidOperationException($"call {n} does not validate");
                    changes.Add(record);
                    await PostgresUsageRows.WriteAsync(copy, record, CancellationToken.None);
                }

                await copy.CompleteAsync();
            }

            await PostgresRollups.AddAsync(connection, transaction, changes, CancellationToken.None);
            await transaction.CommitAsync();
            var done = Math.Min(first + PerTransaction, calls);
            Console.WriteLine($"seed: {done} of {calls} calls in {stop.Elapsed.TotalSeconds:F0} s ({done / stop.Elapsed.TotalSeconds:F0} calls/s)");
        }
    }
}
