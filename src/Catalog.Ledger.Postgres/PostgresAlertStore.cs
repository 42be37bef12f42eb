using System.Text.Json;
using Catalog.Ledger.Alerts;
using Npgsql;
using NpgsqlTypes;

namespace Catalog.Ledger.Postgres;

/// <summary>
/// Alerts in PostgreSQL, shared by every instance. Evaluations take a transaction-scoped advisory lock,
/// so two instances never open the same alert twice; deliveries claim undelivered alerts for a while
/// (<see cref="ClaimFor"/>), so two instances never POST the same alert at once.
/// </summary>
public sealed class PostgresAlertStore(PostgresLedger ledger) : IAlertStore
{
    /// <summary>How long an instance owns the delivery of the alerts it claimed.</summary>
    public static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(2);

    private const long EvaluationLock = 0x43617461_6C6F6702;
    private static readonly JsonSerializerOptions Json = CreateJson();

    private readonly NpgsqlDataSource _database = ledger.DataSource;

    public Task<IReadOnlyList<AlertRecord>> ApplyAsync(IReadOnlyList<AlertCandidate> candidates, DateTimeOffset now, CancellationToken cancellationToken) =>
        PostgresLedger.InTransactionAsync<IReadOnlyList<AlertRecord>>(_database, async (connection, transaction) =>
        {
            await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({EvaluationLock})", connection, transaction))
            {
                await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            }

            var existing = new Dictionary<string, AlertRecord>(StringComparer.Ordinal);
            await using (var read = new NpgsqlCommand("SELECT record FROM alerts WHERE open OR key = ANY($1)", connection, transaction))
            {
                read.Parameters.Add(new NpgsqlParameter { Value = candidates.Select(c => c.Key).ToArray() });
                await foreach (var record in ReadAsync(read, cancellationToken))
                {
                    existing[record.Key] = record;
                }
            }

            var (changed, opened) = AlertTransitions.Apply(existing, candidates, now);
            foreach (var record in changed)
            {
                await using var upsert = new NpgsqlCommand(
                    """
                    INSERT INTO alerts (key, record, open, delivered, opened_at) VALUES ($1, $2, $3, $4, $5)
                    ON CONFLICT (key) DO UPDATE SET record = excluded.record, open = excluded.open, delivered = excluded.delivered
                    """,
                    connection,
                    transaction);
                AddRecord(upsert, record);
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }

            return opened;
        }, cancellationToken);

    public async Task<IReadOnlyList<AlertRecord>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = _database.CreateCommand("SELECT record FROM alerts ORDER BY opened_at DESC, key LIMIT $1");
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        return await ToListAsync(ReadAsync(command, cancellationToken));
    }

    /// <summary>Claims the undelivered alerts no other instance is delivering, in the order they opened.</summary>
    public async Task<IReadOnlyList<AlertRecord>> UndeliveredAsync(CancellationToken cancellationToken)
    {
        await using var command = _database.CreateCommand(
            """
            UPDATE alerts SET claimed_until = now() + $1
            WHERE NOT delivered AND (claimed_until IS NULL OR claimed_until < now())
            RETURNING record
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = ClaimFor, NpgsqlDbType = NpgsqlDbType.Interval });
        var claimed = await ToListAsync(ReadAsync(command, cancellationToken));
        return [.. claimed.OrderBy(a => a.OpenedAt).ThenBy(a => a.Key, StringComparer.Ordinal)];
    }

    public Task RecordDeliveryAsync(string key, DateTimeOffset? deliveredAt, string? error, CancellationToken cancellationToken) =>
        PostgresLedger.InTransactionAsync(_database, async (connection, transaction) =>
        {
            await using var read = new NpgsqlCommand("SELECT record FROM alerts WHERE key = $1 FOR UPDATE", connection, transaction);
            read.Parameters.Add(new NpgsqlParameter { Value = key });
            var stored = await ToListAsync(ReadAsync(read, cancellationToken));
            if (stored.Count == 1)
            {
                var record = AlertTransitions.Delivery(stored[0], deliveredAt, error);
                await using var update = new NpgsqlCommand("UPDATE alerts SET record = $2, open = $3, delivered = $4, claimed_until = CASE WHEN $4 THEN NULL ELSE claimed_until END WHERE key = $1", connection, transaction);
                update.Parameters.Add(new NpgsqlParameter { Value = record.Key });
                update.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(record, Json), NpgsqlDbType = NpgsqlDbType.Jsonb });
                update.Parameters.Add(new NpgsqlParameter { Value = record.ClosedAt is null });
                update.Parameters.Add(new NpgsqlParameter { Value = record.DeliveredAt is not null });
                await update.ExecuteNonQueryAsync(cancellationToken);
            }

            return true;
        }, cancellationToken);

    private static void AddRecord(NpgsqlCommand command, AlertRecord record)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = record.Key });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(record, Json), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = record.ClosedAt is null });
        command.Parameters.Add(new NpgsqlParameter { Value = record.DeliveredAt is not null });
        command.Parameters.Add(new NpgsqlParameter { Value = record.OpenedAt.ToUniversalTime() });
    }

    private static async IAsyncEnumerable<AlertRecord> ReadAsync(NpgsqlCommand command, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return JsonSerializer.Deserialize<AlertRecord>(reader.GetString(0), Json)!;
        }
    }

    private static async Task<List<AlertRecord>> ToListAsync(IAsyncEnumerable<AlertRecord> records)
    {
        var list = new List<AlertRecord>();
        await foreach (var record in records)
        {
            list.Add(record);
        }

        return list;
    }

    /// <summary>The alert as a JSON document with snake_case names, as the API shows it.</summary>
    private static JsonSerializerOptions CreateJson() => new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
