using Npgsql;
using NpgsqlTypes;

namespace Catalog.Ledger.Postgres;

/// <summary>
/// API keys (hashes only) in PostgreSQL. Every lookup reads the table (one primary-key read): a key
/// revoked through any instance is refused by all of them at once.
/// </summary>
public sealed class PostgresKeyStore(PostgresLedger ledger) : IKeyStore
{
    private const string Columns = "id, name, scopes, key_hash, requests_per_second, created_at, revoked_at, expires_at, last_used_at";

    private readonly NpgsqlDataSource _database = ledger.DataSource;

    public async Task CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        await using var command = _database.CreateCommand($"INSERT INTO api_keys ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL)");
        command.Parameters.AddRange(new NpgsqlParameter[]
        {
            new() { Value = key.Id },
            new() { Value = key.Name },
            new() { Value = key.Scopes.ToArray() },
            new() { Value = key.KeyHash },
            new() { Value = (object?)key.RequestsPerSecond ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer },
            new() { Value = key.CreatedAt.ToUniversalTime() },
            new() { Value = (object?)key.RevokedAt?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz },
            new() { Value = (object?)key.ExpiresAt?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz },
        });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask<ApiKeyRecord?> FindAsync(string id, CancellationToken cancellationToken) =>
        (await ReadAsync("WHERE id = $1", id, cancellationToken)).SingleOrDefault();

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken) =>
        await ReadAsync("ORDER BY created_at, id", null, cancellationToken);

    public async Task TouchAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = _database.CreateCommand("UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = at.ToUniversalTime() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = _database.CreateCommand("UPDATE api_keys SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = at.ToUniversalTime() });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<List<ApiKeyRecord>> ReadAsync(string clause, string? id, CancellationToken cancellationToken)
    {
        await using var command = _database.CreateCommand($"SELECT {Columns} FROM api_keys {clause}");
        if (id is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = id });
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKeyRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new ApiKeyRecord(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetFieldValue<string[]>(2),
                reader.GetFieldValue<byte[]>(3),
                reader.IsDBNull(4) ? null : reader.GetInt32(4),
                reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8)));
        }

        return keys;
    }
}
