using Catalog.Pricing;
using Npgsql;

namespace Catalog.Ledger.Postgres;

/// <summary>
/// The rollup tables (<c>usage_rollups</c>, <c>usage_fallbacks</c>, <c>usage_dimension_rollups</c>): changed by upserts that add to the
/// counters, in the transaction that writes the records, and summed by SQL for the summary. Several
/// instances add to the same rows; each upsert takes its rows in key order, so two never deadlock.
/// </summary>
public static class PostgresRollups
{
    private static readonly string[] RollupKeys = ["day", "model", "provider", "\"user\"", "team", "app", "service_tier", "region"];
    private static readonly string[] RollupCounters =
        ["requests", "errors", "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "total_usd", "actual", "estimated", "unknown", "reported_requests", "reported_usd", "reported_our_usd"];

    /// <summary>The counters kept as <c>numeric</c> (dollars, and token sums, which may pass 64 bits); the others count calls (<c>bigint</c>).</summary>
    private static readonly string[] NumericCounters = ["input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "total_usd", "reported_usd", "reported_our_usd"];
    private static readonly string[] GuessKeys = ["day", "model", "provider", "pricing_source"];
    private static readonly string[] DimensionKeys = ["day", "dimension", "value"];
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
                    Column(rows, r => r.Key.ServiceTier), Column(rows, r => r.Key.Region),
                ],
                RollupCounters,
                Counters(rows),
                removes: rows.Any(r => r.Value.Requests < 0),
                cancellationToken);
        }

        if (changes.Dimensions.Count > 0)
        {
            var rows = changes.Dimensions.ToArray();
            await AddAsync(
                connection,
                transaction,
                "usage_dimension_rollups",
                DimensionKeys,
                [Column(rows, r => r.Key.Day), Column(rows, r => UsageSummaryBuilder.DimensionName(r.Key.Dimension)), Column(rows, r => r.Key.Value)],
                RollupCounters,
                Counters(rows),
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

    /// <summary>The parameters of <see cref="RollupCounters"/>, in their order, from the rows' totals.</summary>
    private static NpgsqlParameter[] Counters<TKey>(KeyValuePair<TKey, RollupTotals>[] rows) =>
    [
        Column(rows, r => r.Value.Requests), Column(rows, r => r.Value.Errors), Column(rows, r => r.Value.InputTokens),
        Column(rows, r => r.Value.OutputTokens), Column(rows, r => r.Value.CacheReadTokens), Column(rows, r => r.Value.CacheWriteTokens),
        Column(rows, r => r.Value.TotalUsd), Column(rows, r => r.Value.Actual), Column(rows, r => r.Value.Estimated), Column(rows, r => r.Value.Unknown),
        Column(rows, r => r.Value.ReportedRequests), Column(rows, r => r.Value.ReportedUsd), Column(rows, r => r.Value.ReportedOurUsd),
    ];

    /// <summary>
    /// The summary over whole days [from, to), summed by the server in one pass over the rollups: per day,
    /// per model and per group of <paramref name="groupBy"/> (grouping sets), so what is read back is
    /// one row per day, model and group, however many rollup rows there are.
    /// </summary>
    /// <remarks>With <paramref name="thenBy"/>, the groups are the pairs of <paramref name="groupBy"/> × <paramref name="thenBy"/>, summed by a third statement.</remarks>
    public static async Task<UsageSummary> SummarizeAsync(NpgsqlDataSource dataSource, DateOnly? from, DateOnly? to, SummaryGrouping groupBy, CancellationToken cancellationToken, SummaryGrouping? thenBy = null)
    {
        // Per model and per day come from the grouping sets (day) and (model); pairs from a statement of their own.
        // A dimension of the dimension rollups (endpoint, key id) is summed from them, by a statement of its own.
        var dimension = thenBy is null && DimensionKey.IsKept(groupBy) ? groupBy : (SummaryGrouping?)null;
        string? group = thenBy is null && dimension is null && groupBy is not (SummaryGrouping.Model or SummaryGrouping.Day) ? Column(groupBy) : null;

        var sums = string.Join(", ", RollupCounters.Select(c => NumericCounters.Contains(c) ? $"sum({c})" : $"sum({c})::bigint"));
        var sets = group is null ? "(day), (model)" : $"(day), (model), ({group})";
        var rollupDays = Days(from, to);
        var guessDays = Days(from, to);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(Command(
            $"SELECT GROUPING(day) = 0, GROUPING(model) = 0, day, model, {group ?? "NULL::text"}, {sums} FROM usage_rollups {rollupDays} GROUP BY GROUPING SETS ({sets})",
            rollupDays.Parameters));
        batch.BatchCommands.Add(Command(
            $"SELECT model, provider, pricing_source, sum(requests)::bigint, sum(total_usd) FROM usage_fallbacks {guessDays} GROUP BY model, provider, pricing_source",
            guessDays.Parameters));
        var dimensionDays = Days(from, to);
        if (dimension is { } kept)
        {
            dimensionDays.Add($"dimension = {dimensionDays.Parameter(UsageSummaryBuilder.DimensionName(kept))}");
            batch.BatchCommands.Add(Command($"SELECT value, {sums} FROM usage_dimension_rollups {dimensionDays} GROUP BY value", dimensionDays.Parameters));
        }

        var pairDays = Days(from, to);
        if (thenBy is { } second)
        {
            batch.BatchCommands.Add(Command(
                $"SELECT {Column(groupBy)}, {Column(second)}, {sums} FROM usage_rollups {pairDays} GROUP BY 1, 2",
                pairDays.Parameters));
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var summed = new SummarySums();
        while (await reader.ReadAsync(cancellationToken))
        {
            var totals = Totals(reader, 5);
            if (reader.GetBoolean(0))
            {
                summed.Days[reader.GetFieldValue<DateOnly>(2)] = totals;
            }
            else if (reader.GetBoolean(1))
            {
                summed.Models[reader.GetString(3)] = totals;
            }
            else
            {
                summed.Groups[reader.GetString(4)] = totals;
            }
        }

        // Per day and per model are groups too when they are the grouping (pairs come after the fallbacks, below).
        if (thenBy is null && groupBy == SummaryGrouping.Day)
        {
            foreach (var (day, totals) in summed.Days)
            {
                summed.Groups[UsageSummaryBuilder.DayKey(day)] = totals;
            }
        }
        else if (thenBy is null && groupBy == SummaryGrouping.Model)
        {
            foreach (var (model, totals) in summed.Models)
            {
                summed.Groups[model] = totals;
            }
        }

        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            summed.Fallbacks[new FallbackName(reader.GetString(0), reader.GetString(1), StoredNames.PricingSource(reader.GetString(2)))] =
                new GuessTotals(reader.GetInt64(3), reader.GetDecimal(4));
        }

        if (dimension is not null)
        {
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                summed.Groups[reader.GetString(0)] = Totals(reader, 1);
            }
        }

        if (thenBy is { } pairedWith)
        {
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                summed.AddPair(reader.GetString(0), reader.GetString(1), Totals(reader, 2));
            }

            return UsageSummaryBuilder.BuildPairs(from, to, groupBy, pairedWith, summed);
        }

        return UsageSummaryBuilder.Build(from, to, groupBy, summed);
    }

    /// <summary>The sums of <see cref="RollupCounters"/>, in their order, from column <paramref name="first"/> on.</summary>
    private static RollupTotals Totals(NpgsqlDataReader reader, int first) => new(
        reader.GetInt64(first), reader.GetInt64(first + 1), reader.GetDecimal(first + 2), reader.GetDecimal(first + 3), reader.GetDecimal(first + 4), reader.GetDecimal(first + 5),
        reader.GetDecimal(first + 6), reader.GetInt64(first + 7), reader.GetInt64(first + 8), reader.GetInt64(first + 9), reader.GetInt64(first + 10),
        reader.GetDecimal(first + 11), reader.GetDecimal(first + 12));

    /// <summary>The rollup column (as text) of a grouping.</summary>
    private static string Column(SummaryGrouping grouping) => grouping switch
    {
        SummaryGrouping.Provider => "provider",
        SummaryGrouping.User => "\"user\"",
        SummaryGrouping.Team => "team",
        SummaryGrouping.App => "app",
        SummaryGrouping.ServiceTier => "service_tier",
        SummaryGrouping.Region => "region",
        SummaryGrouping.Day => "to_char(day, 'YYYY-MM-DD')",
        SummaryGrouping.Model => "model",
        _ => throw new ArgumentOutOfRangeException(nameof(grouping), grouping, null),
    };

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
