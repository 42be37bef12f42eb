using Catalog.Pricing;
using Npgsql;

namespace Catalog.Ledger.Postgres;

/// <summary>
/// Endpoint status events in <c>endpoint_events</c>. The key is the event itself (endpoint, time, status,
/// replicas), so a duplicate is skipped by <c>ON CONFLICT DO NOTHING</c>, whichever instance received it;
/// <c>seq</c> numbers events in the order they were stored, which decides between events at the same
/// instant. Times are UTC ticks, exact (a <c>timestamptz</c> keeps microseconds).
/// </summary>
public sealed class PostgresEndpointEventStore(PostgresLedger ledger) : IEndpointEventStore
{
    private readonly NpgsqlDataSource _database = ledger.DataSource;

    public Task<int> AppendAsync(string endpointId, IReadOnlyList<EndpointEvent> events, CancellationToken cancellationToken) =>
        PostgresLedger.InTransactionAsync(
            _database,
            async (connection, transaction) =>
            {
                await using var insert = new NpgsqlCommand(
                    "INSERT INTO endpoint_events (endpoint, at_ticks, status, replicas) " +
                    "SELECT $1, at_ticks, status, replicas FROM unnest($2::bigint[], $3::text[], $4::integer[]) WITH ORDINALITY AS e(at_ticks, status, replicas, arrival) " +
                    "ORDER BY arrival ON CONFLICT DO NOTHING",
                    connection,
                    transaction);
                insert.Parameters.Add(new NpgsqlParameter { Value = endpointId });
                insert.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.At.UtcTicks).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Status.ToWire()).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Replicas).ToArray() });
                return await insert.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);

    public async Task<IReadOnlyList<EndpointEvent>> ListAsync(string endpointId, DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = _database.CreateCommand("SELECT at_ticks, status, replicas FROM endpoint_events WHERE endpoint = $1 AND at_ticks < $2 ORDER BY seq");
        command.Parameters.Add(new NpgsqlParameter { Value = endpointId });
        command.Parameters.Add(new NpgsqlParameter { Value = before.UtcTicks });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<EndpointEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            EndpointStatuses.TryParse(reader.GetString(1), out var status);
            events.Add(new EndpointEvent(new DateTimeOffset(reader.GetInt64(0), TimeSpan.Zero), status, reader.GetInt32(2)));
        }

        return events;
    }
}
