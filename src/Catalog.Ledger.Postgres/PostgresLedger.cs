using Npgsql;
using Catalog.Pricing;

namespace Catalog.Ledger.Postgres;

/// <summary>
/// The ledger in PostgreSQL, shared by every instance pointed at the same database. One
/// <see cref="NpgsqlDataSource"/> (connection pool) for the process; <see cref="OpenAsync"/> checks the
/// server can be reached and migrates the schema before any store uses it.
/// </summary>
public sealed class PostgresLedger : IAsyncDisposable
{
    /// <summary>Each connection's staging table for a group commit's records (see <see cref="PostgresUsageStore"/>): emptied at every commit.</summary>
    internal const string IncomingTable = "usage_incoming";

    private const int MaxAttempts = 3;

    private readonly string _connectionString;

    /// <exception cref="CatalogConfigurationException">The connection string is not one Npgsql reads; the message names the setting.</exception>
    public PostgresLedger(string? connectionString)
    {
        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new CatalogConfigurationException($"Storage:ConnectionString is not a valid Npgsql connection string ({ex.Message}). Write it as 'Host=...;Port=5432;Username=...;Password=...;Database=...'.", ex);
        }

        if (string.IsNullOrWhiteSpace(connectionString) || string.IsNullOrEmpty(settings.Host))
        {
            throw new CatalogConfigurationException("Storage:Provider is 'postgres' but Storage:ConnectionString names no server. Set it (or Storage__ConnectionString) to e.g. 'Host=db;Port=5432;Username=catalog;Password=...;Database=catalog'.");
        }

        _connectionString = connectionString;
        Server = $"{settings.Host}:{settings.Port}/{settings.Database ?? settings.Username}";
        var builder = new NpgsqlDataSourceBuilder(connectionString);

        // The staging table lives as long as the physical connection; a pool reset (DISCARD ALL) would drop it.
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        builder.UsePhysicalConnectionInitializer(
            connection => IncomingTableCommand(connection).ExecuteNonQuery(),
            connection => IncomingTableCommand(connection).ExecuteNonQueryAsync());
        DataSource = builder.Build();
    }

    /// <summary>Host, port and database, for messages (never the password).</summary>
    public string Server { get; }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>Reaches the server and brings the schema to <see cref="PostgresSchema.Version"/>.</summary>
    /// <exception cref="CatalogConfigurationException">The server cannot be reached or refuses the connection; the message says which setting to check.</exception>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        // Not from DataSource: its connections expect the tables the migration creates.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw new CatalogConfigurationException(
                $"Cannot connect to PostgreSQL at {Server} (Storage:ConnectionString): {ex.Message}. Check that the server runs and accepts this user, or set Storage:Provider to 'litedb' for the embedded store.",
                ex);
        }

        await PostgresSchema.MigrateAsync(connection, cancellationToken);
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction and commits it. A deadlock or serialization failure
    /// (instances writing the same rows in another order) rolls it all back and it is run again, up to
    /// <see cref="MaxAttempts"/> times: the work must be safe to repeat from the start.
    /// </summary>
    public static async Task<T> InTransactionAsync<T>(NpgsqlDataSource database, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await database.OpenConnectionAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var result = await work(connection, transaction);
                await transaction.CommitAsync(cancellationToken);
                return result;
            }
            catch (PostgresException ex) when (attempt < MaxAttempts && ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
            {
            }
        }
    }

    private static NpgsqlCommand IncomingTableCommand(NpgsqlConnection connection) =>
        new($"CREATE TEMP TABLE {IncomingTable} (LIKE usage_records) ON COMMIT DELETE ROWS", connection);
}
