using Catalog.Pricing;
using Npgsql;

namespace Catalog.Api.Storage.Postgres;

/// <summary>
/// The rollup tables (<c>usage_rollups</c>, <c>usage_fallbacks</c>): changed by upserts that add to the
/// counters, in the transaction that writes the records, and summed by SQL for the summary. Several
/// instances add to the same rows; each upsert takes its rows in key order, so two never deadlock.
/// </summary>
public static class PostgresRollups
{
    private static readonly string[] RollupKeys = ["day", "model", "provider", "\"user\"", "team", "app"];
    private static readonly string[] RollupCounters = ["requests", "errors", "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "total_usd", "actual", "estimated", "unknown"];
    private static readonly string[] GuessKeys = ["day", "model", "provider", "pricing_source"];
    private static readonly string[] GuessCounters = ["requests", "total_usd"];

    /// <summary>Adds <paramref name="changes"/> to the rollups; rows whose requests reach zero are deleted.</summary>
    public static async Task AddAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RollupChanges changes, CancellationToken cancellationToken)
    {
        if (changes.Rollups.Count > 0)
        {
            var rows = changes.Rollups.ToArray();
            await AddAsync(
                connection,
                transaction,
                "usage_rollups",
                RollupKeys,
                [
                    Column(rows, r => r.Key.Day), Column(rows, r => r.Key.Model), Column(rows, r => r.Key.Provider),
                    Column(rows, r => r.Key.User), Column(rows, r => r.Key.Team), Column(rows, r => r.Key.App),
                ],
                RollupCounters,
                [
                    Column(rows, r => r.Value.Requests), Column(rows, r => r.Value.Errors), Column(rows, r => r.Value.InputTokens),
                    Column(rows, r => r.Value.OutputTokens), Column(rows, r => r.Value.CacheReadTokens), Column(rows, r => r.Value.CacheWriteTokens),
                    Column(rows, r => r.Value.TotalUsd), Column(rows, r => r.Value.Actual), Column(rows, r => r.Value.Estimated), Column(rows, r => r.Value.Unknown),
                ],
                removes: rows.Any(r => r.Value.Requests < 0),
                cancellationToken);
        }

        if (changes.Guesses.Count > 0)
        {
            var rows = changes.Guesses.ToArray();
            await AddAsync(
                connection,
                transaction,
                "usage_fallbacks",
                GuessKeys,
                [Column(rows, r => r.Key.Day), Column(rows, r => r.Key.Model), Column(rows, r => r.Key.Provider), Column(rows, r => r.Key.PricingSource.ToWire())],
                GuessCounters,
                [Column(rows, r => r.Value.Requests), Column(rows, r => r.Value.TotalUsd)],
                removes: rows.Any(r => r.Value.Requests < 0),
                cancellationToken);
        }
    }

    /// <summary>The summary over whole days [from, to): the rollups summed per day and group by the server.</summary>
    public static async Task<UsageSummary> SummarizeAsync(NpgsqlDataSource dataSource, DateOnly? from, DateOnly? to, SummaryGrouping groupBy, CancellationToken cancellationToken)
    {
        string? group = groupBy switch
        {
            SummaryGrouping.Model => "model",
            SummaryGrouping.Provider => "provider",
            SummaryGrouping.User => "\"user\"",
            SummaryGrouping.Team => "team",
            SummaryGrouping.App => "app",
            _ => null,
        };
        var sums = string.Join(", ", RollupCounters.Select(c => c == "total_usd" ? "sum(total_usd)" : $"sum({c})::bigint"));
        var rollupDays = Days(from, to);
        var guessDays = Days(from, to);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(Command(
            $"SELECT day, {group ?? "''"}, {sums} FROM usage_rollups {rollupDays} GROUP BY day{(group is null ? "" : ", " + group)}",
            rollupDays.Parameters));
        batch.BatchCommands.Add(Command($"SELECT day, model, provider, pricing_source, requests, total_usd FROM usage_fallbacks {guessDays}", guessDays.Parameters));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var rollups = new List<KeyValuePair<RollupKey, RollupTotals>>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var day = reader.GetFieldValue<DateOnly>(0);
            var value = reader.GetString(1);
            var key = groupBy switch
            {
                SummaryGrouping.Model => new RollupKey(day, value, "", "", "", ""),
                SummaryGrouping.Provider => new RollupKey(day, "", value, "", "", ""),
                SummaryGrouping.User => new RollupKey(day, "", "", value, "", ""),
                SummaryGrouping.Team => new RollupKey(day, "", "", "", value, ""),
                _ => new RollupKey(day, "", "", "", "", value),
            };
            rollups.Add(new(key, new RollupTotals(
                reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7),
                reader.GetDecimal(8), reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11))));
        }

        await reader.NextResultAsync(cancellationToken);
        var guesses = new List<KeyValuePair<GuessKey, GuessTotals>>();
        while (await reader.ReadAsync(cancellationToken))
        {
            guesses.Add(new(
                new GuessKey(reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetString(2), StoredNames.PricingSource(reader.GetString(3))),
                new GuessTotals(reader.GetInt64(4), reader.GetDecimal(5))));
        }

        return UsageSummaryBuilder.Build(from, to, groupBy, rollups, guesses);
    }

    /// <summary>
    /// One statement for all rows, sorted by key (the lock order every instance follows): new keys are
    /// inserted, existing ones get the counters added.
    /// </summary>
    private static async Task AddAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string table,
        string[] keys,
        NpgsqlParameter[] keyValues,
        string[] counters,
        NpgsqlParameter[] counterValues,
        bool removes,
        CancellationToken cancellationToken)
    {
        var keyList = string.Join(", ", keys);
        var keyOrdinals = string.Join(", ", Enumerable.Range(1, keys.Length));
        var parameters = string.Join(", ", Enumerable.Range(1, keys.Length + counters.Length).Select(i => $"${i}"));
        var sums = string.Join(", ", counters.Select(c => $"{c} = r.{c} + excluded.{c}"));
        await using var upsert = new NpgsqlCommand(
            $"INSERT INTO {table} AS r ({keyList}, {string.Join(", ", counters)}) SELECT * FROM unnest({parameters}) ORDER BY {keyOrdinals} ON CONFLICT ({keyList}) DO UPDATE SET {sums}",
            connection,
            transaction);
        upsert.Parameters.AddRange(keyValues.Concat(counterValues).ToArray());
        await upsert.ExecuteNonQueryAsync(cancellationToken);
        if (!removes)
        {
            return;
        }

        var matches = string.Join(" AND ", keys.Select(k => $"r.{k} = k.{k}"));
        await using var delete = new NpgsqlCommand(
            $"DELETE FROM {table} r USING unnest({string.Join(", ", Enumerable.Range(1, keys.Length).Select(i => $"${i}"))}) AS k({keyList}) WHERE {matches} AND r.requests = 0",
            connection,
            transaction);
        delete.Parameters.AddRange(keyValues.Select(p => p.Clone()).ToArray());
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter Column<TRow, T>(TRow[] rows, Func<TRow, T> value) => new() { Value = rows.Select(value).ToArray() };

    private static SqlWhere Days(DateOnly? from, DateOnly? to)
    {
        var where = new SqlWhere();
        if (from is { } first)
        {
            where.Add($"day >= {where.Parameter(first)}");
        }

        if (to is { } end)
        {
            where.Add($"day < {where.Parameter(end)}");
        }

        return where;
    }

    private static NpgsqlBatchCommand Command(string sql, List<NpgsqlParameter> parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters.ToArray());
        return command;
    }
}
