using System.Runtime.CompilerServices;
using Catalog.Pricing;
using Npgsql;

namespace Catalog.Ledger.Postgres;

/// <summary>
/// The ledger in PostgreSQL, for several API instances on one database. Each instance writes through its
/// own group-commit writer: one transaction per group copies the records in (straight into the table when
/// their ids are new; else through a staging table and <c>ON CONFLICT (id) DO NOTHING</c>, so an id another
/// instance stored first is found, not doubled), adds their rollups, and commits (the WAL is flushed)
/// before anyone is answered. Reads go to the tables, never to a copy in memory: other instances write too.
/// </summary>
public sealed class PostgresUsageStore(PostgresLedger ledger, TimeProvider clock, int maxRecordsPerCommit = 20_000) : IUsageStore, IAsyncDisposable
{
    private const int PageSize = 1_000;

    private const string NewestFirst = "ORDER BY ts DESC, id DESC";

    private readonly NpgsqlDataSource _database = ledger.DataSource;
    private readonly GroupCommit<UsageRecord, AppendResult> _writer = new(records => CommitAsync(ledger.DataSource, records), maxRecordsPerCommit);

    public Task<IReadOnlyList<AppendResult>> AppendAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken) =>
        records.Count == 0 ? Task.FromResult<IReadOnlyList<AppendResult>>([]) : _writer.SubmitAsync(records);

    public async Task<UsageRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var where = new SqlWhere();
        where.Add($"id = {where.Parameter(id)}");
        var found = await ReadAsync(where, limit: 1, cancellationToken);
        return found.Count == 0 ? null : found[0].Record;
    }

    public async Task<UsagePage> ListAsync(UsageFilter filter, string? cursor, int limit, CancellationToken cancellationToken)
    {
        var page = await ReadPageAsync(filter, cursor is null ? null : UsageCursor.Decode(cursor), limit + 1, cancellationToken);
        return page.Count > limit
            ? new UsagePage([.. page.Take(limit).Select(r => r.Record)], UsageCursor.Encode(page[limit - 1].Record))
            : new UsagePage([.. page.Select(r => r.Record)], null);
    }

    /// <summary>One query, read a row at a time as the caller consumes them.</summary>
    public async IAsyncEnumerable<UsageRecord> StreamAsync(UsageFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var where = SqlWhere.Of(filter);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {PostgresUsageRows.Columns} FROM usage_records {where} {NewestFirst}", connection);
        command.Parameters.AddRange(where.Parameters.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return PostgresUsageRows.Read(reader);
        }
    }

    public Task<UsageSummary> SummarizeAsync(DateOnly? from, DateOnly? to, SummaryGrouping groupBy, CancellationToken cancellationToken) =>
        PostgresRollups.SummarizeAsync(_database, from, to, groupBy, cancellationToken);

    public Task<UsageSummary> SummarizeAsync(DateOnly? from, DateOnly? to, SummaryGrouping first, SummaryGrouping second, CancellationToken cancellationToken) =>
        PostgresRollups.SummarizeAsync(_database, from, to, first, cancellationToken, second);

    /// <summary>
    /// A page at a time: each changed record is updated only if no one changed it since it was read
    /// (its <c>xmin</c>), so two recalculations at once never move the rollups twice.
    /// </summary>
    public async Task<RecalculationResult> RecalculateAsync(UsageFilter filter, Func<UsageRecord, UsagePricing> reprice, bool apply, CancellationToken cancellationToken)
    {
        var recalculation = new Recalculation(reprice, clock);
        (DateTimeOffset, string)? after = null;
        while (true)
        {
            var page = await ReadPageAsync(filter, after, PageSize, cancellationToken);
            var updates = new List<(UsageRecord Before, UsageRecord After, uint Version)>();
            foreach (var (record, version) in page)
            {
                if (recalculation.Reprice(record) is { } repriced)
                {
                    updates.Add((record, repriced, version));
                }
            }

            if (apply && updates.Count > 0)
            {
                await PostgresLedger.InTransactionAsync(_database, (connection, transaction) => ReplaceAsync(connection, transaction, updates, cancellationToken), cancellationToken);
            }

            if (page.Count < PageSize)
            {
                return recalculation.Result;
            }

            after = (page[^1].Record.Timestamp, page[^1].Record.Id);
        }
    }

    /// <summary>
    /// A page of matching records at a time: deleted (<c>RETURNING</c> what was deleted) and taken out of the rollups in one
    /// transaction. Two instances deleting at once each delete a record once: the second waits on the first's row locks
    /// and then finds the row gone.
    /// </summary>
    public async Task<long> DeleteAsync(UsageFilter filter, CancellationToken cancellationToken)
    {
        long deleted = 0;
        while (true)
        {
            var where = SqlWhere.Of(filter);
            var count = await PostgresLedger.InTransactionAsync(
                _database,
                async (connection, transaction) =>
                {
                    await using var command = new NpgsqlCommand(
                        $"DELETE FROM usage_records WHERE id IN (SELECT id FROM usage_records {where} LIMIT {PageSize}) RETURNING {PostgresUsageRows.Columns}",
                        connection,
                        transaction);
                    command.Parameters.AddRange(where.Parameters.Select(p => p.Clone()).ToArray());
                    var changes = new RollupChanges();
                    var rows = 0;
                    await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                    {
                        while (await reader.ReadAsync(cancellationToken))
                        {
                            changes.Remove(PostgresUsageRows.Read(reader));
                            rows++;
                        }
                    }

                    await PostgresRollups.AddAsync(connection, transaction, changes, cancellationToken);
                    return rows;
                },
                cancellationToken);
            deleted += count;
            if (count < PageSize)
            {
                return deleted;
            }
        }
    }

    /// <summary>
    /// The whole days from the dimension rollups, the part of a day at either end from the calls tagged with the endpoint,
    /// and the latest of them (an index on endpoint and time finds those calls); the sums are <c>numeric</c>.
    /// </summary>
    public async Task<EndpointUsage> EndpointUsageAsync(string endpoint, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var parts = DayParts.Of(from, to);
        var where = new SqlWhere();
        var name = where.Parameter(endpoint);
        var calls = string.Join(" OR ", parts.Parts.Select(p => $"(ts >= {where.Parameter(p.From.ToUniversalTime())} AND ts < {where.Parameter(p.To.ToUniversalTime())})"));
        var sql =
            $"SELECT (SELECT coalesce(sum(input_tokens + output_tokens), 0) FROM usage_dimension_rollups WHERE dimension = 'endpoint' AND value = {name} " +
            $"AND day >= {where.Parameter(parts.WholeFrom)} AND day < {where.Parameter(parts.WholeTo)}) + " +
            $"(SELECT coalesce(sum(input_tokens::numeric + output_tokens), 0) FROM usage_records WHERE endpoint = {name} AND ({(calls.Length == 0 ? "false" : calls)})), " +
            $"(SELECT max(ts) FROM usage_records WHERE endpoint = {name} AND ts >= {where.Parameter(from.ToUniversalTime())} AND ts < {where.Parameter(to.ToUniversalTime())})";
        await using var command = _database.CreateCommand(sql);
        command.Parameters.AddRange(where.Parameters.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new EndpointUsage(reader.GetDecimal(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    /// <summary>The writer's commit: the group's new records and their rollups in one transaction.</summary>
    private static async Task<AppendResult[]> CommitAsync(NpgsqlDataSource database, IReadOnlyList<UsageRecord> records)
    {
        var first = new Dictionary<string, int>(records.Count, StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            first.TryAdd(records[i].Id, i);
        }

        UsageRecord[] distinct = [.. first.Values.Select(i => records[i]).OrderBy(r => r.Id, StringComparer.Ordinal)];
        HashSet<string> created;
        Dictionary<string, UsageRecord> stored;
        try
        {
            (created, stored) = await PostgresLedger.InTransactionAsync(database, (connection, transaction) => CopyNewAsync(connection, transaction, distinct, CancellationToken.None), CancellationToken.None);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // An id stored before (a retry, or the same call sent to another instance): this time sort them out.
            (created, stored) = await PostgresLedger.InTransactionAsync(database, (connection, transaction) => InsertAsync(connection, transaction, distinct, CancellationToken.None), CancellationToken.None);
        }

        var results = new AppendResult[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            var firstIndex = first[record.Id];
            var earlier = created.Contains(record.Id) ? records[firstIndex] : stored[record.Id];
            results[i] = firstIndex == i && created.Contains(record.Id)
                ? new AppendResult(AppendOutcome.Created, record)
                : new AppendResult(earlier.HasBodyOf(record) ? AppendOutcome.Duplicate : AppendOutcome.Conflict, earlier);
        }

        return results;
    }

    /// <summary>
    /// The common case, all ids new: the records are copied straight into <c>usage_records</c>, in id order
    /// (the lock order every instance follows), with their rollups. An id stored before fails the copy
    /// with a unique violation and rolls it all back.
    /// </summary>
    private static async Task<(HashSet<string> Created, Dictionary<string, UsageRecord> Stored)> CopyNewAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, UsageRecord[] records, CancellationToken cancellationToken)
    {
        await CopyAsync(connection, "usage_records", records, cancellationToken);
        var changes = new RollupChanges();
        foreach (var record in records)
        {
            changes.Add(record);
        }

        await PostgresRollups.AddAsync(connection, transaction, changes, cancellationToken);
        return (records.Select(r => r.Id).ToHashSet(StringComparer.Ordinal), []);
    }

    /// <summary>
    /// Copies the records into the connection's staging table, moves those with new ids into
    /// <c>usage_records</c> in id order, reads back the ones stored before, and adds the new ones to the rollups.
    /// </summary>
    private static async Task<(HashSet<string> Created, Dictionary<string, UsageRecord> Stored)> InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, UsageRecord[] records, CancellationToken cancellationToken)
    {
        await CopyAsync(connection, PostgresLedger.IncomingTable, records, cancellationToken);
        var created = new HashSet<string>(records.Length, StringComparer.Ordinal);
        await using (var insert = new NpgsqlCommand(
            $"INSERT INTO usage_records ({PostgresUsageRows.Columns}) SELECT {PostgresUsageRows.Columns} FROM {PostgresLedger.IncomingTable} ORDER BY id ON CONFLICT (id) DO NOTHING RETURNING id",
            connection,
            transaction))
        await using (var reader = await insert.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                created.Add(reader.GetString(0));
            }
        }

        var stored = new Dictionary<string, UsageRecord>(StringComparer.Ordinal);
        var changes = new RollupChanges();
        var earlier = new List<string>();
        foreach (var record in records)
        {
            if (created.Contains(record.Id))
            {
                changes.Add(record);
            }
            else
            {
                earlier.Add(record.Id);
            }
        }

        if (earlier.Count > 0)
        {
            await using var select = new NpgsqlCommand($"SELECT {PostgresUsageRows.Columns} FROM usage_records WHERE id = ANY($1)", connection, transaction)
            {
                Parameters = { new NpgsqlParameter { Value = earlier.ToArray() } },
            };
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var record = PostgresUsageRows.Read(reader);
                stored[record.Id] = record;
            }
        }

        await PostgresRollups.AddAsync(connection, transaction, changes, cancellationToken);
        return (created, stored);
    }

    private static async Task CopyAsync(NpgsqlConnection connection, string table, UsageRecord[] records, CancellationToken cancellationToken)
    {
        await using var copy = await connection.BeginBinaryImportAsync($"COPY {table} ({PostgresUsageRows.Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var record in records)
        {
            await PostgresUsageRows.WriteAsync(copy, record, cancellationToken);
        }

        await copy.CompleteAsync(cancellationToken);
    }

    /// <summary>Stores the new pricings of the records still as they were read; their rollups move. Returns how many moved.</summary>
    private static async Task<int> ReplaceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<(UsageRecord Before, UsageRecord After, uint Version)> updates, CancellationToken cancellationToken)
    {
        updates.Sort((a, b) => string.CompareOrdinal(a.Before.Id, b.Before.Id));
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var (_, after, version) in updates)
        {
            batch.BatchCommands.Add(PostgresUsageRows.UpdatePricing(after, version));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        var changes = new RollupChanges();
        var moved = 0;
        for (var i = 0; i < updates.Count; i++)
        {
            if (batch.BatchCommands[i].RecordsAffected == 1)
            {
                changes.Remove(updates[i].Before);
                changes.Add(updates[i].After);
                moved++;
            }
        }

        await PostgresRollups.AddAsync(connection, transaction, changes, cancellationToken);
        return moved;
    }

    /// <summary>Up to <paramref name="limit"/> matching records (with their row version), newest first, strictly after <paramref name="after"/>.</summary>
    private Task<List<(UsageRecord Record, uint Version)>> ReadPageAsync(UsageFilter filter, (DateTimeOffset At, string Id)? after, int limit, CancellationToken cancellationToken)
    {
        var where = SqlWhere.Of(filter);
        if (after is { } last)
        {
            where.Add($"(ts, id) < ({where.Parameter(last.At.ToUniversalTime())}, {where.Parameter(last.Id)})");
        }

        return ReadAsync(where, limit, cancellationToken);
    }

    private async Task<List<(UsageRecord Record, uint Version)>> ReadAsync(SqlWhere where, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {PostgresUsageRows.Columns}, xmin FROM usage_records {where} {NewestFirst} LIMIT {limit}", connection);
        command.Parameters.AddRange(where.Parameters.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<(UsageRecord, uint)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((PostgresUsageRows.Read(reader), reader.GetFieldValue<uint>(PostgresUsageRows.ColumnCount)));
        }

        return rows;
    }
}
